//! 监督统计 for supervisors and standards officers: a region's figures over a run of
//! months, its next level down ranked on any figure (each a link one level further),
//! a bar chart of that figure with the table it draws, and how evenly it is spread
//! (均等化: CV, Gini, Theil T and L); the same lines as CSV. Read from the running
//! totals, never from the cases.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::Jurisdiction;
use yichuang_domain::case::Staff;
use yichuang_domain::equalization::indices;

use super::chart::{Bar, bars_svg};
use super::staff::signed_in;
use super::{Ui, message, render};
use crate::figure_list::{FIGURES, Figure, item_figures, item_name, observations, synthetic_cases};
use crate::figures_report::{Area, Report, is_by_day, last_twelve_months, parse_period, report};

/// The longest run of months the page reads at once (ten years).
const MAX_MONTHS: usize = 120;
use crate::state::AppState;

fn written(figure: &Figure, value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if figure.percent => format!("{:.1}%", v * 100.0),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

pub(crate) struct Row {
    pub rank: usize,
    pub href: String,
    pub name: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "staff/figures.html")]
struct FiguresPage {
    ui: Ui,
    heading: String,
    region: String,
    from: String,
    to: String,
    /// The form's ends: the month inputs' or the day inputs' (the other pair empty).
    month_from: String,
    month_to: String,
    day_from: String,
    day_to: String,
    by_day: bool,
    /// False for a city's or county's run of days (items by day are not kept there).
    items_kept: bool,
    problem: Option<String>,
    up: Option<(String, String)>,
    choices: Vec<(&'static str, String, bool)>,
    figure_label: String,
    figure_key: &'static str,
    summary: Vec<(String, String)>,
    columns: Vec<String>,
    rows: Vec<Row>,
    chart: String,
    evenness: Vec<(String, String)>,
    evenness_note: String,
    csv_href: String,
    /// Quick periods: (label, link) for this quarter, this year and last year.
    periods: Vec<(String, String)>,
    /// How many synthetic cases the store holds (`demo generate`): said on the page.
    synthetic: i64,
    /// The region's items (most submitted first): name, then every figure but the
    /// overdue count (kept by county only).
    items: Vec<(String, Vec<String>)>,
    item_columns: Vec<String>,
    /// Submissions by channel: name, count, share.
    channels: Vec<(String, i64, String)>,
    /// Month, the figure, its CV and Gini over the next level down.
    trend: Vec<(String, String, String, String)>,
    trend_chart: String,
}

/// The region's items as the page shows them, most submitted first, named.
fn item_lines(state: &AppState, report: &Report) -> Vec<(String, Vec<String>)> {
    let mut items: Vec<&Area> = report.items.iter().collect();
    items.sort_by(|a, b| {
        b.cases
            .submitted
            .cmp(&a.cases.submitted)
            .then_with(|| a.code.cmp(&b.code))
    });
    items
        .into_iter()
        .map(|a| {
            let name = item_name(state, &a.code);
            let cells = item_figures().map(|f| written(f, (f.value)(a))).collect();
            (name, cells)
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct FiguresQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    figure: String,
}

/// The region, months and figure asked for, or the defaults (the staff member's own
/// region, the last twelve months) with the key of what was wrong.
struct Asked {
    region: Jurisdiction,
    from: String,
    to: String,
    figure: &'static Figure,
    problem: Option<&'static str>,
}

fn asked(staff: &Staff, query: &FiguresQuery, today: jiff::civil::Date) -> Result<Asked, ()> {
    let region = match query.region.trim() {
        "" => staff.jurisdiction,
        text => Jurisdiction::parse(text).map_err(|_| ())?,
    };
    if !staff.jurisdiction.covers(region) {
        return Err(());
    }
    let (from, to, problem) = match parse_period(&query.from, &query.to, today, MAX_MONTHS) {
        Ok((from, to)) => (from, to, None),
        Err(problem) => {
            let (from, to) = last_twelve_months(today);
            (from, to, Some(problem.key()))
        }
    };
    let figure = FIGURES
        .iter()
        .find(|f| f.key == query.figure)
        .unwrap_or(&FIGURES[0]);
    Ok(Asked {
        region,
        from,
        to,
        figure,
        problem,
    })
}

fn href(region: &str, asked: &Asked) -> String {
    let query = serde_urlencoded::to_string([
        ("region", region),
        ("from", &asked.from),
        ("to", &asked.to),
        ("figure", asked.figure.key),
    ])
    .unwrap_or_default();
    format!("/staff/figures?{query}")
}

/// Links to the last seven and thirty days, this quarter, this year and last year,
/// keeping the region and figure.
fn periods(ui: &Ui, asked: &Asked, today: jiff::civil::Date) -> Vec<(String, String)> {
    let (year, month) = (today.year(), today.month());
    let quarter_start = (month - 1) / 3 * 3 + 1;
    let this_month = format!("{year:04}-{month:02}");
    let days_back = |n: i64| {
        today
            .checked_sub(jiff::Span::new().days(n - 1))
            .unwrap_or(today)
            .to_string()
    };
    [
        ("figures-last-7-days", days_back(7), today.to_string()),
        ("figures-last-30-days", days_back(30), today.to_string()),
        (
            "figures-this-quarter",
            format!("{year:04}-{quarter_start:02}"),
            this_month.clone(),
        ),
        ("figures-this-year", format!("{year:04}-01"), this_month),
        (
            "figures-last-year",
            format!("{:04}-01", year - 1),
            format!("{:04}-12", year - 1),
        ),
    ]
    .into_iter()
    .map(|(key, from, to)| {
        let period = Asked {
            region: asked.region,
            from,
            to,
            figure: asked.figure,
            problem: None,
        };
        (ui.t(key), href(&asked.region.to_string(), &period))
    })
    .collect()
}

/// The figure month by month, with how evenly it was spread over the next level down
/// that month (CV and Gini; a dash with fewer than two areas to compare).
fn trend(report: &Report, figure: &Figure) -> Vec<(String, String, String, String)> {
    report
        .monthly
        .iter()
        .map(|m| {
            let spread = indices(&observations(&m.areas, figure))
                .ok()
                .filter(|r| r.n >= 2);
            (
                m.month.clone(),
                written(figure, (figure.value)(&m.total)),
                spread
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |r| format!("{:.4}", r.cv)),
                spread
                    .as_ref()
                    .map_or_else(|| "—".to_owned(), |r| format!("{:.4}", r.gini)),
            )
        })
        .collect()
}

/// How evenly the figure is spread over the next level down: the regions with a
/// positive figure (Theil's indices take logarithms), or why there is nothing to say.
fn evenness(ui: &Ui, report: &Report, figure: &Figure) -> (Vec<(String, String)>, String) {
    let observations = observations(&report.areas, figure);
    let left_out = report.areas.len() - observations.len();
    if observations.len() < 2 {
        return (Vec::new(), ui.t("figures-evenness-too-few"));
    }
    let Ok(r) = indices(&observations) else {
        return (Vec::new(), ui.t("figures-evenness-too-few"));
    };
    let number = |x: f64| format!("{x:.6}");
    let mut lines = vec![
        (ui.t("figures-evenness-n"), r.n.to_string()),
        (ui.t("figures-evenness-mean"), written(figure, Some(r.mean))),
        (ui.t("figures-evenness-cv"), number(r.cv)),
    ];
    if let Some(cv) = r.cv_weighted {
        lines.push((ui.t("figures-evenness-cv-weighted"), number(cv)));
    }
    lines.extend([
        (ui.t("figures-evenness-gini"), number(r.gini)),
        (ui.t("figures-evenness-theil-t"), number(r.theil_t)),
        (ui.t("figures-evenness-theil-l"), number(r.theil_l)),
    ]);
    let mut note = ui.t1("figures-evenness-note", "left", left_out);
    if let Some(d) = r.decomposition {
        lines.extend([
            (
                ui.t("figures-evenness-theil-t-between"),
                number(d.theil_t_between),
            ),
            (
                ui.t("figures-evenness-theil-t-within"),
                number(d.theil_t_within),
            ),
            (
                ui.t("figures-evenness-theil-l-between"),
                number(d.theil_l_between),
            ),
            (
                ui.t("figures-evenness-theil-l-within"),
                number(d.theil_l_within),
            ),
        ]);
        note = format!("{note} {}", ui.t("figures-evenness-groups"));
    }
    (lines, note)
}

/// Who asks, what for, and the figures: or the page that says why not (sign in
/// first, an area outside reach, the store failing).
async fn read_report(
    state: &AppState,
    ui: &Ui,
    headers: &HeaderMap,
    query: &FiguresQuery,
) -> Result<(Staff, Asked, Report), Response> {
    let Some((staff, _, _)) = signed_in(state, headers).await else {
        return Err(Redirect::to("/staff/login").into_response());
    };
    let today = state.engine.today();
    let Ok(asked) = asked(&staff, query, today) else {
        return Err(message(
            ui.clone(),
            StatusCode::NOT_FOUND,
            "figures-outside",
        ));
    };
    match report(
        &state.store,
        asked.region.region(),
        (&asked.from, &asked.to),
        today,
    )
    .await
    {
        Ok(report) => Ok((staff, asked, report)),
        Err(e) => {
            tracing::error!(error = %e, "figures could not be read");
            Err(message(
                ui.clone(),
                StatusCode::SERVICE_UNAVAILABLE,
                "error-internal",
            ))
        }
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<FiguresQuery>,
) -> Response {
    let (staff, asked, report) = match read_report(&state, &ui, &headers, &query).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let by_day = is_by_day(&asked.from);
    let figure = asked.figure;
    let mut ranked: Vec<&Area> = report.areas.iter().collect();
    // Highest first; regions without the figure last, by code.
    ranked.sort_by(|a, b| {
        let (x, y) = ((figure.value)(a), (figure.value)(b));
        y.partial_cmp(&x)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.code.cmp(&b.code))
    });
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, a)| Row {
            rank: i + 1,
            href: href(&a.code, &asked),
            name: a.name.clone(),
            cells: FIGURES.iter().map(|f| written(f, (f.value)(a))).collect(),
        })
        .collect();
    let bars: Vec<Bar> = ranked
        .iter()
        .map(|a| Bar {
            label: a.name.clone(),
            value: (figure.value)(a),
        })
        .collect();
    let figure_label = ui.t(figure.label);
    let chart = bars_svg(&figure_label, &bars, &|v| written(figure, Some(v)));
    let months: Vec<Bar> = report
        .monthly
        .iter()
        .map(|m| Bar {
            label: m.month.clone(),
            value: (figure.value)(&m.total),
        })
        .collect();
    let trend_chart = bars_svg(&figure_label, &months, &|v| written(figure, Some(v)));
    let (evenness, evenness_note) = evenness(&ui, &report, figure);
    let up = asked
        .region
        .region()
        .map(|r| {
            r.parent()
                .map_or(Jurisdiction::Nation, Jurisdiction::Region)
        })
        .filter(|p| staff.jurisdiction.covers(*p))
        .map(|p| {
            let name = p
                .region()
                .map_or_else(|| p.full_name(), |r| r.name().to_owned());
            (href(&p.to_string(), &asked), name)
        });
    let page = FiguresPage {
        heading: ui.t1("figures-heading", "region", report.total.name.clone()),
        region: asked.region.to_string(),
        from: asked.from.clone(),
        to: asked.to.clone(),
        month_from: if by_day {
            String::new()
        } else {
            asked.from.clone()
        },
        month_to: if by_day {
            String::new()
        } else {
            asked.to.clone()
        },
        day_from: if by_day {
            asked.from.clone()
        } else {
            String::new()
        },
        day_to: if by_day {
            asked.to.clone()
        } else {
            String::new()
        },
        by_day,
        items_kept: report.items_kept,
        problem: asked.problem.map(|k| ui.t(k)),
        up,
        choices: FIGURES
            .iter()
            .map(|f| (f.key, ui.t(f.label), f.key == figure.key))
            .collect(),
        summary: FIGURES
            .iter()
            .map(|f| (ui.t(f.label), written(f, (f.value)(&report.total))))
            .collect(),
        columns: FIGURES.iter().map(|f| ui.t(f.label)).collect(),
        rows,
        chart,
        evenness,
        evenness_note,
        periods: periods(&ui, &asked, state.engine.today()),
        csv_href: href(&asked.region.to_string(), &asked).replacen(
            "/staff/figures?",
            "/staff/figures.csv?",
            1,
        ),
        figure_label,
        figure_key: figure.key,
        synthetic: synthetic_cases(&state).await,
        items: item_lines(&state, &report),
        trend: trend(&report, figure),
        trend_chart,
        item_columns: item_figures().map(|f| ui.t(f.label)).collect(),
        channels: report
            .total
            .cases
            .by_channel()
            .into_iter()
            .map(|(channel, n, share)| {
                (
                    ui.t(super::words::channel_key(channel)),
                    n,
                    share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0)),
                )
            })
            .collect(),
        ui,
    };
    render(StatusCode::OK, &page)
}

/// The same lines as CSV: the region, its next level down, then its items (their
/// `code` the item id), every figure.
pub(crate) async fn csv_file(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<FiguresQuery>,
) -> Response {
    let (_, _, report) = match read_report(&state, &ui, &headers, &query).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["part", "code", "name", "from", "to"];
    header.extend(FIGURES.iter().map(|f| f.key));
    header.push("includes_synthetic");
    let synthetic = if synthetic_cases(&state).await > 0 {
        "yes"
    } else {
        "no"
    };
    let mut written_ok = out.write_record(&header).is_ok();
    for (part, area) in std::iter::once(("region", &report.total))
        .chain(report.areas.iter().map(|a| ("area", a)))
        .chain(report.items.iter().map(|a| ("item", a)))
    {
        let mut record = vec![
            part.to_owned(),
            area.code.clone(),
            area.name.clone(),
            report.from.clone(),
            report.to.clone(),
        ];
        record.extend(FIGURES.iter().map(|f| {
            (f.value)(area)
                .map(|v| format!("{v:.4}"))
                .unwrap_or_default()
        }));
        record.push(synthetic.to_owned());
        written_ok &= out.write_record(&record).is_ok();
    }
    match (written_ok, out.into_inner()) {
        (true, Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"figures-{}-{}-{}.csv\"",
                        report.total.code, report.from, report.to
                    ),
                ),
            ],
            bytes,
        )
            .into_response(),
        _ => message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
    }
}

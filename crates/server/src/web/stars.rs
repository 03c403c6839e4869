//! 星级窗口 and 服务质量模范: a hall's windows with their stars for a month (public), and
//! the clerks of a supervisor's reach ranked (a league table), each with the formula
//! and the inputs it was computed from.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::rating::{OnTime, StarCriteria, Stars};

use super::staff::signed_in;
use super::{Ui, message, render};
use crate::ratings_report::{figures_by, parse_month};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MonthQuery {
    #[serde(default)]
    month: String,
    /// `YYYY-Qn`: the quarter's months instead of one month.
    #[serde(default)]
    quarter: String,
}

pub(crate) struct StarRow {
    pub name: String,
    pub stars: String,
    pub score: String,
    pub rated: i64,
    pub satisfaction: String,
    pub follow_up: String,
    pub timely: String,
    /// 按时办结率 with the cases it counts, or a dash without completed cases.
    pub on_time: String,
    pub model: bool,
}

#[derive(Template)]
#[template(path = "public/stars.html")]
struct StarsPage {
    ui: Ui,
    heading: String,
    /// The month (`YYYY-MM`) or quarter (`YYYY-Qn`) shown.
    month: String,
    /// The month field's value (empty for a quarter).
    month_value: String,
    this_quarter: String,
    last_quarter: String,
    action: String,
    rows: Vec<StarRow>,
    formula: String,
    staff: bool,
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn row(ui: &Ui, name: String, s: &Stars) -> StarRow {
    StarRow {
        name,
        stars: s.stars.map_or_else(
            || ui.t("stars-too-few"),
            |n| {
                format!(
                    "{} {}",
                    "★".repeat(usize::from(n)),
                    ui.t1("stars-count", "n", n)
                )
            },
        ),
        score: s
            .score
            .map_or_else(|| "—".to_owned(), |v| format!("{v:.1}")),
        rated: s.rated,
        satisfaction: percent(s.satisfaction_rate),
        follow_up: percent(Some(s.follow_up_rate)),
        timely: percent(Some(s.timely_rate)),
        on_time: s.on_time_rate.map_or_else(
            || "—".to_owned(),
            |r| format!("{:.1}%（{}）", r * 100.0, s.completed),
        ),
        model: false,
    }
}

/// The formula in words, and where a region's own criteria come from.
fn formula(ui: &Ui, c: &StarCriteria) -> String {
    let source = if c.provenance == StarCriteria::default().provenance {
        String::new()
    } else {
        format!(" {}", ui.t1("stars-source", "source", &c.provenance))
    };
    let text = super::i18n::text_with(
        ui.lang,
        "stars-formula",
        &[
            ("satisfaction", format!("{}", c.satisfaction_weight)),
            ("follow_up", format!("{}", c.follow_up_weight)),
            ("timely", format!("{}", c.timely_weight)),
            ("on_time", format!("{}", c.on_time_weight)),
            ("volume", format!("{}", c.volume_weight)),
            ("target", c.volume_target.to_string()),
            ("min", c.min_ratings.to_string()),
            (
                "thresholds",
                c.thresholds
                    .iter()
                    .map(|t| format!("{t}"))
                    .collect::<Vec<_>>()
                    .join(" / "),
            ),
        ],
    );
    text + &source
}

/// The period asked for: a month (this month by default) or a quarter, as its label
/// and its months up to this one; none when it is neither or lies in the future.
fn period_of(state: &AppState, query: &MonthQuery) -> Option<(String, Vec<String>)> {
    let today = state.engine.today();
    let this_month = today.strftime("%Y-%m").to_string();
    if let Some((year, quarter)) = query.quarter.trim().split_once("-Q") {
        let (year, quarter): (i16, i8) = (year.parse().ok()?, quarter.parse().ok()?);
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let months: Vec<String> = (1..=3)
            .map(|m| format!("{year:04}-{:02}", (quarter - 1) * 3 + m))
            .filter(|m| parse_month(m, today).is_some() && *m <= this_month)
            .collect();
        return (!months.is_empty()).then(|| (format!("{year:04}-Q{quarter}"), months));
    }
    let month = match query.month.trim() {
        "" => Some(this_month),
        text => parse_month(text, today),
    }?;
    Some((month.clone(), vec![month]))
}

/// This quarter and the one before, as `YYYY-Qn`.
fn quarters(state: &AppState) -> (String, String) {
    let today = state.engine.today();
    let (year, quarter) = (today.year(), (today.month() - 1) / 3 + 1);
    let last = if quarter == 1 {
        format!("{}-Q4", year - 1)
    } else {
        format!("{year}-Q{}", quarter - 1)
    };
    (format!("{year}-Q{quarter}"), last)
}

/// The figures of `dimension` summed over `months`.
async fn figures_over(
    state: &AppState,
    dimension: &str,
    months: &[String],
    start: &str,
) -> Result<
    std::collections::BTreeMap<String, yichuang_domain::rating::RatingFigures>,
    yichuang_store::StoreError,
> {
    let mut sum: std::collections::BTreeMap<String, yichuang_domain::rating::RatingFigures> =
        std::collections::BTreeMap::new();
    for month in months {
        for (key, figures) in figures_by(state, dimension, month, start).await? {
            sum.entry(key).or_default().merge(&figures);
        }
    }
    Ok(sum)
}

/// Cases completed and on time per clerk over `months` (`cases|clerk|…` totals).
async fn on_time_by_clerk(
    state: &AppState,
    months: &[String],
) -> Result<std::collections::HashMap<String, OnTime>, yichuang_store::StoreError> {
    let mut by = std::collections::HashMap::<String, OnTime>::new();
    for month in months {
        let head = format!("cases|clerk|{month}|");
        for c in state.store.counters(&head).await? {
            if let Some(clerk) = c.key.strip_prefix(&head) {
                by.entry(clerk.to_owned())
                    .or_default()
                    .add(&c.name, c.value);
            }
        }
    }
    Ok(by)
}

/// The clerks who served at each of a hall's windows over `months` (from the visits
/// rated there), by `<hall>#<window>`.
async fn clerks_by_window(
    state: &AppState,
    hall: &str,
    months: &[String],
) -> Result<std::collections::HashMap<String, Vec<String>>, yichuang_store::StoreError> {
    let mut by = std::collections::HashMap::<String, Vec<String>>::new();
    for month in months {
        let head = format!("ratings|window_clerk|{month}|");
        for c in state.store.counters(&format!("{head}{hall}#")).await? {
            if let Some((window, clerk)) = c.key.strip_prefix(&head).and_then(|v| v.split_once('|'))
            {
                let clerks = by.entry(window.to_owned()).or_default();
                if !clerks.iter().any(|known| known == clerk) {
                    clerks.push(clerk.to_owned());
                }
            }
        }
    }
    Ok(by)
}

/// A hall's windows for a month, with their stars (public).
pub(crate) async fn hall_windows(
    State(state): State<AppState>,
    ui: Ui,
    Path(hall_id): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let Some((month, months)) = period_of(&state, &query) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "published-bad-month");
    };
    let (this_quarter, last_quarter) = quarters(&state);
    let month_value = if months.len() == 1 && !month.contains('Q') {
        month.clone()
    } else {
        String::new()
    };
    let Some(hall) = state.store.hall(&hall_id).await.ok().flatten() else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let (Ok(by_window), Ok(on_time), Ok(clerks)) = (
        figures_over(&state, "window", &months, &format!("{hall_id}#")).await,
        on_time_by_clerk(&state, &months).await,
        clerks_by_window(&state, &hall_id, &months).await,
    ) else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let criteria = RegionCode::parse(&hall.region)
        .map(|r| state.catalog.catalog.star_criteria(r))
        .unwrap_or_default();
    let rows = hall
        .windows
        .iter()
        .map(|w| {
            let key = format!("{hall_id}#{}", w.number);
            let figures = by_window.get(&key).copied().unwrap_or_default();
            let mut cases = OnTime::default();
            for clerk in clerks.get(&key).into_iter().flatten() {
                let theirs = on_time.get(clerk).copied().unwrap_or_default();
                cases.add("completed", theirs.completed);
                cases.add("on_time", theirs.on_time);
            }
            row(
                &ui,
                format!("{} · {}", w.number, w.label),
                &criteria.stars(&figures, cases),
            )
        })
        .collect();
    let page = StarsPage {
        heading: ui.t1("stars-hall-title", "hall", &hall.name),
        action: format!("/halls/{hall_id}/stars"),
        formula: formula(&ui, &criteria),
        staff: false,
        rows,
        month,
        month_value,
        this_quarter,
        last_quarter,
        ui,
    };
    render(StatusCode::OK, &page)
}

/// The clerks in a supervisor's reach ranked by score: the best named 服务质量模范.
pub(crate) async fn clerks(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<MonthQuery>,
) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let Some((month, months)) = period_of(&state, &query) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "published-bad-month");
    };
    let (this_quarter, last_quarter) = quarters(&state);
    let month_value = if months.len() == 1 && !month.contains('Q') {
        month.clone()
    } else {
        String::new()
    };
    let (Ok(by_clerk), Ok(people), Ok(on_time)) = (
        figures_over(&state, "clerk", &months, "").await,
        state.store.list_staff().await,
        on_time_by_clerk(&state, &months).await,
    ) else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let criteria = staff
        .jurisdiction
        .region()
        .map_or_else(Default::default, |r| state.catalog.catalog.star_criteria(r));
    let mut ranked: Vec<(String, Stars)> = people
        .iter()
        .filter(|p| staff.jurisdiction.covers(p.jurisdiction))
        .filter_map(|p| {
            let cases = on_time.get(&p.id).copied().unwrap_or_default();
            Some((p.name.clone(), criteria.stars(by_clerk.get(&p.id)?, cases)))
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.1.score
            .unwrap_or(-1.0)
            .total_cmp(&a.1.score.unwrap_or(-1.0))
    });
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(place, (name, s))| StarRow {
            // The top three with five stars are the month's models.
            model: place < 3 && s.stars == Some(5),
            ..row(&ui, name.clone(), s)
        })
        .collect();
    let page = StarsPage {
        heading: ui.t("stars-clerks-title"),
        action: "/staff/ratings/models".to_owned(),
        formula: formula(&ui, &criteria),
        staff: true,
        rows,
        month,
        month_value,
        this_quarter,
        last_quarter,
        ui,
    };
    render(StatusCode::OK, &page)
}

//! 效果评估: did a figure change when a standard changed? For a region and an item, each
//! version of the national guide or of a variant in force there (and any month a
//! supervisor names) with the item's figures over the months before it and the months
//! from it, read from the running totals. A comparison of two periods, not a proof of
//! cause: the page says so and shows how many cases each side counts.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::Jurisdiction;
use yichuang_domain::case::CaseFigures;

use super::staff::signed_in;
use super::{Ui, message, render};
use crate::figures_report::{item_figures_over, months};
use crate::ratings_report::parse_month;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct EffectQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    item: String,
    /// Months on each side (default 6).
    #[serde(default)]
    months: String,
    /// A month to compare around besides the catalog's changes (`YYYY-MM`).
    #[serde(default)]
    since: String,
}

/// One change point with its two periods.
pub(crate) struct Comparison {
    pub title: String,
    pub limit: String,
    pub before_months: String,
    pub after_months: String,
    /// (figure, before, after, difference).
    pub lines: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "staff/effect.html")]
struct EffectPage {
    ui: Ui,
    region: String,
    region_name: String,
    item: String,
    items: Vec<(String, String, bool)>,
    months: u32,
    since: String,
    problem: Option<String>,
    comparisons: Vec<Comparison>,
}

/// The figures compared: (label key, value, is a rate).
type Compared = (&'static str, fn(&CaseFigures) -> Option<f64>, bool);

#[allow(clippy::cast_precision_loss)]
const COMPARED: [Compared; 5] = [
    ("figures-submitted", |f| Some(f.submitted as f64), false),
    ("figures-on-time-rate", CaseFigures::on_time_rate, true),
    (
        "figures-first-time-rate",
        CaseFigures::first_time_rate,
        true,
    ),
    ("figures-mean-days", CaseFigures::mean_days, false),
    (
        "figures-notices-per-case",
        CaseFigures::notices_per_case,
        false,
    ),
];

fn shown(value: Option<f64>, rate: bool) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if rate => format!("{:.1}%", v * 100.0),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

fn difference(ui: &Ui, before: Option<f64>, after: Option<f64>, rate: bool) -> String {
    match (before, after) {
        (Some(b), Some(a)) if rate => ui.t1(
            "effect-points",
            "points",
            format!("{:+.1}", (a - b) * 100.0),
        ),
        (Some(b), Some(a)) if (a - b).fract() == 0.0 => format!("{:+.0}", a - b),
        (Some(b), Some(a)) => format!("{:+.2}", a - b),
        _ => "—".to_owned(),
    }
}

fn month_of(day: Date) -> String {
    day.strftime("%Y-%m").to_string()
}

/// The months `n` before `start` and the months from it, up to this month.
fn periods(start: Date, n: u32, today: Date) -> (Vec<String>, Vec<String>) {
    let first = start.first_of_month();
    let before_from = first.checked_sub(i64::from(n).months()).unwrap_or(first);
    let before_to = first.checked_sub(1.months()).unwrap_or(first);
    let after_to = first
        .checked_add(i64::from(n.saturating_sub(1)).months())
        .unwrap_or(first)
        .min(today);
    (
        months(&month_of(before_from), &month_of(before_to), 24),
        months(&month_of(first), &month_of(after_to), 24),
    )
}

fn span(months: &[String]) -> String {
    match (months.first(), months.last()) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "—".to_owned(),
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<EffectQuery>,
) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    // A region, or the whole country (`000000`): there only the national versions.
    let region = match query.region.trim() {
        "" => Ok(staff.jurisdiction),
        text => Jurisdiction::parse(text),
    };
    let Ok(region) = region.map_err(|_| ()).and_then(|r| {
        if staff.jurisdiction.covers(r) {
            Ok(r)
        } else {
            Err(())
        }
    }) else {
        return message(ui, StatusCode::NOT_FOUND, "figures-outside");
    };
    let today = state.engine.today();
    let catalog = &state.catalog.catalog;
    let mut problem = None;
    let months_each = match query.months.trim() {
        "" => 6,
        text => match text.parse::<u32>() {
            Ok(n) if (1..=24).contains(&n) => n,
            _ => {
                problem = Some(ui.t("effect-bad-months"));
                6
            }
        },
    };
    let item = query.item.trim().to_owned();
    let items: Vec<(String, String, bool)> = catalog
        .item_ids()
        .into_iter()
        .filter_map(|id| {
            let guide = catalog.versions(id).last().copied()?;
            Some((id.to_owned(), guide.name.clone(), id == item))
        })
        .collect();
    let mut comparisons = Vec::new();
    if !item.is_empty() && !items.iter().any(|(id, _, _)| *id == item) {
        problem = Some(ui.t("effect-bad-item"));
    } else if !item.is_empty() {
        // The changes in force in this region: the national guide's versions and the
        // variants of the region or a region above it.
        let mut points: Vec<(Date, String)> = yichuang_catalog::history(catalog, &item)
            .into_iter()
            .filter(|h| {
                h.region
                    .is_none_or(|r| region.region().is_some_and(|own| own.is_within(r)))
            })
            .filter(|h| h.effective <= today)
            .map(|h| {
                let whose = h
                    .region
                    .map_or_else(|| ui.t("effect-national"), |r| r.full_name());
                (
                    h.effective,
                    super::i18n::text_with(
                        ui.lang,
                        "effect-version",
                        &[("whose", whose), ("version", h.version.to_string())],
                    ),
                )
            })
            .collect();
        match query.since.trim() {
            "" => {}
            text => match parse_month(text, today) {
                Some(month) => {
                    if let Ok(day) = Date::strptime("%Y-%m-%d", format!("{month}-01")) {
                        points.push((day, ui.t1("effect-chosen-month", "month", month)));
                    }
                }
                None => problem = Some(ui.t("effect-bad-since")),
            },
        }
        points.sort_by_key(|p| std::cmp::Reverse(p.0));
        for (day, title) in points {
            let (before, after) = periods(day, months_each, today);
            let (Ok(b), Ok(a)) = (
                item_figures_over(&state.store, region.region(), &item, &before).await,
                item_figures_over(&state.store, region.region(), &item, &after).await,
            ) else {
                return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
            };
            let limit_on = |d: Date| {
                match region.region() {
                    Some(own) => catalog
                        .resolve(&item, own, d)
                        .ok()
                        .and_then(|g| g.guide.promised.clone()),
                    None => catalog
                        .guide_at(&item, d)
                        .ok()
                        .and_then(|g| g.promised.clone()),
                }
                .map_or_else(
                    || ui.t("standards-no-limit"),
                    |l| super::guide::limit_amount(&ui, &l),
                )
            };
            let eve = day.yesterday().unwrap_or(day);
            comparisons.push(Comparison {
                title: format!("{title} · {}", super::dates::written(ui.lang, day)),
                limit: format!("{} → {}", limit_on(eve), limit_on(day)),
                before_months: span(&before),
                after_months: span(&after),
                lines: COMPARED
                    .iter()
                    .map(|(key, value, rate)| {
                        let (x, y) = (value(&b), value(&a));
                        (
                            ui.t(key),
                            shown(x, *rate),
                            shown(y, *rate),
                            difference(&ui, x, y, *rate),
                        )
                    })
                    .collect(),
            });
        }
    }
    let page = EffectPage {
        region: region.to_string(),
        region_name: region.full_name(),
        item,
        items,
        months: months_each,
        since: query.since.trim().to_owned(),
        problem,
        comparisons,
        ui,
    };
    let status = if page.problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

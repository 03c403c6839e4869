//! 评价结果公开: the public page of a region's ratings for a month, with its next level
//! down (to click into), its halls and items, and the same as CSV. No personal data.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::rating::RatingFigures;

use super::{Ui, message, render};
use crate::ratings_report::{Line, Published, csv, parse_month, published};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PublishedQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    month: String,
}

/// A line as the page shows it: rates in percent, or a dash without ratings.
pub(crate) struct Shown {
    pub href: Option<String>,
    pub name: String,
    pub rated: i64,
    /// Of `rated`, a region's default level for services nobody rated.
    pub defaulted: i64,
    pub levels: [i64; 5],
    pub poor: i64,
    pub satisfaction: String,
    pub follow_up: String,
    pub timely: String,
}

#[derive(Template)]
#[template(path = "public/ratings.html")]
struct PublishedPage {
    ui: Ui,
    place: String,
    region: String,
    month: String,
    total: Shown,
    /// The region's counts per level, named.
    level_counts: Vec<(String, i64)>,
    /// The breakdowns: (heading key, lines).
    sections: Vec<(&'static str, Vec<Shown>)>,
    csv: String,
    up: Option<String>,
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn shown(name: String, href: Option<String>, f: &RatingFigures) -> Shown {
    Shown {
        href,
        name,
        rated: f.rated,
        defaulted: f.defaulted,
        levels: [
            f.very_satisfied,
            f.satisfied,
            f.basic,
            f.dissatisfied,
            f.very_dissatisfied,
        ],
        poor: f.poor,
        satisfaction: percent(f.satisfaction_rate()),
        follow_up: percent(f.follow_up_rate()),
        timely: percent(f.timely_rate()),
    }
}

/// The region and month asked for (the whole country and this month by default), or
/// the key of what is wrong.
fn asked(
    state: &AppState,
    query: &PublishedQuery,
) -> Result<(Option<RegionCode>, String), &'static str> {
    let today = state.engine.today();
    let region = match query.region.trim() {
        "" => None,
        code => Some(RegionCode::parse(code).map_err(|_| "published-bad-region")?),
    };
    let month = match query.month.trim() {
        "" => today.strftime("%Y-%m").to_string(),
        text => parse_month(text, today).ok_or("published-bad-month")?,
    };
    Ok((region, month))
}

async fn read(state: &AppState, ui: &Ui, query: &PublishedQuery) -> Result<Published, Response> {
    let (region, month) = asked(state, query)
        .map_err(|key| message(ui.clone(), StatusCode::UNPROCESSABLE_ENTITY, key))?;
    published(state, region, &month).await.map_err(|e| {
        tracing::error!(error = %e, "the published ratings could not be read");
        message(
            ui.clone(),
            StatusCode::SERVICE_UNAVAILABLE,
            "error-internal",
        )
    })
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<PublishedQuery>,
) -> Response {
    let p = match read(&state, &ui, &query).await {
        Ok(p) => p,
        Err(answer) => return answer,
    };
    let link = |code: &str| format!("/ratings?region={code}&month={}", p.month);
    let lines = |lines: &[Line], href: &dyn Fn(&str) -> Option<String>| {
        lines
            .iter()
            .map(|l| shown(l.name.clone(), href(&l.code), &l.figures))
            .collect()
    };
    let stars = |hall: &str| Some(format!("/halls/{hall}/stars?month={}", p.month));
    let place = p
        .region
        .map_or_else(|| ui.t("published-country"), |r| r.full_name());
    let up = p.region.map(|r| match r.parent() {
        Some(parent) => link(&parent.to_string()),
        None => format!("/ratings?month={}", p.month),
    });
    let region = p.region.map(|r| r.to_string()).unwrap_or_default();
    let total = shown(place.clone(), None, &p.figures);
    let level_counts = yichuang_domain::rating::Level::ALL
        .iter()
        .zip(total.levels)
        .map(|(level, n)| {
            (
                ui.t(&format!("rating-level-{}", level.name().replace('_', "-"))),
                n,
            )
        })
        .collect();
    let page = PublishedPage {
        total,
        level_counts,
        sections: vec![
            ("published-areas", lines(&p.areas, &|code| Some(link(code)))),
            ("published-halls", lines(&p.halls, &stars)),
            ("published-items", lines(&p.items, &|_| None)),
        ],
        csv: format!("/ratings.csv?region={region}&month={}", p.month),
        place,
        region,
        month: p.month.clone(),
        up,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn csv_file(
    State(state): State<AppState>,
    ui: Ui,
    Query(query): Query<PublishedQuery>,
) -> Response {
    match read(&state, &ui, &query).await {
        Ok(p) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"ratings-{}-{}.csv\"",
                        p.region
                            .map(|r| r.to_string())
                            .unwrap_or_else(|| "all".to_owned()),
                        p.month
                    ),
                ),
            ],
            csv(&p),
        )
            .into_response(),
        Err(answer) => answer,
    }
}

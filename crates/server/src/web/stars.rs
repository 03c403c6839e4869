//! 星级窗口 and 服务质量模范: a hall's windows with their stars for a month (public), and
//! the clerks of a supervisor's reach ranked (a league table), each with the formula
//! and the inputs it was computed from.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::rating::{StarCriteria, Stars};

use super::staff::signed_in;
use super::{Ui, message, render};
use crate::ratings_report::{figures_by, parse_month};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MonthQuery {
    #[serde(default)]
    month: String,
}

pub(crate) struct StarRow {
    pub name: String,
    pub stars: String,
    pub score: String,
    pub rated: i64,
    pub satisfaction: String,
    pub follow_up: String,
    pub timely: String,
    pub model: bool,
}

#[derive(Template)]
#[template(path = "public/stars.html")]
struct StarsPage {
    ui: Ui,
    heading: String,
    month: String,
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
        model: false,
    }
}

fn formula(ui: &Ui, c: &StarCriteria) -> String {
    super::i18n::text_with(
        ui.lang,
        "stars-formula",
        &[
            ("satisfaction", format!("{}", c.satisfaction_weight)),
            ("follow_up", format!("{}", c.follow_up_weight)),
            ("timely", format!("{}", c.timely_weight)),
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
    )
}

/// The month asked for (this month by default), or none when it is not a month.
fn month_of(state: &AppState, query: &MonthQuery) -> Option<String> {
    let today = state.engine.today();
    match query.month.trim() {
        "" => Some(today.strftime("%Y-%m").to_string()),
        text => parse_month(text, today),
    }
}

/// A hall's windows for a month, with their stars (public).
pub(crate) async fn hall_windows(
    State(state): State<AppState>,
    ui: Ui,
    Path(hall_id): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Response {
    let Some(month) = month_of(&state, &query) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "published-bad-month");
    };
    let Some(hall) = state.store.hall(&hall_id).await.ok().flatten() else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let Ok(by_window) = figures_by(&state, "window", &month, &format!("{hall_id}#")).await else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let criteria = StarCriteria::default();
    let rows = hall
        .windows
        .iter()
        .map(|w| {
            let figures = by_window
                .get(&format!("{hall_id}#{}", w.number))
                .copied()
                .unwrap_or_default();
            row(
                &ui,
                format!("{} · {}", w.number, w.label),
                &criteria.stars(&figures),
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
    let Some(month) = month_of(&state, &query) else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "published-bad-month");
    };
    let (Ok(by_clerk), Ok(people)) = (
        figures_by(&state, "clerk", &month, "").await,
        state.store.list_staff().await,
    ) else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let criteria = StarCriteria::default();
    let mut ranked: Vec<(String, Stars)> = people
        .iter()
        .filter(|p| p.jurisdiction.is_within(staff.jurisdiction))
        .filter_map(|p| Some((p.name.clone(), criteria.stars(by_clerk.get(&p.id)?))))
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
        ui,
    };
    render(StatusCode::OK, &page)
}

//! The search page: everyday words in, the best items for the chosen region out.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::home::ItemLine;
use super::{Ui, message, render};
use crate::state::AppState;

/// Longer than any question a person types; longer input is refused, not cut.
const MAX_QUERY_CHARS: usize = 100;
const RESULTS: usize = 10;

#[derive(Debug, Deserialize)]
pub(crate) struct SearchForm {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "public/search.html")]
struct SearchPage {
    ui: Ui,
    query: String,
    problem: Option<String>,
    hits: Vec<ItemLine>,
}

pub(crate) async fn search(
    State(state): State<AppState>,
    ui: Ui,
    Query(form): Query<SearchForm>,
) -> Response {
    let query = form.q.trim().to_owned();
    let length = query.chars().count();
    let problem = if query.is_empty() {
        Some(ui.t("search-empty"))
    } else if length > MAX_QUERY_CHARS {
        Some(ui.t1("search-too-long", "max", MAX_QUERY_CHARS))
    } else {
        None
    };
    if let Some(problem) = problem {
        let status = if query.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let page = SearchPage {
            ui,
            query: query.chars().take(MAX_QUERY_CHARS).collect(),
            problem: Some(problem),
            hits: Vec::new(),
        };
        return render(status, &page);
    }
    let day = state.engine.today();
    let hits = match crate::lookups::search(&state, ui.region, day, query.clone(), RESULTS).await {
        Ok(hits) => hits,
        Err(e) => {
            tracing::error!(error = %e, "page search failed");
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    let catalog = &state.catalog.catalog;
    let hits = hits
        .iter()
        .filter_map(|hit| catalog.guide_at(&hit.item, day).ok())
        .map(ItemLine::of)
        .collect();
    render(
        StatusCode::OK,
        &SearchPage {
            ui,
            query,
            problem: None,
            hits,
        },
    )
}

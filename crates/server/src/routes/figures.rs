//! 监督统计 as JSON: the same lines as the supervisors' page and its CSV (a region or
//! the whole country, its next level down, its items, month by month) with every
//! figure, and how evenly each is spread over the next level down.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use yichuang_domain::Jurisdiction;
use yichuang_domain::equalization::indices;

use super::Ctx;
use crate::auth::SignedIn;
use crate::bodies::{FigureValues, FiguresLine, FiguresMonth, SupervisionFigures};
use crate::error::ApiError;
use crate::figure_list::{FIGURES, item_name, observations, synthetic_cases};
use crate::figures_report::{Area, last_twelve_months, months, report};
use crate::ratings_report::parse_month;
use crate::state::AppState;

/// More months than this are refused (the report reads each month's totals).
const MAX_MONTHS: usize = 120;

#[derive(Debug, Deserialize)]
pub struct FiguresQuery {
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn values(area: &Area) -> FigureValues {
    FIGURES
        .iter()
        .map(|f| (f.key.to_owned(), (f.value)(area)))
        .collect()
}

#[utoipa::path(get, path = "/api/v1/figures", tag = "supervision",
    params(("region" = Option<String>, Query, description = "A division code, or 000000 for the whole country (default: the caller's reach)"),
        ("from" = Option<String>, Query, description = "YYYY-MM, first month (default: eleven months before this one)"),
        ("to" = Option<String>, Query, description = "YYYY-MM, last month, this month or earlier (default: this month)")),
    security(("bearer" = [])),
    responses((status = 200, description = "The region's figures, its next level down, its items and each month, with the equalization indices of every figure", body = SupervisionFigures),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Region outside the caller's reach", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Bad region or months", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn figures(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Query(q): Query<FiguresQuery>,
) -> Result<Json<SupervisionFigures>, ApiError> {
    let region = match q.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        None => staff.jurisdiction,
        Some(text) => Jurisdiction::parse(text)
            .map_err(|e| ctx.error(ApiError::bad_input("region", e.to_string())))?,
    };
    if !staff.jurisdiction.covers(region) {
        return Err(ctx.error(ApiError::outside(region, staff.jurisdiction)));
    }
    let today = state.engine.today();
    let month = |field: &str, text: Option<&str>, default: String| match text
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => Ok(default),
        Some(text) => parse_month(text, today).ok_or_else(|| {
            ctx.error(ApiError::bad_input(
                field,
                format!("{text:?}: give a month as YYYY-MM, from 2000 to this month"),
            ))
        }),
    };
    let (year_ago, this_month) = last_twelve_months(today);
    let from = month("from", q.from.as_deref(), year_ago)?;
    let to = month("to", q.to.as_deref(), this_month)?;
    if from > to {
        return Err(ctx.error(ApiError::bad_input("from", format!("{from} is after {to}"))));
    }
    if months(&from, &to, MAX_MONTHS + 1).len() > MAX_MONTHS {
        return Err(ctx.error(ApiError::bad_input(
            "from",
            format!("at most {MAX_MONTHS} months at once"),
        )));
    }
    let r = report(&state.store, region.region(), (&from, &to), today)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "figures could not be read");
            ctx.error(ApiError::internal())
        })?;
    let line = |a: &Area, name: String| FiguresLine {
        code: a.code.clone(),
        name,
        figures: values(a),
    };
    let evenness = FIGURES
        .iter()
        .map(|f| {
            let spread = indices(&observations(&r.areas, f))
                .ok()
                .filter(|i| i.n >= 2);
            (f.key.to_owned(), spread)
        })
        .collect::<BTreeMap<_, _>>();
    Ok(Json(SupervisionFigures {
        region: r.total.code.clone(),
        name: r.total.name.clone(),
        from: r.from.clone(),
        to: r.to.clone(),
        includes_synthetic: synthetic_cases(&state).await > 0,
        figures: values(&r.total),
        areas: r.areas.iter().map(|a| line(a, a.name.clone())).collect(),
        items: r
            .items
            .iter()
            .map(|a| line(a, item_name(&state, &a.code)))
            .collect(),
        months: r
            .monthly
            .iter()
            .map(|m| FiguresMonth {
                month: m.month.clone(),
                figures: values(&m.total),
            })
            .collect(),
        evenness,
    }))
}

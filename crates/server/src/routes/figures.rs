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
use crate::figures_report::{Area, parse_period, report};
use crate::state::AppState;

/// More months than this are refused (the report reads each month's totals; days
/// are limited to `figures_report::MAX_DAYS`).
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
        ("from" = Option<String>, Query, description = "YYYY-MM, first month (default: eleven months before this one), or YYYY-MM-DD, first day (at most 92 days; by default thirty days up to today)"),
        ("to" = Option<String>, Query, description = "YYYY-MM, last month, this month or earlier (default: this month), or YYYY-MM-DD, last day, today or earlier; the same kind as from")),
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
    let (from, to) = parse_period(
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
        today,
        MAX_MONTHS,
    )
    .map_err(|problem| {
        let (field, detail) = problem.field_and_detail(MAX_MONTHS);
        ctx.error(ApiError::bad_input(field, detail))
    })?;
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
        items_kept: r.items_kept,
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

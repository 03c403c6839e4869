//! The public side: guides, search, deviations, and a case's progress. No login.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::catalog::deviation;

use super::Ctx;
use crate::bodies::{
    CoverageReport, DeviationReport, GuideBody, HallList, ItemEntry, ItemList, Progress,
    ProgressStep, PublishedFigures, PublishedLine, PublishedRatings, SearchResults,
};
use crate::error::ApiError;
use crate::lookups::ProgressRefused;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct DateQuery {
    date: Option<String>,
}

pub(crate) fn parse_region(ctx: &Ctx, text: &str) -> Result<RegionCode, ApiError> {
    RegionCode::parse(text).map_err(|e| ctx.error(ApiError::bad_input("region", e.to_string())))
}

/// How far from today a public lookup may ask: every answer for a new day is built
/// and cached, so an unbounded date would let one client fill memory.
const DATE_WINDOW_DAYS: i32 = 366;

fn parse_day(ctx: &Ctx, state: &AppState, text: Option<&str>) -> Result<Date, ApiError> {
    let today = state.engine.today();
    let Some(t) = text else {
        return Ok(today);
    };
    let day: Date = t.parse().map_err(|_| {
        ctx.error(ApiError::bad_input(
            "date",
            format!("{t:?} is not a date (YYYY-MM-DD)"),
        ))
    })?;
    let earliest = today.saturating_sub(jiff::Span::new().days(DATE_WINDOW_DAYS));
    let latest = today.saturating_add(jiff::Span::new().days(DATE_WINDOW_DAYS));
    if day < earliest || day > latest {
        return Err(ctx.error(ApiError::bad_input(
            "date",
            format!("{day} is outside {earliest} to {latest} (a year either side of today)"),
        )));
    }
    Ok(day)
}

#[utoipa::path(get, path = "/api/v1/items", tag = "catalog", params(("date" = Option<String>, Query, description = "YYYY-MM-DD, default today")), responses((status = 200, description = "Items in force", body = ItemList), (status = 422, description = "Bad date", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn items(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DateQuery>,
) -> Result<Json<ItemList>, ApiError> {
    let day = parse_day(&ctx, &state, q.date.as_deref())?;
    let catalog = &state.catalog.catalog;
    let items: Vec<ItemEntry> = catalog
        .item_ids()
        .into_iter()
        .filter_map(|id| catalog.guide_at(id, day).ok())
        .map(|g| ItemEntry {
            item: g.item.clone(),
            name: g.name.clone(),
            project: g.project.clone(),
            version: g.version,
            illustrative: g.provenance.is_illustrative(),
        })
        .collect();
    Ok(Json(ItemList { date: day, items }))
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/guides/{item}", tag = "catalog", params(("region" = String, Path, description = "GB/T 2260 code"), ("item" = String, Path), ("date" = Option<String>, Query)), responses((status = 200, description = "The resolved guide with the origin of every value", body = GuideBody), (status = 404, description = "No such item in force", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Bad region or date", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn guide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((region, item)): Path<(String, String)>,
    Query(q): Query<DateQuery>,
) -> Result<Response, ApiError> {
    let region = parse_region(&ctx, &region)?;
    let day = parse_day(&ctx, &state, q.date.as_deref())?;
    let key = (item, region, day);
    let cached = state
        .guide_cache
        .lock()
        .ok()
        .and_then(|mut cache| cache.get(&key).cloned());
    let body = match cached {
        Some(body) => body,
        None => {
            let resolved = state
                .catalog
                .catalog
                .resolve(&key.0, region, day)
                .map_err(|e| ctx.error(ApiError::not_found(e.to_string())))?;
            let body = GuideBody {
                illustrative: resolved.is_illustrative(),
                guide: resolved,
            };
            let body = Bytes::from(
                serde_json::to_vec(&body).map_err(|_| ctx.error(ApiError::internal()))?,
            );
            if let Ok(mut cache) = state.guide_cache.lock() {
                cache.put(key, body.clone());
            }
            body
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    limit: Option<usize>,
    date: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/search", tag = "catalog", params(("region" = String, Path), ("q" = String, Query, description = "Everyday words, e.g. 失业了怎么领钱"), ("limit" = Option<usize>, Query, description = "1 to 50 (default 5); outside that it is brought within"), ("date" = Option<String>, Query)), responses((status = 200, description = "Best items first", body = SearchResults), (status = 422, description = "Bad region, date or empty query", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(region): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<SearchResults>, ApiError> {
    let region = parse_region(&ctx, &region)?;
    let day = parse_day(&ctx, &state, q.date.as_deref())?;
    let query = q.q.unwrap_or_default();
    if query.trim().is_empty() {
        return Err(ctx.error(ApiError::bad_input("q", "say what you are looking for")));
    }
    let limit = q.limit.unwrap_or(5).clamp(1, 50);
    let hits = crate::lookups::search(&state, Some(region), day, query, limit)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "search failed");
            ctx.error(ApiError::internal())
        })?;
    Ok(Json(SearchResults {
        region,
        date: day,
        hits,
    }))
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/deviations", tag = "catalog", params(("region" = String, Path), ("date" = Option<String>, Query)), responses((status = 200, description = "Deviation report against the national baseline", body = DeviationReport), (status = 422, description = "Bad region or date", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn deviations(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(region): Path<String>,
    Query(q): Query<DateQuery>,
) -> Result<Json<DeviationReport>, ApiError> {
    let region = parse_region(&ctx, &region)?;
    let day = parse_day(&ctx, &state, q.date.as_deref())?;
    let catalog = &state.catalog.catalog;
    let mut out = Vec::new();
    for item in catalog.item_ids() {
        let (Ok(baseline), Ok(resolved)) = (
            catalog.guide_at(item, day),
            catalog.resolve(item, region, day),
        ) else {
            continue;
        };
        let d = deviation(&resolved, baseline);
        if !d.is_empty() {
            out.push(d);
        }
    }
    Ok(Json(DeviationReport {
        region,
        date: day,
        deviations: out,
    }))
}

#[utoipa::path(get, path = "/api/v1/coverage", tag = "catalog", params(("date" = Option<String>, Query, description = "YYYY-MM-DD, default today")), responses((status = 200, description = "Coverage of every project, nationally and per region with variants", body = CoverageReport), (status = 422, description = "Bad date", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn coverage(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<DateQuery>,
) -> Result<Json<CoverageReport>, ApiError> {
    let day = parse_day(&ctx, &state, q.date.as_deref())?;
    let rows = yichuang_catalog::coverage(&state.catalog.catalog, day);
    Ok(Json(CoverageReport { date: day, rows }))
}

#[derive(Debug, Deserialize)]
pub struct ProgressQuery {
    last4: Option<String>,
}

/// A case's progress by its number and the last four characters of the applicant's
/// identity number; rate limited per client (like every public route), a wrong pair
/// looks like no case, and a case takes only a few wrong answers a day before its
/// lookup locks for a while (rotating addresses must not find the last four).
#[utoipa::path(get, path = "/api/v1/progress/{case_id}", tag = "public", params(("case_id" = String, Path), ("last4" = String, Query, description = "Last four characters of the applicant's identity number")), responses((status = 200, description = "State, deadline and steps", body = Progress), (status = 404, description = "No such case and last four", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 429, description = "Too many lookups", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn progress(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(case_id): Path<String>,
    Query(q): Query<ProgressQuery>,
) -> Result<Response, ApiError> {
    let (case, events) = crate::lookups::progress(&state, &case_id, &q.last4.unwrap_or_default())
        .await
        .map_err(|refused| match refused {
            ProgressRefused::Locked(retry) => ctx.error(ApiError::too_many(
                "this case's lookup is locked after too many wrong answers",
                retry,
            )),
            ProgressRefused::NotFound => ctx.error(ApiError::not_found(
                "no case with this number and these last four characters",
            )),
            ProgressRefused::Failed(e) => {
                tracing::error!(error = %e, "progress lookup failed");
                ctx.error(ApiError::internal())
            }
        })?;
    let steps = events
        .iter()
        .map(|e| ProgressStep {
            on: e.event.on,
            event: e.event.body.name().to_owned(),
            state: e.event.to_state,
        })
        .collect();
    let clock = case.driving_clock();
    let number = state.store.case_number(&case.id).await.ok().flatten();
    let body = Json(Progress {
        number,
        item: case.guide.guide.name.clone(),
        deadline: clock.map(|c| c.deadline),
        deadline_provisional: clock.is_some_and(|c| c.provisional),
        case: case.id,
        state: case.state,
        steps,
    });
    Ok(([(header::CACHE_CONTROL, "no-store")], body).into_response())
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/halls", tag = "catalog", params(("region" = String, Path)),
    responses((status = 200, description = "Halls (including halls inside bank outlets) and their windows in the region's subtree", body = HallList),
        (status = 422, description = "Bad region", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn halls(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(region): Path<String>,
) -> Result<Json<HallList>, ApiError> {
    let region = parse_region(&ctx, &region)?;
    let halls = state
        .store
        .halls(&region.subtree_prefix())
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    Ok(Json(HallList { region, halls }))
}

#[derive(Debug, Deserialize)]
pub struct RatingsQuery {
    region: Option<String>,
    month: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/ratings", tag = "public",
    params(("region" = Option<String>, Query, description = "A 6-digit division code; absent for the whole country"),
        ("month" = Option<String>, Query, description = "YYYY-MM, this month or earlier (default: this month)")),
    responses((status = 200, description = "Published ratings (51号): the region's figures, the next level down, its halls and items", body = PublishedRatings),
        (status = 422, description = "Bad region or month", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn ratings(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<RatingsQuery>,
) -> Result<Json<PublishedRatings>, ApiError> {
    let region = match q.region.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(code) => Some(parse_region(&ctx, code)?),
        None => None,
    };
    let today = state.engine.today();
    let month = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(text) => crate::ratings_report::parse_month(text, today).ok_or_else(|| {
            ctx.error(ApiError::bad_input(
                "month",
                "give a month as YYYY-MM, this month or earlier",
            ))
        })?,
        None => today.strftime("%Y-%m").to_string(),
    };
    let p = crate::ratings_report::published(&state, region, &month)
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    let lines = |lines: &[crate::ratings_report::Line]| {
        lines
            .iter()
            .map(|l| PublishedLine {
                code: l.code.clone(),
                name: l.name.clone(),
                figures: PublishedFigures::from(&l.figures),
            })
            .collect()
    };
    Ok(Json(PublishedRatings {
        region: p.region,
        month: p.month.clone(),
        figures: PublishedFigures::from(&p.figures),
        areas: lines(&p.areas),
        halls: lines(&p.halls),
        items: lines(&p.items),
    }))
}

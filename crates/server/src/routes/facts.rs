//! The push API for facts: systems that hold the records (the insurance, card and
//! benefit registers) send the same files `yichuang facts import` reads, one format a
//! request, as an administrator's token. Every bad row is answered with its line and
//! nothing is written; a good file is upserted, and the same file again changes
//! nothing. Employers and persons must lie in the token's jurisdiction.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use yichuang_domain::catalog::Role;
use yichuang_engine::{FactFile, ImportReport, import_facts};

use super::Ctx;
use crate::auth::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;

/// The largest file one request may carry (about 600,000 month rows).
pub const MAX_FACTS_BYTES: usize = 32 * 1024 * 1024;

#[utoipa::path(post, path = "/api/v1/facts/{kind}", tag = "facts",
    params(("kind" = String, Path, description = "employers (uscc,name,region,size), employer-months (uscc,month,insured,due_yuan,paid_yuan), claimants (uscc,year,new_claimants) or persons (person,region,status,ui_months,card)")),
    request_body(content = String, content_type = "text/csv", description = "UTF-8, a header row, one record a line"),
    security(("bearer" = [])),
    responses((status = 200, description = "Every row good: imported (rows new or changed in `written`)", body = crate::bodies::FactsImport),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, description = "No such format", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 32 MiB: split the file"),
        (status = 422, description = "Bad rows, each with its line; nothing was imported", body = crate::bodies::FactsImport)))]
pub async fn push(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path(kind): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !matches!(staff.role, Role::Administrator | Role::System) {
        return Err(ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权导入",
            "Forbidden",
            "only an administrator's or a system's token imports facts",
        )));
    }
    let Some(file) = FactFile::parse(&kind) else {
        return Err(ctx.error(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这种数据格式",
            "No such format",
            format!(
                "{kind:?} is not a format; one of: {}",
                FactFile::NAMES.join(", ")
            ),
        )));
    };
    let report: ImportReport = import_facts(
        state.engine.store(),
        file,
        &body[..],
        state.engine.today(),
        staff.jurisdiction.region(),
    )
    .await
    .map_err(|e| ctx.error(ApiError::from(yichuang_engine::EngineError::Store(e))))?;
    let status = if report.imported {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(crate::bodies::FactsImport(report))).into_response())
}

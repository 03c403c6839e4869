//! People and employers: identity numbers validated and decoded for staff. The full
//! number is echoed only to roles that may see it, and every such read is recorded.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};
use yichuang_domain::uscc::Registration;
use yichuang_domain::{ResidentId, Uscc};
use yichuang_store::IdentityRead;

use super::Ctx;
use crate::auth::SignedIn;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = String, Path, description = "Resident identity number, 18 or 15 characters")), security(("bearer" = [])),
    responses((status = 200, description = "Valid: masked number, birth date, sex, region, warnings", body = Object),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Role may not look up people", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Invalid number, with the reason", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn person(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    if !staff.sees_full_identity() {
        return Err(ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查询",
            "Forbidden",
            "only case-handling roles look up people",
        )));
    }
    let parsed = ResidentId::parse(&id, state.engine.today())
        .map_err(|e| ctx.error(ApiError::bad_input("id", e.to_string())))?;
    let person = parsed.value;
    let read = IdentityRead {
        staff_id: staff.id.clone(),
        case_id: String::new(),
        at: jiff::Timestamp::now().to_string(),
        purpose: format!("person lookup {}", person.masked()),
    };
    state
        .store
        .record_identity_read(&read)
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    let notices: Vec<Value> = parsed
        .notices
        .iter()
        .map(|n| json!({ "warning": n.is_warning(), "message": n.message() }))
        .collect();
    Ok(Json(json!({
        "masked": person.masked(),
        "birth_date": person.birth_date(),
        "sex": person.sex(),
        "region": { "code": person.region().code, "name": person.region().full_name() },
        "notices": notices,
    })))
}

#[utoipa::path(get, path = "/api/v1/employers/{code}", tag = "people", params(("code" = String, Path, description = "Unified social credit code")), security(("bearer" = [])),
    responses((status = 200, description = "Valid: authority, type, region", body = Object),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Invalid code, with the reason", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn employer(
    ctx: Ctx,
    _signed_in: SignedIn,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let parsed =
        Uscc::parse(&code).map_err(|e| ctx.error(ApiError::bad_input("code", e.to_string())))?;
    let uscc = parsed.value;
    let region = match uscc.registration() {
        Registration::National => json!({ "code": "100000", "name": "中央" }),
        Registration::Region(trail) => json!({ "code": trail.code, "name": trail.full_name() }),
    };
    Ok(Json(json!({
        "code": uscc.as_str(),
        "authority": uscc.authority().1,
        "organization_type": uscc.organization_type().1,
        "organization_code": uscc.organization_code(),
        "region": region,
    })))
}

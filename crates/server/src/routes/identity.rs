//! People and employers: identity numbers validated and decoded for staff. The full
//! number is echoed only to roles that may see it, and every such read is recorded.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yichuang_domain::uscc::Registration;
use yichuang_domain::{ResidentId, Uscc};
use yichuang_store::IdentityRead;

use super::Ctx;
use crate::auth::SignedIn;
use crate::bodies::{EmployerInfo, IdentityNotice, NamedPlace, PersonInfo};
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = String, Path, description = "Resident identity number, 18 or 15 characters")), security(("bearer" = [])),
    responses((status = 200, description = "Valid: masked number, birth date, sex, region, warnings", body = PersonInfo),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 403, description = "Role may not look up people", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Invalid number, with the reason", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn person(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<PersonInfo>, ApiError> {
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
    let notices = parsed
        .notices
        .iter()
        .map(|n| IdentityNotice {
            warning: n.is_warning(),
            message: n.message(),
        })
        .collect();
    let region = person.region();
    Ok(Json(PersonInfo {
        masked: person.masked(),
        birth_date: person.birth_date(),
        sex: person.sex(),
        region: NamedPlace {
            name: region.full_name(),
            code: region.code,
        },
        notices,
    }))
}

#[utoipa::path(get, path = "/api/v1/employers/{code}", tag = "people", params(("code" = String, Path, description = "Unified social credit code")), security(("bearer" = [])),
    responses((status = 200, description = "Valid: authority, type, region", body = EmployerInfo),
        (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, description = "Invalid code, with the reason", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn employer(
    ctx: Ctx,
    _signed_in: SignedIn,
    Path(code): Path<String>,
) -> Result<Json<EmployerInfo>, ApiError> {
    let parsed =
        Uscc::parse(&code).map_err(|e| ctx.error(ApiError::bad_input("code", e.to_string())))?;
    let uscc = parsed.value;
    let region = match uscc.registration() {
        Registration::National => NamedPlace {
            code: "100000".to_owned(),
            name: "中央".to_owned(),
        },
        Registration::Region(trail) => NamedPlace {
            name: trail.full_name(),
            code: trail.code,
        },
    };
    Ok(Json(EmployerInfo {
        code: uscc.as_str().to_owned(),
        authority: uscc.authority().1.to_owned(),
        organization_type: uscc.organization_type().1.to_owned(),
        organization_code: uscc.organization_code(),
        region,
    }))
}

//! Staff routes: submit, command, list and read cases, documents, identity reads.
//! Every command goes through the engine's `execute_as`, which checks role and
//! jurisdiction in the service layer.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;
use yichuang_domain::case::{
    Applicant, Case, Command, CommandKind, Staff, Submission, WarningLevel,
};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::{ResidentId, Uscc};
use yichuang_engine::Request;
use yichuang_store::{CaseFilter, IdentityRead, IdentityReadFilter};

use super::Ctx;
use super::public::parse_region;
use crate::auth::{SignedIn, bearer, hash_token, issue_token, sign_in};
use crate::bodies::{
    CaseAnswer, CaseDetail, CaseList, EventView, IdentityReadList, ListedCase, NewSession,
};
use crate::client::Client;
use crate::documents;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// "person" (resident identity number) or "employer" (unified social credit code)
    #[schemars(extend("enum" = ["person", "employer"]))]
    kind: String,
    /// Validated with its check digit; a person's number must name a real region.
    #[schemars(length(min = 15, max = 18))]
    id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// Client-chosen id; a retry with the same id returns the first answer. Best
    /// time-ordered (a UUIDv7): ids are stored in an index, and random ones cost more.
    request_id: String,
    /// An item in force on the day (see `/api/v1/items`).
    item: String,
    applicant: ApplicantInput,
    agent: Option<ApplicantInput>,
    channel: Channel,
    /// GB/T 2260 code of a real division (2025 table).
    #[schemars(pattern(r"^[0-9]{6}([0-9]{3})?$"))]
    accepting_region: String,
    /// Differs from the accepting region for remote acceptance (跨省通办).
    #[schemars(pattern(r"^[0-9]{6}([0-9]{3})?$"))]
    handling_region: String,
    #[serde(default)]
    materials: Vec<String>,
}

/// Parses an applicant at the edge: identity numbers must be valid.
fn applicant(
    ctx: &Ctx,
    field: &str,
    input: &ApplicantInput,
    today: jiff::civil::Date,
) -> Result<Applicant, ApiError> {
    match input.kind.as_str() {
        "person" => ResidentId::parse(&input.id, today)
            .map(|p| Applicant::Person(p.value.as_str().to_owned()))
            .map_err(|e| ctx.error(ApiError::bad_input(&format!("{field}.id"), e.to_string()))),
        "employer" => Uscc::parse(&input.id)
            .map(|p| Applicant::Employer(p.value.as_str().to_owned()))
            .map_err(|e| ctx.error(ApiError::bad_input(&format!("{field}.id"), e.to_string()))),
        other => Err(ctx.error(ApiError::bad_input(
            &format!("{field}.kind"),
            format!("{other:?}: use \"person\" or \"employer\""),
        ))),
    }
}

fn json_body<T: serde::de::DeserializeOwned>(ctx: &Ctx, body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ctx.error(ApiError::bad_input("body", e.to_string())))
}

#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = SubmitInput, security(("bearer" = [])), responses((status = 201, description = "Submitted (durable)", body = CaseAnswer), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Role or jurisdiction", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such item in force", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Invalid input", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let input: SubmitInput = json_body(&ctx, &body)?;
    let today = state.engine.today();
    let submission = Submission {
        applicant: applicant(&ctx, "applicant", &input.applicant, today)?,
        agent: input
            .agent
            .as_ref()
            .map(|a| applicant(&ctx, "agent", a, today))
            .transpose()?,
        channel: input.channel,
        accepting_region: parse_region(&ctx, &input.accepting_region)?,
        handling_region: parse_region(&ctx, &input.handling_region)?,
        materials: input.materials,
        attachments: Vec::new(),
        commitments: Vec::new(),
    };
    let request = Request::Submit {
        item: input.item,
        submission,
        actor: yichuang_domain::case::Actor {
            id: staff.id.clone(),
            role: staff.actor_role(),
        },
    };
    let response = state
        .engine
        .execute_as(&staff, &input.request_id, request)
        .await
        .map_err(|e| ctx.error(e))?;
    Ok((StatusCode::CREATED, Json(CaseAnswer(response))).into_response())
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CommandInput {
    /// Client-chosen id, as for a submission.
    request_id: String,
    /// The case version the caller saw; a newer case is a 409 conflict.
    expected_version: u64,
    /// `{"command": "accept", "provisional": [], "commitments": []}`, `{"command": "decide", "grant": true, "reason": "…"}` …
    command: CommandKind,
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/commands", tag = "cases", params(("case_id" = String, Path)), request_body = CommandInput, security(("bearer" = [])), responses((status = 200, description = "Applied (durable)", body = CaseAnswer), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Role or jurisdiction", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such case", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 409, description = "Conflict, or not allowed in this state", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Invalid input or rejected by the case rules", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn command(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path(case_id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<CaseAnswer>, ApiError> {
    let input: CommandInput = json_body(&ctx, &body)?;
    let command = Command {
        expected_version: input.expected_version,
        actor: yichuang_domain::case::Actor {
            id: staff.id.clone(),
            role: staff.actor_role(),
        },
        kind: input.command,
    };
    let response = state
        .engine
        .execute_as(
            &staff,
            &input.request_id,
            Request::Command { case_id, command },
        )
        .await
        .map_err(|e| ctx.error(e))?;
    Ok(Json(CaseAnswer(response)))
}

/// The longest page of a case list.
const MAX_LIST: u32 = 1000;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    warning: Option<String>,
    region: Option<String>,
    item: Option<String>,
    channel: Option<String>,
    deadline_before: Option<String>,
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(("state" = Option<String>, Query), ("warning" = Option<String>, Query, description = "green, yellow or red"), ("region" = Option<String>, Query), ("item" = Option<String>, Query), ("channel" = Option<String>, Query), ("deadline_before" = Option<String>, Query), ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "At most this many (default 100)")), security(("bearer" = [])), responses((status = 200, description = "Cases in the caller's jurisdiction, earliest deadline first", body = CaseList), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Region outside the jurisdiction, or role", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Invalid filter", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Query(q): Query<ListQuery>,
) -> Result<Json<CaseList>, ApiError> {
    staff.may_list_cases().map_err(|e| {
        ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看办件",
            "Forbidden",
            e.to_string(),
        ))
    })?;
    let region_prefix = match &q.region {
        Some(text) => {
            let region = parse_region(&ctx, text)?;
            if !staff.jurisdiction.contains(region) {
                return Err(ctx.error(ApiError::outside(region, staff.jurisdiction)));
            }
            region.subtree_prefix()
        }
        None => staff.jurisdiction.subtree_prefix(),
    };
    let parse_state = |text: &str| {
        serde_json::from_value(json!(text)).map_err(|_| {
            ctx.error(ApiError::bad_input(
                "state",
                format!("{text:?} is no case state"),
            ))
        })
    };
    let parse_warning = |text: &str| match text {
        "green" => Ok(WarningLevel::Green),
        "yellow" => Ok(WarningLevel::Yellow),
        "red" => Ok(WarningLevel::Red),
        other => Err(ctx.error(ApiError::bad_input(
            "warning",
            format!("{other:?}: use green, yellow or red"),
        ))),
    };
    let deadline_before = q
        .deadline_before
        .as_deref()
        .map(|t| {
            t.parse().map_err(|_| {
                ctx.error(ApiError::bad_input(
                    "deadline_before",
                    format!("{t:?} is not a date"),
                ))
            })
        })
        .transpose()?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ctx.error(ApiError::bad_input(
            "limit",
            format!("{limit}: list between 1 and {MAX_LIST} cases at a time"),
        )));
    }
    let filter = CaseFilter {
        state: q.state.as_deref().map(parse_state).transpose()?,
        warning: q.warning.as_deref().map(parse_warning).transpose()?,
        region_prefix: Some(region_prefix),
        item: q.item,
        channel: q.channel,
        deadline_before,
        today: Some(state.engine.today()),
        limit,
    };
    let today = state.engine.today();
    let cases = state.engine.list(&filter).await.map_err(|e| ctx.error(e))?;
    let cases = cases
        .into_iter()
        .map(|case| ListedCase {
            warning: case.warning(today),
            case,
        })
        .collect();
    Ok(Json(CaseList { cases }))
}

async fn readable(
    state: &AppState,
    ctx: &Ctx,
    staff: &Staff,
    case_id: &str,
) -> Result<Case, ApiError> {
    let case = state
        .engine
        .case(case_id)
        .await
        .map_err(|e| ctx.error(e))?
        .ok_or_else(|| ctx.error(ApiError::not_found(format!("no case {case_id}"))))?;
    staff.may_read(&case).map_err(|e| {
        ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "超出辖区",
            "Forbidden",
            e.to_string(),
        ))
    })?;
    Ok(case)
}

#[derive(Debug, Deserialize)]
pub struct OneQuery {
    /// Ask for the full identity number (recorded, for roles that may see it).
    full_identity: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}", tag = "cases", params(("case_id" = String, Path), ("full_identity" = Option<bool>, Query, description = "Show the full identity number (recorded)")), security(("bearer" = [])), responses((status = 200, description = "The case and its events", body = CaseDetail), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Outside the jurisdiction", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such case", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn one(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path(case_id): Path<String>,
    Query(q): Query<OneQuery>,
) -> Result<Json<CaseDetail>, ApiError> {
    let case = readable(&state, &ctx, &staff, &case_id).await?;
    let events = state
        .engine
        .events(&case_id)
        .await
        .map_err(|e| ctx.error(e))?;
    let show_full = q.full_identity == Some(true) && staff.sees_full_identity();
    if show_full {
        let read = IdentityRead {
            staff_id: staff.id.clone(),
            case_id: case_id.clone(),
            at: jiff::Timestamp::now().to_string(),
            purpose: "case detail".to_owned(),
        };
        state
            .store
            .record_identity_read(&read)
            .await
            .map_err(|_| ctx.error(ApiError::internal()))?;
    }
    let warning = case
        .driving_clock()
        .map(|c| c.warning(state.engine.today()));
    let events = events
        .into_iter()
        .map(|e| EventView {
            event: e.event,
            hash: e.hash,
        })
        .collect();
    Ok(Json(CaseDetail::new(case, events, show_full, warning)))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/documents/{seq}", tag = "cases", params(("case_id" = String, Path), ("seq" = u64, Path)), security(("bearer" = [])), responses((status = 200, description = "Printable A4 HTML", content_type = "text/html", body = String), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Outside the jurisdiction", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 404, description = "No such event or document", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn document(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Path((case_id, seq)): Path<(String, u64)>,
) -> Result<Response, ApiError> {
    let case = readable(&state, &ctx, &staff, &case_id).await?;
    let events = state
        .engine
        .events(&case_id)
        .await
        .map_err(|e| ctx.error(e))?;
    let record = events.iter().find(|e| e.event.seq == seq).ok_or_else(|| {
        ctx.error(ApiError::not_found(format!(
            "case {case_id} has no event {seq}"
        )))
    })?;
    let number = state.store.case_number(&case_id).await.ok().flatten();
    let html = documents::render(&case, &record.event, number.as_deref()).ok_or_else(|| {
        ctx.error(ApiError::not_found(format!(
            "event {seq} issued no document"
        )))
    })?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReadsQuery {
    staff: Option<String>,
    case: Option<String>,
    since: Option<String>,
    before: Option<String>,
    limit: Option<u32>,
}

/// The longest page of identity reads.
const MAX_READS: u32 = 500;

#[utoipa::path(get, path = "/api/v1/identity-reads", tag = "cases", params(("staff" = Option<String>, Query, description = "Only reads by this staff id"), ("case" = Option<String>, Query, description = "Only reads of this case"), ("since" = Option<String>, Query, description = "Only reads at or after this instant (RFC 3339)"), ("before" = Option<String>, Query, description = "Only reads before this instant: pass `next_before` of the previous page"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "At most this many (default 100)")), security(("bearer" = [])), responses((status = 200, description = "Who saw whose full identity number, on cases in the caller's jurisdiction, newest first", body = IdentityReadList), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 403, description = "Supervisors only", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Invalid filter", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn identity_reads(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(staff): SignedIn,
    Query(q): Query<ReadsQuery>,
) -> Result<Json<IdentityReadList>, ApiError> {
    if !matches!(staff.role, Role::Supervisor | Role::Administrator) {
        return Err(ctx.error(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "无权查看",
            "Forbidden",
            "only supervisors list identity reads",
        )));
    }
    let instant = |field: &str, text: Option<&str>| {
        text.map(|t| {
            t.parse::<jiff::Timestamp>().map_err(|_| {
                ctx.error(ApiError::bad_input(
                    field,
                    format!("{t:?} is not an instant (RFC 3339, e.g. 2026-03-02T08:00:00Z)"),
                ))
            })
        })
        .transpose()
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=MAX_READS).contains(&limit) {
        return Err(ctx.error(ApiError::bad_input(
            "limit",
            format!("{limit}: list between 1 and {MAX_READS} reads at a time"),
        )));
    }
    let filter = IdentityReadFilter {
        region_prefix: staff.jurisdiction.subtree_prefix(),
        staff_id: q.staff,
        case_id: q.case,
        since: instant("since", q.since.as_deref())?,
        before: instant("before", q.before.as_deref())?,
        limit,
    };
    let reads = state
        .store
        .identity_reads(&filter)
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    let next_before = if reads.len() == limit as usize {
        reads.last().map(|r| r.at.clone())
    } else {
        None
    };
    Ok(Json(IdentityReadList { reads, next_before }))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    staff_id: String,
    password: String,
}

/// Exchanges a staff id and password for a new bearer token (stored hashed).
#[utoipa::path(post, path = "/api/v1/sessions", tag = "staff", request_body = LoginInput, responses((status = 201, description = "A new bearer token", body = NewSession), (status = 401, description = "Wrong id or password", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 422, description = "Invalid input", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 429, description = "Too many attempts for this account or from this client (see Retry-After)", body = crate::openapi::ProblemDoc, content_type = "application/problem+json"), (status = 503, description = "Too many sign-ins being checked at once (see Retry-After)", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Client(client): Client,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let input: LoginInput = json_body(&ctx, &body)?;
    let staff = sign_in(&state, client, &input.staff_id, input.password)
        .await
        .map_err(|refused| ctx.error(refused.into_api_error()))?;
    let token = issue_token(&state.store, &staff.id, state.protection.config.token_days)
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    Ok((StatusCode::CREATED, Json(NewSession { token, staff })).into_response())
}

/// Ends the bearer token the request carries (API sign-out).
#[utoipa::path(delete, path = "/api/v1/sessions", tag = "staff", security(("bearer" = [])), responses((status = 204, description = "The token no longer works"), (status = 401, description = "No valid token", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    SignedIn(_signed_in): SignedIn,
    headers: axum::http::HeaderMap,
) -> Result<StatusCode, ApiError> {
    let token = bearer(&headers).ok_or_else(|| ctx.error(ApiError::unauthorized()))?;
    state
        .store
        .revoke_token(&hash_token(token))
        .await
        .map_err(|_| ctx.error(ApiError::internal()))?;
    Ok(StatusCode::NO_CONTENT)
}

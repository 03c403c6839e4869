//! The router: public, staff and operations routes, with request ids and metrics.

pub(crate) mod cases;
pub(crate) mod facts;
pub(crate) mod figures;
pub(crate) mod identity;
pub(crate) mod ops;
pub(crate) mod public;

use std::time::Instant;

use axum::Router;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::{ApiError, Lang};
use crate::state::AppState;

/// The id of one request, also sent back as `x-request-id` and logged.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Language and request id, for building errors.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub request_id: String,
}

impl Ctx {
    pub fn error(&self, e: impl Into<ApiError>) -> ApiError {
        e.into().with(self.lang, &self.request_id)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, Self::Rejection> {
        Ok(Ctx {
            lang: Lang::from_headers(&parts.headers),
            request_id: request_id_of(parts),
        })
    }
}

async fn observe(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::now_v7().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().clone();
    let start = Instant::now();
    let lang = Lang::from_headers(request.headers());
    let mut response = as_problem(next.run(request).await, lang, &id).await;
    let elapsed = start.elapsed();
    state.metrics.record(&route, response.status(), elapsed);
    tracing::info!(request_id = %id, %method, %route, status = response.status().as_u16(), ms = elapsed.as_secs_f64() * 1e3, "answered");
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Framework rejections (a query that does not parse, a path segment of the wrong type,
/// a method not allowed) come as plain text: give them the one error shape too.
async fn as_problem(response: Response, lang: Lang, request_id: &str) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("application/problem+json")
                || v.starts_with("application/json")
                || v.starts_with("text/html")
        });
    if !status.is_client_error() || is_problem {
        return response;
    }
    let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&bytes).trim().to_owned();
    ApiError::new(status, "bad-request", "请求有误", "Bad request", detail)
        .with(lang, request_id)
        .into_response()
}

async fn fallback(ctx: Ctx) -> ApiError {
    ctx.error(ApiError::new(
        StatusCode::NOT_FOUND,
        "no-route",
        "没有这个地址",
        "No such route",
        "see the API reference",
    ))
}

/// Public routes answer anyone: each client gets a budget of requests a minute.
async fn limit_public(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let client = crate::client::client_key(&parts, &state.protection.config.trusted_proxies);
    if let Err(retry) = state.protection.public(client) {
        tracing::info!(%client, "public route rate limited");
        let lang = Lang::from_headers(&parts.headers);
        if !parts.uri.path().starts_with("/api/") {
            return crate::web::too_many(lang, retry);
        }
        return ApiError::too_many("too many requests from this address", retry)
            .with(lang, &request_id_of(&parts))
            .into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

fn request_id_of(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// The routes anyone may call: catalog lookups and a case's progress.
fn public_routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/items", get(public::items))
        .route("/api/v1/regions/{region}/guides/{item}", get(public::guide))
        .route("/api/v1/regions/{region}/search", get(public::search))
        .route(
            "/api/v1/regions/{region}/deviations",
            get(public::deviations),
        )
        .route("/api/v1/regions/{region}/halls", get(public::halls))
        .route("/api/v1/coverage", get(public::coverage))
        .route("/api/v1/ratings", get(public::ratings))
        .route("/api/v1/progress/{case_id}", get(public::progress))
        .merge(crate::web::public_pages())
        .route_layer(middleware::from_fn_with_state(state.clone(), limit_public))
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::guarded_metrics))
        .merge(crate::web::staff_pages())
        .merge(public_routes(&state))
        .merge(crate::web::asset_routes())
        .merge(crate::web::display_feeds())
        .route("/api/v1/sessions", post(cases::login).delete(cases::logout))
        .route("/api/v1/cases", post(cases::submit).get(cases::list))
        .route("/api/v1/cases/{case_id}", get(cases::one))
        .route("/api/v1/cases/{case_id}/commands", post(cases::command))
        .route(
            "/api/v1/cases/{case_id}/documents/{seq}",
            get(cases::document),
        )
        .route("/api/v1/identity-reads", get(cases::identity_reads))
        .route("/api/v1/figures", get(figures::figures))
        .route("/api/v1/people/{id}", get(identity::person))
        .route("/api/v1/employers/{code}", get(identity::employer))
        .route(
            "/api/v1/facts/{kind}",
            post(facts::push).layer(axum::extract::DefaultBodyLimit::max(facts::MAX_FACTS_BYTES)),
        )
        .merge(
            utoipa_swagger_ui::SwaggerUi::new("/api/docs")
                .external_url_unchecked("/api/openapi.json", crate::openapi::document()),
        )
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(crate::headers::layer())
        .layer(tower::util::option_layer(
            state.protection.config.https.then(crate::headers::hsts),
        ))
        .with_state(state)
}

/// The metrics listener's one route.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(ops::metrics))
        .with_state(state)
}

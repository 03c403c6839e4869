//! Health, readiness and metrics.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Ctx;
use crate::auth::hash_token;
use crate::error::ApiError;
use crate::state::AppState;

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "Alive", body = String, content_type = "text/plain")))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "Database answers", body = String, content_type = "text/plain"), (status = 503, description = "Database unavailable", body = String, content_type = "text/plain")))]
pub async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.warning_counts(state.engine.today()).await {
        Ok(_) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// `/metrics` on the main listener: only with the operator's metrics token. Without
/// one configured it is not served here (use `--metrics-addr`).
#[utoipa::path(get, path = "/metrics", tag = "operations", security(("bearer" = [])), responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"), (status = 401, description = "No or wrong metrics token (without one configured, metrics are served only on the metrics address)", body = crate::openapi::ProblemDoc, content_type = "application/problem+json")))]
pub async fn guarded_metrics(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let given = crate::auth::bearer(&headers).unwrap_or("");
    // Compared as hashes, so the time taken says nothing about how much matched. With
    // no token configured, none matches.
    let allowed = state
        .protection
        .config
        .metrics_token
        .as_deref()
        .is_some_and(|expected| hash_token(given) == hash_token(expected));
    if !allowed {
        return Err(ctx.error(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要指标令牌",
            "Metrics token required",
            "send the operator's metrics token (serve --metrics-token), or read /metrics on the metrics address (serve --metrics-addr)",
        )));
    }
    Ok(metrics(State(state)).await.into_response())
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let warnings = state
        .store
        .warning_counts(state.engine.today())
        .await
        .unwrap_or_default();
    let states = state.store.state_counts().await.unwrap_or_default();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(warnings, &states),
    )
}

//! The platform server: the only crate that knows HTTP. JSON under `/api/v1`, errors as
//! RFC 9457 problem+json in the caller's language, bearer tokens for staff, printable
//! case documents, health and metrics.

mod auth;
mod bodies;
mod demo;
mod documents;
mod error;
mod metrics;
mod openapi;
mod routes;
mod state;

pub use demo::DemoError;

use std::net::SocketAddr;

pub use auth::{hash_password, hash_token, new_secret};
pub use demo::{DemoCredentials, seed_demo};
pub use openapi::document as openapi_document;
pub use state::AppState;

/// Serves until `shutdown` completes; in-flight requests finish first (the engine
/// answers a command only after it is durable, so nothing acknowledged is lost).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = routes::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

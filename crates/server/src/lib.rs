//! The platform server: the only crate that knows HTTP. JSON under `/api/v1`, errors as
//! RFC 9457 problem+json in the caller's language, bearer tokens for staff, printable
//! case documents, health and metrics.

mod auth;
mod bodies;
mod client;
mod cookies;
mod demo;
mod demo_complaints;
mod demo_facts;
mod demo_hall;
mod demo_ratings;
mod demo_rules;
mod demo_year;
mod documents;
mod error;
mod figure_list;
mod figures_report;
mod headers;
mod listen;
mod lookups;
mod metrics;
mod openapi;
mod outbox;
mod passwords;
mod protection;
mod ratings_report;
mod routes;
mod state;
mod web;

pub use demo::DemoError;

pub use auth::{hash_password, hash_token, issue_token, new_secret};
pub use demo::{DemoCredentials, DemoParties, demo_parties, seed_demo};
pub use demo_facts::{SyntheticFacts, generate_facts};
pub use demo_year::{
    DEFAULT_COUNTIES_PER_PROVINCE, DEFAULT_PROVINCES, SyntheticYear, generate_year,
};
pub use figures_report::{
    Area as SupervisionArea, Report as SupervisionReport, report as supervision_report,
};
pub use listen::{ListenOptions, TlsError, TlsFiles};
pub use openapi::document as openapi_document;
pub use outbox::MessageOptions;
pub use protection::ProtectionConfig;
pub use state::AppState;
pub use web::OidcConfig;

/// Serves until `shutdown` completes; in-flight requests finish first (the engine
/// answers a command only after it is durable, so nothing acknowledged is lost).
/// Connections are capped and timed out as `options` says; with TLS files, the
/// listener speaks HTTPS.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: ListenOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let tls = options.tls.as_ref().map(listen::tls_acceptor).transpose()?;
    let purge = tokio::spawn(purge_expired(state.store.clone()));
    let sender = tokio::spawn(outbox::deliver(state.clone()));
    let defaults = tokio::spawn(default_ratings(state.engine.clone()));
    let result = listen::run(listener, routes::router(state), &options, tls, shutdown).await;
    purge.abort();
    sender.abort();
    defaults.abort();
    Ok(result?)
}

/// `/metrics` alone, for a listen address of its own (kept off the public one).
pub async fn serve_metrics(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = routes::metrics_router(state);
    Ok(listen::run(listener, app, &ListenOptions::default(), None, shutdown).await?)
}

/// Expired and revoked tokens and sessions are deleted hourly (the first time an hour
/// after the start).
async fn purge_expired(store: yichuang_store::Store) {
    let hour = std::time::Duration::from_secs(3600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        every.tick().await;
        match store.purge_expired(jiff::Timestamp::now()).await {
            Ok(n) if n > 0 => tracing::info!(purged = n, "expired tokens and sessions deleted"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "purging expired tokens failed"),
        }
    }
}

/// Default ratings (默认评价) where a region sets them: a sweep a minute after the
/// start, then hourly (a sweep gives each due stage its default once).
async fn default_ratings(engine: yichuang_engine::Engine) {
    let hour = std::time::Duration::from_secs(3600);
    let first = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut every = tokio::time::interval_at(first, hour);
    loop {
        every.tick().await;
        match engine.give_default_ratings().await {
            Ok(sweep) if sweep.given > 0 => {
                tracing::info!(given = sweep.given, "default ratings given");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "the default-rating sweep failed"),
        }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Tls(#[from] TlsError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

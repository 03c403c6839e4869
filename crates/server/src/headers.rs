//! Security headers on every answer, from one layer. Pages and documents get a strict
//! Content-Security-Policy (no scripts but our own files, no framing); every answer is
//! `no-store` unless its handler says it may be cached (public catalog lookups), so
//! nothing personal or secret is kept by a browser or proxy.

use axum::http::{HeaderName, HeaderValue, header};
use tower::ServiceBuilder;
use tower::layer::util::{Identity, Stack};
use tower_http::set_header::SetResponseHeaderLayer;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

type Set = SetResponseHeaderLayer<HeaderValue>;

fn set(name: HeaderName, value: &'static str) -> Set {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

pub(crate) type SecurityHeaders = ServiceBuilder<
    Stack<Set, Stack<Set, Stack<Set, Stack<Set, Stack<Set, Stack<Set, Identity>>>>>>,
>;

pub(crate) fn layer() -> SecurityHeaders {
    ServiceBuilder::new()
        .layer(set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::CACHE_CONTROL, "no-store"))
        .layer(set(
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}

/// Over HTTPS, browsers are told to stay on it for a year.
pub(crate) fn hsts() -> Set {
    set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000")
}

//! Stylesheets and the kiosk script, compiled into the binary: nothing is fetched at
//! run time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (name, type, text): the site's pages, the printed case documents, and the one
/// script (kiosk mode's return to the start).
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/site.css"),
    ),
    (
        "document.css",
        "text/css; charset=utf-8",
        include_str!("../../assets/document.css"),
    ),
    (
        "display.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/display.js"),
    ),
    (
        "halls.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/halls.js"),
    ),
    (
        "kiosk.js",
        "text/javascript; charset=utf-8",
        include_str!("../../assets/kiosk.js"),
    ),
];

pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, kind, text)) => (
            [
                (header::CONTENT_TYPE, *kind),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *text,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

//! The stylesheets, compiled into the binary: nothing is fetched at run time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// (name, text): the site's pages and the printed case documents.
const STYLESHEETS: &[(&str, &str)] = &[
    ("site.css", include_str!("../../assets/site.css")),
    ("document.css", include_str!("../../assets/document.css")),
];

pub(crate) async fn stylesheet(Path(name): Path<String>) -> Response {
    match STYLESHEETS.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => (
            [
                (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *text,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

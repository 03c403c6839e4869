//! Self-service terminals (自助终端): `/kiosk` turns a browser into one (large type and
//! targets, the same journeys); after two minutes without a touch a small script goes
//! to `/kiosk/reset`, which signs out whoever was signed in, forgets the region and
//! language chosen and starts again. Leaving kiosk mode is a deliberate form post.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use super::citizen::{SESSION_COOKIE, current};
use super::ui::{KIOSK_COOKIE, LANG_COOKIE, REGION_COOKIE, SENIOR_COOKIE};
use crate::cookies;
use crate::state::AppState;

pub(crate) async fn start(State(state): State<AppState>) -> Response {
    let mut response = Redirect::to("/").into_response();
    cookies::set_preference(
        &mut response,
        KIOSK_COOKIE,
        "on",
        state.protection.config.https,
    );
    response
}

/// Back to the start with nothing of the last person left.
pub(crate) async fn reset(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let https = state.protection.config.https;
    if let Some(citizen) = current(&state, &headers).await {
        let _ = state.store.end_citizen_session(&citizen.hash).await;
    }
    let mut response = Redirect::to("/").into_response();
    cookies::set_lax(&mut response, SESSION_COOKIE, "", 0, https);
    for name in [REGION_COOKIE, LANG_COOKIE, SENIOR_COOKIE] {
        cookies::set_preference(&mut response, name, "", https);
    }
    response
}

pub(crate) async fn leave(State(state): State<AppState>) -> Response {
    let mut response = Redirect::to("/").into_response();
    cookies::set_preference(
        &mut response,
        KIOSK_COOKIE,
        "",
        state.protection.config.https,
    );
    response
}

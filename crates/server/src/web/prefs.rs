//! The switches on every page: language, senior mode and region, kept in cookies.
//! A plain form post, so they work without JavaScript; then back to the page.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::RegionCode;

use super::ui::{LANG_COOKIE, REGION_COOKIE, SENIOR_COOKIE, local_path};
use crate::cookies;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub(crate) struct PreferencesForm {
    #[serde(default)]
    back: String,
    lang: Option<String>,
    senior: Option<String>,
    region: Option<String>,
}

/// Applies what the form names and ignores values it does not know (a tampered
/// field changes nothing), then returns to the page the switch was on.
pub(crate) async fn set(
    State(state): State<AppState>,
    Form(form): Form<PreferencesForm>,
) -> Response {
    let https = state.protection.config.https;
    let mut response = Redirect::to(local_path(&form.back)).into_response();
    if let Some(lang @ ("zh-CN" | "en")) = form.lang.as_deref() {
        cookies::set_preference(&mut response, LANG_COOKIE, lang, https);
    }
    match form.senior.as_deref() {
        Some("on") => cookies::set_preference(&mut response, SENIOR_COOKIE, "on", https),
        Some("off") => cookies::set_preference(&mut response, SENIOR_COOKIE, "", https),
        _ => {}
    }
    match form.region.as_deref() {
        Some("none") => cookies::set_preference(&mut response, REGION_COOKIE, "", https),
        Some(code) => {
            if let Ok(region) = RegionCode::parse(code) {
                cookies::set_preference(&mut response, REGION_COOKIE, &region.to_string(), https);
            }
        }
        None => {}
    }
    response
}

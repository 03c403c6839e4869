//! Staff pages with cookie sessions: sign in, the workbench, sign out. Work without
//! JavaScript. Session cookies are HttpOnly and SameSite=Strict; every form carries a
//! CSRF token (before sign-in a double-submit cookie, after it the session's own).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;
use yichuang_domain::case::{EventBody, Staff, WarningLevel};
use yichuang_store::CaseFilter;

use super::words::{role_key, state_key_named};
use super::{MessagePage, Ui, render};
use crate::auth::{SignInRefused, hash_token, new_secret, sign_in};
use crate::client::Client;
use crate::cookies;
use crate::protection::RetryAfter;
use crate::state::AppState;

const SESSION: &str = "yc_session";
const LOGIN_CSRF: &str = "yc_csrf";

pub(crate) async fn signed_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(Staff, String, String)> {
    let token = cookies::read(headers, SESSION, state.protection.config.https)?;
    let hash = hash_token(&token);
    let (staff, csrf) = state.store.session(&hash, Timestamp::now()).await.ok()??;
    Some((staff, csrf, hash))
}

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    ui: Ui,
    csrf: String,
}

pub(crate) async fn login_page(State(state): State<AppState>, ui: Ui) -> Response {
    let https = state.protection.config.https;
    let csrf = new_secret();
    let mut response = render(
        StatusCode::OK,
        &LoginPage {
            ui,
            csrf: csrf.clone(),
        },
    );
    cookies::set(&mut response, LOGIN_CSRF, &csrf, 600, https);
    response
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    staff_id: String,
    password: String,
    csrf: String,
}

/// A refusal in words, with the way back to the sign-in page.
pub(crate) fn refused(ui: Ui, status: StatusCode, key: &str) -> Response {
    let page = MessagePage {
        heading: ui.t("error-title"),
        message: ui.t(key),
        back: "/staff/login".to_owned(),
        ui,
    };
    render(status, &page)
}

fn with_retry_after(mut response: Response, retry: RetryAfter) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry.seconds()));
    response
}

pub(crate) async fn login(
    State(state): State<AppState>,
    ui: Ui,
    Client(client): Client,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let https = state.protection.config.https;
    if cookies::read(&headers, LOGIN_CSRF, https).as_deref() != Some(form.csrf.as_str())
        || form.csrf.is_empty()
    {
        return refused(ui, StatusCode::FORBIDDEN, "staff-csrf");
    }
    let staff = match sign_in(&state, client, &form.staff_id, form.password).await {
        Ok(staff) => staff,
        Err(SignInRefused::WrongCredentials) => {
            return refused(ui, StatusCode::UNAUTHORIZED, "staff-wrong");
        }
        Err(SignInRefused::Throttled(retry)) => {
            return with_retry_after(
                refused(ui, StatusCode::TOO_MANY_REQUESTS, "staff-throttled"),
                retry,
            );
        }
        Err(SignInRefused::Busy(retry)) => {
            return with_retry_after(
                refused(ui, StatusCode::SERVICE_UNAVAILABLE, "staff-busy"),
                retry,
            );
        }
        Err(SignInRefused::Internal) => {
            return refused(ui, StatusCode::INTERNAL_SERVER_ERROR, "staff-unavailable");
        }
    };
    let session = new_secret();
    let csrf = new_secret();
    let expires = Timestamp::now()
        .checked_add(8.hours())
        .unwrap_or(Timestamp::MAX);
    if state
        .store
        .create_session(&hash_token(&session), &staff.id, &csrf, expires)
        .await
        .is_err()
    {
        return refused(ui, StatusCode::INTERNAL_SERVER_ERROR, "staff-unavailable");
    }
    let mut response = Redirect::to("/staff").into_response();
    cookies::set(&mut response, SESSION, &session, 8 * 3600, https);
    cookies::set(&mut response, LOGIN_CSRF, "", 0, https);
    response
}

pub(crate) struct WarningRow {
    pub class: &'static str,
    pub level: String,
    pub item: String,
    pub state: String,
    pub deadline: String,
    pub case_id: String,
    /// The case page.
    pub link: String,
}

pub(crate) struct MovedRow {
    pub case_id: String,
    pub clock: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "staff/workbench.html")]
struct Workbench {
    ui: Ui,
    who: String,
    may_list: bool,
    rows: Vec<WarningRow>,
    moved: Vec<MovedRow>,
    csrf: String,
    is_admin: bool,
    escalated: super::escalated::Escalated,
}

pub(crate) async fn home(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    // The same rule as the API: a role that may not list cases sees none here either.
    let may_list = staff.may_list_cases().is_ok();
    let rows = if may_list {
        warning_rows(&state, &ui, &staff).await
    } else {
        Vec::new()
    };
    let moved = if may_list {
        moved_deadlines(&state, &ui, &staff).await
    } else {
        Vec::new()
    };
    let who = super::i18n::text_with(
        ui.lang,
        "staff-who",
        &[
            ("name", staff.name.clone()),
            ("role", ui.t(role_key(staff.role))),
            ("region", staff.jurisdiction.full_name()),
        ],
    );
    render(
        StatusCode::OK,
        &Workbench {
            ui,
            who,
            may_list,
            rows,
            moved,
            csrf,
            is_admin: staff.role == yichuang_domain::catalog::Role::Administrator,
            escalated: super::escalated::escalated_to(&state, &staff).await,
        },
    )
}

/// Red (overdue) then yellow (due soon) cases of the jurisdiction, in plain words.
async fn warning_rows(state: &AppState, ui: &Ui, staff: &Staff) -> Vec<WarningRow> {
    let today = state.engine.today();
    let catalog = &state.catalog.catalog;
    let mut rows = Vec::new();
    for level in [WarningLevel::Red, WarningLevel::Yellow] {
        let filter = CaseFilter {
            warning: Some(level),
            today: Some(today),
            region_prefix: Some(staff.jurisdiction.subtree_prefix()),
            limit: 200,
            ..CaseFilter::default()
        };
        let (class, label) = match level {
            WarningLevel::Red => ("red", "staff-overdue"),
            _ => ("yellow", "staff-warned"),
        };
        for case in state.engine.list(&filter).await.unwrap_or_default() {
            let item = catalog
                .guide_at(&case.item, today)
                .map_or_else(|_| case.item.clone(), |g| g.name.clone());
            let case_state =
                state_key_named(&case.state).map_or_else(|| case.state.clone(), |key| ui.t(key));
            let deadline = case
                .deadline
                .map(|d| {
                    let mut text = super::dates::written(ui.lang, d);
                    // A deadline in a year without a published schedule says so.
                    if state.engine.calendar().is_provisional(d) {
                        text.push_str(&ui.t("progress-provisional"));
                    }
                    text
                })
                .unwrap_or_default();
            rows.push(WarningRow {
                class,
                level: ui.t(label),
                item,
                state: case_state,
                deadline,
                link: format!("/staff/cases/{}", case.id),
                case_id: case.number.unwrap_or(case.id),
            });
        }
    }
    rows
}

/// Cases of the jurisdiction whose deadlines were counted again in the last 30 days
/// (the year's official holiday schedule arrived), with the old and new dates.
async fn moved_deadlines(state: &AppState, ui: &Ui, staff: &Staff) -> Vec<MovedRow> {
    let since = Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * 30))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let events = state
        .store
        .recent_events(
            "deadlines_recomputed",
            &staff.jurisdiction.subtree_prefix(),
            since,
            200,
        )
        .await
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (case_id, event) in events {
        let EventBody::DeadlinesRecomputed { changes, .. } = event.body else {
            continue;
        };
        for change in changes {
            rows.push(MovedRow {
                case_id: case_id.clone(),
                clock: ui.t(match change.clock.as_str() {
                    "acceptance" => "clock-acceptance",
                    "statutory" => "clock-statutory",
                    _ => "clock-promised",
                }),
                from: super::dates::written(ui.lang, change.from),
                to: super::dates::written(ui.lang, change.to),
            });
        }
    }
    rows
}

#[derive(Debug, Deserialize)]
pub(crate) struct LogoutForm {
    csrf: String,
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Response {
    let Some((_, csrf, hash)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    if csrf != form.csrf {
        return refused(ui, StatusCode::FORBIDDEN, "staff-logout-csrf");
    }
    let _ = state.store.end_session(&hash).await;
    let mut response = Redirect::to("/staff/login").into_response();
    cookies::set(&mut response, SESSION, "", 0, state.protection.config.https);
    response
}

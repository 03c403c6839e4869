//! Staff pages with cookie sessions: sign in, the warning list, sign out. Work without
//! JavaScript. Session cookies are HttpOnly and SameSite=Strict; every form carries a
//! CSRF token (before sign-in a double-submit cookie, after it the session's own).

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;
use yichuang_domain::case::{EventBody, Staff, WarningLevel, role_name};
use yichuang_store::CaseFilter;

use crate::auth::{SignInRefused, hash_token, new_secret, sign_in};
use crate::client::Client;
use crate::cookies;
use crate::documents::escape;
use crate::protection::RetryAfter;
use crate::state::AppState;

const SESSION: &str = "yc_session";
const LOGIN_CSRF: &str = "yc_csrf";

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · 一窗</title>
<style>body {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 18px; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
input, button {{ font-size: 1.1rem; padding: .6rem; margin: .3rem 0; min-height: 44px; }} table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ccc; padding: .4rem; text-align: left; overflow-wrap: anywhere; }} .red {{ color: #b00020; font-weight: bold; }} .yellow {{ color: #8a6d00; font-weight: bold; }}</style>
</head><body><main><h1>{title}</h1>{body}</main></body></html>"#
    )
}

async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<(Staff, String, String)> {
    let token = cookies::read(headers, SESSION, state.protection.config.https)?;
    let hash = hash_token(&token);
    let (staff, csrf) = state.store.session(&hash, Timestamp::now()).await.ok()??;
    Some((staff, csrf, hash))
}

pub async fn login_page(State(state): State<AppState>) -> Response {
    let https = state.protection.config.https;
    let csrf = new_secret();
    let body = format!(
        r#"<form method="post" action="/staff/login">
<label>工号 Staff id<br><input name="staff_id" autocomplete="username" required></label><br>
<label>密码 Password<br><input name="password" type="password" autocomplete="current-password" required></label><br>
<input type="hidden" name="csrf" value="{csrf}"><button type="submit">登录 Sign in</button></form>"#
    );
    let mut response = Html(page("工作人员登录", &body)).into_response();
    cookies::set(&mut response, LOGIN_CSRF, &csrf, 600, https);
    response
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    staff_id: String,
    password: String,
    csrf: String,
}

fn refused(status: StatusCode, message: &str) -> Response {
    (
        status,
        Html(page(
            "未能完成",
            &format!(
                "<p>{}</p><p><a href=\"/staff/login\">返回登录</a></p>",
                escape(message)
            ),
        )),
    )
        .into_response()
}

fn with_retry_after(mut response: Response, retry: RetryAfter) -> Response {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry.seconds()));
    response
}

pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let https = state.protection.config.https;
    if cookies::read(&headers, LOGIN_CSRF, https).as_deref() != Some(form.csrf.as_str())
        || form.csrf.is_empty()
    {
        return refused(
            StatusCode::FORBIDDEN,
            "表单已过期或来源不明（CSRF），请重新登录。",
        );
    }
    let staff = match sign_in(&state, client, &form.staff_id, form.password).await {
        Ok(staff) => staff,
        Err(SignInRefused::WrongCredentials) => {
            return refused(StatusCode::UNAUTHORIZED, "工号或密码错误。");
        }
        Err(SignInRefused::Throttled(retry)) => {
            return with_retry_after(
                refused(
                    StatusCode::TOO_MANY_REQUESTS,
                    "登录尝试过于频繁，请稍后再试。",
                ),
                retry,
            );
        }
        Err(SignInRefused::Busy(retry)) => {
            return with_retry_after(
                refused(StatusCode::SERVICE_UNAVAILABLE, "系统繁忙，请稍后再试。"),
                retry,
            );
        }
        Err(SignInRefused::Internal) => {
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "暂时无法登录，请稍后再试。",
            );
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
        return refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "暂时无法登录，请稍后再试。",
        );
    }
    let mut response = Redirect::to("/staff").into_response();
    cookies::set(&mut response, SESSION, &session, 8 * 3600, https);
    cookies::set(&mut response, LOGIN_CSRF, "", 0, https);
    response
}

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let today = state.engine.today();
    let mut rows = String::new();
    // The same rule as the API: a role that may not list cases sees none here either.
    let levels: &[WarningLevel] = if staff.may_list_cases().is_ok() {
        &[WarningLevel::Red, WarningLevel::Yellow]
    } else {
        rows.push_str("<tr><td colspan=\"5\">您的岗位不查看办件（标准管理人员）</td></tr>");
        &[]
    };
    for &level in levels {
        let filter = CaseFilter {
            warning: Some(level),
            today: Some(today),
            region_prefix: Some(staff.jurisdiction.subtree_prefix()),
            limit: 200,
            ..CaseFilter::default()
        };
        let (class, label) = match level {
            WarningLevel::Red => ("red", "超期"),
            _ => ("yellow", "预警"),
        };
        for case in state.engine.list(&filter).await.unwrap_or_default() {
            rows.push_str(&format!(
                "<tr><td class=\"{class}\">{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&case.item),
                escape(&case.state),
                case.deadline
                    .map(|d| {
                        // A deadline in a year without a published schedule says so.
                        if state.engine.calendar().is_provisional(d) {
                            format!("{d}（暂定）")
                        } else {
                            d.to_string()
                        }
                    })
                    .unwrap_or_default(),
                escape(&case.id)
            ));
        }
    }
    if rows.is_empty() {
        rows.push_str("<tr><td colspan=\"5\">没有预警或超期的办件</td></tr>");
    }
    let moved = if staff.may_list_cases().is_ok() {
        moved_deadlines(&state, &staff).await
    } else {
        String::new()
    };
    let body = format!(
        r#"<p>{} · {} · {} {}</p><h2>预警与超期办件</h2><table><tr><th>状态</th><th>事项</th><th>环节</th><th>办结期限</th><th>办件编号</th></tr>{rows}</table>{moved}
<form method="post" action="/staff/logout"><input type="hidden" name="csrf" value="{csrf}"><button type="submit">退出 Sign out</button></form>"#,
        escape(&staff.name),
        role_name(staff.role),
        staff.jurisdiction,
        escape(&staff.jurisdiction.full_name())
    );
    let mut response = Html(page("办件工作台", &body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Cases of the jurisdiction whose deadlines were counted again in the last 30 days
/// (the year's official holiday schedule arrived), with the old and new dates.
async fn moved_deadlines(state: &AppState, staff: &Staff) -> String {
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
    let mut rows = String::new();
    for (case_id, event) in events {
        let EventBody::DeadlinesRecomputed { changes, .. } = event.body else {
            continue;
        };
        for change in changes {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&case_id),
                clock_name(&change.clock),
                change.from,
                change.to
            ));
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "<h2>期限已按正式放假安排重新计算</h2><table><tr><th>办件编号</th><th>期限</th><th>原期限（暂定）</th><th>新期限</th></tr>{rows}</table>"
    )
}

fn clock_name(clock: &str) -> &'static str {
    match clock {
        "acceptance" => "受理审查期限",
        "statutory" => "法定办结期限",
        _ => "承诺办结期限",
    }
}

#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Response {
    let Some((_, csrf, hash)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    if csrf != form.csrf {
        return refused(StatusCode::FORBIDDEN, "表单来源不明（CSRF），未退出。");
    }
    let _ = state.store.end_session(&hash).await;
    let mut response = Redirect::to("/staff/login").into_response();
    cookies::set(&mut response, SESSION, "", 0, state.protection.config.https);
    response
}

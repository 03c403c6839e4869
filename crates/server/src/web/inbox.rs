//! The applicant's messages (what the SMS gateway was given, or will be), and the
//! signed links in them: a link opens the case's progress for as long as it is valid,
//! without signing in; signed in as the applicant, it opens their case page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::citizen::{current, to_sign_in};
use super::{Ui, message, render};
use std::collections::HashMap;

use crate::outbox::{CaseLabel, compose, label_of, link_is_valid};
use crate::state::AppState;

pub(crate) struct Line {
    pub text: String,
    pub status: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "public/inbox.html")]
struct InboxPage {
    ui: Ui,
    lines: Vec<Line>,
}

pub(crate) async fn inbox(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let messages = match state.store.messages_to(citizen.party(), 100).await {
        Ok(messages) => messages,
        Err(e) => {
            tracing::error!(error = %e, "the inbox could not be read");
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    let mut lines = Vec::with_capacity(messages.len());
    let mut labels: HashMap<&str, CaseLabel> = HashMap::new();
    for m in &messages {
        if !labels.contains_key(m.case_id.as_str()) {
            labels.insert(&m.case_id, label_of(&state, m).await);
        }
        let Some(case_label) = labels.get(m.case_id.as_str()) else {
            continue;
        };
        let (_, text) = compose(&state.messages, m, case_label);
        let status = match (&m.sent_at, &m.last_error, state.messages.webhook.is_some()) {
            (Some(_), _, _) => ui.t("inbox-sent"),
            (None, _, false) => ui.t("inbox-no-gateway"),
            (None, Some(_), true) => ui.t1("inbox-retrying", "attempts", m.attempts),
            (None, None, true) => ui.t("inbox-waiting"),
        };
        lines.push(Line {
            text,
            status,
            at: m
                .created_at
                .chars()
                .take(16)
                .collect::<String>()
                .replace('T', " "),
        });
    }
    render(StatusCode::OK, &InboxPage { ui, lines })
}

/// `/m/{case}/{expires}/{signature}`: a link from a message.
pub(crate) async fn link(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((case_id, expires, signature)): Path<(String, i64, String)>,
) -> Response {
    if !link_is_valid(
        &state.messages,
        &case_id,
        expires,
        &signature,
        jiff::Timestamp::now(),
    ) {
        return message(ui, StatusCode::NOT_FOUND, "inbox-link-invalid");
    }
    if let Some(citizen) = current(&state, &headers).await
        && let Ok(Some(case)) = state.engine.case(&case_id).await
        && case.is_party(citizen.party())
    {
        return Redirect::to(&format!("/my/cases/{case_id}")).into_response();
    }
    let (Ok(Some(case)), Ok(events)) = (
        state.engine.case(&case_id).await,
        state.engine.events(&case_id).await,
    ) else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let rate = super::rating::case_stage_to_rate(&state, &case_id)
        .await
        .map(|_| format!("/m/{case_id}/{expires}/{signature}/rate"));
    super::progress::shown(&state, ui, &case, &events, rate).await
}

//! The progress lookup without sign-in: case number and the last four characters of
//! the applicant's identity number, answered in plain words. The same lookup (and the
//! same per-case lock) as the API's.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yichuang_domain::case::{Case, CaseState, EventBody};
use yichuang_store::EventRecord;

use super::dates::written;
use super::words::state_key;
use super::{Ui, message, render};
use crate::lookups::ProgressRefused;
use crate::state::AppState;

pub(crate) struct Found {
    pub number: String,
    pub item: String,
    pub state: String,
    pub deadline: Option<String>,
    pub steps: Vec<String>,
}

#[derive(Template)]
#[template(path = "public/progress.html")]
struct ProgressPage {
    ui: Ui,
    case_field: String,
    last4_field: String,
    case_error: Option<String>,
    last4_error: Option<String>,
    problem: Option<String>,
    found: Option<Found>,
    /// Where the person may rate the case (opened through a message's link).
    rate: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ProgressForm {
    case: Option<String>,
    last4: Option<String>,
}

fn last4_is_well_formed(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.len() == 4
        && chars[..3].iter().all(char::is_ascii_digit)
        && (chars[3].is_ascii_digit() || chars[3] == 'X' || chars[3] == 'x')
}

/// The deadline that drives the case, as a person reads it: the date, whether it is
/// provisional, and how many working days are left (or that it passed, or that the
/// clock is stopped).
pub(crate) fn deadline_text(state: &AppState, ui: &Ui, case: &Case) -> Option<String> {
    let clock = case.driving_clock()?;
    let mut text = written(ui.lang, clock.deadline);
    if clock.provisional {
        text.push_str(&ui.t("progress-provisional"));
    }
    if case.state == CaseState::Suspended {
        text.push_str(&format!(" · {}", ui.t("progress-paused")));
    } else if !case.state.is_terminal() && case.state != CaseState::Decided {
        let today = state.engine.today();
        if clock.deadline < today {
            text.push_str(&format!(" · {}", ui.t("progress-overdue")));
        } else if let Ok(days) = state.engine.calendar().count_working_days(
            today,
            clock.deadline,
            Some(case.handling_region),
        ) {
            text.push_str(&format!(" · {}", ui.t1("progress-days-left", "days", days)));
        }
    }
    Some(text)
}

/// Each event of a case as one line: its date and what happened, in words.
pub(crate) fn timeline(ui: &Ui, events: &[EventRecord]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let key = match &e.event.body {
                EventBody::Decided { rule: Some(_), .. } => "event-decided-by-rule".to_owned(),
                body => format!("event-{}", body.name().replace('_', "-")),
            };
            super::i18n::text_with(
                ui.lang,
                "event-on",
                &[
                    ("date", written(ui.lang, e.event.on)),
                    ("event", ui.t(&key)),
                ],
            )
        })
        .collect()
}

/// A case's progress as the lookup shows it.
async fn found(state: &AppState, ui: &Ui, case: &Case, events: &[EventRecord]) -> Found {
    Found {
        number: state
            .store
            .case_number(&case.id)
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| case.id.clone()),
        item: case.guide.guide.name.clone(),
        state: ui.t(state_key(case.state)),
        deadline: deadline_text(state, ui, case),
        steps: timeline(ui, events),
    }
}

/// The progress page showing one case, without the lookup's questions: for a signed
/// link from a message.
pub(crate) async fn shown(
    state: &AppState,
    ui: Ui,
    case: &Case,
    events: &[EventRecord],
    rate: Option<String>,
) -> Response {
    let found = found(state, &ui, case, events).await;
    let page = ProgressPage {
        case_field: found.number.clone(),
        last4_field: String::new(),
        case_error: None,
        last4_error: None,
        problem: None,
        found: Some(found),
        rate,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn progress(
    State(state): State<AppState>,
    ui: Ui,
    Query(form): Query<ProgressForm>,
) -> Response {
    let mut page = ProgressPage {
        case_field: form
            .case
            .clone()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(64)
            .collect(),
        last4_field: form
            .last4
            .clone()
            .unwrap_or_default()
            .trim()
            .chars()
            .take(4)
            .collect(),
        case_error: None,
        last4_error: None,
        problem: None,
        found: None,
        rate: None,
        ui,
    };
    // The empty form, on first arrival.
    if form.case.is_none() && form.last4.is_none() {
        return render(StatusCode::OK, &page);
    }
    if page.case_field.is_empty() {
        page.case_error = Some(page.ui.t("progress-missing-case"));
    }
    let last4 = form.last4.unwrap_or_default();
    if !last4_is_well_formed(last4.trim()) {
        page.last4_error = Some(page.ui.t("progress-bad-last4"));
    }
    if page.case_error.is_some() || page.last4_error.is_some() {
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let ui = &page.ui;
    match crate::lookups::progress(&state, &page.case_field, &last4).await {
        Ok((case, events)) => {
            page.found = Some(found(&state, ui, &case, &events).await);
            render(StatusCode::OK, &page)
        }
        Err(ProgressRefused::NotFound) => {
            page.problem = Some(page.ui.t("progress-not-found"));
            render(StatusCode::NOT_FOUND, &page)
        }
        Err(ProgressRefused::Locked(retry)) => {
            page.problem = Some(page.ui.t1(
                "progress-locked",
                "minutes",
                retry.seconds().div_ceil(60),
            ));
            render(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        Err(ProgressRefused::Failed(e)) => {
            tracing::error!(error = %e, "progress page lookup failed");
            message(page.ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    }
}

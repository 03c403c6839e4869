//! "My cases": every case the signed-in person or employer applied for or acts in,
//! whatever the channel; a case page with its timeline, what is still missing, the
//! documents issued, and the applicant's own commands (withdraw) through the engine.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::case::{Actor, ActorRole, Case, CaseError, CaseState, Command, CommandKind};
use yichuang_domain::catalog::Channel;
use yichuang_engine::{EngineError, Request};
use yichuang_store::EventRecord;

use super::citizen::{Citizen, current, to_sign_in};
use super::dates::written;
use super::progress::{deadline_text, timeline};
use super::uploads::{self, FILE_PREFIX, FileField};
use super::words::{channel_key, document_key, state_key, state_key_named};
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct CaseLine {
    pub id: String,
    pub number: String,
    pub item: String,
    pub state: String,
    pub deadline: String,
    pub channel: String,
}

#[derive(Template)]
#[template(path = "public/my_cases.html")]
struct MyCasesPage {
    ui: Ui,
    who: String,
    csrf: String,
    cases: Vec<CaseLine>,
}

fn channel_named(name: &str) -> Option<Channel> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

pub(crate) async fn my_cases(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let summaries = match state.store.cases_of_party(citizen.party(), 200).await {
        Ok(summaries) => summaries,
        Err(e) => {
            tracing::error!(error = %e, "my cases could not be listed");
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    let today = state.engine.today();
    let catalog = &state.catalog.catalog;
    let cases = summaries
        .into_iter()
        .map(|c| CaseLine {
            item: catalog
                .guide_at(&c.item, today)
                .map_or_else(|_| c.item.clone(), |g| g.name.clone()),
            state: state_key_named(&c.state).map_or_else(String::new, |key| ui.t(key)),
            deadline: c
                .deadline
                .filter(|_| c.running)
                .map(|d| format!("{} {}", ui.t("progress-deadline"), written(ui.lang, d)))
                .unwrap_or_default(),
            channel: channel_named(&c.channel).map_or_else(String::new, |ch| ui.t(channel_key(ch))),
            number: c.number.unwrap_or_else(|| c.id.clone()),
            id: c.id,
        })
        .collect();
    let page = MyCasesPage {
        who: ui.t1("my-who", "name", &citizen.session.name),
        csrf: citizen.session.csrf.clone(),
        cases,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) struct DocumentLink {
    pub seq: u64,
    pub title: String,
    pub on: String,
}

/// The documents a case's events issued, as links to print them.
pub(crate) fn document_links(ui: &Ui, events: &[EventRecord]) -> Vec<DocumentLink> {
    events
        .iter()
        .filter_map(|e| {
            let document = e.event.documents.first()?;
            Some(DocumentLink {
                seq: e.event.seq,
                title: ui.t(document_key(document.kind)),
                on: written(ui.lang, e.event.on),
            })
        })
        .collect()
}

pub(crate) struct CaseView {
    pub id: String,
    pub number: String,
    pub version: u64,
    pub item: String,
    pub state: String,
    pub deadline: Option<String>,
    pub handled_by: String,
    pub channel: String,
    pub missing: Vec<String>,
    /// The ids of the missing materials, for the files that supply them.
    pub missing_ids: Vec<String>,
    pub steps: Vec<String>,
    pub documents: Vec<DocumentLink>,
    pub may_withdraw: bool,
    pub state_allows_supplement: bool,
}

#[derive(Template)]
#[template(path = "public/my_case.html")]
struct MyCasePage {
    ui: Ui,
    view: CaseView,
    /// A file input per missing material, while the case takes a supplement.
    supplement: Vec<FileField>,
    csrf: String,
    request_id: String,
    reason: String,
    reason_error: Option<String>,
    problem: Option<String>,
    done: Option<String>,
    /// The rating form, while a stage reached is still to rate.
    rate: Option<String>,
}

/// The case if the signed-in party is its applicant or agent; nobody else learns
/// that it exists.
async fn own_case(
    state: &AppState,
    citizen: &Citizen,
    id: &str,
) -> Option<(Case, Vec<EventRecord>)> {
    let case = state.engine.case(id).await.ok()??;
    if !case.is_party(citizen.party()) {
        return None;
    }
    let events = state.engine.events(id).await.ok()?;
    Some((case, events))
}

/// The case's human-readable number, or its id where it has none.
async fn number_of(state: &AppState, id: &str) -> String {
    crate::outbox::case_number_or_id(state, id).await
}

fn describe(state: &AppState, ui: &Ui, case: &Case, events: &[EventRecord]) -> CaseView {
    let guide = &case.guide.guide;
    let name_of = |id: &String| {
        guide
            .materials
            .iter()
            .find(|m| &m.id == id)
            .map_or_else(|| id.clone(), |m| m.name.clone())
    };
    let missing_ids: Vec<String> = if case.state == CaseState::AwaitingSupplement {
        case.noticed_gaps
            .last()
            .map(|gap| {
                gap.iter()
                    .filter(|m| !case.provided.contains(m))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    } else {
        case.pending.iter().map(|p| p.material.clone()).collect()
    };
    let missing = missing_ids.iter().map(name_of).collect();
    CaseView {
        id: case.id.clone(),
        number: case.id.clone(),
        version: case.version,
        item: guide.name.clone(),
        state: ui.t(state_key(case.state)),
        deadline: deadline_text(state, ui, case),
        handled_by: case.handling_region.full_name(),
        channel: ui.t(channel_key(case.channel)),
        missing,
        missing_ids,
        steps: timeline(ui, events),
        documents: document_links(ui, events),
        may_withdraw: yichuang_domain::case::allowed_commands(case.state).contains(&"withdraw"),
        state_allows_supplement: yichuang_domain::case::allowed_commands(case.state)
            .contains(&"supplement"),
    }
}

fn case_page(ui: Ui, view: CaseView, csrf: String) -> MyCasePage {
    let may_supplement = view.state_allows_supplement;
    let supplement = if may_supplement {
        view.missing_ids
            .iter()
            .zip(&view.missing)
            .map(|(id, name)| FileField {
                input: format!("{FILE_PREFIX}{id}"),
                name: name.clone(),
                tags: Vec::new(),
                problem: None,
                commitment: None,
                saved: None,
                committed: false,
            })
            .collect()
    } else {
        Vec::new()
    };
    MyCasePage {
        ui,
        view,
        supplement,
        csrf,
        request_id: uuid::Uuid::now_v7().to_string(),
        reason: String::new(),
        reason_error: None,
        problem: None,
        done: None,
        rate: None,
    }
}

pub(crate) async fn my_case(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let Some((case, events)) = own_case(&state, &citizen, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let mut view = describe(&state, &ui, &case, &events);
    view.number = number_of(&state, &id).await;
    let mut page = case_page(ui, view, citizen.session.csrf.clone());
    page.rate = super::rating::case_stage_to_rate(&state, &id)
        .await
        .map(|_| format!("/my/cases/{id}/rate"));
    render(StatusCode::OK, &page)
}

pub(crate) async fn my_document(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path((id, seq)): Path<(String, u64)>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let Some((case, events)) = own_case(&state, &citizen, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let number = state.store.case_number(&id).await.ok().flatten();
    let html = events
        .iter()
        .find(|e| e.event.seq == seq)
        .and_then(|e| crate::documents::render(&case, &e.event, number.as_deref()));
    match html {
        Some(html) => Html(html).into_response(),
        None => message(ui, StatusCode::NOT_FOUND, "error-not-found"),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct WithdrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: u64,
    #[serde(default)]
    request_id: String,
    #[serde(default)]
    reason: String,
}

/// Withdraws the application through the engine, as the applicant. A double click
/// or a resent form carries the same request id and gets the first answer again.
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/my/cases/{id}"));
    };
    if form.csrf.is_empty() || form.csrf != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Some((case, events)) = own_case(&state, &citizen, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let reason = form.reason.trim().to_owned();
    let number = number_of(&state, &id).await;
    let refuse =
        |ui: Ui, status: StatusCode, reason_error: Option<String>, problem: Option<String>| {
            let mut view = describe(&state, &ui, &case, &events);
            view.number = number.clone();
            let mut page = case_page(ui, view, citizen.session.csrf.clone());
            page.reason = reason.clone();
            page.reason_error = reason_error;
            page.problem = problem;
            render(status, &page)
        };
    if reason.is_empty() {
        let text = ui.t("case-reason-empty");
        return refuse(ui, StatusCode::UNPROCESSABLE_ENTITY, Some(text), None);
    }
    let request = Request::Command {
        case_id: id.clone(),
        command: Command {
            expected_version: form.version,
            actor: Actor {
                id: citizen.party().to_owned(),
                role: ActorRole::Applicant,
            },
            kind: CommandKind::Withdraw {
                reason: reason.clone(),
            },
        },
    };
    let request_id = if form.request_id.is_empty() {
        uuid::Uuid::now_v7().to_string()
    } else {
        form.request_id.clone()
    };
    match state.engine.execute(&request_id, request).await {
        Ok(_) => Redirect::to(&format!("/my/cases/{id}")).into_response(),
        Err(e) => {
            let (status, key) = refusal(&e);
            let text = ui.t(key);
            refuse(ui, status, None, Some(text))
        }
    }
}

/// Hands in the missing materials' files through the engine (补正), as the applicant.
pub(crate) async fn supplement(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/my/cases/{id}"));
    };
    let Some((case, events)) = own_case(&state, &citizen, &id).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let mut view = describe(&state, &ui, &case, &events);
    view.number = number_of(&state, &id).await;
    let form = uploads::read(multipart, &view.missing_ids).await;
    if form.field("csrf").is_empty() || form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let mut problems = form.problems.clone();
    if problems.is_empty() && form.files.is_empty() {
        problems.push(uploads::FieldProblem {
            field: "form".to_owned(),
            key: "case-supplement-empty",
        });
    }
    if !problems.is_empty() {
        let problem = problems
            .iter()
            .find(|p| p.field == "form")
            .map(|p| ui.t(p.key));
        let mut page = case_page(ui, view, citizen.session.csrf.clone());
        for field in &mut page.supplement {
            field.problem = problems
                .iter()
                .find(|p| p.field == field.input)
                .map(|p| page.ui.t(p.key));
        }
        page.problem = problem;
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let version: u64 = form.field("version").parse().unwrap_or(0);
    let request_id = match form.field("request_id") {
        "" => uuid::Uuid::now_v7().to_string(),
        given => given.to_owned(),
    };
    let materials = form.files.iter().map(|f| f.material.clone()).collect();
    let attachments = match uploads::keep(&state, form.files).await {
        Ok(kept) => kept,
        Err(e) => {
            tracing::error!(error = %e, "supplied files could not be kept");
            return message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal");
        }
    };
    let request = Request::Command {
        case_id: id.clone(),
        command: Command {
            expected_version: version,
            actor: Actor {
                id: citizen.party().to_owned(),
                role: ActorRole::Applicant,
            },
            kind: CommandKind::Supplement {
                materials,
                attachments,
            },
        },
    };
    match state.engine.execute(&request_id, request).await {
        Ok(_) => Redirect::to(&format!("/my/cases/{id}")).into_response(),
        Err(e) => {
            let (status, key) = refusal(&e);
            let text = ui.t(key);
            let mut page = case_page(ui, view, citizen.session.csrf.clone());
            page.problem = Some(text);
            render(status, &page)
        }
    }
}

/// How a refused command is told to the applicant.
fn refusal(e: &EngineError) -> (StatusCode, &'static str) {
    match e {
        EngineError::Case(CaseError::Conflict { .. }) => (StatusCode::CONFLICT, "case-changed"),
        EngineError::Case(CaseError::NotAllowed { .. }) => {
            (StatusCode::CONFLICT, "case-not-allowed")
        }
        EngineError::Case(_)
        | EngineError::RequestIdReused { .. }
        | EngineError::RequestIdTooLong { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "case-rule"),
        _ => {
            tracing::error!(error = %e, "an applicant's command failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    }
}

//! 投诉 for the signed-in person: their complaints, a form to file one about a case,
//! a hall visit, a window, a staff member, a hall or a region's service, each
//! complaint with its written answers, the verdict on the answer, and the answer as a
//! printable document.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::complaint::{
    Complainant, Complaint, ComplaintChannel, ComplaintCommandKind, ComplaintPolicy, Verdict,
};

use super::citizen::{Citizen, current, to_sign_in};
use super::complaint::{Choices, Typed, View, choices, file_complaint, problem_key, target_of};
use super::dates::written;
use super::form::Pairs;
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct Line {
    pub number: String,
    pub filed: String,
    pub state: String,
    pub about: String,
}

#[derive(Template)]
#[template(path = "public/complaints.html")]
struct ListPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    lines: Vec<Line>,
    choices: Choices,
    typed: Typed,
    problem: Option<String>,
    text_max: usize,
    reply_days: u32,
}

#[derive(Template)]
#[template(path = "public/complaint.html")]
struct ComplaintPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    view: View,
    done: Option<String>,
    problem: Option<String>,
}

async fn list_page(
    state: &AppState,
    ui: Ui,
    citizen: &Citizen,
    typed: Typed,
    problem: Option<String>,
) -> ListPage {
    let rows = state
        .store
        .complaints_of(citizen.party(), 100)
        .await
        .unwrap_or_default();
    let lines = rows
        .into_iter()
        .map(|r| Line {
            filed: r
                .filed_at
                .parse::<jiff::Timestamp>()
                .map(|t| {
                    written(
                        ui.lang,
                        t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                            .date(),
                    )
                })
                .unwrap_or_default(),
            state: ui.t(&format!("complaint-state-{}", r.state)),
            about: ui.t(&format!("complaint-about-{}", r.target)),
            number: r.number,
        })
        .collect();
    let policy = ComplaintPolicy::default();
    ListPage {
        csrf: citizen.session.csrf.clone(),
        nonce: uuid::Uuid::now_v7().to_string(),
        lines,
        choices: choices(state).await,
        typed,
        problem,
        text_max: policy.text_max,
        reply_days: policy.reply_days,
        ui,
    }
}

pub(crate) async fn list(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let page = list_page(&state, ui, &citizen, Typed::default(), None).await;
    render(StatusCode::OK, &page)
}

/// Files a complaint; a refused one is drawn again with what was typed.
pub(crate) async fn file(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in("/my/complaints");
    };
    let form = Pairs(pairs);
    if form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let today = state.engine.today();
    let refused = |key: String, status: StatusCode| {
        let typed = Typed::of(&form);
        let (state, ui, citizen) = (state.clone(), ui.clone(), citizen.clone());
        async move {
            let page = list_page(&state, ui.clone(), &citizen, typed, Some(ui.t(&key))).await;
            render(status, &page)
        }
    };
    let target = match target_of(&state, &form, Some(citizen.party()), today).await {
        Ok(target) => target,
        Err(key) => return refused(key.to_owned(), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let kind = ComplaintCommandKind::File {
        target,
        channel: ComplaintChannel::Online,
        complainant: Complainant {
            party: Some(citizen.party().to_owned()),
            name: String::new(),
            phone: form.field("phone").to_owned(),
        },
        text: form.field("text").to_owned(),
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let actor = format!("online:{}", citizen.party());
    let seed = format!("{}/{nonce}", citizen.party());
    let outcome = file_complaint(&state, &seed, kind, &actor, None).await;
    match outcome {
        Ok(filed) => {
            Redirect::to(&format!("/my/complaints/{}?done=filed", filed.number)).into_response()
        }
        Err(e) => {
            let (status, key) = problem_key(&e);
            refused(key, status).await
        }
    }
}

/// The complaint `number` if it is the citizen's own.
async fn own(state: &AppState, citizen: &Citizen, number: &str) -> Option<Complaint> {
    let complaint = state.engine.complaint(number).await.ok().flatten()?;
    let party = complaint.complainant.as_ref()?.party.as_deref()?;
    (party == citizen.party()).then_some(complaint)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShowQuery {
    #[serde(default)]
    done: String,
}

async fn show_page(
    state: &AppState,
    ui: Ui,
    citizen: &Citizen,
    complaint: &Complaint,
    done: Option<String>,
    problem: Option<String>,
) -> ComplaintPage {
    let names = super::complaint::staff_names(state).await;
    ComplaintPage {
        csrf: citizen.session.csrf.clone(),
        nonce: uuid::Uuid::now_v7().to_string(),
        view: super::complaint::view_of(state, &ui, complaint, &names).await,
        done,
        problem,
        ui,
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    let Some(complaint) = own(&state, &citizen, &number).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let done = match query.done.as_str() {
        "filed" | "judged" => Some(ui.t(&format!("complaint-done-{}", query.done))),
        _ => None,
    };
    let page = show_page(&state, ui, &citizen, &complaint, done, None).await;
    render(StatusCode::OK, &page)
}

/// The complainant's verdict on the answer.
pub(crate) async fn judge(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/my/complaints/{number}"));
    };
    let form = Pairs(pairs);
    if form.field("csrf") != citizen.session.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Some(complaint) = own(&state, &citizen, &number).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let verdict = match form.field("verdict") {
        "satisfied" => Verdict::Satisfied,
        "unsatisfied" => Verdict::Unsatisfied,
        _ => {
            let problem = Some(ui.t("complaint-choose-verdict"));
            let page = show_page(&state, ui, &citizen, &complaint, None, problem).await;
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let request_id = format!("complaint-judge-{}-{nonce}", citizen.party());
    match state
        .engine
        .execute_complaint(
            &request_id,
            &number,
            ComplaintCommandKind::Judge { verdict },
            &format!("online:{}", citizen.party()),
            None,
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/my/complaints/{number}?done=judged")).into_response(),
        Err(e) => {
            let (status, key) = problem_key(&e);
            let page = show_page(
                &state,
                ui.clone(),
                &citizen,
                &complaint,
                None,
                Some(ui.t(&key)),
            )
            .await;
            render(status, &page)
        }
    }
}

/// The written answer to print.
pub(crate) async fn reply(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&ui.here);
    };
    match own(&state, &citizen, &number).await {
        Some(complaint) if !complaint.replies.is_empty() => {
            super::complaint::reply_document(&state, &ui, &complaint).await
        }
        _ => message(ui, StatusCode::NOT_FOUND, "error-not-found"),
    }
}

/// `/r/{number}/{expires}/{signature}`: the written answer, opened from the text
/// message sent to a complainant known only by a phone number.
pub(crate) async fn answer_by_link(
    State(state): State<AppState>,
    ui: Ui,
    Path((number, expires, signature)): Path<(String, i64, String)>,
) -> Response {
    let subject = crate::outbox::answer_link_subject(&number);
    if !crate::outbox::link_is_valid(
        &state.messages,
        &subject,
        expires,
        &signature,
        jiff::Timestamp::now(),
    ) {
        return message(ui, StatusCode::NOT_FOUND, "inbox-link-invalid");
    }
    match state.engine.complaint(&number).await {
        Ok(Some(complaint)) if !complaint.replies.is_empty() => {
            super::complaint::reply_document(&state, &ui, &complaint).await
        }
        Ok(_) => message(ui, StatusCode::NOT_FOUND, "error-not-found"),
        Err(_) => message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal"),
    }
}

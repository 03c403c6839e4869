//! 投诉 at the desk: the complaints in the staff member's reach (those waiting for an
//! answer first, by deadline; overdue ones red and marked as escalated), a complaint
//! written down from a call, a letter or the hall's desk, and one complaint with the
//! steps allowed: take it on, answer it in writing, record the verdict given by phone.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use serde::Deserialize;
use yichuang_domain::RegionCode;
use yichuang_domain::case::Staff;
use yichuang_domain::catalog::Role;
use yichuang_domain::complaint::{
    Complainant, Complaint, ComplaintChannel, ComplaintCommandKind, ComplaintPolicy,
    ComplaintState, Verdict,
};

use super::complaint::{
    Choices, Typed, View, choices, file_complaint, office_name, problem_key, staff_names,
    target_of, view_of,
};
use super::dates::written;
use super::form::Pairs;
use super::staff::signed_in;
use super::{Ui, message, render};
use crate::state::AppState;

pub(crate) struct Row {
    pub number: String,
    pub about: String,
    pub channel: String,
    pub filed: String,
    pub reply_by: String,
    pub state: String,
    pub overdue: bool,
    /// Handled above the serving office now: after an unsatisfying answer, or overdue.
    pub escalated_to: String,
}

#[derive(Template)]
#[template(path = "staff/complaints.html")]
struct ListPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    rows: Vec<Row>,
    all: bool,
    choices: Choices,
    typed: Typed,
    problem: Option<String>,
    text_max: usize,
}

#[derive(Template)]
#[template(path = "staff/complaint.html")]
struct ComplaintPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    view: View,
    complainant: String,
    may_take: bool,
    may_reply: bool,
    may_record_verdict: bool,
    owner: String,
    typed_text: String,
    problem: Option<String>,
    text_max: usize,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListQuery {
    #[serde(default)]
    show: String,
}

async fn list_page(
    state: &AppState,
    ui: Ui,
    staff: &Staff,
    csrf: String,
    all: bool,
    (typed, problem): (Typed, Option<String>),
) -> ListPage {
    let prefix = staff.jurisdiction.subtree_prefix();
    let found = state
        .store
        .complaints(&prefix, all, 200)
        .await
        .unwrap_or_default();
    let today = state.engine.today();
    let rows = found
        .into_iter()
        .map(|r| {
            let reply_by = r.reply_by.parse::<Date>().ok();
            let overdue = r.overdue_on(today);
            let levels_up = r.round + u32::from(overdue);
            Row {
                about: ui.t(&format!("complaint-about-{}", r.target)),
                channel: ui.t(&format!("complaint-channel-{}", r.channel)),
                filed: r
                    .filed_at
                    .parse::<jiff::Timestamp>()
                    .map(|t| {
                        t.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
                            .strftime("%Y-%m-%d %H:%M")
                            .to_string()
                    })
                    .unwrap_or_default(),
                reply_by: reply_by.map(|d| written(ui.lang, d)).unwrap_or_default(),
                state: ui.t(&format!("complaint-state-{}", r.state)),
                overdue,
                escalated_to: if levels_up > 0 && r.state != "closed" {
                    office_name(&r.region, levels_up)
                } else {
                    String::new()
                },
                number: r.number,
            }
        })
        .collect();
    ListPage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        rows,
        all,
        choices: choices(state).await,
        typed,
        problem,
        text_max: ComplaintPolicy::default().text_max,
        ui,
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let all = query.show == "all";
    let page = list_page(&state, ui, &staff, csrf, all, (Typed::default(), None)).await;
    render(StatusCode::OK, &page)
}

/// A complaint written down for someone who called, wrote or came to the desk.
pub(crate) async fn record(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let today = state.engine.today();
    let refused = |key: String, status: StatusCode| {
        let shown = (Typed::of(&form), Some(ui.t(&key)));
        let (state, ui, staff, csrf) = (state.clone(), ui.clone(), staff.clone(), csrf.clone());
        async move {
            let page = list_page(&state, ui, &staff, csrf, false, shown).await;
            render(status, &page)
        }
    };
    let Some(channel) =
        ComplaintChannel::parse(form.field("channel")).filter(|c| *c != ComplaintChannel::Online)
    else {
        return refused(
            "complaint-choose-channel".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let target = match target_of(&state, &form, None, today).await {
        Ok(target) => target,
        Err(key) => return refused(key.to_owned(), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let kind = ComplaintCommandKind::File {
        target,
        channel,
        complainant: Complainant {
            party: None,
            name: form.field("name").to_owned(),
            phone: form.field("phone").to_owned(),
        },
        text: form.field("text").to_owned(),
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let seed = format!("{}/{nonce}", staff.id);
    let outcome = file_complaint(&state, &seed, kind, "", Some(&staff)).await;
    match outcome {
        Ok(filed) => Redirect::to(&format!("/staff/complaints/{}", filed.number)).into_response(),
        Err(e) => {
            let (status, key) = problem_key(&e);
            refused(key, status).await
        }
    }
}

/// The complaint `number` if it is in the staff member's reach.
async fn in_reach(state: &AppState, staff: &Staff, number: &str) -> Option<Complaint> {
    let complaint = state.engine.complaint(number).await.ok().flatten()?;
    let region = RegionCode::parse(&complaint.region).ok()?;
    staff.jurisdiction.contains(region).then_some(complaint)
}

async fn complaint_page(
    state: &AppState,
    ui: Ui,
    staff: &Staff,
    csrf: String,
    complaint: &Complaint,
    (typed_text, problem): (String, Option<String>),
) -> ComplaintPage {
    let names = staff_names(state).await;
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_owned());
    let view = view_of(state, &ui, complaint, &names).await;
    let complainant = complaint
        .complainant
        .as_ref()
        .map(|c| {
            let who = if c.name.is_empty() {
                ui.t("complaint-complainant-unnamed")
            } else {
                c.name.clone()
            };
            let signed_in = if c.party.is_some() {
                format!(" · {}", ui.t("complaint-complainant-online"))
            } else {
                String::new()
            };
            format!(
                "{who}{}{signed_in}",
                if c.phone.is_empty() {
                    String::new()
                } else {
                    format!(" · {}", c.phone)
                }
            )
        })
        .unwrap_or_default();
    // Who may answer at the level it has reached (the engine checks again).
    let level_ok = RegionCode::parse(&complaint.region).is_ok_and(|r| {
        staff
            .may_handle_complaints(Some(r), complaint.round, true)
            .is_ok()
    });
    let not_about_them = complaint.served_by.as_deref() != Some(staff.id.as_str());
    let open = complaint.state == ComplaintState::Open;
    ComplaintPage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        complainant,
        may_take: open
            && level_ok
            && not_about_them
            && complaint.owner.as_deref() != Some(staff.id.as_str()),
        may_reply: open && level_ok && not_about_them,
        may_record_verdict: complaint.state == ComplaintState::Replied
            && not_about_them
            && matches!(staff.role, Role::Clerk | Role::Supervisor),
        owner: complaint.owner.as_deref().map(name).unwrap_or_default(),
        view,
        typed_text,
        problem,
        text_max: ComplaintPolicy::default().text_max,
        ui,
    }
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let Some(complaint) = in_reach(&state, &staff, &number).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let page = complaint_page(&state, ui, &staff, csrf, &complaint, (String::new(), None)).await;
    render(StatusCode::OK, &page)
}

/// The command a posted step asks for, or the key of what is wrong with the form.
fn command_of(form: &Pairs) -> Result<ComplaintCommandKind, &'static str> {
    Ok(match form.field("action") {
        "take" => ComplaintCommandKind::Take,
        "reply" => ComplaintCommandKind::Reply {
            text: form.field("text").to_owned(),
        },
        "verdict" => ComplaintCommandKind::Judge {
            verdict: match form.field("verdict") {
                "satisfied" => Verdict::Satisfied,
                "unsatisfied" => Verdict::Unsatisfied,
                _ => return Err("complaint-choose-verdict"),
            },
        },
        _ => return Err("error-not-found"),
    })
}

pub(crate) async fn act(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let Some(complaint) = in_reach(&state, &staff, &number).await else {
        return message(ui, StatusCode::NOT_FOUND, "error-not-found");
    };
    let nonce: String = form.field("nonce").chars().take(64).collect();
    let request_id = format!("desk-complaint-{nonce}");
    let outcome = match command_of(&form) {
        Ok(kind) => state
            .engine
            .execute_complaint(&request_id, &number, kind, "", Some(&staff))
            .await
            .map_err(|e| problem_key(&e)),
        Err(key) => Err((StatusCode::UNPROCESSABLE_ENTITY, key.to_owned())),
    };
    match outcome {
        Ok(_) => Redirect::to(&format!("/staff/complaints/{number}")).into_response(),
        Err((status, key)) => {
            let shown = (form.field("text").to_owned(), Some(ui.t(&key)));
            let page = complaint_page(&state, ui.clone(), &staff, csrf, &complaint, shown).await;
            render(status, &page)
        }
    }
}

/// The written answer to print and send by post.
pub(crate) async fn reply(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(number): Path<String>,
) -> Response {
    let Some((staff, _, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    match in_reach(&state, &staff, &number).await {
        Some(complaint) if !complaint.replies.is_empty() => {
            super::complaint::reply_document(&state, &ui, &complaint).await
        }
        _ => message(ui, StatusCode::NOT_FOUND, "error-not-found"),
    }
}

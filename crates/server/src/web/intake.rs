//! Taking in a walk-in's application at the window (窗口受理): the item, the applicant,
//! the materials handed over. Submitted through the engine as the clerk, on the
//! channel of the hall (window, or bank outlet); the case page follows, where the clerk
//! accepts it or issues the one-time notice.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use yichuang_domain::case::{Applicant, Submission};
use yichuang_domain::catalog::Channel;
use yichuang_domain::{Jurisdiction, RegionCode, ResidentId, Uscc};
use yichuang_engine::Request;
use yichuang_store::HallKind;

use super::hall::{ItemChoice, item_choices};
use super::staff::signed_in;
use super::{Ui, render};
use crate::state::AppState;

pub(crate) struct MaterialChoice {
    pub id: String,
    pub name: String,
    pub required: bool,
}

#[derive(Template)]
#[template(path = "staff/intake.html")]
struct IntakePage {
    ui: Ui,
    csrf: String,
    nonce: String,
    items: Vec<ItemChoice>,
    item: Option<(String, String)>,
    materials: Vec<MaterialChoice>,
    person: String,
    ticket: String,
    problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IntakeQuery {
    #[serde(default)]
    item: String,
    /// `hall/window/number` of the ticket being served.
    #[serde(default)]
    ticket: String,
    /// Filled in from the ticket being served (never carried in a link).
    #[serde(skip)]
    person: String,
}

fn page(
    state: &AppState,
    ui: Ui,
    csrf: String,
    query: &IntakeQuery,
    problem: Option<String>,
) -> IntakePage {
    let today = state.engine.today();
    let guide = state.catalog.catalog.guide_at(&query.item, today).ok();
    IntakePage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        items: item_choices(state),
        item: guide.map(|g| (g.item.clone(), g.name.clone())),
        materials: guide
            .map(|g| {
                g.materials
                    .iter()
                    .map(|m| MaterialChoice {
                        id: m.id.clone(),
                        name: m.name.clone(),
                        required: m.required,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        person: query.person.clone(),
        ticket: query.ticket.clone(),
        problem,
        ui,
    }
}

pub(crate) async fn form(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<IntakeQuery>,
) -> Response {
    let Some((_, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let mut query = query;
    query.person = ticket_person(&state, &query.ticket)
        .await
        .unwrap_or_default();
    render(StatusCode::OK, &page(&state, ui, csrf, &query, None))
}

/// The identity number on the ticket being served, if the person gave it.
async fn ticket_person(state: &AppState, ticket: &str) -> Option<String> {
    let mut parts = ticket.splitn(3, '/');
    let (hall, _, number) = (parts.next()?, parts.next()?, parts.next()?);
    let day = state
        .engine
        .hall_day(hall, state.engine.today())
        .await
        .ok()?;
    day.ticket(number)?.person.clone()
}

/// The region and channel of a window intake: the serving hall's, or the clerk's own
/// region at a plain window (none for staff who reach the whole country).
async fn place(state: &AppState, ticket: &str, own: Jurisdiction) -> Option<(RegionCode, Channel)> {
    let hall_id = ticket.split('/').next().unwrap_or_default();
    match state.store.hall(hall_id).await.ok().flatten() {
        Some(hall) => Some((
            RegionCode::parse(&hall.region).ok().or(own.region())?,
            match hall.kind {
                HallKind::BankOutlet => Channel::BankOutlet,
                HallKind::Hall => Channel::Window,
            },
        )),
        None => Some((own.region()?, Channel::Window)),
    }
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, csrf, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let field = |name: &str| form.field(name).to_owned();
    let query = IntakeQuery {
        item: field("item"),
        ticket: field("ticket"),
        person: field("applicant_id"),
    };
    let today = state.engine.today();
    let id = field("applicant_id");
    let applicant = match field("applicant_kind").as_str() {
        "employer" => Uscc::parse(&id)
            .map(|p| Applicant::Employer(p.value.as_str().to_owned()))
            .map_err(|e| e.to_string()),
        _ => ResidentId::parse(&id, today)
            .map(|p| Applicant::Person(p.value.as_str().to_owned()))
            .map_err(|e| e.to_string()),
    };
    let applicant = match applicant {
        Ok(applicant) => applicant,
        Err(problem) => {
            let text = ui.t1("intake-bad-applicant", "problem", problem);
            return render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, ui, csrf, &query, Some(text)),
            );
        }
    };
    let Some((region, channel)) = place(&state, &query.ticket, staff.jurisdiction).await else {
        let text = ui.t("intake-no-region");
        return render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(&state, ui, csrf, &query, Some(text)),
        );
    };
    let submission = Submission {
        applicant,
        agent: None,
        channel,
        accepting_region: region,
        handling_region: region,
        materials: form.all("handed_in"),
        attachments: Vec::new(),
        commitments: Vec::new(),
    };
    let request = Request::Submit {
        item: query.item.clone(),
        submission,
        actor: yichuang_domain::case::Actor {
            id: staff.id.clone(),
            role: staff.actor_role(),
        },
    };
    let nonce: String = field("nonce").chars().take(64).collect();
    match state
        .engine
        .execute_as(&staff, &format!("intake-{nonce}"), request)
        .await
    {
        Ok(answer) => {
            let mut path = format!("/staff/cases/{}", answer.case_id);
            if !query.ticket.is_empty() {
                let q =
                    serde_urlencoded::to_string([("ticket", &query.ticket)]).unwrap_or_default();
                path = format!("{path}?{q}");
            }
            Redirect::to(&path).into_response()
        }
        Err(e) => {
            let status = if e.is_client_error() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let text = match &e {
                yichuang_engine::EngineError::Guide(_) => ui.t("intake-no-item"),
                _ => ui.t(&super::desk::problem_key(&e)),
            };
            render(status, &page(&state, ui, csrf, &query, Some(text)))
        }
    }
}

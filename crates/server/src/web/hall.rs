//! The hall's public side: taking a ticket (at the kiosk or front desk, or online for
//! today), the ticket's page with the people ahead and the expected wait, and the call
//! display for the hall's screen, kept live by server-sent events.

use std::convert::Infallible;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use yichuang_domain::hall::{
    Aging, GreenReason, HallCommand, HallCommandKind, HallDay, Purpose, Ticket, TicketChannel,
    TicketStatus,
};
use yichuang_engine::EngineError;
use yichuang_store::Hall;

use super::citizen::current;
use super::{Ui, message, render};
use crate::state::AppState;

/// An item a ticket can name: id and name in the catalog today.
pub(crate) struct ItemChoice {
    pub id: String,
    pub name: String,
}

/// The catalog's items in force today, by project and name, for the ticket forms.
pub(crate) fn item_choices(state: &AppState) -> Vec<ItemChoice> {
    let today = state.engine.today();
    let mut guides = state.catalog.catalog.guides_at(today);
    guides.sort_by(|a, b| (&a.project, &a.name).cmp(&(&b.project, &b.name)));
    guides
        .into_iter()
        .map(|g| ItemChoice {
            id: g.item.clone(),
            name: g.name.clone(),
        })
        .collect()
}

/// An item's name today, or its id if the catalog has no such item.
pub(crate) fn item_name(state: &AppState, item: Option<&str>, ui: &Ui) -> String {
    match item {
        None => ui.t("ticket-general"),
        Some(id) => state
            .catalog
            .catalog
            .guide_at(id, state.engine.today())
            .map_or_else(|_| id.to_owned(), |g| g.name.clone()),
    }
}

/// The Fluent key that says what went wrong with a hall command.
pub(crate) fn hall_problem_key(error: &EngineError) -> String {
    match error {
        EngineError::Hall(e) => format!("hall-error-{}", e.code().replace('_', "-")),
        EngineError::Forbidden(_) => "hall-error-forbidden".to_owned(),
        EngineError::NoSuchHall { .. } => "hall-none".to_owned(),
        _ => "error-internal".to_owned(),
    }
}

/// A hall engine error in the reader's words.
pub(crate) fn hall_problem(ui: &Ui, error: &EngineError) -> String {
    ui.t(&hall_problem_key(error))
}

async fn hall_of(state: &AppState, id: &str) -> Option<Hall> {
    state.store.hall(id).await.ok().flatten()
}

#[derive(Template)]
#[template(path = "public/hall_ticket.html")]
struct TicketForm {
    ui: Ui,
    hall: Hall,
    items: Vec<ItemChoice>,
    nonce: String,
    problem: Option<String>,
    /// What was sent, drawn again after a refusal so nothing has to be typed twice.
    typed: TicketRequest,
}

pub(crate) async fn ticket_form(
    State(state): State<AppState>,
    ui: Ui,
    Path(hall): Path<String>,
) -> Response {
    let Some(hall) = hall_of(&state, &hall).await else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let page = TicketForm {
        items: item_choices(&state),
        nonce: uuid::Uuid::now_v7().to_string(),
        problem: None,
        typed: TicketRequest::default(),
        hall,
        ui,
    };
    render(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TicketRequest {
    /// One per form drawn: sending the form twice takes one ticket.
    nonce: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    person: String,
    #[serde(default)]
    green: String,
}

fn green_reason(text: &str) -> Option<GreenReason> {
    match text {
        "disability" => Some(GreenReason::Disability),
        "military" => Some(GreenReason::Military),
        "pregnancy" => Some(GreenReason::Pregnancy),
        "age" => Some(GreenReason::Age),
        _ => None,
    }
}

pub(crate) async fn take_ticket(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(hall_id): Path<String>,
    Form(form): Form<TicketRequest>,
) -> Response {
    let Some(hall) = hall_of(&state, &hall_id).await else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    // Online (signed in, not at a kiosk) the ticket is the person's own remote ticket.
    let citizen = if ui.kiosk {
        None
    } else {
        current(&state, &headers).await
    };
    let (actor, channel) = match &citizen {
        Some(c) => (format!("online:{}", c.party()), TicketChannel::Online),
        None if ui.kiosk => ("kiosk".to_owned(), TicketChannel::Kiosk),
        None => ("front-desk".to_owned(), TicketChannel::FrontDesk),
    };
    let person = form.person.trim();
    let command = HallCommand {
        actor: actor.clone(),
        kind: HallCommandKind::TakeTicket {
            item: Some(form.item.trim())
                .filter(|i| !i.is_empty())
                .map(str::to_owned),
            purpose: if form.purpose == "consult" {
                Purpose::Consult
            } else {
                Purpose::Handle
            },
            channel,
            person: Some(person).filter(|p| !p.is_empty()).map(str::to_owned),
            green: green_reason(&form.green),
        },
    };
    let nonce: String = form.nonce.chars().take(64).collect();
    let request_id = format!("ticket-{actor}-{nonce}");
    match state
        .engine
        .execute_hall(&request_id, &hall.id, command)
        .await
    {
        Ok(response) => match response.ticket {
            Some(ticket) => Redirect::to(&format!("/halls/{}/tickets/{}", hall.id, ticket.number))
                .into_response(),
            None => message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
        },
        Err(e) => {
            let status = if e.is_client_error() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let page = TicketForm {
                problem: Some(hall_problem(&ui, &e)),
                items: item_choices(&state),
                nonce: uuid::Uuid::now_v7().to_string(),
                typed: form,
                hall,
                ui,
            };
            render(status, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "public/hall_ticket_taken.html")]
struct TicketPage {
    ui: Ui,
    hall: Hall,
    number: String,
    item: String,
    status: String,
    /// "Please go to window 3" when called.
    called: Option<String>,
    ahead: Option<u32>,
    wait: Option<String>,
    green: bool,
    /// Served: the person is asked to rate at the window (its pad or QR code).
    finished: bool,
}

pub(crate) fn status_key(status: TicketStatus) -> &'static str {
    match status {
        TicketStatus::Waiting => "ticket-waiting",
        TicketStatus::Called => "ticket-called",
        TicketStatus::Parked => "ticket-parked",
        TicketStatus::Missed => "ticket-missed",
        TicketStatus::Finished => "ticket-finished",
    }
}

pub(crate) async fn ticket_page(
    State(state): State<AppState>,
    ui: Ui,
    Path((hall_id, number)): Path<(String, String)>,
) -> Response {
    let Some(hall) = hall_of(&state, &hall_id).await else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let Ok(day) = state.engine.hall_day(&hall.id, state.engine.today()).await else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let Some(ticket) = day.ticket(&number).cloned() else {
        return message(ui, StatusCode::NOT_FOUND, "ticket-none");
    };
    let estimate = day.estimate(&number, Timestamp::now(), Aging::default());
    let wait = estimate
        .as_ref()
        .map(|e| match (e.optimistic_minutes, e.pessimistic_minutes) {
            (Some(low), Some(high)) => super::i18n::text_with(
                ui.lang,
                "ticket-wait",
                &[("low", low.to_string()), ("high", high.to_string())],
            ),
            _ => ui.t("ticket-no-window"),
        });
    let called = (ticket.status == TicketStatus::Called)
        .then(|| ticket.window.map(|w| ui.t1("ticket-go-to", "window", w)))
        .flatten();
    let page = TicketPage {
        finished: ticket.status == TicketStatus::Finished,
        item: item_name(&state, ticket.item.as_deref(), &ui),
        status: ui.t(status_key(ticket.status)),
        ahead: estimate.as_ref().map(|e| e.ahead),
        green: ticket.green.is_some(),
        number: ticket.number,
        called,
        wait,
        hall,
        ui,
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "public/hall_display.html")]
struct DisplayPage {
    ui: Ui,
    hall: Hall,
    board: Board,
}

/// What the call display shows; sent as JSON on every change.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Board {
    pub version: u64,
    /// The last called tickets, newest first.
    pub called: Vec<CalledRow>,
    pub waiting: usize,
    pub waiting_green: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CalledRow {
    pub number: String,
    pub window: u32,
    /// Changes on every call, so a recall is announced again.
    pub call: String,
    pub serving: bool,
}

/// Rows a display shows (ZMS shows five; one more costs nothing on a TV).
const BOARD_ROWS: usize = 6;

pub(crate) fn board(day: &HallDay) -> Board {
    let mut called: Vec<&Ticket> = day
        .tickets
        .iter()
        .filter(|t| t.last_call.is_some() && t.window.is_some())
        .collect();
    called.sort_by_key(|t| std::cmp::Reverse(t.last_call));
    Board {
        version: day.version,
        called: called
            .into_iter()
            .take(BOARD_ROWS)
            .map(|t| CalledRow {
                number: t.number.clone(),
                window: t.window.unwrap_or_default(),
                call: format!("{}-{}", t.number, t.last_call.map_or(0, |c| c.as_second())),
                serving: t.status == TicketStatus::Called,
            })
            .collect(),
        waiting: day.waiting().count(),
        waiting_green: day.waiting().filter(|t| t.green.is_some()).count(),
    }
}

pub(crate) async fn display(
    State(state): State<AppState>,
    ui: Ui,
    Path(hall_id): Path<String>,
) -> Response {
    let Some(hall) = hall_of(&state, &hall_id).await else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let Ok(day) = state.engine.hall_day(&hall.id, state.engine.today()).await else {
        return message(ui, StatusCode::SERVICE_UNAVAILABLE, "error-internal");
    };
    let page = DisplayPage {
        board: board(&day),
        hall,
        ui,
    };
    render(StatusCode::OK, &page)
}

fn board_event(day: &HallDay) -> Event {
    Event::default()
        .event("board")
        .id(day.version.to_string())
        .json_data(board(day))
        .unwrap_or_else(|_| Event::default().comment("unrenderable"))
}

/// The display's live feed: the board now (so a display that reconnects is right at
/// once), then the board after every committed change of the hall's day.
pub(crate) async fn display_events(
    State(state): State<AppState>,
    Path(hall_id): Path<String>,
) -> Response {
    if hall_of(&state, &hall_id).await.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    // Subscribe before reading, so no change falls between the two.
    let updates = state.engine.subscribe_halls();
    let today = state.engine.today();
    let Ok(day) = state.engine.hall_day(&hall_id, today).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let first = board_event(&day);
    let seen = day.version;
    let stream = futures_util::stream::unfold(
        (Some(first), updates, seen, hall_id),
        move |(first, mut updates, mut seen, hall)| async move {
            if let Some(first) = first {
                return Some((Ok::<Event, Infallible>(first), (None, updates, seen, hall)));
            }
            loop {
                let day: Arc<HallDay> = match updates.recv().await {
                    Ok(day) => day,
                    // Missed some: the next one carries the whole board anyway.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                };
                // Another hall, or an older day than one already sent (two commands
                // answered out of order).
                if day.hall != hall || day.day != today || day.version <= seen {
                    continue;
                }
                seen = day.version;
                return Some((Ok(board_event(&day)), (None, updates, seen, hall)));
            }
        },
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

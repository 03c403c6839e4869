//! The clerk at a window: sign on for the day, then call next, call again, mark as not
//! seen, park, transfer and finish, with the hall's queue beside. Forms without
//! JavaScript; every action goes through the engine with a request id drawn with the
//! page, so a form sent twice acts once.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;
use yichuang_domain::case::Staff;
use yichuang_domain::hall::{Aging, HallCommandKind, HallDay, Ticket, TicketStatus};
use yichuang_store::Hall;

use super::hall::{ItemChoice, hall_problem_key, item_choices, item_name, status_key};
use super::staff::{refused, signed_in};
use super::{Ui, render};
use crate::state::AppState;

/// A ticket as the clerk sees it.
pub(crate) struct TicketRow {
    pub number: String,
    pub item: String,
    pub status: String,
    pub taken: String,
    pub green: bool,
    pub calls: u8,
    pub person: String,
    pub ahead: String,
}

/// The window this clerk is signed on to today, with its hall and day.
struct MyWindow {
    hall: Hall,
    window: u32,
    day: HallDay,
}

#[derive(Template)]
#[template(path = "staff/window.html")]
struct WindowPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    problem: Option<String>,
    /// Signed on: the hall, window and what it serves.
    hall: Option<Hall>,
    window: u32,
    skills: Vec<String>,
    serving: Option<TicketRow>,
    waiting: Vec<TicketRow>,
    parked: Vec<TicketRow>,
    other_windows: Vec<(u32, String)>,
    items: Vec<ItemChoice>,
    /// The ticket being served as `hall/window/number`, for the intake and case links.
    ticket_key: String,
    /// The served person's cases: (id, item, state).
    person_cases: Vec<(String, String, String)>,
    /// Not signed on: the free windows of the halls in reach, as (hall id, hall name,
    /// window, label).
    free: Vec<(String, String, u32, String)>,
    /// The ticket this clerk last finished here, while still to rate: (number, the
    /// rating form's address, its QR code as SVG).
    rate_last: Option<(String, String, String)>,
}

fn clock_text(at: Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .strftime("%H:%M")
        .to_string()
}

fn row(state: &AppState, ui: &Ui, day: &HallDay, ticket: &Ticket, now: Timestamp) -> TicketRow {
    let ahead = day
        .estimate(&ticket.number, now, Aging::default())
        .map(|e| e.ahead.to_string())
        .unwrap_or_default();
    TicketRow {
        number: ticket.number.clone(),
        item: item_name(state, ticket.item.as_deref(), ui),
        status: ui.t(status_key(ticket.status)),
        taken: clock_text(ticket.taken_at),
        green: ticket.green.is_some(),
        calls: ticket.calls,
        person: ticket
            .person
            .as_deref()
            .map(yichuang_domain::resident_id::mask)
            .unwrap_or_default(),
        ahead,
    }
}

async fn halls_in_reach(state: &AppState, staff: &Staff) -> Vec<Hall> {
    state
        .store
        .halls(&staff.jurisdiction.subtree_prefix())
        .await
        .unwrap_or_default()
}

async fn my_window(state: &AppState, staff: &Staff, halls: &[Hall]) -> Option<MyWindow> {
    let today = state.engine.today();
    for hall in halls {
        let Ok(day) = state.engine.hall_day(&hall.id, today).await else {
            continue;
        };
        if let Some((window, _)) = day.windows.iter().find(|(_, s)| s.clerk == staff.id) {
            return Some(MyWindow {
                hall: hall.clone(),
                window: *window,
                day,
            });
        }
    }
    None
}

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    problem: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<PageQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let halls = halls_in_reach(&state, &staff).await;
    let now = Timestamp::now();
    let problem = query
        .problem
        .filter(|key| key.starts_with("hall-") || key == "error-internal")
        .map(|key| ui.t(&key))
        .filter(|text| !text.starts_with("hall-"));
    let mut page = WindowPage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        problem,
        hall: None,
        window: 0,
        skills: Vec::new(),
        serving: None,
        waiting: Vec::new(),
        parked: Vec::new(),
        other_windows: Vec::new(),
        items: item_choices(&state),
        ticket_key: String::new(),
        person_cases: Vec::new(),
        free: Vec::new(),
        rate_last: None,
        ui: ui.clone(),
    };
    match my_window(&state, &staff, &halls).await {
        Some(mine) => {
            let day = &mine.day;
            if let Some(session) = day.windows.get(&mine.window) {
                page.skills = session
                    .skills
                    .iter()
                    .map(|(project, level)| {
                        format!(
                            "{} · {}",
                            project_name(&state, project),
                            ui.t(&format!("skill-{}", level.name()))
                        )
                    })
                    .collect();
            }
            if let Some(t) = day.serving(mine.window) {
                page.serving = Some(row(&state, &ui, day, t, now));
                page.ticket_key = format!("{}/{}/{}", mine.hall.id, mine.window, t.number);
                if let Some(person) = &t.person {
                    page.person_cases = state
                        .store
                        .cases_of_party(person, 20)
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| {
                            let item = item_name(&state, Some(&c.item), &ui);
                            let case_state = super::words::state_key_named(&c.state)
                                .map_or_else(|| c.state.clone(), |k| ui.t(k));
                            (c.id, item, case_state)
                        })
                        .collect();
                }
            }
            let mut waiting: Vec<&Ticket> = day.waiting().collect();
            waiting.sort_by_key(|t| {
                day.estimate(&t.number, now, Aging::default())
                    .map_or(u32::MAX, |e| e.ahead)
            });
            page.waiting = waiting
                .into_iter()
                .map(|t| row(&state, &ui, day, t, now))
                .collect();
            page.parked = day
                .tickets
                .iter()
                .filter(|t| matches!(t.status, TicketStatus::Parked | TicketStatus::Missed))
                .map(|t| row(&state, &ui, day, t, now))
                .collect();
            page.other_windows = mine
                .hall
                .windows
                .iter()
                .filter(|w| w.number != mine.window)
                .map(|w| (w.number, w.label.clone()))
                .collect();
            page.rate_last = rate_last(&state, &staff.id, &mine.hall.id, day, mine.window).await;
            page.window = mine.window;
            page.hall = Some(mine.hall);
        }
        None => {
            let today = state.engine.today();
            for hall in &halls {
                let taken = state
                    .engine
                    .hall_day(&hall.id, today)
                    .await
                    .map(|d| d.windows.keys().copied().collect::<Vec<_>>())
                    .unwrap_or_default();
                for w in hall.windows.iter().filter(|w| !taken.contains(&w.number)) {
                    page.free.push((
                        hall.id.clone(),
                        hall.name.clone(),
                        w.number,
                        w.label.clone(),
                    ));
                }
            }
        }
    }
    render(StatusCode::OK, &page)
}

fn project_name(state: &AppState, project: &str) -> String {
    state
        .catalog
        .catalog
        .projects
        .iter()
        .find(|p| p.id == project)
        .map_or_else(|| project.to_owned(), |p| p.name.clone())
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActionForm {
    csrf: String,
    nonce: String,
    action: String,
    #[serde(default)]
    hall: String,
    #[serde(default)]
    window: String,
    /// Signing on: `hall/window` from the list of free windows.
    #[serde(default)]
    choice: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    to_window: String,
    /// Finishing a ticket with the case taken in while serving it.
    #[serde(default)]
    case_id: String,
}

/// What the form asks, as a hall command, or the key of what is wrong with it.
fn command_of(form: &ActionForm) -> Result<HallCommandKind, &'static str> {
    let window = || {
        form.window
            .trim()
            .parse::<u32>()
            .map_err(|_| "hall-form-window")
    };
    Ok(match form.action.as_str() {
        "open" => HallCommandKind::OpenWindow {
            window: window()?,
            clerk_name: String::new(),
            skills: Default::default(),
        },
        "close" => HallCommandKind::CloseWindow { window: window()? },
        "call" => HallCommandKind::CallNext { window: window()? },
        "recall" => HallCommandKind::Recall { window: window()? },
        "no_show" => HallCommandKind::NoShow { window: window()? },
        "park" => HallCommandKind::Park { window: window()? },
        "finish" => HallCommandKind::Finish {
            window: window()?,
            case_id: Some(form.case_id.trim())
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        },
        "return" => HallCommandKind::Return {
            number: form.number.trim().to_owned(),
        },
        "transfer" => HallCommandKind::Transfer {
            window: window()?,
            item: Some(form.item.trim())
                .filter(|i| !i.is_empty())
                .map(str::to_owned),
            to_window: match form.to_window.trim() {
                "" => None,
                w => Some(w.parse().map_err(|_| "hall-form-window")?),
            },
        },
        _ => return Err("hall-form-action"),
    })
}

pub(crate) async fn act(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<ActionForm>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    if csrf != form.csrf {
        return refused(ui, StatusCode::FORBIDDEN, "staff-csrf");
    }
    let mut form = form;
    if let Some((hall, window)) = form.choice.rsplit_once('/') {
        form.hall = hall.to_owned();
        form.window = window.to_owned();
    }
    let kind = match command_of(&form) {
        Ok(kind) => kind,
        Err(key) => return back_with(key),
    };
    let nonce: String = form.nonce.chars().take(64).collect();
    let request_id = format!("window-{}-{nonce}", form.action);
    match state
        .engine
        .execute_hall_as(&staff, &request_id, &form.hall, kind)
        .await
    {
        Ok(_) => Redirect::to("/staff/window").into_response(),
        Err(e) => back_with(&hall_problem_key(&e)),
    }
}

/// Back to the window page naming the problem (post, redirect, get): by its text key,
/// so that a link can never put words of its own on the page.
fn back_with(problem: &str) -> Response {
    let query = serde_urlencoded::to_string([("problem", problem)]).unwrap_or_default();
    Redirect::to(&format!("/staff/window?{query}")).into_response()
}

/// The last ticket `clerk` finished at `window` today, if the person has not rated the
/// visit yet: the pad (or the person's phone, by the QR code) opens the form.
async fn rate_last(
    state: &AppState,
    clerk: &str,
    hall: &str,
    day: &HallDay,
    window: u32,
) -> Option<(String, String, String)> {
    let last = day
        .tickets
        .iter()
        .filter(|t| {
            t.status == TicketStatus::Finished
                && t.window == Some(window)
                && t.served_by.as_deref() == Some(clerk)
        })
        .max_by_key(|t| t.finished_at)?;
    let subject = yichuang_domain::rating::Subject::Ticket {
        hall: hall.to_owned(),
        day: day.day,
        number: last.number.clone(),
    };
    let file = state.engine.rating_file(&subject).await.ok()?;
    if file.rating(yichuang_domain::rating::Stage::Visit).is_some() {
        return None;
    }
    let visit = format!("{hall}/{}/{}", day.day, last.number);
    let sig = crate::outbox::visit_signature(&state.messages, &visit);
    let path = format!("/rate/visit/{visit}?sig={sig}");
    let url = format!("{}{path}", state.messages.public_url.trim_end_matches('/'));
    let svg = super::qr::qr_svg(&url)?;
    Some((last.number.clone(), path, svg))
}

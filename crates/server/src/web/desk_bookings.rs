//! The hall's bookings at the desk: a day's bookings with check-in and cancel, and
//! booking for someone on the phone or at the window (the internal quota) or a home
//! visit (上门服务) by a named clerk.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, Time};
use serde::Deserialize;
use yichuang_domain::hall::{AppointmentCommandKind, BookingStatus, Quota, Visit};
use yichuang_store::Hall;

use super::hall::{ItemChoice, item_choices, item_name};
use super::staff::signed_in;
use super::{Ui, render};
use crate::state::AppState;

pub(crate) struct BookingRow {
    pub code: String,
    pub slot: String,
    pub item: String,
    pub person: String,
    pub kind: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "staff/bookings.html")]
struct BookingsPage {
    ui: Ui,
    csrf: String,
    nonce: String,
    halls: Vec<(String, String, bool)>,
    hall: String,
    day: String,
    today: bool,
    rows: Vec<BookingRow>,
    slots: Vec<String>,
    items: Vec<ItemChoice>,
    problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct BookingsQuery {
    #[serde(default)]
    hall: String,
    #[serde(default)]
    day: String,
    #[serde(default)]
    problem: String,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Query(query): Query<BookingsQuery>,
) -> Response {
    let Some((staff, csrf, _)) = signed_in(&state, &headers).await else {
        return Redirect::to("/staff/login").into_response();
    };
    let halls: Vec<Hall> = state
        .store
        .halls(&staff.jurisdiction.subtree_prefix())
        .await
        .unwrap_or_default();
    let hall = halls
        .iter()
        .find(|h| h.id == query.hall)
        .or_else(|| halls.first())
        .cloned();
    let today = state.engine.today();
    let day = query.day.parse::<Date>().unwrap_or(today);
    let mut rows = Vec::new();
    let mut slots = Vec::new();
    if let Some(hall) = &hall {
        let schedule = state
            .store
            .hall_schedule(&hall.id)
            .await
            .unwrap_or_default();
        slots = schedule
            .slots()
            .iter()
            .map(|s| s.strftime("%H:%M").to_string())
            .collect();
        if let Ok(booked) = state.engine.appointment_day(&hall.id, day).await {
            let mut bookings: Vec<_> = booked.bookings.iter().collect();
            bookings.sort_by(|a, b| (a.slot, &a.code).cmp(&(b.slot, &b.code)));
            for b in bookings {
                rows.push(BookingRow {
                    code: b.code.clone(),
                    slot: b.slot.strftime("%H:%M").to_string(),
                    item: item_name(&state, Some(&b.item), &ui),
                    person: yichuang_domain::resident_id::mask(&b.person),
                    kind: match &b.visit {
                        Visit::Hall => ui.t(match b.quota {
                            Quota::Public => "bookings-online",
                            Quota::Intern => "bookings-staff",
                        }),
                        Visit::Home { address, clerk } => super::i18n::text_with(
                            ui.lang,
                            "bookings-home",
                            &[("address", address.clone()), ("clerk", clerk.clone())],
                        ),
                    },
                    status: ui.t(match b.status {
                        BookingStatus::Booked => "booking-booked",
                        BookingStatus::Cancelled => "booking-cancelled",
                        BookingStatus::CheckedIn => "booking-checked-in",
                    }),
                    open: b.status == BookingStatus::Booked,
                });
            }
        }
    }
    let problem = Some(query.problem)
        .filter(|k| k.starts_with("booking-error-") || k.starts_with("hall-error-"))
        .map(|k| ui.t(&k))
        .filter(|t| !t.starts_with("booking-error-") && !t.starts_with("hall-error-"));
    let hall_id = hall.as_ref().map(|h| h.id.clone()).unwrap_or_default();
    let page = BookingsPage {
        csrf,
        nonce: uuid::Uuid::now_v7().to_string(),
        halls: halls
            .iter()
            .map(|h| (h.id.clone(), h.name.clone(), h.id == hall_id))
            .collect(),
        hall: hall_id,
        day: day.to_string(),
        today: day == today,
        rows,
        slots,
        items: item_choices(&state),
        problem,
        ui,
    };
    render(StatusCode::OK, &page)
}

pub(crate) async fn act(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (staff, _, form) = match super::form::staff_post(&state, &ui, &headers, pairs).await {
        Ok(sent) => sent,
        Err(answer) => return answer,
    };
    let field = |name: &str| form.field(name).to_owned();
    let (hall, day_text) = (field("hall"), field("day"));
    let back = |problem: Option<String>| {
        let mut query = vec![("hall", hall.clone()), ("day", day_text.clone())];
        if let Some(p) = problem {
            query.push(("problem", p));
        }
        let q = serde_urlencoded::to_string(&query).unwrap_or_default();
        Redirect::to(&format!("/staff/bookings?{q}")).into_response()
    };
    let Ok(day) = day_text.parse::<Date>() else {
        return back(Some("booking-error-past-day".to_owned()));
    };
    let nonce: String = field("nonce").chars().take(64).collect();
    let request_id = format!("desk-booking-{nonce}");
    let key = |e: &yichuang_engine::EngineError| match e {
        yichuang_engine::EngineError::Appointment(a) => {
            format!("booking-error-{}", a.code().replace('_', "-"))
        }
        other => super::hall::hall_problem_key(other),
    };
    let outcome = match field("action").as_str() {
        "check_in" => state
            .engine
            .check_in(Some(&staff), &request_id, &hall, &field("code"))
            .await
            .map(|_| ()),
        "cancel" => state
            .engine
            .execute_appointment_as(
                &staff,
                &request_id,
                &hall,
                day,
                AppointmentCommandKind::Cancel {
                    code: field("code"),
                },
            )
            .await
            .map(|_| ()),
        "move" => {
            let Ok(slot) = Time::strptime("%H:%M", field("slot")) else {
                return back(Some("booking-error-no-such-slot".to_owned()));
            };
            state
                .engine
                .execute_appointment_as(
                    &staff,
                    &request_id,
                    &hall,
                    day,
                    AppointmentCommandKind::Move {
                        code: field("code"),
                        slot,
                    },
                )
                .await
                .map(|_| ())
        }
        "book" => {
            let Ok(slot) = Time::strptime("%H:%M", field("slot")) else {
                return back(Some("booking-error-no-such-slot".to_owned()));
            };
            let address = field("address");
            let visit = if address.is_empty() {
                Visit::Hall
            } else {
                Visit::Home {
                    address,
                    clerk: staff.id.clone(),
                }
            };
            state
                .engine
                .execute_appointment_as(
                    &staff,
                    &request_id,
                    &hall,
                    day,
                    AppointmentCommandKind::Book {
                        slot,
                        person: field("person"),
                        item: field("item"),
                        quota: Quota::Intern,
                        visit,
                    },
                )
                .await
                .map(|_| ())
        }
        _ => return back(None),
    };
    match outcome {
        Ok(()) => back(None),
        Err(e) => back(Some(key(&e))),
    }
}

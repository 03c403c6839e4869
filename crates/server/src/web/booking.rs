//! Booking a visit online (网上预约): a hall's free places by day and slot, booking one
//! as the signed-in person, "my appointments" with cancelling, and checking a booking
//! in at the hall (code and the last four characters of the identity number), which
//! gives a queue ticket that goes before walk-ins.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde::Deserialize;
use yichuang_domain::hall::{
    AppointmentCommand, AppointmentCommandKind, AppointmentDay, BookingStatus, Quota, Schedule,
    Visit,
};
use yichuang_engine::EngineError;
use yichuang_store::Hall;

use super::citizen::{current, to_sign_in};
use super::dates::written;
use super::hall::{ItemChoice, item_choices, item_name};
use super::{Ui, message, render};
use crate::state::AppState;

/// The Fluent key that says why a booking command was refused.
pub(crate) fn booking_problem(ui: &Ui, error: &EngineError) -> String {
    let key = match error {
        EngineError::Appointment(e) => format!("booking-error-{}", e.code().replace('_', "-")),
        EngineError::Hall(_) => super::hall::hall_problem_key(error),
        EngineError::Forbidden(_) => "hall-error-forbidden".to_owned(),
        _ => "error-internal".to_owned(),
    };
    ui.t(&key)
}

pub(crate) struct DayChoice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

pub(crate) struct SlotRow {
    pub value: String,
    pub label: String,
    pub free: u32,
}

#[derive(Template)]
#[template(path = "public/booking.html")]
struct BookingPage {
    ui: Ui,
    hall: Hall,
    items: Vec<ItemChoice>,
    item: String,
    days: Vec<DayChoice>,
    day: String,
    slots: Vec<SlotRow>,
    signed_in: bool,
    csrf: String,
    nonce: String,
    problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct BookingQuery {
    #[serde(default)]
    item: String,
    #[serde(default)]
    day: String,
}

/// The working days a hall can be booked for, from today on.
fn open_days(state: &AppState, hall: &Hall, days_ahead: u32) -> Vec<Date> {
    let region = yichuang_domain::RegionCode::parse(&hall.region).ok();
    let today = state.engine.today();
    (0..=i64::from(days_ahead))
        .filter_map(|n| today.checked_add(jiff::Span::new().days(n)).ok())
        .filter(|d| {
            state
                .engine
                .calendar()
                .is_working_day(*d, region)
                .unwrap_or(false)
        })
        .collect()
}

fn china_now() -> (Date, Time) {
    let now = Timestamp::now().to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    (now.date(), now.time())
}

/// A day's slots still to come with the online places free in each.
fn slots_of(schedule: &Schedule, booked: Option<&AppointmentDay>, day: Date) -> Vec<SlotRow> {
    let (now_day, now_time) = china_now();
    schedule
        .slots()
        .into_iter()
        .filter(|slot| day != now_day || *slot > now_time)
        .map(|slot| SlotRow {
            value: slot.strftime("%H:%M").to_string(),
            label: slot.strftime("%H:%M").to_string(),
            free: booked.map_or(schedule.public_windows, |b| {
                b.free(slot, Quota::Public, schedule, Timestamp::now())
            }),
        })
        .collect()
}

async fn booking_page(
    state: &AppState,
    ui: Ui,
    hall: Hall,
    query: &BookingQuery,
    csrf: Option<String>,
    problem: Option<String>,
) -> BookingPage {
    let schedule = state
        .store
        .hall_schedule(&hall.id)
        .await
        .unwrap_or_default();
    let days = open_days(state, &hall, schedule.days_ahead);
    let day = query
        .day
        .parse::<Date>()
        .ok()
        .filter(|d| days.contains(d))
        .or_else(|| days.first().copied());
    let mut slots = Vec::new();
    if let Some(day) = day {
        let booked = state.engine.appointment_day(&hall.id, day).await.ok();
        slots = slots_of(&schedule, booked.as_ref(), day);
    }
    BookingPage {
        items: item_choices(state),
        item: query.item.clone(),
        days: days
            .iter()
            .map(|d| DayChoice {
                value: d.to_string(),
                label: written(ui.lang, *d),
                chosen: Some(*d) == day,
            })
            .collect(),
        day: day.map(|d| d.to_string()).unwrap_or_default(),
        slots,
        signed_in: csrf.is_some(),
        csrf: csrf.unwrap_or_default(),
        nonce: uuid::Uuid::now_v7().to_string(),
        problem,
        hall,
        ui,
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(hall): Path<String>,
    Query(query): Query<BookingQuery>,
) -> Response {
    let Some(hall) = state.store.hall(&hall).await.ok().flatten() else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let csrf = current(&state, &headers).await.map(|c| c.session.csrf);
    let page = booking_page(&state, ui, hall, &query, csrf, None).await;
    render(StatusCode::OK, &page)
}

#[derive(Debug, Deserialize)]
pub(crate) struct BookForm {
    csrf: String,
    nonce: String,
    item: String,
    day: String,
    slot: String,
}

pub(crate) async fn book(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Path(hall_id): Path<String>,
    Form(form): Form<BookForm>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in(&format!("/halls/{hall_id}/appointments"));
    };
    if citizen.session.csrf != form.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Some(hall) = state.store.hall(&hall_id).await.ok().flatten() else {
        return message(ui, StatusCode::NOT_FOUND, "hall-none");
    };
    let query = BookingQuery {
        item: form.item.clone(),
        day: form.day.clone(),
    };
    let parsed = (
        form.day.parse::<Date>(),
        Time::strptime("%H:%M", &form.slot),
    );
    let (Ok(day), Ok(slot)) = parsed else {
        let page = booking_page(
            &state,
            ui.clone(),
            hall,
            &query,
            Some(citizen.session.csrf.clone()),
            Some(ui.t("booking-choose")),
        )
        .await;
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let command = AppointmentCommand {
        actor: format!("online:{}", citizen.party()),
        kind: AppointmentCommandKind::Book {
            slot,
            person: citizen.party().to_owned(),
            item: form.item.clone(),
            quota: Quota::Public,
            visit: Visit::Hall,
        },
    };
    let nonce: String = form.nonce.chars().take(64).collect();
    let request_id = format!("book-{}-{nonce}", citizen.party());
    match state
        .engine
        .execute_appointment(&request_id, &hall.id, day, command)
        .await
    {
        Ok(_) => Redirect::to("/my/appointments").into_response(),
        Err(e) => {
            let problem = booking_problem(&ui, &e);
            let page = booking_page(
                &state,
                ui,
                hall,
                &query,
                Some(citizen.session.csrf.clone()),
                Some(problem),
            )
            .await;
            render(StatusCode::CONFLICT, &page)
        }
    }
}

pub(crate) struct MyBooking {
    pub hall_id: String,
    pub hall: String,
    pub day: String,
    pub day_value: String,
    pub slot: String,
    pub item: String,
    pub code: String,
    pub status: String,
    pub open: bool,
    /// Other times that day with an online place free, to move to.
    pub moves: Vec<SlotRow>,
}

#[derive(Template)]
#[template(path = "public/my_appointments.html")]
struct MyAppointments {
    ui: Ui,
    bookings: Vec<MyBooking>,
    csrf: String,
    nonce: String,
    problem: Option<String>,
}

/// The person's bookings from today on, in every hall. Reads each hall's open days
/// (a handful of halls × two weeks); a per-person index is the next step at scale.
async fn bookings_of(state: &AppState, ui: &Ui, person: &str) -> Vec<MyBooking> {
    let mut found = Vec::new();
    for hall in state.store.halls("").await.unwrap_or_default() {
        let schedule = state
            .store
            .hall_schedule(&hall.id)
            .await
            .unwrap_or_default();
        for day in open_days(state, &hall, schedule.days_ahead) {
            let Ok(booked) = state.engine.appointment_day(&hall.id, day).await else {
                continue;
            };
            let free = slots_of(&schedule, Some(&booked), day);
            for b in booked.bookings.iter().filter(|b| b.person == person) {
                let slot = b.slot.strftime("%H:%M").to_string();
                let open = b.status == BookingStatus::Booked;
                found.push(MyBooking {
                    hall_id: hall.id.clone(),
                    hall: hall.name.clone(),
                    day: written(ui.lang, day),
                    day_value: day.to_string(),
                    moves: free
                        .iter()
                        .filter(|s| open && s.free > 0 && s.value != slot)
                        .map(|s| SlotRow {
                            value: s.value.clone(),
                            label: s.label.clone(),
                            free: s.free,
                        })
                        .collect(),
                    slot,
                    item: item_name(state, Some(&b.item), ui),
                    code: b.code.clone(),
                    status: ui.t(match b.status {
                        BookingStatus::Booked => "booking-booked",
                        BookingStatus::Cancelled => "booking-cancelled",
                        BookingStatus::CheckedIn => "booking-checked-in",
                    }),
                    open,
                });
            }
        }
    }
    found
}

pub(crate) async fn mine(State(state): State<AppState>, ui: Ui, headers: HeaderMap) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in("/my/appointments");
    };
    let page = MyAppointments {
        bookings: bookings_of(&state, &ui, citizen.party()).await,
        csrf: citizen.session.csrf.clone(),
        nonce: uuid::Uuid::now_v7().to_string(),
        problem: None,
        ui,
    };
    render(StatusCode::OK, &page)
}

/// Cancelling or moving one of the person's own bookings.
#[derive(Debug, Deserialize)]
pub(crate) struct ChangeForm {
    csrf: String,
    nonce: String,
    hall: String,
    day: String,
    code: String,
    /// The new time, when moving.
    #[serde(default)]
    slot: String,
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<ChangeForm>,
) -> Response {
    let kind = AppointmentCommandKind::Cancel {
        code: form.code.clone(),
    };
    change(state, ui, headers, &form, "cancel", Ok(kind)).await
}

/// Moving a booking to another time of the same day, in one step: the new place is
/// taken before the old one is given up, so a full slot never loses the person theirs.
pub(crate) async fn move_booking(
    State(state): State<AppState>,
    ui: Ui,
    headers: HeaderMap,
    Form(form): Form<ChangeForm>,
) -> Response {
    let kind = Time::strptime("%H:%M", form.slot.trim())
        .map(|slot| AppointmentCommandKind::Move {
            code: form.code.clone(),
            slot,
        })
        .map_err(|_| "booking-choose");
    change(state, ui, headers, &form, "move", kind).await
}

async fn change(
    state: AppState,
    ui: Ui,
    headers: HeaderMap,
    form: &ChangeForm,
    verb: &str,
    kind: Result<AppointmentCommandKind, &'static str>,
) -> Response {
    let Some(citizen) = current(&state, &headers).await else {
        return to_sign_in("/my/appointments");
    };
    if citizen.session.csrf != form.csrf {
        return message(ui, StatusCode::FORBIDDEN, "error-form-expired");
    }
    let Ok(day) = form.day.parse::<Date>() else {
        return message(ui, StatusCode::UNPROCESSABLE_ENTITY, "error-not-found");
    };
    let outcome = match kind {
        Ok(kind) => {
            let command = AppointmentCommand {
                actor: format!("online:{}", citizen.party()),
                kind,
            };
            let nonce: String = form.nonce.chars().take(64).collect();
            let request_id = format!("{verb}-{}-{nonce}", citizen.party());
            state
                .engine
                .execute_appointment(&request_id, &form.hall, day, command)
                .await
                .map(|_| ())
                .map_err(|e| (StatusCode::CONFLICT, booking_problem(&ui, &e)))
        }
        Err(key) => Err((StatusCode::UNPROCESSABLE_ENTITY, ui.t(key))),
    };
    match outcome {
        Ok(()) => Redirect::to("/my/appointments").into_response(),
        Err((status, problem)) => {
            let page = MyAppointments {
                bookings: bookings_of(&state, &ui, citizen.party()).await,
                csrf: citizen.session.csrf.clone(),
                nonce: uuid::Uuid::now_v7().to_string(),
                problem: Some(problem),
                ui,
            };
            render(status, &page)
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CheckInForm {
    nonce: String,
    code: String,
    last4: String,
}

/// Checking a booking in at the hall: the code and the last four characters of the
/// identity number it was booked with.
pub(crate) async fn check_in(
    State(state): State<AppState>,
    ui: Ui,
    Path(hall_id): Path<String>,
    Form(form): Form<CheckInForm>,
) -> Response {
    let code = form.code.trim().to_uppercase();
    let today = state.engine.today();
    let owner = state
        .engine
        .appointment_day(&hall_id, today)
        .await
        .ok()
        .and_then(|d| d.booking(&code).map(|b| b.person.clone()));
    let matches = owner.as_deref().is_some_and(|person| {
        person.len() >= 4 && person[person.len() - 4..].eq_ignore_ascii_case(form.last4.trim())
    });
    if !matches {
        return message(ui, StatusCode::NOT_FOUND, "booking-check-in-unknown");
    }
    let nonce: String = form.nonce.chars().take(64).collect();
    match state
        .engine
        .check_in(None, &format!("check-in-{nonce}"), &hall_id, &code)
        .await
    {
        Ok(taken) => match taken.ticket {
            Some(ticket) => {
                Redirect::to(&format!("/halls/{hall_id}/tickets/{}", ticket.number)).into_response()
            }
            None => message(ui, StatusCode::INTERNAL_SERVER_ERROR, "error-internal"),
        },
        Err(e) => {
            let page = super::MessagePage {
                heading: ui.t("error-title"),
                message: booking_problem(&ui, &e),
                back: format!("/halls/{hall_id}/ticket"),
                ui,
            };
            render(StatusCode::CONFLICT, &page)
        }
    }
}

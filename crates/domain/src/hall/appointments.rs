//! Appointments (预约): a hall's bookings for one day as an aggregate, so that no slot
//! is booked past its capacity however many people book at once. Slots come from the
//! hall's opening hours; each slot has a public quota (booked online) and an internal
//! one (booked by staff or for a caller on the phone), as ZMS's
//! `workstationCount.public/intern`. A cancelled booking keeps its place for a while
//! (against slot trading), a person books at most a few times a day, and 上门服务 is
//! a visit by a named clerk to someone who cannot come.

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::ResidentId;

/// A hall's appointment rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Schedule {
    /// Opening hours on working days, as (from, to) with breaks between them.
    pub hours: Vec<(Time, Time)>,
    /// ZMS's default is 10 minutes.
    pub slot_minutes: u32,
    /// Windows kept for online bookings per slot.
    pub public_windows: u32,
    /// Windows kept for bookings by staff and the phone line per slot.
    pub intern_windows: u32,
    /// Bookings one person may hold in a hall on one day.
    pub per_person_per_day: u32,
    /// How long a cancelled booking still holds its slot (ZMS: 30 minutes).
    pub release_minutes: i64,
    /// How far ahead a day may be booked.
    pub days_ahead: u32,
    /// The hall's green-lane rules (the national default when not set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub green_lane: Option<super::rules::GreenLanePolicy>,
}

impl Default for Schedule {
    fn default() -> Schedule {
        Schedule {
            hours: vec![
                (Time::constant(9, 0, 0, 0), Time::constant(12, 0, 0, 0)),
                (Time::constant(13, 30, 0, 0), Time::constant(17, 0, 0, 0)),
            ],
            slot_minutes: 10,
            public_windows: 1,
            intern_windows: 1,
            per_person_per_day: 2,
            release_minutes: 30,
            days_ahead: 14,
            green_lane: None,
        }
    }
}

/// Why opening hours were not understood: which interval (1-based) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("interval {index} ({text:?}): {problem}")]
pub struct HoursError {
    pub index: usize,
    pub text: String,
    pub problem: &'static str,
}

impl HoursError {
    pub const FORMAT: &'static str = "write it as HH:MM-HH:MM";
    pub const TIME: &'static str = "a time is not HH:MM";
    pub const ORDER: &'static str = "it ends before it begins";
    pub const OVERLAP: &'static str = "it begins before the one before it ends";

    /// A stable code for the problem (`format`, `time`, `order`, `overlap`).
    pub fn code(&self) -> &'static str {
        match self.problem {
            HoursError::FORMAT => "format",
            HoursError::TIME => "time",
            HoursError::ORDER => "order",
            _ => "overlap",
        }
    }
}

impl Schedule {
    /// "09:00-12:00,13:30-17:00" → the intervals, in order and not overlapping.
    pub fn parse_hours(text: &str) -> Result<Vec<(Time, Time)>, HoursError> {
        let mut hours: Vec<(Time, Time)> = Vec::new();
        for (index, part) in text.split(',').enumerate() {
            let error = |problem| HoursError {
                index: index + 1,
                text: part.trim().to_owned(),
                problem,
            };
            let (from, to) = part
                .trim()
                .split_once('-')
                .ok_or_else(|| error(HoursError::FORMAT))?;
            let time =
                |t: &str| Time::strptime("%H:%M", t.trim()).map_err(|_| error(HoursError::TIME));
            let (from, to) = (time(from)?, time(to)?);
            if from >= to {
                return Err(error(HoursError::ORDER));
            }
            if hours.last().is_some_and(|(_, last)| from < *last) {
                return Err(error(HoursError::OVERLAP));
            }
            hours.push((from, to));
        }
        Ok(hours)
    }

    /// The hours as they are written.
    pub fn hours_text(&self) -> String {
        self.hours
            .iter()
            .map(|(from, to)| format!("{}-{}", from.strftime("%H:%M"), to.strftime("%H:%M")))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Every slot's start in a day, in order.
    pub fn slots(&self) -> Vec<Time> {
        let step = SignedDuration::from_mins(i64::from(self.slot_minutes.max(1)));
        let mut slots = Vec::new();
        for (from, to) in &self.hours {
            let mut at = *from;
            while let Ok(end) = at.checked_add(step) {
                if end > *to {
                    break;
                }
                slots.push(at);
                at = end;
            }
        }
        slots
    }

    pub fn capacity(&self, quota: Quota) -> u32 {
        match quota {
            Quota::Public => self.public_windows,
            Quota::Intern => self.intern_windows,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Quota {
    Public,
    Intern,
}

/// At the hall, or at the person's home by a named clerk (上门服务).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Visit {
    Hall,
    Home { address: String, clerk: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Cancelled,
    CheckedIn,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Booking {
    /// `Y0930-2`: the slot and the booking's place in the day.
    pub code: String,
    pub slot: Time,
    pub person: String,
    pub item: String,
    pub quota: Quota,
    pub visit: Visit,
    pub status: BookingStatus,
    pub booked_at: Timestamp,
    pub cancelled_at: Option<Timestamp>,
    /// The queue ticket taken when checked in.
    pub ticket: Option<String>,
}

impl Booking {
    /// Whether it still holds its slot at `at` (a cancelled one for a while).
    fn holds(&self, at: Timestamp, release_minutes: i64) -> bool {
        match (self.status, self.cancelled_at) {
            (BookingStatus::Cancelled, Some(cancelled)) => {
                at < cancelled + SignedDuration::from_mins(release_minutes)
            }
            (BookingStatus::Cancelled, None) => false,
            _ => true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentDay {
    pub hall: String,
    pub day: Date,
    pub version: u64,
    pub bookings: Vec<Booking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentEvent {
    pub hall: String,
    pub day: Date,
    pub seq: u64,
    pub at: Timestamp,
    pub actor: String,
    pub body: AppointmentEventBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AppointmentEventBody {
    Booked {
        booking: Box<Booking>,
    },
    Cancelled {
        code: String,
    },
    CheckedIn {
        code: String,
        ticket: String,
    },
    /// Another slot the same day, in one step: the new place is taken and the old one
    /// released (after the release delay, as a cancellation) together.
    Moved {
        code: String,
        booking: Box<Booking>,
    },
}

impl AppointmentEventBody {
    pub fn name(&self) -> &'static str {
        match self {
            AppointmentEventBody::Booked { .. } => "booked",
            AppointmentEventBody::Cancelled { .. } => "cancelled",
            AppointmentEventBody::CheckedIn { .. } => "checked_in",
            AppointmentEventBody::Moved { .. } => "moved",
        }
    }

    /// The booking the event leaves: for a move, the new one.
    pub fn code(&self) -> &str {
        match self {
            AppointmentEventBody::Booked { booking }
            | AppointmentEventBody::Moved { booking, .. } => &booking.code,
            AppointmentEventBody::Cancelled { code }
            | AppointmentEventBody::CheckedIn { code, .. } => code,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum AppointmentCommandKind {
    Book {
        slot: Time,
        person: String,
        item: String,
        quota: Quota,
        visit: Visit,
    },
    Cancel {
        code: String,
    },
    /// To another slot of the same day.
    Move {
        code: String,
        slot: Time,
    },
    CheckIn {
        code: String,
        ticket: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentCommand {
    /// A staff id, or `online:<party>` for the person themselves.
    pub actor: String,
    pub kind: AppointmentCommandKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppointmentError {
    #[error("the hall is closed on {day} (not a working day)")]
    Closed { day: Date },
    #[error("{day} is in the past")]
    PastDay { day: Date },
    #[error("{day} is more than {days} days ahead")]
    TooFarAhead { day: Date, days: u32 },
    #[error("{slot} is not a slot of the hall's opening hours")]
    NoSuchSlot { slot: Time },
    #[error("the slot at {slot} has already begun")]
    SlotPassed { slot: Time },
    #[error("the slot at {slot} is fully booked")]
    SlotFull { slot: Time },
    #[error("this person already has {limit} bookings that day")]
    TooManyBookings { limit: u32 },
    #[error("this person already has the slot at {slot}")]
    AlreadyBooked { slot: Time },
    #[error("no item {item:?} in the catalog")]
    UnknownItem { item: String },
    #[error("the identity number is not valid: {problem}")]
    BadPerson { problem: String },
    #[error("a home visit needs an address and a clerk")]
    HomeVisitIncomplete,
    #[error("{clerk} already has a home visit at {slot}")]
    ClerkBusy { clerk: String, slot: Time },
    #[error("a home visit is booked by staff, not online")]
    HomeVisitNotOnline,
    #[error("there is no booking {code}")]
    NoSuchBooking { code: String },
    #[error("booking {code} is no longer open")]
    NotOpen { code: String },
    #[error("only the person who booked, or staff, may change booking {code}")]
    NotYours { code: String },
    #[error("check-in for {slot} opens 30 minutes before and closes when the slot ends")]
    OutsideCheckIn { slot: Time },
}

impl AppointmentError {
    pub fn code(&self) -> &'static str {
        match self {
            AppointmentError::Closed { .. } => "closed",
            AppointmentError::PastDay { .. } => "past_day",
            AppointmentError::TooFarAhead { .. } => "too_far_ahead",
            AppointmentError::NoSuchSlot { .. } => "no_such_slot",
            AppointmentError::SlotPassed { .. } => "slot_passed",
            AppointmentError::SlotFull { .. } => "slot_full",
            AppointmentError::TooManyBookings { .. } => "too_many_bookings",
            AppointmentError::AlreadyBooked { .. } => "already_booked",
            AppointmentError::UnknownItem { .. } => "unknown_item",
            AppointmentError::BadPerson { .. } => "bad_person",
            AppointmentError::HomeVisitIncomplete => "home_visit_incomplete",
            AppointmentError::ClerkBusy { .. } => "clerk_busy",
            AppointmentError::HomeVisitNotOnline => "home_visit_not_online",
            AppointmentError::NoSuchBooking { .. } => "no_such_booking",
            AppointmentError::NotOpen { .. } => "not_open",
            AppointmentError::NotYours { .. } => "not_yours",
            AppointmentError::OutsideCheckIn { .. } => "outside_check_in",
        }
    }
}

/// What the rules need besides the day: now, the hall's rules, whether the day is a
/// working day of the legal calendar, and the catalog.
pub struct AppointmentContext<'a> {
    pub at: Timestamp,
    pub today: Date,
    pub schedule: &'a Schedule,
    pub working_day: bool,
    pub item_exists: &'a dyn Fn(&str) -> bool,
}

impl std::fmt::Debug for AppointmentContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppointmentContext")
            .field("at", &self.at)
            .field("working_day", &self.working_day)
            .finish_non_exhaustive()
    }
}

/// Minutes before its slot that a booking may be checked in.
pub const CHECK_IN_EARLY_MINUTES: i64 = 30;

/// The civil time in China (UTC+8) of an instant.
fn china_time(at: Timestamp) -> (Date, Time) {
    let zoned = at.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    (zoned.date(), zoned.time())
}

impl AppointmentDay {
    pub fn new(hall: &str, day: Date) -> AppointmentDay {
        AppointmentDay {
            hall: hall.to_owned(),
            day,
            version: 0,
            bookings: Vec::new(),
        }
    }

    pub fn stream_id(hall: &str, day: Date) -> String {
        format!("appointments/{hall}/{day}")
    }

    pub fn booking(&self, code: &str) -> Option<&Booking> {
        self.bookings.iter().find(|b| b.code == code)
    }

    /// Whether `person` holds a live booking at `slot`.
    fn holds_slot(&self, person: &str, slot: Time) -> bool {
        self.bookings
            .iter()
            .any(|b| b.person == person && b.slot == slot && b.status != BookingStatus::Cancelled)
    }

    /// Places still free in a slot for a quota at `at`.
    pub fn free(&self, slot: Time, quota: Quota, schedule: &Schedule, at: Timestamp) -> u32 {
        let taken = self
            .bookings
            .iter()
            .filter(|b| b.slot == slot && b.quota == quota && b.visit == Visit::Hall)
            .filter(|b| b.holds(at, schedule.release_minutes))
            .count() as u32;
        schedule.capacity(quota).saturating_sub(taken)
    }

    pub fn apply(&mut self, event: &AppointmentEvent) {
        self.version = event.seq;
        match &event.body {
            AppointmentEventBody::Booked { booking } => self.bookings.push((**booking).clone()),
            AppointmentEventBody::Cancelled { code } => self.cancel(code, event.at),
            AppointmentEventBody::Moved { code, booking } => {
                self.cancel(code, event.at);
                self.bookings.push((**booking).clone());
            }
            AppointmentEventBody::CheckedIn { code, ticket } => {
                if let Some(b) = self.bookings.iter_mut().find(|b| &b.code == code) {
                    b.status = BookingStatus::CheckedIn;
                    b.ticket = Some(ticket.clone());
                }
            }
        }
    }

    fn cancel(&mut self, code: &str, at: Timestamp) {
        if let Some(b) = self.bookings.iter_mut().find(|b| b.code == code) {
            b.status = BookingStatus::Cancelled;
            b.cancelled_at = Some(at);
        }
    }

    /// The code the next booking of a slot gets: the slot and its place in it.
    fn next_code(&self, slot: Time) -> String {
        format!(
            "Y{}-{}",
            slot.strftime("%H%M"),
            self.bookings.iter().filter(|b| b.slot == slot).count() + 1
        )
    }

    pub fn replay<'a>(
        hall: &str,
        day: Date,
        events: impl IntoIterator<Item = &'a AppointmentEvent>,
    ) -> AppointmentDay {
        let mut state = AppointmentDay::new(hall, day);
        for e in events {
            state.apply(e);
        }
        state
    }
}

/// Decides a booking command, or says why not.
pub fn decide_appointment(
    day: &AppointmentDay,
    command: &AppointmentCommand,
    ctx: &AppointmentContext<'_>,
) -> Result<AppointmentEvent, AppointmentError> {
    let online = command.actor.starts_with("online:");
    let body = match &command.kind {
        AppointmentCommandKind::Book {
            slot,
            person,
            item,
            quota,
            visit,
        } => {
            check_day_and_slot(day, *slot, ctx)?;
            if !(ctx.item_exists)(item) {
                return Err(AppointmentError::UnknownItem { item: item.clone() });
            }
            let person = ResidentId::parse(person, ctx.today)
                .map_err(|e| AppointmentError::BadPerson {
                    problem: e.to_string(),
                })?
                .value
                .as_str()
                .to_owned();
            // Online, a person books for themselves and only the public quota.
            let quota = if online { Quota::Public } else { *quota };
            let held = day
                .bookings
                .iter()
                .filter(|b| b.person == person && b.status != BookingStatus::Cancelled)
                .count();
            if held as u32 >= ctx.schedule.per_person_per_day && !day.holds_slot(&person, *slot) {
                return Err(AppointmentError::TooManyBookings {
                    limit: ctx.schedule.per_person_per_day,
                });
            }
            if let Visit::Home { address, clerk } = visit {
                if online {
                    return Err(AppointmentError::HomeVisitNotOnline);
                }
                if address.trim().is_empty() || clerk.trim().is_empty() {
                    return Err(AppointmentError::HomeVisitIncomplete);
                }
            }
            check_place(day, &person, *slot, quota, visit, ctx)?;
            AppointmentEventBody::Booked {
                booking: Box::new(Booking {
                    code: day.next_code(*slot),
                    slot: *slot,
                    person,
                    item: item.clone(),
                    quota,
                    visit: visit.clone(),
                    status: BookingStatus::Booked,
                    booked_at: ctx.at,
                    cancelled_at: None,
                    ticket: None,
                }),
            }
        }
        AppointmentCommandKind::Move { code, slot } => {
            let booking = open_booking(day, code)?;
            if online && command.actor != format!("online:{}", booking.person) {
                return Err(AppointmentError::NotYours { code: code.clone() });
            }
            check_day_and_slot(day, *slot, ctx)?;
            check_place(
                day,
                &booking.person,
                *slot,
                booking.quota,
                &booking.visit,
                ctx,
            )?;
            AppointmentEventBody::Moved {
                code: code.clone(),
                booking: Box::new(Booking {
                    code: day.next_code(*slot),
                    slot: *slot,
                    status: BookingStatus::Booked,
                    booked_at: ctx.at,
                    cancelled_at: None,
                    ticket: None,
                    ..booking.clone()
                }),
            }
        }
        AppointmentCommandKind::Cancel { code } => {
            let booking = open_booking(day, code)?;
            if online && command.actor != format!("online:{}", booking.person) {
                return Err(AppointmentError::NotYours { code: code.clone() });
            }
            AppointmentEventBody::Cancelled { code: code.clone() }
        }
        AppointmentCommandKind::CheckIn { code, ticket } => {
            let booking = open_booking(day, code)?;
            let (now_day, now_time) = china_time(ctx.at);
            let opens = booking
                .slot
                .checked_sub(SignedDuration::from_mins(CHECK_IN_EARLY_MINUTES))
                .unwrap_or(Time::MIN);
            let closes = booking
                .slot
                .checked_add(SignedDuration::from_mins(i64::from(
                    ctx.schedule.slot_minutes,
                )))
                .unwrap_or(Time::MAX);
            if now_day != day.day || now_time < opens || now_time > closes {
                return Err(AppointmentError::OutsideCheckIn { slot: booking.slot });
            }
            AppointmentEventBody::CheckedIn {
                code: code.clone(),
                ticket: ticket.clone(),
            }
        }
    };
    Ok(AppointmentEvent {
        hall: day.hall.clone(),
        day: day.day,
        seq: day.version + 1,
        at: ctx.at,
        actor: command.actor.clone(),
        body,
    })
}

/// The day may be booked now and `slot` is one of its slots still to come.
fn check_day_and_slot(
    day: &AppointmentDay,
    slot: Time,
    ctx: &AppointmentContext<'_>,
) -> Result<(), AppointmentError> {
    if day.day < ctx.today {
        return Err(AppointmentError::PastDay { day: day.day });
    }
    let last = ctx
        .today
        .checked_add(jiff::Span::new().days(i64::from(ctx.schedule.days_ahead)))
        .unwrap_or(ctx.today);
    if day.day > last {
        return Err(AppointmentError::TooFarAhead {
            day: day.day,
            days: ctx.schedule.days_ahead,
        });
    }
    if !ctx.working_day {
        return Err(AppointmentError::Closed { day: day.day });
    }
    if !ctx.schedule.slots().contains(&slot) {
        return Err(AppointmentError::NoSuchSlot { slot });
    }
    let (now_day, now_time) = china_time(ctx.at);
    if day.day == now_day && slot <= now_time {
        return Err(AppointmentError::SlotPassed { slot });
    }
    Ok(())
}

/// `person` may take a place at `slot`: not already theirs, a place free in the quota
/// at the hall, or the named clerk free for a home visit.
fn check_place(
    day: &AppointmentDay,
    person: &str,
    slot: Time,
    quota: Quota,
    visit: &Visit,
    ctx: &AppointmentContext<'_>,
) -> Result<(), AppointmentError> {
    if day.holds_slot(person, slot) {
        return Err(AppointmentError::AlreadyBooked { slot });
    }
    match visit {
        Visit::Hall => {
            if day.free(slot, quota, ctx.schedule, ctx.at) == 0 {
                return Err(AppointmentError::SlotFull { slot });
            }
        }
        Visit::Home { clerk, .. } => {
            let busy = day.bookings.iter().any(|b| {
                b.slot == slot
                    && b.status != BookingStatus::Cancelled
                    && matches!(&b.visit, Visit::Home { clerk: c, .. } if c == clerk)
            });
            if busy {
                return Err(AppointmentError::ClerkBusy {
                    clerk: clerk.clone(),
                    slot,
                });
            }
        }
    }
    Ok(())
}

fn open_booking<'a>(day: &'a AppointmentDay, code: &str) -> Result<&'a Booking, AppointmentError> {
    let booking = day
        .booking(code)
        .ok_or_else(|| AppointmentError::NoSuchBooking {
            code: code.to_owned(),
        })?;
    if booking.status != BookingStatus::Booked {
        return Err(AppointmentError::NotOpen {
            code: code.to_owned(),
        });
    }
    Ok(booking)
}

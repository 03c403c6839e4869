//! When a booking's reminder (短信提醒) goes out and what it changes: a message the
//! working day before the visit, at a fixed hour, taken back if the booking is
//! cancelled, moved or checked in first. Pure: the caller finds the working day before
//! from the legal calendar and knows the time now.

use jiff::Timestamp;
use jiff::civil::{Date, Time};

use super::appointments::{AppointmentEventBody, Booking};

/// The hour (China time) reminders go out on the working day before.
pub const REMINDER_HOUR: i8 = 10;

/// The key a booking's reminder is kept under in the outbox.
pub fn reminder_key(hall: &str, day: Date, code: &str) -> String {
    format!("appointment:{hall}/{day}/{code}")
}

/// When to remind of a visit on `day` booked at `now`, where `day_before` is the
/// working day before it: at [`REMINDER_HOUR`] that day; at once when that is past but
/// the visit is on a later day than today; never for a visit today.
pub fn reminder_due(day: Date, day_before: Date, now: Timestamp) -> Option<Timestamp> {
    let china = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let due = day_before
        .to_datetime(Time::constant(REMINDER_HOUR, 0, 0, 0))
        .to_zoned(china.clone())
        .ok()?
        .timestamp();
    if due > now {
        return Some(due);
    }
    (now.to_zoned(china).date() < day).then_some(now)
}

/// What an event does to reminders: the booking to remind of, and the keys of the
/// reminders it takes back.
pub fn reminder_changes<'a>(
    hall: &str,
    day: Date,
    body: &'a AppointmentEventBody,
) -> (Option<&'a Booking>, Vec<String>) {
    match body {
        AppointmentEventBody::Booked { booking } => (Some(booking), Vec::new()),
        AppointmentEventBody::Moved { code, booking } => {
            (Some(booking), vec![reminder_key(hall, day, code)])
        }
        AppointmentEventBody::Cancelled { code } | AppointmentEventBody::CheckedIn { code, .. } => {
            (None, vec![reminder_key(hall, day, code)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn the_working_day_before_at_ten_or_at_once_or_never() {
        // Monday's visit, booked the Wednesday before: Friday 10:00 China time.
        let monday = date(2026, 12, 7);
        let friday = date(2026, 12, 4);
        assert_eq!(
            reminder_due(monday, friday, at("2026-12-02T03:00:00Z")),
            Some(at("2026-12-04T02:00:00Z"))
        );
        // Booked on Friday afternoon: at once.
        let now = at("2026-12-04T07:00:00Z");
        assert_eq!(reminder_due(monday, friday, now), Some(now));
        // Booked on Monday morning for Monday: no reminder.
        assert_eq!(
            reminder_due(monday, friday, at("2026-12-07T01:00:00Z")),
            None
        );
    }
}

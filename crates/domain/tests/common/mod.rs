//! What the domain's rule tests share: a small working-day calendar and a time of day.

#![allow(dead_code, clippy::unwrap_used)]

use jiff::Timestamp;
use jiff::civil::{Date, date};

/// Working days with Saturday and Sunday off, and 2027-01-01 off.
pub fn add_working_days(from: Date, n: u32) -> Date {
    let mut day = from;
    let mut counted = 0;
    while counted < n {
        day = day.tomorrow().unwrap();
        let weekend = matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        if !weekend && day != date(2027, 1, 1) {
            counted += 1;
        }
    }
    day
}

/// 10:00 China time on `day`.
pub fn at(day: Date) -> Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .unwrap()
        .timestamp()
}

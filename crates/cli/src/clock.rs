//! The only place the CLI reads the clock.

use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};

/// Today's date in China (UTC+8 all year: no daylight saving since 1991).
pub(crate) fn today_in_china() -> Date {
    jiff::Timestamp::now()
        .to_zoned(TimeZone::fixed(offset(8)))
        .date()
}

/// Reads a civil date written as YYYY-MM-DD.
pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .map_err(|e| format!("{text:?} is not a date in the form YYYY-MM-DD ({e})"))
}

//! Counting periods as Chinese law counts them.
//!
//! - A period in days starts the day after the start event (民法典 第二百零一条).
//! - A period in calendar days whose last day is a statutory rest day ends on the first
//!   working day after it (民法典 第二百零三条).
//! - A period in working days counts only working days, adjusted working days included.
//!
//! A period of 0 days ends on the start date itself (on-the-spot handling).

use jiff::Span;
use jiff::civil::Date;

use super::{Calendar, CalendarError, PeriodUnit};
use crate::region::RegionCode;

impl Calendar {
    /// The last day of a period of `days` in `unit` after the start event on `start`.
    pub fn deadline(
        &self,
        start: Date,
        days: u32,
        unit: PeriodUnit,
        region: Option<RegionCode>,
    ) -> Result<Date, CalendarError> {
        match unit {
            PeriodUnit::WorkingDays => self.add_working_days(start, days, region),
            PeriodUnit::CalendarDays => self.add_calendar_days(start, days, region),
        }
    }

    /// The `days`-th working day after `start`.
    pub fn add_working_days(
        &self,
        start: Date,
        days: u32,
        region: Option<RegionCode>,
    ) -> Result<Date, CalendarError> {
        let view = self.view(region);
        let mut date = start;
        let mut counted = 0;
        while counted < days {
            date = next_day(date)?;
            if view.is_working(date)? {
                counted += 1;
            }
        }
        Ok(date)
    }

    /// `start + days`, moved to the next working day when that day is a rest day.
    pub fn add_calendar_days(
        &self,
        start: Date,
        days: u32,
        region: Option<RegionCode>,
    ) -> Result<Date, CalendarError> {
        if days == 0 {
            return Ok(start);
        }
        let view = self.view(region);
        let mut date = add_days(start, days)?;
        while !view.is_working(date)? {
            date = next_day(date)?;
        }
        Ok(date)
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`. The inverse of
    /// [`Calendar::add_working_days`]: counting from `start` to its result gives `days`.
    pub fn count_working_days(
        &self,
        from: Date,
        to: Date,
        region: Option<RegionCode>,
    ) -> Result<i64, CalendarError> {
        if to < from {
            return Ok(-self.count_working_days(to, from, region)?);
        }
        let view = self.view(region);
        let mut count = 0;
        let mut date = from;
        while date < to {
            date = next_day(date)?;
            if view.is_working(date)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

/// `start + days` on the calendar, without the rest-day rule.
pub fn add_days(start: Date, days: u32) -> Result<Date, CalendarError> {
    Span::new()
        .try_days(i64::from(days))
        .and_then(|span| start.checked_add(span))
        .map_err(|_| CalendarError::OutOfRange)
}

fn next_day(date: Date) -> Result<Date, CalendarError> {
    date.tomorrow().map_err(|_| CalendarError::OutOfRange)
}

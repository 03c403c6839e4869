//! The legal calendar: which days are working days, and how periods are counted.
//!
//! Built in: the national schedules 2004–2026 (`data/calendar/`). Later years and the
//! holidays that minority regions add (全国年节及纪念日放假办法 2024, 第四条) come from
//! calendar files ([`CalendarFile`]) without a rebuild. A question about a year the
//! calendar has no national schedule for is an error naming that year, never a guess.

mod builtin;
mod counting;
mod file;
mod provisional;

use std::collections::{BTreeSet, HashMap};

use jiff::civil::{Date, Weekday};
use serde::Serialize;

pub use counting::add_days;
pub use file::{CalendarFile, FileScope};

use crate::region::RegionCode;

/// How a period is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodUnit {
    /// 工作日: only working days count, adjusted working days (调休) included.
    WorkingDays,
    /// 日 / 自然日: every day counts; a last day that is a rest day moves to the next
    /// working day (民法典 第二百零三条).
    CalendarDays,
}

/// What kind of day a date is, for one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday-to-Friday working day.
    Working,
    /// A weekend day that is a working day by the holiday schedule (调休上班).
    AdjustedWorking { holiday: String },
    /// An ordinary Saturday or Sunday.
    Rest,
    /// A statutory or regional holiday (including the weekend days inside a holiday
    /// period); `region` is set for a regional holiday.
    Holiday {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<RegionCode>,
    },
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working | DayKind::AdjustedWorking { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error(
        "the calendar has no holiday schedule for {year} (it knows {known}); add a calendar file for {year} once the State Council publishes it"
    )]
    YearNotKnown { year: i16, known: String },
    #[error("the period runs past the last representable date")]
    OutOfRange,
    #[error("{0}")]
    File(String),
}

/// A special day in a schedule: a holiday, or a weekend day made a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Special {
    Holiday(String),
    Workday(String),
}

#[derive(Debug, Clone)]
struct RegionalSchedule {
    region: RegionCode,
    days: HashMap<Date, Special>,
}

/// Where part of the calendar came from, for `calendar sources` and for audits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarSource {
    pub scope: String,
    pub source: String,
    pub provenance: String,
}

/// National schedules by year plus regional additions.
#[derive(Debug, Clone)]
pub struct Calendar {
    known_years: BTreeSet<i16>,
    /// Years after the official ones, with a schedule built from the statutory
    /// holidays alone (see `provisional`): answers about them are provisional.
    provisional_years: BTreeSet<i16>,
    national: HashMap<Date, Special>,
    regional: Vec<RegionalSchedule>,
    sources: Vec<CalendarSource>,
}

impl Calendar {
    /// The built-in national schedules, 2004–2026.
    pub fn builtin() -> Calendar {
        builtin::calendar()
    }

    /// Years with a complete national schedule.
    pub fn known_years(&self) -> impl Iterator<Item = i16> + '_ {
        self.known_years.iter().copied()
    }

    /// Years with a provisional schedule only.
    pub fn provisional_years(&self) -> impl Iterator<Item = i16> + '_ {
        self.provisional_years.iter().copied()
    }

    /// Whether a date's year has only a provisional schedule.
    pub fn is_provisional(&self, date: Date) -> bool {
        self.provisional_years.contains(&date.year())
    }

    /// Gives the years after the last official one a provisional schedule (replacing
    /// any earlier provisional ones).
    fn extend_provisionally(&mut self) {
        for year in std::mem::take(&mut self.provisional_years) {
            self.national.retain(|day, _| day.year() != year);
        }
        let Some(&last) = self.known_years.last() else {
            return;
        };
        for year in (last + 1)..=(last + provisional::YEARS_AHEAD) {
            for (day, name) in provisional::statutory_holidays(year) {
                self.national.insert(day, Special::Holiday(name.to_owned()));
            }
            self.provisional_years.insert(year);
        }
        self.sources.retain(|s| s.provenance != "provisional");
        if let (Some(first), Some(last)) = (
            self.provisional_years.first(),
            self.provisional_years.last(),
        ) {
            self.sources.push(CalendarSource {
                scope: format!("national {first}–{last} (provisional)"),
                source: provisional::SOURCE.to_owned(),
                provenance: "provisional".to_owned(),
            });
        }
    }

    pub fn sources(&self) -> &[CalendarSource] {
        &self.sources
    }

    /// What kind of day `date` is in `region` (national rules when `None`).
    pub fn day(&self, date: Date, region: Option<RegionCode>) -> Result<DayKind, CalendarError> {
        self.view(region).day(date)
    }

    pub fn is_working_day(
        &self,
        date: Date,
        region: Option<RegionCode>,
    ) -> Result<bool, CalendarError> {
        Ok(self.day(date, region)?.is_working())
    }

    /// The national schedule plus the regional schedules that cover `region`, most
    /// specific first, so a period's many day lookups do not re-walk the division tree.
    fn view(&self, region: Option<RegionCode>) -> View<'_> {
        let mut regional: Vec<&RegionalSchedule> = match region {
            Some(region) => self
                .regional
                .iter()
                .filter(|s| region.is_within(s.region))
                .collect(),
            None => Vec::new(),
        };
        regional.sort_by_key(|s| std::cmp::Reverse(s.region.level()));
        View {
            calendar: self,
            regional,
        }
    }

    fn known_description(&self) -> String {
        let years: Vec<i16> = self.known_years().collect();
        match (years.first(), years.last()) {
            (Some(first), Some(last)) if (last - first) as usize + 1 == years.len() => {
                format!("{first}–{last}")
            }
            _ => years
                .iter()
                .map(i16::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

struct View<'a> {
    calendar: &'a Calendar,
    regional: Vec<&'a RegionalSchedule>,
}

impl View<'_> {
    fn day(&self, date: Date) -> Result<DayKind, CalendarError> {
        if !self.calendar.known_years.contains(&date.year())
            && !self.calendar.provisional_years.contains(&date.year())
        {
            return Err(CalendarError::YearNotKnown {
                year: date.year(),
                known: self.calendar.known_description(),
            });
        }
        let regional = self
            .regional
            .iter()
            .find_map(|s| s.days.get(&date).map(|special| (special, Some(s.region))));
        let special = regional.or_else(|| self.calendar.national.get(&date).map(|s| (s, None)));
        Ok(match special {
            Some((Special::Holiday(name), region)) => DayKind::Holiday {
                name: name.clone(),
                region,
            },
            Some((Special::Workday(holiday), _)) => DayKind::AdjustedWorking {
                holiday: holiday.clone(),
            },
            None if is_weekend(date) => DayKind::Rest,
            None => DayKind::Working,
        })
    }

    fn is_working(&self, date: Date) -> Result<bool, CalendarError> {
        Ok(self.day(date)?.is_working())
    }
}

fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

//! Calendar files: a year's national schedule, or a region's own holidays.
//!
//! ```toml
//! source = "国务院办公厅关于2027年部分节假日安排的通知"
//! provenance = "official"        # or "illustrative"
//! year = 2027                    # a national schedule: the whole year
//! # region = "540000"            # or: holidays a region adds (2024 办法 第四条)
//!
//! [[holiday]]
//! date = 2027-01-01
//! name = "元旦"
//!
//! [[workday]]                    # a weekend day made a working day (调休)
//! date = 2027-02-07
//! name = "春节"
//! ```

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Deserialize;

use super::{Calendar, CalendarError, CalendarSource, RegionalSchedule, Special, is_weekend};
use crate::region::RegionCode;

/// What a calendar file covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileScope {
    /// The complete national schedule of one year.
    NationalYear(i16),
    /// Days that apply in one region and every division inside it.
    Region(RegionCode),
}

/// A parsed, checked calendar file, ready to add to a [`Calendar`].
#[derive(Debug, Clone)]
pub struct CalendarFile {
    scope: FileScope,
    days: HashMap<Date, Special>,
    source: CalendarSource,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    source: String,
    provenance: Provenance,
    year: Option<i16>,
    region: Option<String>,
    #[serde(default)]
    holiday: Vec<RawDay>,
    #[serde(default)]
    workday: Vec<RawDay>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum Provenance {
    Official,
    Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    date: DateField,
    name: String,
}

/// TOML has a native date (`2027-01-01`); a quoted one is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateField {
    Native(toml::value::Datetime),
    Text(String),
}

impl DateField {
    fn parse(&self) -> Option<Date> {
        let text = match self {
            DateField::Native(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            DateField::Native(_) => return None,
            DateField::Text(text) => text.clone(),
        };
        text.parse().ok()
    }

    fn shown(&self) -> String {
        match self {
            DateField::Native(dt) => dt.to_string(),
            DateField::Text(text) => format!("{text:?}"),
        }
    }
}

/// "line 3, column 8: invalid date": one line, where the TOML crate's own message spans
/// several.
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let source_line = text.lines().nth(line - 1).unwrap_or("").trim();
            format!("line {line}, column {column}: {message} (at `{source_line}`)")
        }
        None => message.to_owned(),
    }
}

fn error(message: String) -> CalendarError {
    CalendarError::File(message)
}

impl CalendarFile {
    /// Parses the text of a calendar file. Errors say which field or entry is wrong;
    /// the caller adds the file's path.
    pub fn parse(text: &str) -> Result<CalendarFile, CalendarError> {
        let raw: Raw = toml::from_str(text).map_err(|e| error(toml_error(text, &e)))?;
        if raw.source.trim().is_empty() {
            return Err(error(
                "`source` must name where the dates come from".to_owned(),
            ));
        }
        let scope = match (raw.year, &raw.region) {
            (Some(year), None) => FileScope::NationalYear(year),
            (None, Some(region)) => FileScope::Region(
                RegionCode::parse(region).map_err(|e| error(format!("`region`: {e}")))?,
            ),
            _ => {
                return Err(error(
                    "a calendar file sets exactly one of `year` (a national schedule) or `region` (a region's own holidays)".to_owned(),
                ));
            }
        };
        let mut days = HashMap::new();
        let entries = raw
            .holiday
            .iter()
            .map(|d| ("holiday", d))
            .chain(raw.workday.iter().map(|d| ("workday", d)));
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (table, entry) in entries {
            let n = index.entry(table).or_default();
            *n += 1;
            let at = format!("[[{table}]] entry {n}");
            let date = entry.date.parse().ok_or_else(|| {
                error(format!(
                    "{at}: `date` {} is not a calendar date (YYYY-MM-DD)",
                    entry.date.shown()
                ))
            })?;
            if entry.name.trim().is_empty() {
                return Err(error(format!("{at} ({date}): `name` is empty")));
            }
            if let FileScope::NationalYear(year) = scope
                && date.year() != year
            {
                return Err(error(format!(
                    "{at}: {date} is not in {year}, the year this file is for"
                )));
            }
            if table == "workday" && !is_weekend(date) {
                return Err(error(format!(
                    "{at}: {date} is a {:?}; an adjusted working day (调休上班) is a Saturday or Sunday",
                    date.weekday()
                )));
            }
            let special = match table {
                "holiday" => Special::Holiday(entry.name.trim().to_owned()),
                _ => Special::Workday(entry.name.trim().to_owned()),
            };
            if days.insert(date, special).is_some() {
                return Err(error(format!("{at}: {date} is listed twice")));
            }
        }
        let scope_text = match &scope {
            FileScope::NationalYear(year) => format!("national {year}"),
            FileScope::Region(region) => format!("{} {}", region, region.full_name()),
        };
        Ok(CalendarFile {
            scope,
            days,
            source: CalendarSource {
                scope: scope_text,
                source: raw.source.trim().to_owned(),
                provenance: match raw.provenance {
                    Provenance::Official => "official",
                    Provenance::Illustrative => "illustrative",
                }
                .to_owned(),
            },
        })
    }

    pub fn scope(&self) -> &FileScope {
        &self.scope
    }
}

impl Calendar {
    /// Adds a checked file. A national year may be added once: a second schedule for a
    /// year the calendar already knows is refused rather than silently merged.
    pub fn add_file(&mut self, file: CalendarFile) -> Result<(), CalendarError> {
        match file.scope {
            FileScope::NationalYear(year) => {
                if self.known_years.contains(&year) {
                    return Err(error(format!(
                        "the calendar already has a national schedule for {year}; a file may only add a year it lacks"
                    )));
                }
                // An official year replaces its provisional schedule, and the years
                // after it become the provisional ones.
                self.national.retain(|day, _| day.year() != year);
                self.provisional_years.remove(&year);
                self.known_years.insert(year);
                self.national.extend(file.days);
                self.extend_provisionally();
            }
            FileScope::Region(region) => self.regional.push(RegionalSchedule {
                region,
                days: file.days,
            }),
        }
        self.sources.push(file.source);
        Ok(())
    }
}

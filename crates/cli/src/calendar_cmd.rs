//! `yichuang calendar deadline|day|count|sources`.

use std::path::Path;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use jiff::civil::Date;
use serde_json::json;
use yichuang_domain::calendar::{CalendarFile, add_days};
use yichuang_domain::{Calendar, DayKind, PeriodUnit, RegionCode};

use crate::Outcome;
use crate::clock::parse_date;
use crate::output::print_json;

#[derive(Debug, Subcommand)]
pub(crate) enum CalendarCommand {
    /// The last day of a period that starts the day after --from.
    Deadline {
        /// The day of the start event (the period starts the next day).
        #[arg(long, value_parser = parse_date)]
        from: Date,
        /// Length of the period.
        #[arg(long)]
        days: u32,
        #[arg(long, value_enum)]
        unit: Unit,
        /// Apply the holidays of this division too.
        #[arg(long)]
        region: Option<RegionCode>,
        #[arg(long)]
        json: bool,
    },
    /// Whether a date is a working day, a rest day or a holiday.
    Day {
        #[arg(value_parser = parse_date)]
        date: Date,
        #[arg(long)]
        region: Option<RegionCode>,
        #[arg(long)]
        json: bool,
    },
    /// Working days after --from up to and including --to.
    Count {
        #[arg(long, value_parser = parse_date)]
        from: Date,
        #[arg(long, value_parser = parse_date)]
        to: Date,
        #[arg(long)]
        region: Option<RegionCode>,
        #[arg(long)]
        json: bool,
    },
    /// The years the calendar knows and where its data comes from.
    Sources {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Unit {
    /// 工作日
    Working,
    /// 日 (calendar days)
    Calendar,
}

impl From<Unit> for PeriodUnit {
    fn from(unit: Unit) -> PeriodUnit {
        match unit {
            Unit::Working => PeriodUnit::WorkingDays,
            Unit::Calendar => PeriodUnit::CalendarDays,
        }
    }
}

/// The built-in calendar plus every `*.toml` in `<data-dir>/calendar/`, in name order.
pub(crate) fn load_calendar(data_dir: &Path) -> anyhow::Result<Calendar> {
    let mut calendar = Calendar::builtin();
    let dir = data_dir.join("calendar");
    if !dir.is_dir() {
        return Ok(calendar);
    }
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading calendar file {}", path.display()))?;
        let file = CalendarFile::parse(&text)
            .with_context(|| format!("calendar file {}", path.display()))?;
        calendar
            .add_file(file)
            .with_context(|| format!("calendar file {}", path.display()))?;
    }
    Ok(calendar)
}

pub(crate) fn run(command: CalendarCommand, data_dir: &Path) -> anyhow::Result<Outcome> {
    let calendar = load_calendar(data_dir)?;
    match command {
        CalendarCommand::Deadline {
            from,
            days,
            unit,
            region,
            json,
        } => deadline(&calendar, from, days, unit.into(), region, json),
        CalendarCommand::Day { date, region, json } => day(&calendar, date, region, json),
        CalendarCommand::Count {
            from,
            to,
            region,
            json,
        } => count(&calendar, from, to, region, json),
        CalendarCommand::Sources { json } => sources(&calendar, json),
    }
}

fn scope(region: Option<RegionCode>) -> String {
    region.map_or_else(
        || "national calendar".to_owned(),
        |r| format!("calendar of {} {}", r, r.full_name()),
    )
}

fn deadline(
    calendar: &Calendar,
    from: Date,
    days: u32,
    unit: PeriodUnit,
    region: Option<RegionCode>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let last_day = calendar.deadline(from, days, unit, region)?;
    let provisional = calendar.is_provisional(last_day);
    // For calendar days, say when the rest-day rule moved the end (民法典 第二百零三条).
    let nominal = add_days(from, days).ok();
    let moved_from = match unit {
        PeriodUnit::CalendarDays => nominal.filter(|n| *n != last_day),
        PeriodUnit::WorkingDays => None,
    };
    if json {
        print_json(&json!({
            "from": from,
            "days": days,
            "unit": unit,
            "region": region,
            "deadline": last_day,
            "weekday": format!("{:?}", last_day.weekday()),
            "moved_from_rest_day": moved_from,
            "provisional": provisional,
        }))?;
    } else {
        let unit_name = match unit {
            PeriodUnit::WorkingDays => "working days",
            PeriodUnit::CalendarDays => "calendar days",
        };
        println!(
            "{last_day} ({:?}): last day of {days} {unit_name} after {from}, {}",
            last_day.weekday(),
            scope(region)
        );
        if let Some(nominal) = moved_from {
            println!(
                "note: {nominal} is a rest day, so the period ends on the next working day (民法典 第二百零三条)"
            );
        }
        if provisional {
            println!("{}", provisional_note(last_day));
        }
    }
    Ok(Outcome::Done)
}

/// The label every provisional date carries.
fn provisional_note(date: Date) -> String {
    format!(
        "provisional (暂定): {} has no published holiday schedule yet; counted with the statutory holidays of 全国年节及纪念日放假办法 without 调休, and recomputed when the schedule is published",
        date.year()
    )
}

fn describe(kind: &DayKind) -> String {
    match kind {
        DayKind::Working => "working day (工作日)".to_owned(),
        DayKind::AdjustedWorking { holiday } => {
            format!("adjusted working day (调休上班, for {holiday})")
        }
        DayKind::Rest => "rest day (休息日)".to_owned(),
        DayKind::Holiday { name, region: None } => format!("holiday: {name} (法定节假日)"),
        DayKind::Holiday {
            name,
            region: Some(region),
        } => format!(
            "regional holiday: {name} ({} {})",
            region,
            region.full_name()
        ),
    }
}

fn day(
    calendar: &Calendar,
    date: Date,
    region: Option<RegionCode>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let kind = calendar.day(date, region)?;
    if json {
        print_json(&json!({
            "date": date,
            "weekday": format!("{:?}", date.weekday()),
            "region": region,
            "working": kind.is_working(),
            "adjusted": matches!(kind, DayKind::AdjustedWorking { .. }),
            "day": kind,
            "provisional": calendar.is_provisional(date),
        }))?;
    } else {
        println!("{date} ({:?}): {}", date.weekday(), describe(&kind));
        if calendar.is_provisional(date) {
            println!("{}", provisional_note(date));
        }
    }
    Ok(Outcome::Done)
}

fn count(
    calendar: &Calendar,
    from: Date,
    to: Date,
    region: Option<RegionCode>,
    json: bool,
) -> anyhow::Result<Outcome> {
    let n = calendar.count_working_days(from, to, region)?;
    if json {
        print_json(&json!({ "from": from, "to": to, "region": region, "working_days": n }))?;
    } else {
        println!(
            "{n} working days after {from} up to and including {to}, {}",
            scope(region)
        );
    }
    Ok(Outcome::Done)
}

fn sources(calendar: &Calendar, json: bool) -> anyhow::Result<Outcome> {
    let years: Vec<i16> = calendar.known_years().collect();
    if json {
        print_json(&json!({ "known_years": years, "sources": calendar.sources() }))?;
    } else {
        let (first, last) = (years.first(), years.last());
        println!(
            "national schedules: {} years ({}–{})",
            years.len(),
            first.map_or(String::new(), i16::to_string),
            last.map_or(String::new(), i16::to_string)
        );
        for source in calendar.sources() {
            println!(
                "- {} [{}]: {}",
                source.scope, source.provenance, source.source
            );
        }
    }
    Ok(Outcome::Done)
}

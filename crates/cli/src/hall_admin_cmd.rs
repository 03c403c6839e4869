//! `yichuang admin hall …` and `yichuang admin skill …`: halls with their windows and
//! appointment rules, and staff skill levels (一岗精、二岗通、三岗懂).

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use jiff::civil::{Date, Time};
use yichuang_domain::RegionCode;
use yichuang_domain::hall::{GreenReason, Schedule, SkillLevel};
use yichuang_store::{Hall, HallKind, HallWindow, StaffSkill, Store};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum KindArg {
    /// 人社服务大厅
    Hall,
    /// 人社银行一体化网点
    BankOutlet,
}

#[derive(Debug, Subcommand)]
pub(crate) enum HallAdmin {
    /// Add a hall with numbered windows (every window takes every item).
    Add {
        #[arg(long)]
        id: String,
        /// The county (or city) it serves.
        #[arg(long)]
        region: RegionCode,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "hall")]
        kind: KindArg,
        #[arg(long, default_value = "")]
        address: String,
        /// How many windows, numbered from 1.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=200))]
        windows: u32,
    },
    /// Set a hall's appointment rules; what is not given keeps its value.
    Schedule {
        #[arg(long)]
        id: String,
        /// Opening hours with breaks, e.g. "09:00-12:00,13:30-17:00".
        #[arg(long)]
        hours: Option<String>,
        #[arg(long, value_parser = clap::value_parser!(u32).range(5..=120))]
        slot_minutes: Option<u32>,
        /// Windows kept for online bookings per slot.
        #[arg(long)]
        public: Option<u32>,
        /// Windows kept for staff and phone bookings per slot.
        #[arg(long)]
        intern: Option<u32>,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10))]
        per_person: Option<u32>,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=90))]
        days_ahead: Option<u32>,
        /// Green lane from this age (from the identity number).
        #[arg(long, value_parser = clap::value_parser!(u8).range(50..=100))]
        green_age: Option<u8>,
        /// Reasons declared at the desk that go first: disability,military,pregnancy
        /// (comma-separated; "none" for none).
        #[arg(long)]
        green_reasons: Option<String>,
    },
    /// List halls, their windows and appointment rules.
    List {
        /// Only halls inside this region.
        #[arg(long)]
        region: Option<RegionCode>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SkillAdmin {
    /// Give (or change) a staff member's level in a project.
    Set {
        #[arg(long)]
        staff: String,
        /// The catalog's project id (`unemployment-insurance`).
        #[arg(long)]
        project: String,
        /// master (精), proficient (通) or aware (懂).
        #[arg(long)]
        level: String,
        /// The day it was given (YYYY-MM-DD).
        #[arg(long)]
        since: Date,
        /// The training or assessment it came from (培训、练兵比武).
        #[arg(long)]
        source: String,
    },
    /// A staff member's levels.
    List {
        #[arg(long)]
        staff: String,
    },
}

/// The hours given on the command line, or what is wrong with them.
pub(crate) fn parse_hours(text: &str) -> anyhow::Result<Vec<(Time, Time)>> {
    Schedule::parse_hours(text).map_err(|e| anyhow::anyhow!("--hours, {e}"))
}

fn parse_reasons(text: &str) -> anyhow::Result<Vec<GreenReason>> {
    if text.trim() == "none" {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|r| match r.trim() {
            "disability" => Ok(GreenReason::Disability),
            "military" => Ok(GreenReason::Military),
            "pregnancy" => Ok(GreenReason::Pregnancy),
            other => {
                anyhow::bail!("--green-reasons: {other:?} is not disability, military or pregnancy")
            }
        })
        .collect()
}

fn kind_name(kind: &HallKind) -> &'static str {
    match kind {
        HallKind::Hall => "hall",
        HallKind::BankOutlet => "bank outlet",
    }
}

pub(crate) async fn hall(store: &Store, command: HallAdmin) -> anyhow::Result<()> {
    match command {
        HallAdmin::Add {
            id,
            region,
            name,
            kind,
            address,
            windows,
        } => {
            if store.hall(&id).await?.is_some() {
                anyhow::bail!("a hall with id {id:?} already exists");
            }
            store
                .add_hall(&Hall {
                    id: id.clone(),
                    region: region.to_string(),
                    name,
                    kind: match kind {
                        KindArg::Hall => HallKind::Hall,
                        KindArg::BankOutlet => HallKind::BankOutlet,
                    },
                    address,
                    windows: (1..=windows)
                        .map(|number| HallWindow {
                            number,
                            label: format!("{number}号窗口"),
                        })
                        .collect(),
                })
                .await?;
            println!(
                "added hall {id} in {} with {windows} windows",
                region.full_name()
            );
        }
        HallAdmin::Schedule {
            id,
            hours,
            slot_minutes,
            public,
            intern,
            per_person,
            days_ahead,
            green_age,
            green_reasons,
        } => {
            if store.hall(&id).await?.is_none() {
                anyhow::bail!("no hall {id:?}");
            }
            let mut schedule = store.hall_schedule(&id).await?;
            if let Some(hours) = hours {
                schedule.hours = parse_hours(&hours)?;
            }
            schedule.slot_minutes = slot_minutes.unwrap_or(schedule.slot_minutes);
            schedule.public_windows = public.unwrap_or(schedule.public_windows);
            schedule.intern_windows = intern.unwrap_or(schedule.intern_windows);
            schedule.per_person_per_day = per_person.unwrap_or(schedule.per_person_per_day);
            schedule.days_ahead = days_ahead.unwrap_or(schedule.days_ahead);
            if green_age.is_some() || green_reasons.is_some() {
                let mut policy = schedule.green_lane.clone().unwrap_or_default();
                policy.age_at_least = green_age.unwrap_or(policy.age_at_least);
                if let Some(text) = green_reasons {
                    policy.reasons = parse_reasons(&text)?;
                }
                schedule.green_lane = Some(policy);
            }
            store.set_hall_schedule(&id, &schedule).await?;
            println!("{id}: {}", describe(&schedule));
        }
        HallAdmin::List { region } => {
            let prefix = region.map(|r| r.subtree_prefix()).unwrap_or_default();
            for hall in store.halls(&prefix).await? {
                let schedule = store.hall_schedule(&hall.id).await?;
                println!(
                    "{:<20} {} {:<11} {} windows  {}\n    {}",
                    hall.id,
                    hall.region,
                    kind_name(&hall.kind),
                    hall.windows.len(),
                    hall.name,
                    describe(&schedule)
                );
            }
        }
    }
    Ok(())
}

fn describe(schedule: &Schedule) -> String {
    let green = schedule.green_lane.clone().unwrap_or_default();
    format!(
        "open {} on working days; {}-minute slots, {} online and {} staff places each; {} bookings a person a day, {} days ahead; green lane from {} and for {:?}",
        schedule.hours_text(),
        schedule.slot_minutes,
        schedule.public_windows,
        schedule.intern_windows,
        schedule.per_person_per_day,
        schedule.days_ahead,
        green.age_at_least,
        green.reasons
    )
}

pub(crate) async fn skill(store: &Store, command: SkillAdmin) -> anyhow::Result<()> {
    match command {
        SkillAdmin::Set {
            staff,
            project,
            level,
            since,
            source,
        } => {
            if !store.list_staff().await?.iter().any(|s| s.id == staff) {
                anyhow::bail!("no staff member {staff:?}");
            }
            let catalog = yichuang_catalog::builtin().map_err(|e| anyhow::anyhow!("{e:?}"))?;
            if !catalog.catalog.projects.iter().any(|p| p.id == project) {
                anyhow::bail!("--project: no project {project:?} in the catalog");
            }
            let level = SkillLevel::parse(&level).with_context(|| {
                format!("--level: {level:?} is not master (精), proficient (通) or aware (懂)")
            })?;
            if source.trim().is_empty() {
                anyhow::bail!("--source: say which training or assessment the level comes from");
            }
            store
                .set_staff_skill(
                    &staff,
                    &StaffSkill {
                        project: project.clone(),
                        level,
                        since: since.to_string(),
                        source,
                    },
                )
                .await?;
            println!("{staff}: {project} {}", level.name());
        }
        SkillAdmin::List { staff } => {
            for s in store.staff_skills(&staff).await? {
                println!(
                    "{:<28} {:<11} since {}  {}",
                    s.project,
                    s.level.name(),
                    s.since,
                    s.source
                );
            }
        }
    }
    Ok(())
}

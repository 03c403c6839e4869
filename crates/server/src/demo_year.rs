//! A synthetic year of cases across provinces and their counties, with realistically
//! uneven performance (eastern counties faster and more often online, some counties
//! late or noticing often), so the supervision figures and the equalization view show
//! differences. Every applicant, clerk and case is made up and labelled so: actors are
//! `synthetic-…`, and a `synthetic|cases` total tells every figures page to say so.
//! Written through `Engine::write_histories`: the same rules as live commands, in
//! bulk batches.

use std::sync::Arc;

use jiff::ToSpan;
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use yichuang_domain::case::{Actor, ActorRole, Applicant, CommandKind, GuideSnapshot, Submission};
use yichuang_domain::catalog::{Catalog, Channel, ItemKind, Role, StatutoryLimit};
use yichuang_domain::{Calendar, Level, RegionCode, ResidentId};
use yichuang_engine::{Engine, History, HistoryStep};
use yichuang_store::CounterDelta;

use crate::demo::DemoError;

/// The provinces a synthetic year covers by default: east, centre, west and north-east.
pub const DEFAULT_PROVINCES: [&str; 10] = [
    "110000", "310000", "330000", "440000", "410000", "420000", "510000", "520000", "620000",
    "230000",
];

/// Eastern provinces (东部) serve faster in the synthetic year.
const EAST: [&str; 4] = ["11", "31", "33", "44"];

/// The items the year is made of: one on the spot, two decided after review.
const ITEMS: [(&str, f64); 3] = [
    ("personal-record-query", 0.5),
    ("unemployment-benefit-claim", 0.3),
    ("retirement-pension-claim", 0.2),
];

/// How many cases per history batch (one transaction each). Measured over 100,000
/// cases: 10,000 a batch writes about 10% faster than 2,000 (fewer commits, day totals
/// merged over more cases), the process holding about 400 MB.
const BATCH: usize = 10_000;

#[derive(Debug, Clone, Default)]
pub struct SyntheticYear {
    pub cases: usize,
    pub events: usize,
    pub provinces: usize,
    pub counties: usize,
    /// The counties cases were spread over.
    pub county_codes: Vec<RegionCode>,
}

/// A county and how well it serves.
struct County {
    code: RegionCode,
    online: f64,
    notice: f64,
    late: f64,
    weight: f64,
}

fn other(e: impl std::fmt::Display) -> DemoError {
    DemoError::Other(e.to_string())
}

/// Counties per province in the demo and `demo generate`.
pub const DEFAULT_COUNTIES_PER_PROVINCE: usize = 6;

/// Up to `n` counties of a province, spread over its cities: two from each city in
/// turn, then two more, until `n` (or every county) is taken.
fn counties_of(province: RegionCode, n: usize) -> Vec<RegionCode> {
    let cities: Vec<Vec<RegionCode>> = province
        .children()
        .map(|city| {
            let counties: Vec<RegionCode> = city
                .children()
                .filter(|c| c.level() == Level::County)
                .collect();
            if counties.is_empty() && city.level() == Level::County {
                vec![city]
            } else {
                counties
            }
        })
        .collect();
    let mut found = Vec::new();
    let deepest = cities.iter().map(Vec::len).max().unwrap_or(0);
    for round in (0..deepest).step_by(2) {
        for city in &cities {
            found.extend(city.iter().skip(round).take(2));
        }
    }
    found.truncate(n);
    found
}

/// The working day on or after `day` in `region`, if the calendar knows it.
fn working_on_or_after(calendar: &Calendar, day: Date, region: RegionCode) -> Option<Date> {
    let mut d = day;
    for _ in 0..30 {
        if calendar.is_working_day(d, Some(region)).ok()? {
            return Some(d);
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// Writes `cases` synthetic cases over the year before `today`; `progress` hears how
/// many are written so far.
pub async fn generate_year(
    engine: &Engine,
    catalog: &Catalog,
    today: Date,
    cases: usize,
    (provinces, counties_per_province): (&[RegionCode], usize),
    seed: u64,
    progress: &dyn Fn(usize),
) -> Result<SyntheticYear, DemoError> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut counties = Vec::new();
    for province in provinces {
        let east = EAST.iter().any(|p| province.to_string().starts_with(p));
        for code in counties_of(*province, counties_per_province) {
            let quality: f64 = if east {
                0.6 + 0.4 * rng.random::<f64>()
            } else {
                0.2 + 0.6 * rng.random::<f64>()
            };
            counties.push(County {
                code,
                online: 0.15 + 0.6 * quality * rng.random::<f64>(),
                notice: 0.3 - 0.25 * quality,
                late: 0.25 - 0.22 * quality,
                weight: 0.5 + rng.random::<f64>(),
            });
        }
    }
    if counties.is_empty() {
        return Err(DemoError::Other(
            "no counties in those provinces".to_owned(),
        ));
    }
    let total_weight: f64 = counties.iter().map(|c| c.weight).sum();
    let calendar = engine.calendar();
    let start = today.checked_sub(365.days()).map_err(other)?;
    let clerk = |county: RegionCode, role: Role| Actor {
        id: format!(
            "synthetic-{}-{county}",
            yichuang_domain::case::role_name(role)
        ),
        role: ActorRole::Staff(role),
    };
    let mut guides: std::collections::HashMap<(String, RegionCode), Arc<GuideSnapshot>> =
        std::collections::HashMap::new();
    let mut by_content: std::collections::HashMap<(String, u32), Arc<GuideSnapshot>> =
        std::collections::HashMap::new();
    let mut summary = SyntheticYear {
        provinces: provinces.len(),
        counties: counties.len(),
        county_codes: counties.iter().map(|c| c.code).collect(),
        ..SyntheticYear::default()
    };
    let mut batch = Vec::with_capacity(BATCH);
    // One batch is written while the next is built (two cores: one builds and
    // decides, the store's writer commits).
    let mut writing: Option<yichuang_store::PendingCommit> = None;
    // Cases come in the order of their first day, as a register's export would: a
    // batch then spans a few days, and its day totals merge into a few rows each
    // instead of one row per case.
    let mut offsets: Vec<i64> = (0..cases).map(|_| rng.random_range(0..365)).collect();
    offsets.sort_unstable();
    for (i, offset) in offsets.into_iter().enumerate() {
        let mut pick = rng.random::<f64>() * total_weight;
        let county = counties
            .iter()
            .find(|c| {
                pick -= c.weight;
                pick <= 0.0
            })
            .unwrap_or(&counties[0]);
        let mut roll = rng.random::<f64>();
        let item = ITEMS
            .iter()
            .find(|(_, share)| {
                roll -= share;
                roll <= 0.0
            })
            .map_or(ITEMS[0].0, |(item, _)| item);
        let Some(day) = start
            .checked_add(offset.days())
            .ok()
            .and_then(|d| working_on_or_after(calendar, d, county.code))
            .filter(|d| *d < today)
        else {
            continue;
        };
        let key = (item.to_owned(), county.code);
        let guide = match guides.get(&key) {
            Some(guide) => guide.clone(),
            None => {
                let resolved = catalog.resolve(item, county.code, day).map_err(other)?;
                // Counties without variants of their own share one snapshot, so its
                // digest is worked out once.
                let same = (resolved.content_hash.clone(), resolved.guide.version);
                let snapshot = by_content
                    .entry(same)
                    .or_insert_with(|| Arc::new(GuideSnapshot::resolved(resolved)))
                    .clone();
                guides.insert(key, snapshot.clone());
                snapshot
            }
        };
        let required: Vec<String> = guide
            .guide
            .materials
            .iter()
            .filter(|m| m.required)
            .map(|m| m.id.clone())
            .collect();
        let noticed = !required.is_empty() && rng.random_bool(county.notice.clamp(0.0, 1.0));
        let mut materials = required.clone();
        let missing = if noticed { materials.pop() } else { None };
        let online = guide.guide.channels.contains(&Channel::Online)
            && rng.random_bool(county.online.clamp(0.0, 1.0));
        let birth = jiff::civil::date(1950, 1, 1)
            .checked_add(i64::try_from((i * 37) % 20_000).unwrap_or(0).days())
            .map_err(other)?;
        let person = ResidentId::from_parts(county.code.digits(), birth, (i % 999 + 1) as u16)
            .map_err(other)?;
        let submission = Submission {
            applicant: Applicant::Person(person.as_str().to_owned()),
            agent: None,
            channel: if online {
                Channel::Online
            } else {
                Channel::Window
            },
            accepting_region: county.code,
            handling_region: county.code,
            materials,
            attachments: Vec::new(),
            commitments: Vec::new(),
        };
        let mut steps = Vec::new();
        let mut on = day;
        let step = |on: Date, role: Role, kind: CommandKind| HistoryStep {
            on,
            hour: 11,
            actor: clerk(county.code, role),
            kind,
        };
        let later = |from: Date, n: i64| {
            calendar
                .add_working_days(from, n.max(0) as u32, Some(county.code))
                .unwrap_or(from)
        };
        if let Some(missing) = missing {
            steps.push(step(on, Role::Clerk, CommandKind::IssueNotice));
            on = later(on, rng.random_range(1..4));
            steps.push(step(
                on,
                Role::Clerk,
                CommandKind::Supplement {
                    materials: vec![missing],
                    attachments: Vec::new(),
                },
            ));
        }
        if guide.guide.kind == ItemKind::OnTheSpot {
            steps.push(step(
                on,
                Role::Clerk,
                CommandKind::CompleteOnTheSpot {
                    method: "当场打印（合成数据）".to_owned(),
                },
            ));
        } else {
            let limit = guide
                .guide
                .promised
                .as_ref()
                .map(|l| l.amount)
                .or(match &guide.guide.statutory {
                    StatutoryLimit::Set(l) => Some(l.amount),
                    _ => None,
                })
                .unwrap_or(20);
            steps.push(step(
                on,
                Role::Clerk,
                CommandKind::Accept {
                    provisional: Vec::new(),
                    commitments: Vec::new(),
                    supply_within_days: 5,
                },
            ));
            steps.push(step(on, Role::Reviewer, CommandKind::StartReview));
            let days = if rng.random_bool(county.late.clamp(0.0, 1.0)) {
                i64::from(limit) + rng.random_range(1..8)
            } else {
                rng.random_range(1..=i64::from(limit.max(2)) * 3 / 4)
            };
            let decided = later(on, days);
            steps.push(step(
                decided,
                Role::Reviewer,
                CommandKind::Decide {
                    grant: true,
                    reason: "符合条件（合成数据）".to_owned(),
                    legal_basis: Vec::new(),
                },
            ));
            steps.push(step(
                decided,
                Role::Clerk,
                CommandKind::Complete {
                    method: "邮寄（合成数据）".to_owned(),
                },
            ));
        }
        // What has not happened yet by today is still to come.
        steps.retain(|s| s.on < today);
        batch.push(History {
            case_id: format!("synthetic-{}", uuid::Uuid::now_v7()),
            guide,
            submission,
            actor: clerk(county.code, Role::Clerk),
            on: day,
            hour: 9,
            steps,
        });
        if batch.len() >= BATCH {
            let size = batch.len();
            let (events, pending) = engine
                .begin_histories(std::mem::take(&mut batch))
                .map_err(other)?;
            if let Some(previous) = writing.replace(pending) {
                previous.await?;
                progress(summary.cases);
            }
            summary.cases += size;
            summary.events += events;
        }
    }
    if let Some(previous) = writing.take() {
        previous.await?;
    }
    if !batch.is_empty() {
        summary.cases += batch.len();
        summary.events += engine.write_histories(batch).await.map_err(other)?;
    }
    progress(summary.cases);
    engine
        .store()
        .add_to_counters(&[CounterDelta {
            key: "synthetic|cases".to_owned(),
            name: "cases".to_owned(),
            delta: i64::try_from(summary.cases).unwrap_or(i64::MAX),
        }])
        .await?;
    Ok(summary)
}

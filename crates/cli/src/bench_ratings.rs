//! `yichuang bench ratings`: ratings stored per second through the engine against case
//! commands per second in the same run (a ratio; goal ≥ 0.5), and the published
//! figures read from the running totals of millions of ratings (PERFORMANCE.md: a
//! ratio or a measurement, never a timed assertion).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Actor, ActorRole, Applicant, Command, CommandKind, Submission};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::rating::{
    Level, RatingChannel, RatingCommandKind, RatingFigures, Stage, Subject, tally_key,
};
use yichuang_engine::{Engine, Request};
use yichuang_store::{CounterDelta, Store};

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::bench_cases::{fixed_day_engine, ours_round};
use crate::store_cmd::runtime;

const ITEM: &str = "personal-record-query";
const MONTH: &str = "2026-06";

/// Valid identity numbers, one per rated case (an applicant rates only their own).
fn person(n: usize) -> String {
    let body = format!("110105{:04}0101{:03}", 1950 + (n / 1000) % 50, n % 1000);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// `count` on-the-spot cases completed, to be rated: (case id, applicant).
async fn completed_cases(engine: &Engine, count: usize) -> anyhow::Result<Vec<(String, String)>> {
    let region = RegionCode::parse("330211")?;
    let clerk = Actor {
        id: "bench-clerk".to_owned(),
        role: ActorRole::Staff(Role::Clerk),
    };
    let id = || uuid::Uuid::now_v7().to_string();
    let mut cases = Vec::with_capacity(count);
    for n in 0..count {
        let applicant = person(n);
        let submitted = engine
            .execute(
                &id(),
                Request::Submit {
                    item: ITEM.to_owned(),
                    submission: Submission {
                        applicant: Applicant::Person(applicant.clone()),
                        agent: None,
                        channel: Channel::Window,
                        accepting_region: region,
                        handling_region: region,
                        materials: vec!["id-card".to_owned()],
                        attachments: Vec::new(),
                        commitments: Vec::new(),
                    },
                    actor: clerk.clone(),
                },
            )
            .await?;
        engine
            .execute(
                &id(),
                Request::Command {
                    case_id: submitted.case_id.clone(),
                    command: Command {
                        expected_version: submitted.version,
                        actor: clerk.clone(),
                        kind: CommandKind::CompleteOnTheSpot {
                            method: "bench".to_owned(),
                        },
                    },
                },
            )
            .await?;
        cases.push((submitted.case_id, applicant));
    }
    Ok(cases)
}

/// Ratings per second: `clients` at once, each rating its share of the cases online.
async fn rating_rate(
    engine: &Engine,
    cases: Vec<(String, String)>,
    clients: usize,
) -> anyhow::Result<f64> {
    let start = Instant::now();
    let count = cases.len();
    let shares: Vec<Vec<(String, String)>> = (0..clients)
        .map(|c| cases.iter().skip(c).step_by(clients).cloned().collect())
        .collect();
    let tasks: Vec<_> = shares
        .into_iter()
        .map(|share| {
            let engine = engine.clone();
            tokio::spawn(async move {
                for (n, (case_id, applicant)) in share.into_iter().enumerate() {
                    let kind = RatingCommandKind::Rate {
                        stage: Stage::Completion,
                        level: Level::ALL[n % 5],
                        indicators: Vec::new(),
                        text: String::new(),
                        channel: RatingChannel::Online,
                    };
                    engine
                        .execute_rating(
                            &uuid::Uuid::now_v7().to_string(),
                            Subject::Case { case_id },
                            kind,
                            &format!("online:{applicant}"),
                            None,
                        )
                        .await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for task in tasks {
        task.await??;
    }
    Ok(count as f64 / start.elapsed().as_secs_f64())
}

/// Every county-level division (县级) of the division table, where cases are handled.
fn counties() -> Vec<RegionCode> {
    let mut out = Vec::new();
    let mut stack: Vec<RegionCode> = RegionCode::provinces().collect();
    while let Some(region) = stack.pop() {
        let children: Vec<RegionCode> = region
            .children()
            .filter(|c| c.level() != yichuang_domain::Level::Township)
            .collect();
        if region.level() == yichuang_domain::Level::County || children.is_empty() {
            out.push(region);
        } else {
            stack.extend(children);
        }
    }
    out.sort();
    out
}

/// The running totals of `ratings` ratings in one month, spread unevenly over every
/// county and item as the engine would have counted them.
fn totals_of(ratings: u64, items: &[String]) -> (Vec<CounterDelta>, u64) {
    let counties = counties();
    let combos = (counties.len() * items.len()) as u64;
    let mut region: HashMap<String, [i64; 8]> = HashMap::new();
    let mut item_totals: HashMap<String, [i64; 8]> = HashMap::new();
    let mut deltas = Vec::new();
    let mut given = 0u64;
    const NAMES: [&str; 8] = [
        "rated",
        "very_satisfied",
        "satisfied",
        "basic",
        "dissatisfied",
        "very_dissatisfied",
        "poor",
        "closed",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for county in &counties {
        for item in items {
            // xorshift: uneven, the same every run.
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mean = ratings / combos.max(1);
            let k = if mean == 0 {
                i64::from(given < ratings)
            } else {
                (mean / 2 + seed % (mean + 1)) as i64
            };
            if k == 0 {
                continue;
            }
            given += k as u64;
            let poor = k / 10;
            let counts = [
                k,
                k * 6 / 10,
                k * 2 / 10,
                k - k * 6 / 10 - k * 2 / 10 - poor,
                poor / 2,
                poor - poor / 2,
                poor,
                poor * 9 / 10,
            ];
            let code = county.to_string();
            for sum in [
                region.entry(code.clone()).or_default(),
                item_totals.entry(item.clone()).or_default(),
            ] {
                for (s, a) in sum.iter_mut().zip(counts) {
                    *s += a;
                }
            }
            let key = tally_key("area_item", &format!("{code}|{item}"), MONTH);
            for (name, value) in NAMES.iter().zip(counts) {
                deltas.push(CounterDelta {
                    key: key.clone(),
                    name: (*name).to_owned(),
                    delta: value,
                });
            }
        }
    }
    for (dimension, totals) in [("region", region), ("item", item_totals)] {
        for (value, counts) in totals {
            let key = tally_key(dimension, &value, MONTH);
            for (name, count) in NAMES.iter().zip(counts) {
                deltas.push(CounterDelta {
                    key: key.clone(),
                    name: (*name).to_owned(),
                    delta: count,
                });
            }
        }
    }
    (deltas, given)
}

/// Reads a region's figures for the month as the publication does: the region's
/// counties and its items (or, for the country, every item's own totals).
async fn read_figures(store: &Store, prefix: &str) -> anyhow::Result<RatingFigures> {
    let mut figures = RatingFigures::default();
    for c in store
        .counters(&format!("ratings|region|{MONTH}|{prefix}"))
        .await?
    {
        figures.add(&c.name, c.value);
    }
    let items = if prefix.is_empty() {
        store.counters(&format!("ratings|item|{MONTH}|")).await?
    } else {
        store
            .counters(&format!("ratings|area_item|{MONTH}|{prefix}"))
            .await?
    };
    let mut by_item: HashMap<String, RatingFigures> = HashMap::new();
    for c in items {
        by_item.entry(c.key).or_default().add(&c.name, c.value);
    }
    anyhow::ensure!(!by_item.is_empty(), "no item totals for {prefix:?}");
    Ok(figures)
}

pub(crate) fn run(cases: usize, clients: usize, published: u64) -> anyhow::Result<Outcome> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    runtime()?.block_on(async {
        let catalog = Arc::new(yichuang_catalog::builtin()?.catalog);
        let mut ratios = Vec::new();
        for round in 1..=3 {
            let store = Store::open(&Store::sqlite_url(&dir.path().join(format!("ratings-{round}.db")))).await?;
            let engine = fixed_day_engine(store, catalog.clone())?;
            let to_rate = completed_cases(&engine, cases).await?;
            let ratings = rating_rate(&engine, to_rate, clients).await?;
            let case_store = Store::open(&Store::sqlite_url(&dir.path().join(format!("cases-{round}.db")))).await?;
            let case_engine = fixed_day_engine(case_store, catalog.clone())?;
            let first = Arc::new(OnceLock::new());
            let commands = ours_round(&case_engine, (cases / clients).max(1), clients, &first).await?;
            println!(
                "round {round}: {ratings:.0} ratings/s, {:.0} case commands/s, {clients} clients",
                commands.rate
            );
            ratios.push(ratings / commands.rate);
        }
        ratios.sort_by(f64::total_cmp);
        let each: Vec<String> = ratios.iter().map(|r| format!("{r:.2}")).collect();
        println!(
            "ratio ratings/case commands: {:.2} (median of {}; goal ≥ 0.5)",
            ratios[ratios.len() / 2],
            each.join(", ")
        );

        // The publication over the totals of `published` ratings in one month.
        let store = Store::open(&Store::sqlite_url(&dir.path().join("published.db"))).await?;
        let items: Vec<String> = catalog.guides_at(jiff::civil::date(2026, 6, 1)).iter().map(|g| g.item.clone()).collect();
        let filling = Instant::now();
        let (deltas, given) = totals_of(published, &items);
        store.add_to_counters(&deltas).await?;
        println!(
            "totals of {given} ratings ({} counties × {} items): {} rows filled in {:.1} s",
            counties().len(),
            items.len(),
            deltas.len(),
            filling.elapsed().as_secs_f64()
        );
        for (label, prefix) in [("country", ""), ("province 33", "33"), ("county 330211", "330211")] {
            let mut times: Vec<Duration> = Vec::new();
            let mut rated = 0;
            for _ in 0..20 {
                let start = Instant::now();
                rated = read_figures(&store, prefix).await?.rated;
                times.push(start.elapsed());
            }
            times.sort();
            println!(
                "published figures, {label}: {rated} ratings, p50 {:.1} ms, p99 {:.1} ms (goal < 1 s)",
                percentile_ms(&times, 0.50),
                percentile_ms(&times, 0.99)
            );
        }
        Ok(Outcome::Done)
    })
}

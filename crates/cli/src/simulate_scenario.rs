//! `yichuang simulate hall --scenario FILE.toml`: an hourly arrival profile, items with
//! their own service times and shares of green-lane and appointment tickets, and
//! windows whose clerks have a skill level per item (精 `jing`, 通 `tong`, 懂 `dong`).
//! The same people are run twice: each window serving only the items its clerk is 精
//! in (each department its own windows), and any window serving every item its clerk
//! is 精 or 通 in (无差别受理); the figures are printed side by side.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp};
use serde::Deserialize;
use serde_json::json;
use yichuang_domain::hall::{Aging, Priority};

use crate::Outcome;
use crate::output::print_json;
use crate::simulate_cmd::{Arrival, Figures, figures, run_hall};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    #[serde(default = "one")]
    seed: u64,
    /// Days simulated, each with the same profile.
    #[serde(default = "one")]
    days: u64,
    /// People arriving in each hour of the day.
    arrivals_per_hour: Vec<f64>,
    item: Vec<Item>,
    window: Vec<Window>,
    /// Minutes after which a waiting ticket ranks with the green lane.
    #[serde(default = "thirty")]
    aging_minutes: u64,
}

fn one() -> u64 {
    1
}

fn thirty() -> u64 {
    30
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    id: String,
    /// Its share of arrivals (shares are normalised).
    share: f64,
    service_minutes: f64,
    #[serde(default)]
    green_lane: f64,
    #[serde(default)]
    appointments: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Window {
    /// Item id → `jing`, `tong` or `dong`.
    skills: BTreeMap<String, Skill>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Skill {
    Jing,
    Tong,
    Dong,
}

fn check(scenario: &Scenario) -> anyhow::Result<()> {
    anyhow::ensure!(
        !scenario.arrivals_per_hour.is_empty(),
        "arrivals_per_hour: give at least one hour"
    );
    anyhow::ensure!(
        scenario
            .arrivals_per_hour
            .iter()
            .all(|a| a.is_finite() && *a >= 0.0),
        "arrivals_per_hour: every hour's arrivals must be a number of at least 0"
    );
    anyhow::ensure!(!scenario.item.is_empty(), "item: give at least one item");
    anyhow::ensure!(
        !scenario.window.is_empty(),
        "window: give at least one window"
    );
    for item in &scenario.item {
        anyhow::ensure!(
            item.share > 0.0 && item.service_minutes > 0.0,
            "item {}: share and service_minutes must be above 0",
            item.id
        );
        anyhow::ensure!(
            (0.0..=1.0).contains(&(item.green_lane + item.appointments)),
            "item {}: green_lane and appointments are shares that add up to at most 1",
            item.id
        );
    }
    for (n, window) in scenario.window.iter().enumerate() {
        for id in window.skills.keys() {
            anyhow::ensure!(
                scenario.item.iter().any(|i| &i.id == id),
                "window {}: no item {id:?}",
                n + 1
            );
        }
    }
    Ok(())
}

fn arrivals(scenario: &Scenario) -> anyhow::Result<Vec<Arrival>> {
    let mut rng = StdRng::seed_from_u64(scenario.seed);
    let total_share: f64 = scenario.item.iter().map(|i| i.share).sum();
    let services: Vec<Exp<f64>> = scenario
        .item
        .iter()
        .map(|i| Exp::new(1.0 / i.service_minutes))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::new();
    let hours = scenario.arrivals_per_hour.len();
    for day in 0..scenario.days {
        for (hour, rate) in scenario.arrivals_per_hour.iter().enumerate() {
            if *rate <= 0.0 {
                continue;
            }
            let start = ((day as usize * hours + hour) as f64) * 60.0;
            let gaps = Exp::new(rate / 60.0)?;
            let mut at = start + gaps.sample(&mut rng);
            while at < start + 60.0 {
                let mut pick = rng.random::<f64>() * total_share;
                let index = scenario
                    .item
                    .iter()
                    .position(|i| {
                        pick -= i.share;
                        pick < 0.0
                    })
                    .unwrap_or(scenario.item.len() - 1);
                let item = &scenario.item[index];
                let kind = rng.random::<f64>();
                let priority = if kind < item.green_lane {
                    Priority::GreenLane
                } else if kind < item.green_lane + item.appointments {
                    Priority::Appointment
                } else {
                    Priority::WalkIn
                };
                out.push(Arrival {
                    at,
                    item: item.id.clone(),
                    priority,
                    service: services[index].sample(&mut rng),
                });
                at += gaps.sample(&mut rng);
            }
        }
    }
    Ok(out)
}

pub(crate) fn run(path: &Path, json: bool) -> anyhow::Result<Outcome> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let scenario: Scenario =
        toml::from_str(&text).with_context(|| format!("{}", path.display()))?;
    check(&scenario).with_context(|| format!("{}", path.display()))?;
    let people = arrivals(&scenario)?;
    let aging = Aging {
        bound_seconds: i64::try_from(scenario.aging_minutes.saturating_mul(60)).unwrap_or(i64::MAX),
    };
    let serving = |levels: &[Skill]| -> Vec<Vec<String>> {
        scenario
            .window
            .iter()
            .map(|w| {
                w.skills
                    .iter()
                    .filter(|(_, s)| levels.contains(s))
                    .map(|(i, _)| i.clone())
                    .collect()
            })
            .collect()
    };
    let horizon = (scenario.days as usize * scenario.arrivals_per_hour.len()) as f64 * 60.0;
    let windows = scenario.window.len();
    let run_model = |serves: Vec<Vec<String>>| {
        let servable: Vec<&String> = serves.iter().flatten().collect();
        let unserved = people
            .iter()
            .filter(|p| !servable.contains(&&p.item))
            .count();
        let (served, closed) = run_hall(people.clone(), &serves, aging);
        (served, closed.max(horizon), unserved)
    };
    let (any, any_closed, any_unserved) = run_model(serving(&[Skill::Jing, Skill::Tong]));
    let (own, own_closed, own_unserved) = run_model(serving(&[Skill::Jing]));
    let any_all = figures(any.iter(), windows, any_closed);
    let own_all = figures(own.iter(), windows, own_closed);
    let by_item: BTreeMap<&str, Figures> = scenario
        .item
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                figures(any.iter().filter(|s| s.item == i.id), windows, any_closed),
            )
        })
        .collect();
    let by_priority: BTreeMap<&str, Figures> = [
        (Priority::GreenLane, "green_lane"),
        (Priority::Appointment, "appointment"),
        (Priority::WalkIn, "walk_in"),
    ]
    .into_iter()
    .map(|(p, name)| {
        (
            name,
            figures(any.iter().filter(|s| s.priority == p), windows, any_closed),
        )
    })
    .collect();
    if json {
        print_json(&json!({
            "any_window": any_all,
            "own_windows": own_all,
            "unserved": { "any_window": any_unserved, "own_windows": own_unserved },
            "any_window_by_item": by_item,
            "any_window_by_priority": by_priority,
        }))?;
        return Ok(Outcome::Done);
    }
    println!(
        "{} people over {} day(s) at {windows} windows (seed {})",
        people.len(),
        scenario.days,
        scenario.seed
    );
    let line = |name: &str, f: &Figures, unserved: usize| {
        println!(
            "{name:<28} mean wait {:>6.1} min  p90 {:>6.1} min  within 15 min {:>5.1}%  utilisation {:>5.1}%{}",
            f.mean_wait_minutes,
            f.p90_wait_minutes,
            f.served_within_15_min * 100.0,
            f.utilisation * 100.0,
            if unserved > 0 {
                format!("  ({unserved} nobody could serve)")
            } else {
                String::new()
            }
        );
    };
    line("any window (无差别受理)", &any_all, any_unserved);
    line("each department its own", &own_all, own_unserved);
    for (item, f) in &by_item {
        line(&format!("  item {item}"), f, 0);
    }
    for (priority, f) in &by_priority {
        line(&format!("  {priority}"), f, 0);
    }
    Ok(Outcome::Done)
}

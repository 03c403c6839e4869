//! `yichuang simulate hall`: a day (or many) of a hall as a discrete-event simulation,
//! with the same routing code as the server (`yichuang_domain::hall::next_ticket`) and a
//! seeded random source. The simple form: Poisson arrivals, exponential service, one
//! queue, identical windows; it prints what Erlang C predicts beside what happened.

use clap::{Args, Subcommand};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Exp};
use serde_json::json;
use yichuang_domain::hall::{Aging, Priority, Waiting, erlang_c, next_ticket};

use crate::Outcome;
use crate::output::print_json;

#[derive(Debug, Subcommand)]
pub(crate) enum SimulateCommand {
    /// One queue, identical windows, Poisson arrivals and exponential service.
    Hall(HallArgs),
}

#[derive(Debug, Args)]
pub(crate) struct HallArgs {
    /// People arriving per hour (on average).
    #[arg(long, value_parser = positive)]
    arrivals_per_hour: Option<f64>,
    /// Minutes a window takes per person (on average).
    #[arg(long, value_parser = positive)]
    service_minutes: Option<f64>,
    /// Windows open.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=500))]
    windows: Option<u32>,
    /// Hours simulated (arrivals stop then; those waiting are still served).
    #[arg(long, value_parser = positive)]
    hours: Option<f64>,
    /// A scenario file (hourly arrivals, items, windows with skills): compares any-window
    /// routing with each department's own windows for the same people.
    #[arg(long, conflicts_with_all = ["arrivals_per_hour", "service_minutes", "windows", "hours"])]
    scenario: Option<std::path::PathBuf>,
    /// The random source's seed: the same seed gives the same day.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

fn positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

pub(crate) fn run(command: SimulateCommand) -> anyhow::Result<Outcome> {
    match command {
        SimulateCommand::Hall(args) => hall(&args),
    }
}

/// One person arriving: when (minutes), for which item, with which priority, and how
/// long serving them will take.
#[derive(Debug, Clone)]
pub(crate) struct Arrival {
    pub(crate) at: f64,
    pub(crate) item: String,
    pub(crate) priority: Priority,
    pub(crate) service: f64,
}

/// One person served: when they came and how long they waited and took.
#[derive(Debug, Clone)]
pub(crate) struct Served {
    pub(crate) item: String,
    pub(crate) priority: Priority,
    pub(crate) wait: f64,
    pub(crate) service: f64,
}

/// Runs the hall: each window serves the items `serves` names for it, choosing with the
/// server's routing. Returns everyone served and when the last window closed.
pub(crate) fn run_hall(
    mut arrivals: Vec<Arrival>,
    serves: &[Vec<String>],
    aging: Aging,
) -> (Vec<Served>, f64) {
    arrivals.sort_by(|a, b| a.at.total_cmp(&b.at));
    let seconds = |minutes: f64| (minutes * 60.0).round() as i64;
    let mut free_at = vec![0.0f64; serves.len()];
    // The queue as the routing sees it, and the people behind it, index for index.
    let mut waiting: Vec<Waiting> = Vec::new();
    let mut people: Vec<Arrival> = Vec::new();
    let mut served = Vec::with_capacity(arrivals.len());
    let mut next = 0;
    loop {
        // The earliest moment some window is free with someone it may serve waiting.
        let serve = free_at
            .iter()
            .enumerate()
            .filter_map(|(w, free)| {
                // The queue stays in arrival order: the first it may serve came first.
                people
                    .iter()
                    .find(|p| serves[w].contains(&p.item))
                    .map(|p| p.at)
                    .map(|first| (w, free.max(first)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        let arrival = arrivals.get(next).map(|a| a.at);
        match (arrival, serve) {
            (Some(at), Some((_, when))) if at <= when => {}
            (Some(_), None) => {}
            (None, None) => break,
            (_, Some((window, when))) => {
                let Some(index) = next_ticket(&waiting, seconds(when), aging, |t| {
                    serves[window].contains(&t.item)
                }) else {
                    break;
                };
                waiting.remove(index);
                let person = people.remove(index);
                free_at[window] = when + person.service;
                served.push(Served {
                    wait: when - person.at,
                    service: person.service,
                    item: person.item,
                    priority: person.priority,
                });
                continue;
            }
        }
        let person = arrivals[next].clone();
        next += 1;
        waiting.push(Waiting {
            number: next as u64,
            priority: person.priority,
            arrived: seconds(person.at),
            item: person.item.clone(),
        });
        people.push(person);
    }
    let closed = free_at.iter().copied().fold(0.0, f64::max);
    (served, closed)
}

/// The simple form's arrivals: Poisson at one rate, exponential service, one item.
/// The simple form's parameters.
struct SimpleForm {
    arrivals_per_hour: f64,
    service_minutes: f64,
    hours: f64,
    seed: u64,
}

fn simple_arrivals(args: &SimpleForm) -> anyhow::Result<Vec<Arrival>> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let gaps = Exp::new(args.arrivals_per_hour / 60.0)?;
    let service = Exp::new(1.0 / args.service_minutes)?;
    let end = args.hours * 60.0;
    let mut out = Vec::new();
    let mut at = gaps.sample(&mut rng);
    while at < end {
        out.push(Arrival {
            at,
            item: String::new(),
            priority: Priority::WalkIn,
            service: service.sample(&mut rng),
        });
        at += gaps.sample(&mut rng);
    }
    Ok(out)
}

/// Mean, p90 and share within 15 minutes of the waits, and the windows' utilisation.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub(crate) struct Figures {
    pub(crate) served: usize,
    pub(crate) mean_wait_minutes: f64,
    pub(crate) p90_wait_minutes: f64,
    pub(crate) served_within_15_min: f64,
    pub(crate) utilisation: f64,
}

pub(crate) fn figures<'a>(
    served: impl Iterator<Item = &'a Served>,
    windows: usize,
    horizon: f64,
) -> Figures {
    let mut waits = Vec::new();
    let mut busy = 0.0;
    for s in served {
        waits.push(s.wait);
        busy += s.service;
    }
    waits.sort_by(f64::total_cmp);
    let n = waits.len().max(1) as f64;
    Figures {
        served: waits.len(),
        mean_wait_minutes: waits.iter().sum::<f64>() / n,
        p90_wait_minutes: waits
            .get(((waits.len() as f64 * 0.9).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0),
        served_within_15_min: waits.iter().filter(|w| **w <= 15.0).count() as f64 / n,
        utilisation: busy / (windows.max(1) as f64 * horizon.max(f64::MIN_POSITIVE)),
    }
}

fn hall(args: &HallArgs) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.scenario {
        return crate::simulate_scenario::run(path, args.json);
    }
    let (arrivals_per_hour, service_minutes, windows, hours) = match (
        args.arrivals_per_hour,
        args.service_minutes,
        args.windows,
        args.hours,
    ) {
        (Some(a), Some(s), Some(w), Some(h)) => (a, s, w, h),
        _ => anyhow::bail!(
            "give --arrivals-per-hour, --service-minutes, --windows and --hours, or --scenario FILE"
        ),
    };
    let simple = SimpleForm {
        arrivals_per_hour,
        service_minutes,
        hours,
        seed: args.seed,
    };
    let serves = vec![vec![String::new()]; windows as usize];
    let (served, closed) = run_hall(simple_arrivals(&simple)?, &serves, Aging::default());
    let f = figures(served.iter(), windows as usize, closed.max(hours * 60.0));
    let (mean, p90, within_15, utilisation) = (
        f.mean_wait_minutes,
        f.p90_wait_minutes,
        f.served_within_15_min,
        f.utilisation,
    );
    let day_served = f.served;
    let predicted = erlang_c(arrivals_per_hour / 60.0, service_minutes, windows);
    if args.json {
        print_json(&json!({
            "served": day_served,
            "mean_wait_minutes": mean,
            "p90_wait_minutes": p90,
            "served_within_15_min": within_15,
            "utilisation": utilisation,
            "erlang_c_mean_wait_minutes": predicted.map(|c| c.mean_wait),
            "erlang_c_p_wait": predicted.map(|c| c.p_wait),
        }))?;
    } else {
        println!(
            "{day_served} people served at {windows} windows over {hours:.0} hours (seed {})",
            args.seed
        );
        println!(
            "mean wait {mean:.2} min, p90 {p90:.2} min, served within 15 min {:.1}%",
            within_15 * 100.0
        );
        println!("utilisation {:.1}%", utilisation * 100.0);
        match predicted {
            Some(c) => println!(
                "Erlang C predicts a mean wait of {:.2} min ({:.1}% wait at all)",
                c.mean_wait,
                c.p_wait * 100.0
            ),
            None => println!(
                "Erlang C: the load ({:.2}) is not below the windows: the queue grows without bound",
                arrivals_per_hour / 60.0 * service_minutes
            ),
        }
    }
    Ok(Outcome::Done)
}

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
    arrivals_per_hour: f64,
    /// Minutes a window takes per person (on average).
    #[arg(long, value_parser = positive)]
    service_minutes: f64,
    /// Windows open.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=500))]
    windows: u32,
    /// Hours simulated (arrivals stop then; those waiting are still served).
    #[arg(long, value_parser = positive)]
    hours: f64,
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

/// What happened in the simulated hall.
#[derive(Debug)]
struct Day {
    served: usize,
    waits_minutes: Vec<f64>,
    busy_minutes: f64,
    horizon_minutes: f64,
}

fn simulate(args: &HallArgs) -> anyhow::Result<Day> {
    let mut rng = StdRng::seed_from_u64(args.seed);
    let arrivals = Exp::new(args.arrivals_per_hour / 60.0)?;
    let service = Exp::new(1.0 / args.service_minutes)?;
    let end = args.hours * 60.0;
    // Seconds on the hall's clock, for the routing code.
    let seconds = |minutes: f64| (minutes * 60.0).round() as i64;
    let mut free_at = vec![0.0f64; args.windows as usize];
    let mut queue: Vec<(Waiting, f64)> = Vec::new();
    let mut next_arrival = arrivals.sample(&mut rng);
    let mut number = 0u64;
    let mut day = Day {
        served: 0,
        waits_minutes: Vec::new(),
        busy_minutes: 0.0,
        horizon_minutes: end,
    };
    // Aging never applies here: everyone is a walk-in, so the order is arrival order.
    let aging = Aging {
        bound_seconds: i64::MAX,
    };
    loop {
        let (window, window_free) = free_at
            .iter()
            .copied()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, f64::INFINITY));
        // The next thing to happen: an arrival, or a window taking the next person.
        let arrival_first = next_arrival < end && (queue.is_empty() || next_arrival <= window_free);
        if arrival_first {
            number += 1;
            queue.push((
                Waiting {
                    number,
                    priority: Priority::WalkIn,
                    arrived: seconds(next_arrival),
                    item: String::new(),
                },
                next_arrival,
            ));
            next_arrival += arrivals.sample(&mut rng);
            continue;
        }
        if queue.is_empty() {
            break;
        }
        let now = window_free.max(queue.iter().map(|(_, t)| *t).fold(f64::INFINITY, f64::min));
        let Some(index) = next_ticket(
            &queue.iter().map(|(w, _)| w.clone()).collect::<Vec<_>>(),
            seconds(now),
            aging,
            |_| true,
        ) else {
            break;
        };
        let (_, arrived) = queue.remove(index);
        let start = window_free.max(arrived);
        let took = service.sample(&mut rng);
        free_at[window] = start + took;
        day.served += 1;
        day.waits_minutes.push(start - arrived);
        day.busy_minutes += took;
    }
    day.horizon_minutes = day
        .horizon_minutes
        .max(free_at.iter().copied().fold(0.0, f64::max));
    Ok(day)
}

fn hall(args: &HallArgs) -> anyhow::Result<Outcome> {
    let day = simulate(args)?;
    let mut waits = day.waits_minutes.clone();
    waits.sort_by(f64::total_cmp);
    let n = waits.len().max(1) as f64;
    let mean = waits.iter().sum::<f64>() / n;
    let p90 = waits
        .get(((waits.len() as f64 * 0.9).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    let within_15 = waits.iter().filter(|w| **w <= 15.0).count() as f64 / n;
    let utilisation = day.busy_minutes / (f64::from(args.windows) * day.horizon_minutes);
    let predicted = erlang_c(
        args.arrivals_per_hour / 60.0,
        args.service_minutes,
        args.windows,
    );
    if args.json {
        print_json(&json!({
            "served": day.served,
            "mean_wait_minutes": mean,
            "p90_wait_minutes": p90,
            "served_within_15_min": within_15,
            "utilisation": utilisation,
            "erlang_c_mean_wait_minutes": predicted.map(|c| c.mean_wait),
            "erlang_c_p_wait": predicted.map(|c| c.p_wait),
        }))?;
    } else {
        println!(
            "{} people served at {} windows over {:.0} hours (seed {})",
            day.served, args.windows, args.hours, args.seed
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
                args.arrivals_per_hour / 60.0 * args.service_minutes
            ),
        }
    }
    Ok(Outcome::Done)
}

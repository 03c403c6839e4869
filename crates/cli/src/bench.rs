//! `yichuang bench ids`: how fast identity numbers validate, as a ratio against a
//! baseline measured in the same run (see PERFORMANCE.md in the design folder).

use std::hint::black_box;
use std::time::{Duration, Instant};

use clap::Subcommand;
use jiff::civil::date;
use yichuang_domain::{RegionCode, ResidentId};

use crate::Outcome;

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Parse generated resident identity numbers with every check (region lookup, birth
    /// date, check character) against a baseline that only computes the check character.
    Ids {
        /// How many numbers to generate and parse per round.
        #[arg(long, default_value_t = 1_000_000)]
        count: u32,
        /// Rounds, alternating ours and the baseline.
        #[arg(long, default_value_t = 3)]
        rounds: u32,
    },
}

pub(crate) fn run(command: BenchCommand) -> anyhow::Result<Outcome> {
    match command {
        BenchCommand::Ids { count, rounds } => ids(count, rounds.max(1)),
    }
}

fn ids(count: u32, rounds: u32) -> anyhow::Result<Outcome> {
    let counties: Vec<u32> = (11..=65)
        .filter_map(|p| RegionCode::from_digits(p * 10_000))
        .flat_map(|p| {
            p.children()
                .flat_map(|c| std::iter::once(c).chain(c.children()))
        })
        .filter(|r| r.digits() < 1_000_000)
        .map(RegionCode::digits)
        .collect();
    let birth = date(1970, 1, 1);
    let numbers: Vec<String> = (0..count)
        .map(|i| {
            let address = counties[i as usize % counties.len()];
            let day = birth.checked_add(jiff::Span::new().days(i64::from(i % 18_000)))?;
            ResidentId::from_parts(address, day, (i % 999) as u16).map_err(anyhow::Error::from)
        })
        .map(|r| r.map(|id| id.as_str().to_owned()))
        .collect::<Result<_, _>>()?;
    let today = date(2026, 1, 1);
    let mut ours = Duration::ZERO;
    let mut baseline = Duration::ZERO;
    for _ in 0..rounds {
        let start = Instant::now();
        let valid = numbers
            .iter()
            .filter(|n| ResidentId::parse(black_box(n), today).is_ok())
            .count();
        ours += start.elapsed();
        anyhow::ensure!(valid == numbers.len(), "generated numbers failed to parse");

        let start = Instant::now();
        let checked = numbers
            .iter()
            .filter(|n| baseline_check(black_box(n)))
            .count();
        baseline += start.elapsed();
        anyhow::ensure!(
            checked == numbers.len(),
            "baseline rejected generated numbers"
        );
    }
    let total = f64::from(count) * f64::from(rounds);
    let ours_rate = total / ours.as_secs_f64();
    let baseline_rate = total / baseline.as_secs_f64();
    println!(
        "resident ids parsed (full checks):   {ours_rate:>14.0} /s  {:.0} ns each",
        1e9 / ours_rate
    );
    println!(
        "baseline (check character only):     {baseline_rate:>14.0} /s  {:.0} ns each",
        1e9 / baseline_rate
    );
    println!("ratio ours/baseline: {:.2}", ours_rate / baseline_rate);
    println!(
        "(single thread, {rounds} alternating rounds of {count}; CPU time equals wall time here)"
    );
    Ok(Outcome::Done)
}

/// Length, digits and MOD 11-2 only: the least any validator must do.
fn baseline_check(number: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let bytes = number.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] == bytes[17]
}

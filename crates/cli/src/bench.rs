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
    /// Complete case lifecycles (submit, accept, review, decide, complete) through the
    /// service layer, against raw writes of the same rows with the same durability.
    Cases {
        /// How many cases (each makes 5 transitions).
        #[arg(long, default_value_t = 4000)]
        cases: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// Run clients and engine on one thread (the server uses the multi-threaded runtime).
        #[arg(long)]
        single_thread: bool,
    },
    /// The server on loopback: guide lookups and case commands against a trivial route.
    Http {
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds per run (four runs).
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Ticket cycles (take, call, finish) at a hall's windows through the engine against
    /// case lifecycles in the same run; call-to-display latency with many listeners.
    Hall {
        /// Windows working at once (each its own client).
        #[arg(long, default_value_t = 16)]
        windows: u32,
        /// Ticket cycles per round (and case lifecycles for the comparison).
        #[arg(long, default_value_t = 1000)]
        cycles: usize,
        /// Displays listening for the latency measurement.
        #[arg(long, default_value_t = 1000)]
        listeners: usize,
    },
    /// Ratings stored per second through the engine against case commands per second in
    /// the same run; the published figures read from the totals of millions of ratings.
    Ratings {
        /// Cases rated per round (and case lifecycles for the comparison).
        #[arg(long, default_value_t = 1000)]
        cases: usize,
        /// Clients rating at once.
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Ratings whose running totals the publication is read from.
        #[arg(long, default_value_t = 10_000_000)]
        published: u64,
    },
    /// A synthetic year of cases written in bulk (cases per second), then the
    /// supervision dashboard's query per province and county from the running totals
    /// against a plain GROUP BY over the cases (p50/p99 and the ratio).
    Report {
        /// Synthetic cases to write first.
        #[arg(long, default_value_t = 200_000)]
        cases: usize,
        /// Rounds over the provinces.
        #[arg(long, default_value_t = 10)]
        runs: usize,
        /// Counties per province the cases are spread over.
        #[arg(long, default_value_t = 6)]
        counties_per_province: usize,
        /// Every province (31 and the two SARs) rather than the demo's ten.
        #[arg(long)]
        all_provinces: bool,
    },
    /// N synthetic employers' year imported (rows per second), then the refund decided
    /// for each by a rule of five CEL conditions against one hand-written SQL query
    /// over the same rows (the ratio; both must agree).
    /// With `--people N`: N synthetic insured persons instead, a five-condition rule
    /// over each one's record against the same conditions in SQL.
    Proactive {
        #[arg(long, default_value_t = 100_000)]
        employers: usize,
        #[arg(long)]
        people: Option<usize>,
    },
    /// Endless lifecycles printing `ack CASE VERSION` for every acknowledged command, for
    /// the crash-safety test (which kills the process with SIGKILL).
    #[command(hide = true)]
    Load {
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Load and check the built-in catalog, build a region's search index, and time the
    /// relevance queries (p50/p99) against a naive substring scan of the same guides.
    Search {
        /// The region whose guides are searched.
        #[arg(long, default_value = "330211")]
        region: yichuang_domain::RegionCode,
        /// Rounds over the relevance queries.
        #[arg(long, default_value_t = 50)]
        rounds: u32,
    },
}

pub(crate) fn run(
    command: BenchCommand,
    db: Option<&str>,
    data_dir: &std::path::Path,
) -> anyhow::Result<Outcome> {
    match command {
        BenchCommand::Cases {
            cases,
            concurrency,
            single_thread,
        } => crate::bench_cases::run(cases.max(1), concurrency.max(1), single_thread, db),
        BenchCommand::Http {
            connections,
            seconds,
        } => crate::bench_http::run(connections.max(1), seconds.clamp(1, 60)),
        BenchCommand::Hall {
            windows,
            cycles,
            listeners,
        } => crate::bench_hall::run(windows.clamp(1, 200), cycles.max(1), listeners.max(1)),
        BenchCommand::Ratings {
            cases,
            clients,
            published,
        } => crate::bench_ratings::run(cases.max(1), clients.clamp(1, 200), published.max(1)),
        BenchCommand::Report {
            cases,
            runs,
            counties_per_province,
            all_provinces,
        } => crate::bench_report::run(
            crate::bench_report::Spread {
                cases: cases.max(1),
                counties_per_province: counties_per_province.max(1),
                all_provinces,
            },
            runs.max(1),
            db,
            data_dir,
        ),
        BenchCommand::Proactive {
            people: Some(people),
            ..
        } => {
            let dir = tempfile::tempdir()?;
            let url = db.map_or_else(
                || yichuang_store::Store::sqlite_url(&dir.path().join("people.db")),
                str::to_owned,
            );
            crate::bench_people::run(people.max(1), &url)
        }
        BenchCommand::Proactive { employers, .. } => {
            crate::bench_proactive::run(employers.max(1), db)
        }
        BenchCommand::Load { concurrency } => crate::bench_cases::load(concurrency.max(1), db),
        BenchCommand::Ids { count, rounds } => ids(count, rounds.max(1)),
        BenchCommand::Search { region, rounds } => search(region, rounds.max(1)),
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

/// Waits for every load task started at `start`; their latencies, sorted, and the time
/// they took (sorting excluded).
pub(crate) async fn sorted_latencies(
    tasks: Vec<tokio::task::JoinHandle<anyhow::Result<Vec<Duration>>>>,
    start: Instant,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    let elapsed = start.elapsed();
    latencies.sort();
    Ok((latencies, elapsed))
}

/// The `q` quantile of sorted latencies, in milliseconds (0 when there are none).
pub(crate) fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted.get(index).copied().unwrap_or_default().as_secs_f64() * 1e3
}

fn search(region: RegionCode, rounds: u32) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    let loaded = yichuang_catalog::builtin()?;
    let load_time = start.elapsed();
    let date = date(2026, 6, 1);
    let start = Instant::now();
    let (resolved, index) = crate::search_cmd::index_for(&loaded, region, date)?;
    let index_time = start.elapsed();
    let cases = yichuang_search::relevance_cases()?;
    let report = index.evaluate(&cases)?;

    let mut ours = Vec::new();
    let mut naive = Vec::new();
    for _ in 0..rounds {
        for case in &cases {
            let t = Instant::now();
            black_box(index.search(black_box(&case.query), 3)?);
            ours.push(t.elapsed());
            let t = Instant::now();
            black_box(naive_scan(&resolved, black_box(&case.query)));
            naive.push(t.elapsed());
        }
    }
    ours.sort();
    naive.sort();
    let mean = |v: &[Duration]| v.iter().sum::<Duration>() / v.len().max(1) as u32;
    println!(
        "catalog load + check: {:.1} ms ({} items, {} variants)",
        load_time.as_secs_f64() * 1e3,
        loaded.catalog.item_ids().len(),
        loaded.catalog.variants.len()
    );
    println!(
        "index build for {} {}: {:.1} ms ({} guides)",
        region,
        region.full_name(),
        index_time.as_secs_f64() * 1e3,
        resolved.len()
    );
    println!(
        "relevance: {}/{} queries return the expected item in the top 3 (hit rate {:.2}), {} first ({:.2})",
        report.hits,
        report.total,
        report.hit_rate(),
        report.first,
        report.first_rate()
    );
    for (query, expect, got) in &report.misses {
        println!("  miss: {query:?} expected {expect}, got {got:?}");
    }
    println!(
        "search latency: p50 {:.3} ms, p99 {:.3} ms over {} queries",
        percentile_ms(&ours, 0.50),
        percentile_ms(&ours, 0.99),
        ours.len()
    );
    println!(
        "baseline (substring scan of names and keywords): p50 {:.3} ms, p99 {:.3} ms",
        percentile_ms(&naive, 0.50),
        percentile_ms(&naive, 0.99)
    );
    println!(
        "ratio ours/baseline mean latency: {:.2}",
        mean(&ours).as_secs_f64() / mean(&naive).as_secs_f64().max(1e-9)
    );
    Ok(Outcome::Done)
}

/// The least a search could do: count query characters found in names and keywords.
fn naive_scan(guides: &[yichuang_domain::catalog::ResolvedGuide], query: &str) -> Option<usize> {
    guides
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let score = query
                .chars()
                .filter(|c| {
                    g.guide.name.contains(*c) || g.guide.keywords.iter().any(|k| k.contains(*c))
                })
                .count();
            (score, i)
        })
        .max()
        .map(|(_, i)| i)
}

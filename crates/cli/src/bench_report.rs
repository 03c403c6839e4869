//! `yichuang bench report`: a synthetic year of N cases written through the engine's
//! bulk path (cases per second printed), then the supervision dashboard's query for
//! every province and for a county, read from the running totals, timed (p50/p99)
//! against the same counts by a plain `GROUP BY` over the cases and their events in
//! the same run (the ratio). PERFORMANCE.md: measurements and ratios, never a timed
//! assertion.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use yichuang_domain::RegionCode;
use yichuang_engine::{Engine, EngineConfig, china_date};
use yichuang_store::Store;

use crate::Outcome;
use crate::bench::percentile_ms;
use crate::calendar_cmd::load_calendar;
use crate::store_cmd::runtime;

fn line(label: &str, times: &mut [Duration]) -> (f64, f64) {
    times.sort();
    let (p50, p99) = (percentile_ms(times, 0.5), percentile_ms(times, 0.99));
    println!("  {label:<34} p50 {p50:>9.2} ms   p99 {p99:>9.2} ms");
    (p50, p99)
}

/// How many cases the synthetic year writes, and over which counties.
pub(crate) struct Spread {
    pub cases: usize,
    pub counties_per_province: usize,
    /// Every province rather than the demo's ten.
    pub all_provinces: bool,
}

pub(crate) fn run(
    Spread {
        cases,
        counties_per_province,
        all_provinces,
    }: Spread,
    runs: usize,
    db: Option<&str>,
    data_dir: &Path,
) -> anyhow::Result<Outcome> {
    let calendar = Arc::new(load_calendar(data_dir)?);
    let loaded = yichuang_catalog::builtin()?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let url = db.map_or_else(
        || Store::sqlite_url(&dir.path().join("report.db")),
        str::to_owned,
    );
    runtime()?.block_on(async {
        let store = Store::open(&url).await?;
        let catalog = Arc::new(loaded.catalog.clone());
        let engine = Engine::start(store.clone(), catalog.clone(), calendar, EngineConfig::default());
        let today = china_date(jiff::Timestamp::now());
        let provinces: Vec<RegionCode> = if all_provinces {
            RegionCode::provinces().collect()
        } else {
            yichuang_server::DEFAULT_PROVINCES
                .iter()
                .filter_map(|c| RegionCode::parse(c).ok())
                .collect()
        };
        let started = Instant::now();
        let year = yichuang_server::generate_year(
            &engine,
            &catalog,
            today,
            cases,
            (&provinces, counties_per_province),
            7,
            &crate::progress::every_twentieth(cases),
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "bench report: {} synthetic cases ({} events) over {} counties written in {seconds:.1} s: {:.0} cases/s",
            year.cases,
            year.events,
            year.counties,
            year.cases as f64 / seconds.max(1e-9)
        );
        let to = today.strftime("%Y-%m").to_string();
        let from = today
            .checked_sub(jiff::Span::new().months(11))?
            .strftime("%Y-%m")
            .to_string();
        let from_at = format!("{from}-01T00:00:00Z");
        let to_at = today
            .checked_add(jiff::Span::new().days(1))?
            .strftime("%Y-%m-%dT00:00:00Z")
            .to_string();
        let county = year
            .county_codes
            .first()
            .copied()
            .context("the synthetic year has no counties")?;
        let mut totals = Vec::new();
        let mut scans = Vec::new();
        let mut county_totals = Vec::new();
        let mut county_scans = Vec::new();
        let mut nation_totals = Vec::new();
        let mut nation_scans = Vec::new();
        for _ in 0..runs {
            for province in &provinces {
                let t = Instant::now();
                let report = yichuang_server::supervision_report(&store, Some(*province), (&from, &to), today).await?;
                totals.push(t.elapsed());
                std::hint::black_box(report);
                let t = Instant::now();
                let scanned = store
                    .figures_by_scan(&province.subtree_prefix(), &from_at, &to_at)
                    .await?;
                scans.push(t.elapsed());
                std::hint::black_box(scanned);
            }
            let t = Instant::now();
            std::hint::black_box(yichuang_server::supervision_report(&store, Some(county), (&from, &to), today).await?);
            county_totals.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(store.figures_by_scan(&county.subtree_prefix(), &from_at, &to_at).await?);
            county_scans.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(yichuang_server::supervision_report(&store, None, (&from, &to), today).await?);
            nation_totals.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(store.figures_by_scan("", &from_at, &to_at).await?);
            nation_scans.push(t.elapsed());
        }
        println!("dashboard query, 12 months, {runs} runs:");
        let (_, ours) = line("province, running totals", &mut totals);
        let (_, baseline) = line("province, GROUP BY over cases", &mut scans);
        line("county, running totals", &mut county_totals);
        line("county, GROUP BY over cases", &mut county_scans);
        line("whole country, running totals", &mut nation_totals);
        line("whole country, GROUP BY over cases", &mut nation_scans);
        println!(
            "ratio (GROUP BY p99 / running totals p99, province): {:.1}x",
            baseline / ours.max(1e-9)
        );
        drop(engine);
        Ok(Outcome::Done)
    })
}

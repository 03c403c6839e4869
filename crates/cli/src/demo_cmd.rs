//! `yichuang demo generate`: a synthetic year of cases across provinces and counties,
//! written in bulk through the engine's rules, for the supervision figures and the
//! benchmarks. Everything it writes is labelled synthetic.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use yichuang_domain::RegionCode;
use yichuang_engine::{Engine, EngineConfig, china_date};
use yichuang_store::Store;

use crate::Outcome;
use crate::calendar_cmd::load_calendar;
use crate::store_cmd::{runtime, shown};

#[derive(Debug, Subcommand)]
pub(crate) enum DemoCommand {
    /// Write a synthetic year of cases (labelled synthetic in every view).
    Generate {
        /// How many cases.
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        /// Provinces to spread them over, comma-separated codes (default: ten across
        /// east, centre, west and north-east).
        #[arg(long, value_delimiter = ',')]
        regions: Vec<String>,
        /// The same seed gives the same year.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Write synthetic export files (employers.csv, employer_months.csv, claimants.csv)
    /// for `yichuang facts import`.
    Facts {
        #[arg(long, default_value_t = 1_000)]
        employers: usize,
        #[arg(long, value_parser = clap::value_parser!(i16).range(1900..=2200))]
        year: i16,
        /// The folder to write the three files into.
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
}

pub(crate) fn run(command: DemoCommand, url: &str, data_dir: &Path) -> anyhow::Result<Outcome> {
    let (cases, regions, seed) = match command {
        DemoCommand::Generate {
            cases,
            regions,
            seed,
        } => (cases, regions, seed),
        DemoCommand::Facts {
            employers,
            year,
            out,
            seed,
        } => {
            let provinces: Vec<RegionCode> = yichuang_server::DEFAULT_PROVINCES
                .iter()
                .filter_map(|code| RegionCode::parse(code).ok())
                .collect();
            let facts = yichuang_server::generate_facts(employers, year, &provinces, seed);
            crate::demo_facts::write_files(&out, &facts)?;
            println!(
                "synthetic facts in {}: {} employers, {} month records, {} claimant counts",
                out.display(),
                facts.employers.len(),
                facts.months.len(),
                facts.claimants.len()
            );
            return Ok(Outcome::Done);
        }
    };
    let codes: Vec<String> = if regions.is_empty() {
        yichuang_server::DEFAULT_PROVINCES
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    } else {
        regions
    };
    let mut provinces = Vec::new();
    for code in &codes {
        match RegionCode::parse(code.trim()) {
            Ok(region) => provinces.push(region.province()),
            Err(e) => {
                eprintln!("--regions: {code:?} is not a division code ({e})");
                return Ok(Outcome::Invalid);
            }
        }
    }
    provinces.dedup();
    let calendar = Arc::new(load_calendar(data_dir)?);
    let loaded = yichuang_catalog::builtin()?;
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let catalog = Arc::new(loaded.catalog.clone());
        let engine = Engine::start(store, catalog.clone(), calendar, EngineConfig::default());
        let today = china_date(jiff::Timestamp::now());
        let started = Instant::now();
        let progress = crate::progress::every_twentieth(cases);
        let year = yichuang_server::generate_year(
            &engine,
            &catalog,
            today,
            cases,
            (&provinces, yichuang_server::DEFAULT_COUNTIES_PER_PROVINCE),
            seed,
            &progress,
        )
        .await?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "synthetic year: {} cases, {} events, {} provinces, {} counties in {seconds:.1} s ({:.0} cases/s)",
            year.cases,
            year.events,
            year.provinces,
            year.counties,
            year.cases as f64 / seconds.max(1e-9)
        );
        Ok(Outcome::Done)
    })
}

//! `yichuang facts import employers|employer-months|claimants|persons FILE`: the files
//! other systems export, read through the engine's importer (the push API uses the
//! same): every bad row is reported with its line, and a file with one bad row
//! imports nothing. A progress bar follows the bytes read.

use std::fs::File;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use yichuang_engine::{FactFile, import_facts};
use yichuang_store::Store;

use crate::Outcome;
use crate::output::print_json;
use crate::store_cmd::{runtime, shown};

#[derive(Debug, Subcommand)]
pub(crate) enum FactsCommand {
    /// Import one file (UTF-8, header row, one record a line).
    Import {
        kind: FactKind,
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FactKind {
    /// `uscc,name,region,size` (size: large or sme).
    Employers,
    /// `uscc,month,insured,due_yuan,paid_yuan` (month as YYYY-MM, money in yuan).
    EmployerMonths,
    /// `uscc,year,new_claimants`.
    Claimants,
    /// `person,region,status,ui_months,card` (status: employed, claiming_benefit or
    /// other; card: none, issued, active or lost).
    Persons,
    /// `person,certificate,occupation,level,issued_on` (level 1 to 5, date as
    /// YYYY-MM-DD; the person imported before).
    Certificates,
}

impl FactKind {
    fn file(self) -> FactFile {
        match self {
            FactKind::Employers => FactFile::Employers,
            FactKind::EmployerMonths => FactFile::EmployerMonths,
            FactKind::Claimants => FactFile::Claimants,
            FactKind::Persons => FactFile::Persons,
            FactKind::Certificates => FactFile::Certificates,
        }
    }
}

pub(crate) fn run(command: FactsCommand, url: &str) -> anyhow::Result<Outcome> {
    let FactsCommand::Import { kind, file, json } = command;
    let started = Instant::now();
    let input = File::open(&file).with_context(|| format!("reading {}", file.display()))?;
    let size = input.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let today = crate::clock::today_in_china();
        let report = import_facts(&store, kind.file(), bar.wrap_read(input), today, None).await?;
        anyhow::Ok(report)
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let shown = file.display();
    let problems: Vec<String> = report
        .problems
        .iter()
        .map(|p| format!("{shown}:{}: {}", p.line, p.message))
        .collect();
    if json {
        print_json(&json!({
            "file": shown.to_string(),
            "rows": report.rows,
            "imported": report.imported,
            "written": report.written,
            "problems": problems,
            "seconds": seconds,
        }))?;
    } else if report.imported {
        println!(
            "{shown}: {} rows checked, {} new or changed, {} unchanged ({seconds:.1} s)",
            report.rows,
            report.written,
            report.rows as u64 - report.written.min(report.rows as u64)
        );
    } else {
        for problem in &problems {
            eprintln!("{problem}");
        }
        eprintln!(
            "{shown}: {} bad row(s); nothing was imported",
            problems.len()
        );
    }
    Ok(if report.imported {
        Outcome::Done
    } else {
        Outcome::Invalid
    })
}

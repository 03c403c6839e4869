//! `yichuang facts import employers|employer-months|claimants|persons FILE`: the files
//! other systems export, read at this edge with the `csv` crate. Every row is checked
//! (credit code and identity number check digits, region, numbers, duplicates, an
//! employer imported before its months or claimants) and every bad row is reported
//! with its line; a file with one bad row imports nothing.

use std::collections::HashMap;
use std::fs::File;
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use yichuang_domain::facts::{
    ClaimantsRecord, EmployerMonthRecord, EmployerRecord, FieldError, PersonRecord,
};
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
}

/// What reading a file found: the rows, or every problem with its line.
struct FileRead<T> {
    rows: Vec<T>,
    problems: Vec<String>,
}

pub(crate) fn run(command: FactsCommand, url: &str) -> anyhow::Result<Outcome> {
    let FactsCommand::Import { kind, file, json } = command;
    let started = Instant::now();
    runtime()?.block_on(async {
        let store = Store::open(url)
            .await
            .with_context(|| format!("opening {}", shown(url)))?;
        let (rows, problems, written) = match kind {
            FactKind::Employers => {
                let read = read_file(&file, EmployerRecord::HEADER, EmployerRecord::parse, |r| {
                    r.uscc
                })?;
                import(
                    read,
                    |rows| async move { store.import_employers(&rows).await },
                )
                .await?
            }
            FactKind::EmployerMonths => {
                let mut read = read_file(
                    &file,
                    EmployerMonthRecord::HEADER,
                    EmployerMonthRecord::parse,
                    |r| (r.uscc, r.month),
                )?;
                let known = store.fact_employer_codes().await?;
                read.unknown_employers(&file, |r| r.uscc.as_str(), &known);
                import(read, |rows| async move {
                    store.import_employer_months(&rows).await
                })
                .await?
            }
            FactKind::Claimants => {
                let mut read = read_file(
                    &file,
                    ClaimantsRecord::HEADER,
                    ClaimantsRecord::parse,
                    |r| (r.uscc, r.year),
                )?;
                let known = store.fact_employer_codes().await?;
                read.unknown_employers(&file, |r| r.uscc.as_str(), &known);
                import(
                    read,
                    |rows| async move { store.import_claimants(&rows).await },
                )
                .await?
            }
            FactKind::Persons => {
                let today = crate::clock::today_in_china();
                let read = read_file(
                    &file,
                    PersonRecord::HEADER,
                    |fields| PersonRecord::parse(fields, today),
                    |r| r.person,
                )?;
                import(
                    read,
                    |rows| async move { store.import_persons(&rows).await },
                )
                .await?
            }
        };
        let seconds = started.elapsed().as_secs_f64();
        if json {
            print_json(&json!({
                "file": file.display().to_string(),
                "rows": rows,
                "imported": problems.is_empty(),
                "written": written,
                "problems": problems,
                "seconds": seconds,
            }))?;
        } else if problems.is_empty() {
            println!(
                "{}: {rows} rows checked, {written} new or changed, {} unchanged ({seconds:.1} s)",
                file.display(),
                rows as u64 - written.min(rows as u64)
            );
        } else {
            for problem in &problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "{}: {} bad row(s); nothing was imported",
                file.display(),
                problems.len()
            );
        }
        Ok(if problems.is_empty() {
            Outcome::Done
        } else {
            Outcome::Invalid
        })
    })
}

/// Writes the rows when no row had a problem: (rows read, problems, rows written).
async fn import<T, F, Fut>(
    read: FileRead<Line<T>>,
    write: F,
) -> anyhow::Result<(usize, Vec<String>, u64)>
where
    F: FnOnce(Vec<T>) -> Fut,
    Fut: std::future::Future<Output = Result<u64, yichuang_store::StoreError>>,
{
    let count = read.rows.len();
    if !read.problems.is_empty() {
        return Ok((count, read.problems, 0));
    }
    let values: Vec<T> = read.rows.into_iter().map(|l| l.value).collect();
    let written = write(values).await?;
    Ok((count, Vec::new(), written))
}

impl<T> FileRead<T> {
    /// Months and claimants must belong to an employer imported before.
    fn unknown_employers(
        &mut self,
        file: &Path,
        code: impl Fn(&T) -> &str,
        known: &std::collections::HashSet<String>,
    ) where
        T: Lined,
    {
        for row in &self.rows {
            if !known.contains(code(row)) {
                self.problems.push(format!(
                    "{}:{}: uscc: {} is not an imported employer (import employers.csv first)",
                    file.display(),
                    row.line(),
                    code(row)
                ));
            }
        }
        self.problems.sort_by_key(|p| line_of(p));
    }
}

fn line_of(problem: &str) -> u64 {
    problem
        .split(':')
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or(0)
}

/// A parsed row that remembers its line.
pub(crate) trait Lined {
    fn line(&self) -> u64;
}

/// Reads the whole file: the header must be exactly `header`; each record is parsed
/// and keyed, and a key seen before is a duplicate naming the first line.
fn read_file<T, K, const N: usize>(
    path: &Path,
    header: [&str; N],
    parse: impl Fn([&str; N]) -> Result<T, FieldError>,
    key: fn(&T) -> K,
) -> anyhow::Result<FileRead<Line<T>>>
where
    K: Hash + Eq,
{
    let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bar.wrap_read(file));
    let shown = path.display();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<K, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{shown}:{line}: {}", e));
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if first {
            first = false;
            let got: Vec<&str> = record
                .iter()
                .map(|f| f.trim_start_matches('\u{feff}').trim())
                .collect();
            if got != header {
                problems.push(format!(
                    "{shown}:{line}: the header must be `{}`, not `{}`",
                    header.join(","),
                    got.join(",")
                ));
                break;
            }
            continue;
        }
        if record.len() != N {
            problems.push(format!(
                "{shown}:{line}: {} fields where {N} are needed ({})",
                record.len(),
                header.join(",")
            ));
            continue;
        }
        let fields: [&str; N] = std::array::from_fn(|i| record.get(i).unwrap_or(""));
        match parse(fields) {
            Ok(value) => {
                if let Some(first_line) = seen.insert(key(&value), line) {
                    problems.push(format!(
                        "{shown}:{line}: the same record as line {first_line}"
                    ));
                } else {
                    rows.push(Line { line, value });
                }
            }
            Err(e) => problems.push(format!("{shown}:{line}: {e}")),
        }
    }
    bar.finish_and_clear();
    if first && problems.is_empty() {
        problems.push(format!(
            "{shown}: the file is empty (a header row is needed)"
        ));
    }
    Ok(FileRead { rows, problems })
}

/// A row with the line it came from.
pub(crate) struct Line<T> {
    line: u64,
    value: T,
}

impl<T> Lined for Line<T> {
    fn line(&self) -> u64 {
        self.line
    }
}

impl<T> std::ops::Deref for Line<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

//! `yichuang report`: figures a supervisor brings, computed the way the platform
//! computes its own. `report equalization --input FILE.csv` reads `region,value` (and
//! optionally `population` and `group`) and prints how evenly the value is spread.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use yichuang_domain::equalization::{Indices, Observation, indices};

use crate::Outcome;
use crate::output::{print_fields, print_json};

#[derive(Debug, Subcommand)]
pub(crate) enum ReportCommand {
    /// How evenly a figure is spread across regions: coefficient of variation
    /// (population-weighted with a `population` column), Gini, Theil T and L (split
    /// between and within groups with a `group` column).
    Equalization {
        /// A CSV file with the header `region,value` and optionally `population` and
        /// `group` columns (UTF-8, one region a line).
        #[arg(long)]
        input: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(command: ReportCommand) -> anyhow::Result<Outcome> {
    match command {
        ReportCommand::Equalization { input, json } => {
            let file = std::fs::File::open(&input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            match read_observations(file) {
                Ok(observations) => {
                    let result = indices(&observations).map_err(|e| anyhow::anyhow!("{e}"))?;
                    if json {
                        print_json(&result)?;
                    } else {
                        print_indices(&result);
                    }
                    Ok(Outcome::Done)
                }
                Err(problems) => {
                    for problem in &problems {
                        eprintln!("{}: {problem}", input.display());
                    }
                    eprintln!("{} problem(s); nothing was computed", problems.len());
                    Ok(Outcome::Invalid)
                }
            }
        }
    }
}

fn print_indices(r: &Indices) {
    let number = |x: f64| format!("{x:.6}");
    let mut fields = vec![
        ("n", r.n.to_string()),
        ("mean", number(r.mean)),
        ("cv", number(r.cv)),
    ];
    if let Some(cv_weighted) = r.cv_weighted {
        fields.push(("cv_weighted", number(cv_weighted)));
    }
    fields.extend([
        ("gini", number(r.gini)),
        ("theil_t", number(r.theil_t)),
        ("theil_l", number(r.theil_l)),
    ]);
    if let Some(d) = &r.decomposition {
        fields.extend([
            ("theil_t_between", number(d.theil_t_between)),
            ("theil_t_within", number(d.theil_t_within)),
            ("theil_l_between", number(d.theil_l_between)),
            ("theil_l_within", number(d.theil_l_within)),
        ]);
    }
    print_fields(&fields);
}

const COLUMNS: [&str; 4] = ["region", "value", "population", "group"];

/// Where each known column is in the header.
struct Header {
    region: usize,
    value: usize,
    population: Option<usize>,
    group: Option<usize>,
}

fn header(names: &csv::StringRecord) -> Result<Header, Vec<String>> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        match COLUMNS.iter().find(|known| **known == name) {
            None => problems.push(format!(
                "line 1: unknown column {name:?} (the columns are region, value, and optionally population and group)"
            )),
            Some(known) => {
                if at.insert(known, i).is_some() {
                    problems.push(format!("line 1: the column {name} appears twice"));
                }
            }
        }
    }
    for required in ["region", "value"] {
        if !at.contains_key(required) {
            problems.push(format!("line 1: the column {required} is missing"));
        }
    }
    match (problems.is_empty(), at.get("region"), at.get("value")) {
        (true, Some(&region), Some(&value)) => Ok(Header {
            region,
            value,
            population: at.get("population").copied(),
            group: at.get("group").copied(),
        }),
        _ => Err(problems),
    }
}

/// A positive number in a cell, or what is wrong with it.
fn positive(cell: &str, what: &str) -> Result<f64, String> {
    let number: f64 = cell
        .parse()
        .map_err(|_| format!("the {what} {cell:?} is not a number"))?;
    if !number.is_finite() || number <= 0.0 {
        return Err(format!(
            "the {what} is {cell}; it must be a positive number{}",
            if what == "value" {
                " (Theil's indices take its logarithm)"
            } else {
                ""
            }
        ));
    }
    Ok(number)
}

/// Every row checked; every problem with its line number (nothing is computed from a
/// file that has one).
fn read_observations(input: impl std::io::Read) -> Result<Vec<Observation>, Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let names = reader
        .headers()
        .map_err(|e| vec![format!("line 1: {e}")])?
        .clone();
    let header = header(&names)?;
    let mut problems = Vec::new();
    let mut observations = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != names.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header has {}",
                record.len(),
                names.len()
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        let region = cell(header.region).to_owned();
        let mut row_problems = Vec::new();
        if region.is_empty() {
            row_problems.push("the region is empty".to_owned());
        } else if let Some(first) = seen.get(&region) {
            row_problems.push(format!(
                "the region {region} is there twice (first on line {first})"
            ));
        }
        let value = positive(cell(header.value), "value")
            .map_err(|p| row_problems.push(p))
            .ok();
        let population = match header.population {
            Some(i) if cell(i).is_empty() => {
                row_problems.push("the population is missing".to_owned());
                None
            }
            Some(i) => positive(cell(i), "population")
                .map_err(|p| row_problems.push(p))
                .ok(),
            None => None,
        };
        let group = match header.group {
            Some(i) if cell(i).is_empty() => {
                row_problems.push("the group is missing".to_owned());
                None
            }
            Some(i) => Some(cell(i).to_owned()),
            None => None,
        };
        seen.entry(region.clone()).or_insert(line);
        if !row_problems.is_empty() {
            problems.extend(
                row_problems
                    .into_iter()
                    .map(|p| format!("line {line}: {p}")),
            );
            continue;
        }
        if let Some(value) = value {
            observations.push(Observation {
                region,
                value,
                population,
                group,
            });
        }
    }
    if problems.is_empty() && observations.is_empty() {
        problems.push("there are no regions after the header".to_owned());
    }
    if problems.is_empty() {
        Ok(observations)
    } else {
        Err(problems)
    }
}

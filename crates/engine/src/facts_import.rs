//! Importing the files other systems export (employers, their monthly contributions,
//! claimants, insured persons), for the command line and the push API alike. Read
//! with the `csv` crate: the header must be the format's; every record is parsed into
//! its domain type, keyed, and checked against what came before (a duplicate names
//! the first line; months and claimants need an employer imported before). A file
//! with one bad row writes nothing; a good one is upserted in one transaction, so a
//! re-import of the same rows changes nothing.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::io::Read;

use jiff::civil::Date;
use serde::Serialize;
use yichuang_domain::RegionCode;
use yichuang_domain::facts::{
    CertificateRecord, ClaimantsRecord, EmployerMonthRecord, EmployerRecord, FieldError,
    PersonRecord,
};
use yichuang_store::{Store, StoreError};

/// The formats, by the name the command line and the API use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactFile {
    /// `uscc,name,region,size`
    Employers,
    /// `uscc,month,insured,due_yuan,paid_yuan`
    EmployerMonths,
    /// `uscc,year,new_claimants`
    Claimants,
    /// `person,region,status,ui_months,card`
    Persons,
    /// `person,certificate,occupation,level,issued_on`
    Certificates,
}

impl FactFile {
    pub const NAMES: [&'static str; 5] = [
        "employers",
        "employer-months",
        "claimants",
        "persons",
        "certificates",
    ];

    pub fn parse(name: &str) -> Option<FactFile> {
        match name {
            "employers" => Some(FactFile::Employers),
            "employer-months" => Some(FactFile::EmployerMonths),
            "claimants" => Some(FactFile::Claimants),
            "persons" => Some(FactFile::Persons),
            "certificates" => Some(FactFile::Certificates),
            _ => None,
        }
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            FactFile::Employers => &EmployerRecord::HEADER,
            FactFile::EmployerMonths => &EmployerMonthRecord::HEADER,
            FactFile::Claimants => &ClaimantsRecord::HEADER,
            FactFile::Persons => &PersonRecord::HEADER,
            FactFile::Certificates => &CertificateRecord::HEADER,
        }
    }
}

/// What is wrong on one line (0: the file as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// What an import did: rows read, rows new or changed, and every problem (none
/// written when there is one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ImportReport {
    pub rows: usize,
    pub imported: bool,
    pub written: u64,
    pub problems: Vec<LineProblem>,
}

/// Reads `input` as `kind` and writes it when every row is good. `today` bounds the
/// birth dates identity numbers may carry; `within`, where given, is the region every
/// employer and person must be in (a pushing system's jurisdiction).
pub async fn import_facts(
    store: &Store,
    kind: FactFile,
    input: impl Read,
    today: Date,
    within: Option<RegionCode>,
) -> Result<ImportReport, StoreError> {
    match kind {
        FactFile::Employers => {
            let mut read = read_rows(input, EmployerRecord::HEADER, EmployerRecord::parse, |r| {
                r.uscc
            });
            read.need_within(within, |r| r.region);
            write(
                read,
                |rows| async move { store.import_employers(&rows).await },
            )
            .await
        }
        FactFile::EmployerMonths => {
            let mut read = read_rows(
                input,
                EmployerMonthRecord::HEADER,
                EmployerMonthRecord::parse,
                |r| (r.uscc, r.month),
            );
            read.need_employers(|r| r.uscc.as_str(), &store.fact_employer_codes().await?);
            write(read, |rows| async move {
                store.import_employer_months(&rows).await
            })
            .await
        }
        FactFile::Claimants => {
            let mut read = read_rows(
                input,
                ClaimantsRecord::HEADER,
                ClaimantsRecord::parse,
                |r| (r.uscc, r.year),
            );
            read.need_employers(|r| r.uscc.as_str(), &store.fact_employer_codes().await?);
            write(
                read,
                |rows| async move { store.import_claimants(&rows).await },
            )
            .await
        }
        FactFile::Persons => {
            let mut read = read_rows(
                input,
                PersonRecord::HEADER,
                |fields| PersonRecord::parse(fields, today),
                |r| r.person,
            );
            read.need_within(within, |r| r.region);
            write(
                read,
                |rows| async move { store.import_persons(&rows).await },
            )
            .await
        }
        FactFile::Certificates => {
            let mut read = read_rows(
                input,
                CertificateRecord::HEADER,
                |fields| CertificateRecord::parse(fields, today),
                |r| r.certificate.clone(),
            );
            read.need_imported(
                &store.fact_person_ids().await?,
                |r| r.person.as_str(),
                |r| {
                    format!(
                        "person: {} is not an imported person (import persons.csv first)",
                        r.person.masked()
                    )
                },
            );
            write(read, |rows| async move {
                store.import_certificates(&rows).await
            })
            .await
        }
    }
}

/// The rows read, each with its line, and the problems found.
struct RowsRead<T> {
    rows: Vec<(u64, T)>,
    problems: Vec<LineProblem>,
}

impl<T> RowsRead<T> {
    /// Every row's region inside `within`, when one is given.
    fn need_within(&mut self, within: Option<RegionCode>, region: impl Fn(&T) -> RegionCode) {
        let Some(within) = within else { return };
        for (line, row) in &self.rows {
            let region = region(row);
            if !region.is_within(within) {
                self.problems.push(LineProblem {
                    line: *line,
                    message: format!(
                        "region: {region} is outside {within}, the jurisdiction this import may write"
                    ),
                });
            }
        }
        self.problems.sort_by_key(|p| p.line);
    }

    /// Months and claimants must belong to an employer imported before.
    fn need_employers(&mut self, code: impl Fn(&T) -> &str, known: &HashSet<String>) {
        self.need_imported(known, &code, |row| {
            format!(
                "uscc: {} is not an imported employer (import employers.csv first)",
                code(row)
            )
        });
    }

    /// Every row's `key` among those `known` (imported before); else `problem`.
    fn need_imported(
        &mut self,
        known: &HashSet<String>,
        key: impl Fn(&T) -> &str,
        problem: impl Fn(&T) -> String,
    ) {
        for (line, row) in &self.rows {
            if !known.contains(key(row)) {
                self.problems.push(LineProblem {
                    line: *line,
                    message: problem(row),
                });
            }
        }
        self.problems.sort_by_key(|p| p.line);
    }
}

async fn write<T, F, Fut>(read: RowsRead<T>, write: F) -> Result<ImportReport, StoreError>
where
    F: FnOnce(Vec<T>) -> Fut,
    Fut: std::future::Future<Output = Result<u64, StoreError>>,
{
    let rows = read.rows.len();
    if !read.problems.is_empty() {
        return Ok(ImportReport {
            rows,
            imported: false,
            written: 0,
            problems: read.problems,
        });
    }
    let written = write(read.rows.into_iter().map(|(_, row)| row).collect()).await?;
    Ok(ImportReport {
        rows,
        imported: true,
        written,
        problems: Vec::new(),
    })
}

/// Reads every record: the header must be exactly `header`; each record is parsed
/// and keyed, and a key seen before is a duplicate naming the first line.
fn read_rows<T, K, const N: usize>(
    input: impl Read,
    header: [&str; N],
    parse: impl Fn([&str; N]) -> Result<T, FieldError>,
    key: fn(&T) -> K,
) -> RowsRead<T>
where
    K: Hash + Eq,
{
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut problem = |line: u64, message: String| problems.push(LineProblem { line, message });
    let mut seen: HashMap<K, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                problem(line, e.to_string());
                if io {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, csv::Position::line);
        if first {
            first = false;
            let got: Vec<&str> = record
                .iter()
                .map(|f| f.trim_start_matches('\u{feff}').trim())
                .collect();
            if got != header {
                problem(
                    line,
                    format!(
                        "the header must be `{}`, not `{}`",
                        header.join(","),
                        got.join(",")
                    ),
                );
                break;
            }
            continue;
        }
        if record.len() != N {
            problem(
                line,
                format!(
                    "{} fields where {N} are needed ({})",
                    record.len(),
                    header.join(",")
                ),
            );
            continue;
        }
        let fields: [&str; N] = std::array::from_fn(|i| record.get(i).unwrap_or(""));
        match parse(fields) {
            Ok(value) => {
                if let Some(first_line) = seen.insert(key(&value), line) {
                    problem(line, format!("the same record as line {first_line}"));
                } else {
                    rows.push((line, value));
                }
            }
            Err(e) => problem(line, e.to_string()),
        }
    }
    if first && problems.is_empty() {
        problems.push(LineProblem {
            line: 0,
            message: "the file is empty (a header row is needed)".to_owned(),
        });
    }
    RowsRead { rows, problems }
}

//! One line of each import file, parsed into domain types. Each parser takes the
//! line's fields in the file's column order and says which column is wrong.

use std::fmt;

use serde::Serialize;

use super::money::Cents;
use crate::{RegionCode, Uscc};

/// A field that is not what its column needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub column: &'static str,
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.column, self.message)
    }
}

fn field_error(column: &'static str, message: impl fmt::Display) -> FieldError {
    FieldError {
        column,
        message: message.to_string(),
    }
}

fn uscc(text: &str) -> Result<Uscc, FieldError> {
    Uscc::parse(text.trim())
        .map(|parsed| parsed.value)
        .map_err(|e| field_error("uscc", e))
}

fn count(column: &'static str, text: &str) -> Result<u32, FieldError> {
    text.trim().parse::<u32>().map_err(|_| {
        field_error(
            column,
            format!("{text:?} is not a whole number of people (0 or more)"),
        )
    })
}

fn money(column: &'static str, text: &str) -> Result<Cents, FieldError> {
    Cents::parse_yuan(text.trim()).map_err(|e| field_error(column, e))
}

/// The unemployment-insurance size class the refund rates depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerSize {
    Large,
    Sme,
}

impl EmployerSize {
    pub fn name(self) -> &'static str {
        match self {
            EmployerSize::Large => "large",
            EmployerSize::Sme => "sme",
        }
    }

    pub fn parse(text: &str) -> Option<EmployerSize> {
        match text {
            "large" => Some(EmployerSize::Large),
            "sme" => Some(EmployerSize::Sme),
            _ => None,
        }
    }
}

/// `employers.csv`: `uscc,name,region,size`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRecord {
    pub uscc: Uscc,
    pub name: String,
    pub region: RegionCode,
    pub size: EmployerSize,
}

impl EmployerRecord {
    pub const HEADER: [&'static str; 4] = ["uscc", "name", "region", "size"];

    pub fn parse(fields: [&str; 4]) -> Result<EmployerRecord, FieldError> {
        let [uscc_text, name, region, size] = fields;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(field_error("name", "must have 1 to 200 characters"));
        }
        Ok(EmployerRecord {
            uscc: uscc(uscc_text)?,
            name: name.to_owned(),
            region: RegionCode::parse(region.trim()).map_err(|e| field_error("region", e))?,
            size: EmployerSize::parse(size.trim()).ok_or_else(|| {
                field_error("size", format!("{size:?} is neither \"large\" nor \"sme\""))
            })?,
        })
    }
}

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Month {
    pub year: i16,
    pub month: i8,
}

impl Month {
    pub fn parse(text: &str) -> Option<Month> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i16 = year.parse().ok()?;
        let month: i8 = month.parse().ok()?;
        ((1900..=2200).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// `employer_months.csv`: `uscc,month,insured,due_yuan,paid_yuan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerMonthRecord {
    pub uscc: Uscc,
    pub month: Month,
    pub insured: u32,
    pub due: Cents,
    pub paid: Cents,
}

impl EmployerMonthRecord {
    pub const HEADER: [&'static str; 5] = ["uscc", "month", "insured", "due_yuan", "paid_yuan"];

    pub fn parse(fields: [&str; 5]) -> Result<EmployerMonthRecord, FieldError> {
        let [uscc_text, month, insured, due, paid] = fields;
        Ok(EmployerMonthRecord {
            uscc: uscc(uscc_text)?,
            month: Month::parse(month.trim()).ok_or_else(|| {
                field_error("month", format!("{month:?} is not a month as YYYY-MM"))
            })?,
            insured: count("insured", insured)?,
            due: money("due_yuan", due)?,
            paid: money("paid_yuan", paid)?,
        })
    }
}

/// `claimants.csv`: `uscc,year,new_claimants`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimantsRecord {
    pub uscc: Uscc,
    pub year: i16,
    pub new_claimants: u32,
}

impl ClaimantsRecord {
    pub const HEADER: [&'static str; 3] = ["uscc", "year", "new_claimants"];

    pub fn parse(fields: [&str; 3]) -> Result<ClaimantsRecord, FieldError> {
        let [uscc_text, year, claimants] = fields;
        let year = year
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| field_error("year", format!("{year:?} is not a year such as 2025")))?;
        Ok(ClaimantsRecord {
            uscc: uscc(uscc_text)?,
            year,
            new_claimants: count("new_claimants", claimants)?,
        })
    }
}

//! Skill certificates (职业资格证书、职业技能等级证书) as the certification register
//! exports them, and the facts of one certificate issued in a year as 技能提升补贴 reads
//! them: the holder's insurance, the certificate's level, its place among the holder's
//! certificates that year, and whether the holder already had this occupation at this
//! level or higher.

use jiff::civil::Date;

use super::person::PersonRecord;
use super::records::FieldError;
use crate::ResidentId;
use crate::rules::{FactField, FactSchema, FactType, FactValue, Facts};

/// `certificates.csv`: `person,certificate,occupation,level,issued_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    pub person: ResidentId,
    /// The certificate's number, unique in the register.
    pub certificate: String,
    /// The occupation (工种) code or name as the register writes it.
    pub occupation: String,
    /// 5 初级 (五级), 4 中级, 3 高级, 2 技师, 1 高级技师.
    pub level: u8,
    pub issued_on: Date,
}

fn field(column: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        column,
        message: message.into(),
    }
}

fn text(column: &'static str, value: &str) -> Result<String, FieldError> {
    if value.is_empty() || value.chars().count() > 64 {
        return Err(field(column, "must have 1 to 64 characters"));
    }
    Ok(value.to_owned())
}

impl CertificateRecord {
    pub const HEADER: [&'static str; 5] =
        ["person", "certificate", "occupation", "level", "issued_on"];

    /// `today` bounds identity numbers' birth dates and the issue date.
    pub fn parse(fields: [&str; 5], today: Date) -> Result<CertificateRecord, FieldError> {
        let [person, certificate, occupation, level, issued_on] = fields.map(str::trim);
        let issued: Date = issued_on.parse().map_err(|_| {
            field(
                "issued_on",
                format!("{issued_on:?} is not a date as YYYY-MM-DD"),
            )
        })?;
        if issued > today {
            return Err(field("issued_on", format!("{issued} is after today")));
        }
        Ok(CertificateRecord {
            person: ResidentId::parse(person, today)
                .map(|p| p.value)
                .map_err(|e| field("person", e.to_string()))?,
            certificate: text("certificate", certificate)?,
            occupation: text("occupation", occupation)?,
            level: level
                .parse::<u8>()
                .ok()
                .filter(|l| (1..=5).contains(l))
                .ok_or_else(|| {
                    field(
                        "level",
                        format!("{level:?} is not a level from 1 (高级技师) to 5 (初级)"),
                    )
                })?,
            issued_on: issued,
        })
    }
}

/// What a rule about one certificate issued in a year may read.
pub const PERSON_CERTIFICATE: FactSchema = FactSchema {
    subject: "person_certificate",
    fields: &[
        FactField {
            name: "region",
            kind: FactType::Text,
            meaning: "the division code where the holder is insured",
        },
        FactField {
            name: "status",
            kind: FactType::Text,
            meaning: "the holder: \"employed\", \"claiming_benefit\" or \"other\"",
        },
        FactField {
            name: "ui_months",
            kind: FactType::Int,
            meaning: "the holder's months of unemployment-insurance contributions",
        },
        FactField {
            name: "level",
            kind: FactType::Int,
            meaning: "5 初级, 4 中级, 3 高级, 2 技师, 1 高级技师",
        },
        FactField {
            name: "rank_in_year",
            kind: FactType::Int,
            meaning: "1 for the holder's first certificate of the year (by date, then number), 2 for the second, …",
        },
        FactField {
            name: "held_before",
            kind: FactType::Bool,
            meaning: "the holder had an earlier certificate of the same occupation at this level or higher",
        },
    ],
};

/// The facts of every certificate of `holder` issued in `year`, in the holder's
/// order; `all` is every certificate of the holder, any year.
pub fn certificate_year_facts(
    holder: &PersonRecord,
    all: &[CertificateRecord],
    year: i16,
) -> Vec<(CertificateRecord, Facts)> {
    let mut mine: Vec<&CertificateRecord> =
        all.iter().filter(|c| c.person == holder.person).collect();
    mine.sort_by(|a, b| (a.issued_on, &a.certificate).cmp(&(b.issued_on, &b.certificate)));
    let mut rank = 0;
    let mut out = Vec::new();
    for (i, c) in mine.iter().enumerate() {
        if c.issued_on.year() != year {
            continue;
        }
        rank += 1;
        let held_before = mine[..i]
            .iter()
            .any(|earlier| earlier.occupation == c.occupation && earlier.level <= c.level);
        let mut facts = Facts::default();
        facts.insert("region", FactValue::Text(holder.region.to_string()));
        facts.insert("status", FactValue::Text(holder.status.name().to_owned()));
        facts.insert("ui_months", FactValue::Int(i64::from(holder.ui_months)));
        facts.insert("level", FactValue::Int(i64::from(c.level)));
        facts.insert("rank_in_year", FactValue::Int(rank));
        facts.insert("held_before", FactValue::Bool(held_before));
        out.push(((*c).clone(), facts));
    }
    out
}

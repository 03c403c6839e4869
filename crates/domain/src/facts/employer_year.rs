//! The facts of one employer in one year, as the job-retention refund reads them.

use super::records::{EmployerMonthRecord, EmployerRecord};
use crate::rules::{FactField, FactSchema, FactType, FactValue, Facts};

/// What a rule about an employer's year may read.
pub const EMPLOYER_YEAR: FactSchema = FactSchema {
    subject: "employer_year",
    fields: &[
        FactField {
            name: "region",
            kind: FactType::Text,
            meaning: "the employer's division code",
        },
        FactField {
            name: "size",
            kind: FactType::Text,
            meaning: "\"large\" or \"sme\"",
        },
        FactField {
            name: "months_recorded",
            kind: FactType::Int,
            meaning: "months of the year with a contribution record",
        },
        FactField {
            name: "months_paid_in_full",
            kind: FactType::Int,
            meaning: "months of the year in which paid ≥ due > 0",
        },
        FactField {
            name: "insured_sum",
            kind: FactType::Int,
            meaning: "the monthly insured headcounts added up (the yearly average × 12)",
        },
        FactField {
            name: "new_claimants",
            kind: FactType::Int,
            meaning: "people from the employer newly drawing unemployment benefit that year (0 without a record)",
        },
        FactField {
            name: "paid_cents",
            kind: FactType::Int,
            meaning: "unemployment-insurance contributions paid over the year, in cents",
        },
    ],
};

/// Derives the facts from the employer, its month records of `year` (others are
/// ignored) and its new claimants that year (`None`: no record, counted as none).
pub fn employer_year_facts(
    employer: &EmployerRecord,
    months: &[EmployerMonthRecord],
    year: i16,
    new_claimants: Option<u32>,
) -> Facts {
    let in_year = || months.iter().filter(|m| m.month.year == year);
    let mut recorded: Vec<i8> = in_year().map(|m| m.month.month).collect();
    recorded.sort_unstable();
    recorded.dedup();
    let paid_in_full = in_year().filter(|m| m.due.0 > 0 && m.paid >= m.due).count();
    let insured_sum: i64 = in_year().map(|m| i64::from(m.insured)).sum();
    let paid: i64 = in_year().map(|m| m.paid.0).sum();
    let mut facts = Facts::default();
    facts.insert("region", FactValue::Text(employer.region.to_string()));
    facts.insert("size", FactValue::Text(employer.size.name().to_owned()));
    facts.insert("months_recorded", FactValue::Int(recorded.len() as i64));
    facts.insert("months_paid_in_full", FactValue::Int(paid_in_full as i64));
    facts.insert("insured_sum", FactValue::Int(insured_sum));
    facts.insert(
        "new_claimants",
        FactValue::Int(i64::from(new_claimants.unwrap_or(0))),
    );
    facts.insert("paid_cents", FactValue::Int(paid));
    facts
}

//! A person as the social-insurance register knows them, and the facts a rule about a
//! person reads: what the rule-decided items (社会保障卡启用、挂失, 失业人员医保代缴)
//! need to decide an application from the record alone.

use jiff::civil::Date;

use super::records::FieldError;
use crate::rules::{FactField, FactSchema, FactType, FactValue, Facts};
use crate::{RegionCode, ResidentId};

/// Where a person stands with the insurance, as the register records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonStatus {
    /// In work, insured through an employer.
    Employed,
    /// Drawing unemployment benefit (领取失业保险金).
    ClaimingBenefit,
    Other,
}

impl PersonStatus {
    pub const NAMES: [&'static str; 3] = ["employed", "claiming_benefit", "other"];

    pub fn name(self) -> &'static str {
        match self {
            PersonStatus::Employed => "employed",
            PersonStatus::ClaimingBenefit => "claiming_benefit",
            PersonStatus::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<PersonStatus> {
        match text {
            "employed" => Some(PersonStatus::Employed),
            "claiming_benefit" => Some(PersonStatus::ClaimingBenefit),
            "other" => Some(PersonStatus::Other),
            _ => None,
        }
    }
}

/// The person's social security card (社会保障卡), as the card register records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardStatus {
    /// No card issued.
    None,
    /// Issued and handed over, not yet activated.
    Issued,
    Active,
    /// Reported lost (挂失).
    Lost,
}

impl CardStatus {
    pub const NAMES: [&'static str; 4] = ["none", "issued", "active", "lost"];

    pub fn name(self) -> &'static str {
        match self {
            CardStatus::None => "none",
            CardStatus::Issued => "issued",
            CardStatus::Active => "active",
            CardStatus::Lost => "lost",
        }
    }

    pub fn parse(text: &str) -> Option<CardStatus> {
        match text {
            "none" => Some(CardStatus::None),
            "issued" => Some(CardStatus::Issued),
            "active" => Some(CardStatus::Active),
            "lost" => Some(CardStatus::Lost),
            _ => None,
        }
    }
}

/// `persons.csv`: `person,region,status,ui_months,card`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    pub person: ResidentId,
    /// Where the person is insured.
    pub region: RegionCode,
    pub status: PersonStatus,
    /// Months of unemployment-insurance contributions, added up over the working life.
    pub ui_months: u32,
    pub card: CardStatus,
}

fn one_of(column: &'static str, text: &str, names: &[&str]) -> FieldError {
    FieldError {
        column,
        message: format!("{text:?} is none of {}", names.join(", ")),
    }
}

impl PersonRecord {
    pub const HEADER: [&'static str; 5] = ["person", "region", "status", "ui_months", "card"];

    /// `today` bounds the birth date an identity number may carry.
    pub fn parse(fields: [&str; 5], today: Date) -> Result<PersonRecord, FieldError> {
        let [person, region, status, ui_months, card] = fields.map(str::trim);
        Ok(PersonRecord {
            person: ResidentId::parse(person, today)
                .map(|parsed| parsed.value)
                .map_err(|e| FieldError {
                    column: "person",
                    message: e.to_string(),
                })?,
            region: RegionCode::parse(region).map_err(|e| FieldError {
                column: "region",
                message: e.to_string(),
            })?,
            status: PersonStatus::parse(status)
                .ok_or_else(|| one_of("status", status, &PersonStatus::NAMES))?,
            ui_months: ui_months.parse::<u32>().map_err(|_| FieldError {
                column: "ui_months",
                message: format!("{ui_months:?} is not a whole number of months (0 or more)"),
            })?,
            card: CardStatus::parse(card)
                .ok_or_else(|| one_of("card", card, &CardStatus::NAMES))?,
        })
    }
}

/// What a rule about a person may read.
pub const PERSON: FactSchema = FactSchema {
    subject: "person",
    fields: &[
        FactField {
            name: "region",
            kind: FactType::Text,
            meaning: "the division code where the person is insured",
        },
        FactField {
            name: "status",
            kind: FactType::Text,
            meaning: "\"employed\", \"claiming_benefit\" (drawing unemployment benefit) or \"other\"",
        },
        FactField {
            name: "ui_months",
            kind: FactType::Int,
            meaning: "months of unemployment-insurance contributions over the working life",
        },
        FactField {
            name: "card",
            kind: FactType::Text,
            meaning: "the social security card: \"none\", \"issued\" (not yet activated), \"active\" or \"lost\"",
        },
    ],
};

/// The facts of one person's record.
pub fn person_facts(record: &PersonRecord) -> Facts {
    let mut facts = Facts::default();
    facts.insert("region", FactValue::Text(record.region.to_string()));
    facts.insert("status", FactValue::Text(record.status.name().to_owned()));
    facts.insert("ui_months", FactValue::Int(i64::from(record.ui_months)));
    facts.insert("card", FactValue::Text(record.card.name().to_owned()));
    facts
}

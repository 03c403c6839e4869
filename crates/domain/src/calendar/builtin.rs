//! The national schedules 2004–2026, compiled in from the vendored `chinese-days` file.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;

use super::{Calendar, CalendarSource, Special};

const JSON: &str = include_str!("../../../../data/calendar/chinese-days-2004-2026.json");

const SOURCE: &str = "国务院办公厅关于部分节假日安排的通知, 2004–2026, as compiled in npm chinese-days 1.5.7 (data/calendar/)";

/// `{"holidays": {"2026-01-01": "New Year's Day,元旦,1"}, "workdays": {...}}`
#[derive(serde::Deserialize)]
struct ChineseDays {
    holidays: BTreeMap<Date, String>,
    workdays: BTreeMap<Date, String>,
}

/// The vendored file is part of the source tree and covered by the calendar tests; a
/// failure here is a build defect, not bad user input.
#[allow(clippy::expect_used)]
pub(super) fn calendar() -> Calendar {
    let data: ChineseDays =
        serde_json::from_str(JSON).expect("the vendored calendar file is valid JSON");
    let mut national = HashMap::new();
    for (date, label) in &data.holidays {
        national.insert(*date, Special::Holiday(chinese_name(label)));
    }
    for (date, label) in &data.workdays {
        national.insert(*date, Special::Workday(chinese_name(label)));
    }
    let years: BTreeSet<i16> = national.keys().map(|d| d.year()).collect();
    let known_years = match (years.first(), years.last()) {
        (Some(&first), Some(&last)) => (first..=last).collect(),
        _ => BTreeSet::new(),
    };
    let mut calendar = Calendar {
        known_years,
        provisional_years: BTreeSet::new(),
        national,
        regional: Vec::new(),
        sources: vec![CalendarSource {
            scope: "national 2004–2026 (built in)".to_owned(),
            source: SOURCE.to_owned(),
            provenance: "official".to_owned(),
        }],
    };
    calendar.extend_provisionally();
    calendar
}

/// "Spring Festival,春节,4" → "春节"
fn chinese_name(label: &str) -> String {
    label.split(',').nth(1).unwrap_or(label).to_owned()
}

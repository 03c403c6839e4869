//! Policies found from data (免申即享): the flagship rule at its edges, regional
//! settings, and rules that must be refused with their file and line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use proptest::prelude::*;
use yichuang_domain::facts::{
    Cents, EmployerMonthRecord, EmployerRecord, EmployerSize, Month, employer_year_facts,
};
use yichuang_domain::proactive::{Policy, Subject, screen};
use yichuang_domain::{RegionCode, Uscc};

const FLAGSHIP: &str = include_str!("../../../catalog/policies/job-retention-refund.toml");

fn flagship() -> std::sync::Arc<Policy> {
    yichuang_catalog::builtin()
        .unwrap()
        .policy("job-retention-refund")
        .unwrap()
        .clone()
}

/// An employer's year: `insured` every month, 1,000.00 yuan due a month, paid in full
/// except the months listed as underpaid; `months` records from January.
struct Year {
    size: EmployerSize,
    months: i8,
    insured: u32,
    underpaid: Option<i8>,
    due_cents: i64,
    claimants: Option<u32>,
}

const SME: Year = Year {
    size: EmployerSize::Sme,
    months: 12,
    insured: 200,
    underpaid: None,
    due_cents: 100_000,
    claimants: None,
};

fn subject(serial: u32, region: &str, year: &Year) -> Subject {
    let employer = EmployerRecord {
        uscc: Uscc::enterprise(RegionCode::parse(region).unwrap().digits(), serial).unwrap(),
        name: format!("单位{serial}"),
        region: RegionCode::parse(region).unwrap(),
        size: year.size,
    };
    let months: Vec<EmployerMonthRecord> = (1..=year.months)
        .map(|month| EmployerMonthRecord {
            uscc: employer.uscc,
            month: Month { year: 2025, month },
            insured: year.insured,
            due: Cents(year.due_cents),
            paid: Cents(if year.underpaid == Some(month) {
                year.due_cents - 1
            } else {
                year.due_cents
            }),
        })
        .collect();
    Subject {
        id: employer.uscc.as_str().to_owned(),
        name: employer.name.clone(),
        region: employer.region,
        facts: employer_year_facts(&employer, &months, 2025, year.claimants),
    }
}

#[test]
fn the_job_retention_refund_at_its_edges() {
    let policy = flagship();
    let paid_year = |y: &Year| {
        let paid: i64 = (1..=y.months)
            .map(|m| {
                if y.underpaid == Some(m) {
                    y.due_cents - 1
                } else {
                    y.due_cents
                }
            })
            .sum();
        paid
    };
    // (what, the year, eligible, the conditions that fail)
    let table: Vec<(&str, Year, bool, Vec<&str>)> = vec![
        ("no claimants row means none", Year { ..SME }, true, vec![]),
        (
            "exactly 5.5% (11 of 200)",
            Year {
                claimants: Some(11),
                ..SME
            },
            true,
            vec![],
        ),
        (
            "12 of 200 is 6%",
            Year {
                claimants: Some(12),
                ..SME
            },
            false,
            vec!["layoff_rate"],
        ),
        (
            "exactly 30 insured may lose 20% (6)",
            Year {
                insured: 30,
                claimants: Some(6),
                ..SME
            },
            true,
            vec![],
        ),
        (
            "30 insured, 7 claimants is over 20%",
            Year {
                insured: 30,
                claimants: Some(7),
                ..SME
            },
            false,
            vec!["layoff_rate"],
        ),
        (
            "31 insured is held to 5.5%",
            Year {
                insured: 31,
                claimants: Some(2),
                ..SME
            },
            false,
            vec!["layoff_rate"],
        ),
        (
            "11 months",
            Year { months: 11, ..SME },
            false,
            vec!["paid_in_full"],
        ),
        (
            "one month underpaid by a cent",
            Year {
                underpaid: Some(7),
                ..SME
            },
            false,
            vec!["paid_in_full"],
        ),
        (
            "nothing due is not paid in full",
            Year {
                due_cents: 0,
                ..SME
            },
            false,
            vec!["paid_in_full"],
        ),
        (
            "large, no layoffs",
            Year {
                size: EmployerSize::Large,
                ..SME
            },
            true,
            vec![],
        ),
        (
            "both fail, both named",
            Year {
                months: 11,
                claimants: Some(100),
                ..SME
            },
            false,
            vec!["paid_in_full", "layoff_rate"],
        ),
    ];
    for (i, (what, year, eligible, failing)) in table.iter().enumerate() {
        let s = subject(10_000_000 + i as u32, "320102", year);
        let got = policy
            .rule
            .evaluate(&policy.params_for(Some(s.region)), &s.facts)
            .unwrap();
        assert_eq!(got.eligible, *eligible, "{what}: {got:?}");
        let failed: Vec<&str> = got
            .reasons
            .iter()
            .filter(|r| !r.held)
            .map(|r| r.condition.as_str())
            .collect();
        assert_eq!(&failed, failing, "{what}");
        let rate = if year.size == EmployerSize::Sme {
            60
        } else {
            30
        };
        let want = if *eligible {
            (paid_year(year) * rate + 50) / 100
        } else {
            0
        };
        assert_eq!(got.amount_cents, want, "{what}");
    }
}

#[test]
fn every_example_of_the_catalog_passes() {
    let policy = flagship();
    assert!(policy.examples.len() >= 8);
    for outcome in policy.run_examples() {
        assert!(outcome.passed, "{}: {}", outcome.example, outcome.message);
    }
}

fn with_flagship_edited(
    edit: impl Fn(&str) -> String,
) -> Result<yichuang_catalog::LoadedCatalog, yichuang_catalog::CatalogErrors> {
    // The whole built-in catalog (a policy names an item of it), the flagship edited.
    common::catalog_with(
        "policies/job-retention-refund.toml",
        |_| edit(FLAGSHIP),
        &[],
    )
}

#[test]
fn a_region_may_raise_the_rates_with_a_reason() {
    let loaded = with_flagship_edited(|text| {
        format!(
            "{text}\n[[overrides]]\nregion = \"440000\"\nparams = {{ rate_sme_percent = 90, rate_large_percent = 50 }}\nreason = \"国办发〔2025〕25号: a year of fund reserves\"\n"
        )
    })
    .unwrap();
    let policy = loaded.policy("job-retention-refund").unwrap();
    let guangzhou = subject(20_000_001, "440106", &SME);
    let nanjing = subject(20_000_002, "320102", &SME);
    let amount = |s: &Subject| {
        policy
            .rule
            .evaluate(&policy.params_for(Some(s.region)), &s.facts)
            .unwrap()
            .amount_cents
    };
    assert_eq!(amount(&guangzhou), 12 * 100_000 * 90 / 100);
    assert_eq!(amount(&nanjing), 12 * 100_000 * 60 / 100);
    assert_ne!(policy.content_hash(), flagship().content_hash());
}

/// An edit of the flagship file's text.
type Edit = Box<dyn Fn(&str) -> String>;

#[test]
fn a_broken_rule_is_refused_with_file_and_line() {
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "an unknown fact",
            Box::new(|t: &str| t.replace("months_paid_in_full == 12", "months_paid == 12")),
            "reads months_paid that employer_year does not have",
        ),
        (
            "text plus a number",
            Box::new(|t: &str| t.replace("months_paid_in_full == 12", "size + 1 > 0")),
            "type error",
        ),
        (
            "a condition that is not a bool",
            Box::new(|t: &str| t.replace("months_paid_in_full == 12", "months_paid_in_full")),
            "gives int where bool is needed",
        ),
        (
            "a syntax error",
            Box::new(|t: &str| {
                t.replace("months_paid_in_full == 12", "months_paid_in_full == (12")
            }),
            "not a valid expression",
        ),
        (
            "an unknown subject",
            Box::new(|t: &str| t.replace("subject = \"employer_year\"", "subject = \"planet\"")),
            "not a subject policies can have",
        ),
        (
            "an override of an unknown setting",
            Box::new(|t: &str| {
                format!(
                    "{t}\n[[overrides]]\nregion = \"440000\"\nparams = {{ rate = 90 }}\nreason = \"x\"\n"
                )
            }),
            "\"rate\" is not one of the policy's settings",
        ),
        (
            "an override in no region",
            Box::new(|t: &str| {
                format!(
                    "{t}\n[[overrides]]\nregion = \"990000\"\nparams = {{ rate_sme_percent = 90 }}\nreason = \"x\"\n"
                )
            }),
            "990000",
        ),
        (
            "a grant item the catalog lacks",
            Box::new(|t: &str| {
                t.replace("item = \"job-retention-refund\"", "item = \"free-money\"")
            }),
            "\"free-money\" is not an item of the catalog",
        ),
        (
            "a grant without its publicity period",
            Box::new(|t: &str| t.replace("publicity_days = 5\n", "")),
            "needs publicity_days",
        ),
        (
            "a deciding rule about employers",
            Box::new(|t: &str| {
                t.replace(
                    "version = \"2025.1\"",
                    "version = \"2025.1\"\npurpose = \"decide\"",
                )
            }),
            "its subject must be \"person\"",
        ),
        (
            "an example with a fact the subject lacks",
            Box::new(|t: &str| {
                t.replacen("facts = { region", "facts = { colour = \"red\", region", 1)
            }),
            "\"colour\" is not a fact of employer_year",
        ),
    ];
    for (what, edit, expected) in cases {
        let errors = with_flagship_edited(|t| edit(t)).expect_err(what).0;
        let error = errors
            .iter()
            .find(|e| e.message.contains(expected))
            .unwrap_or_else(|| panic!("{what}: no error says {expected:?}: {errors:?}"));
        assert_eq!(
            error.file, "catalog/policies/job-retention-refund.toml",
            "{what}"
        );
        assert!(error.line > 0, "{what}: {error}");
    }
}

#[test]
fn an_example_with_another_outcome_fails_the_test() {
    let loaded = with_flagship_edited(|t| {
        t.replacen("amount_yuan = \"6000.00\"", "amount_yuan = \"6000.01\"", 1)
    })
    .unwrap();
    let outcomes = loaded
        .policy("job-retention-refund")
        .unwrap()
        .run_examples();
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    assert_eq!(failed.len(), 1, "{outcomes:?}");
    assert!(
        failed[0]
            .message
            .contains("expected amount 600001 cents, got 600000")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The list equals evaluating the rule employer by employer, and its digest does
    /// not depend on the order the employers were read in.
    #[test]
    fn the_list_is_the_rule_applied_one_by_one(
        years in prop::collection::vec(
            (any::<bool>(), 10..=12i8, 1..400u32, prop::option::of(1..=12i8), 0..200_000i64, prop::option::of(0..40u32)),
            1..30,
        ),
        rotate in 0..30usize,
    ) {
        let policy = flagship();
        let subjects: Vec<Subject> = years
            .iter()
            .enumerate()
            .map(|(i, (large, months, insured, underpaid, due_cents, claimants))| {
                let size = if *large { EmployerSize::Large } else { EmployerSize::Sme };
                subject(30_000_000 + i as u32, "320102", &Year {
                    size, months: *months, insured: *insured, underpaid: *underpaid,
                    due_cents: *due_cents, claimants: *claimants,
                })
            })
            .collect();
        let list = screen(&policy, subjects.clone());
        for s in &subjects {
            let alone = policy.rule.evaluate(&policy.params_for(Some(s.region)), &s.facts).unwrap();
            let entry = list.entries.iter().find(|e| e.id == s.id).unwrap();
            prop_assert_eq!(entry.outcome.as_ref().unwrap(), &alone);
        }
        let mut rotated = subjects.clone();
        let by = rotate % rotated.len();
        rotated.rotate_left(by);
        prop_assert_eq!(screen(&policy, rotated).inputs_digest, list.inputs_digest);
    }
}

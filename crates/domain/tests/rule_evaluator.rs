//! An evaluator that remembers outcomes by the values read gives, subject after
//! subject, exactly what evaluating each subject alone gives, errors included.

use proptest::prelude::*;
use yichuang_domain::facts::PERSON;
use yichuang_domain::rules::{ConditionSource, FactValue, Facts, Params, Rule};

fn rule() -> Rule {
    let condition = |id: &str, expr: &str| ConditionSource {
        id: id.to_owned(),
        label: id.to_owned(),
        expr: expr.to_owned(),
    };
    let mut params = Params::new();
    params.insert("min_months".to_owned(), 12);
    Rule::compile(
        PERSON,
        &params,
        vec![
            condition(
                "insured",
                "status == 'employed' || status == 'claiming_benefit'",
            ),
            condition("long_enough", "ui_months >= min_months"),
            // Fails to run when ui_months is 0: an error is never remembered as an outcome.
            condition("divides", "120 / ui_months >= 1"),
            condition("has_card", "card != 'none'"),
        ],
        Some("ui_months * 100".to_owned()),
    )
    .expect("the test rule compiles")
}

fn facts(status: usize, ui_months: i64, card: usize) -> Facts {
    let mut facts = Facts::default();
    facts.insert("region", FactValue::Text("330211".to_owned()));
    facts.insert(
        "status",
        FactValue::Text(["employed", "claiming_benefit", "other"][status].to_owned()),
    );
    facts.insert("ui_months", FactValue::Int(ui_months));
    facts.insert(
        "card",
        FactValue::Text(["none", "issued", "active", "lost"][card].to_owned()),
    );
    facts
}

proptest! {
    #[test]
    fn remembered_outcomes_equal_fresh_ones(
        subjects in prop::collection::vec((0..3usize, 0..30i64, 0..4usize, 10..14i64), 1..200),
    ) {
        let rule = rule();
        let mut evaluator = rule.evaluator();
        for (status, months, card, min_months) in subjects {
            let mut params = Params::new();
            params.insert("min_months".to_owned(), min_months);
            let facts = facts(status, months, card);
            let remembered = evaluator.evaluate(&params, &facts).map_err(|e| e.to_string());
            let fresh = rule.evaluate(&params, &facts).map_err(|e| e.to_string());
            prop_assert_eq!(remembered, fresh);
        }
    }
}

#[test]
fn a_setting_is_part_of_what_is_remembered() {
    let rule = rule();
    let mut evaluator = rule.evaluator();
    let facts = facts(0, 12, 2);
    let mut lenient = Params::new();
    lenient.insert("min_months".to_owned(), 12);
    let mut strict = Params::new();
    strict.insert("min_months".to_owned(), 13);
    assert!(evaluator.evaluate(&lenient, &facts).unwrap().eligible);
    assert!(!evaluator.evaluate(&strict, &facts).unwrap().eligible);
    assert!(evaluator.evaluate(&lenient, &facts).unwrap().eligible);
}

//! A rule's filter (what a store runs as SQL) passes exactly the subjects CEL finds
//! eligible: random conditions of the translatable kinds, random people, random
//! settings. And what does not translate gives no filter rather than a wrong one.

use proptest::prelude::*;
use yichuang_domain::facts::PERSON;
use yichuang_domain::rules::{ConditionSource, FactValue, Facts, Params, Rule};

const STATUSES: [&str; 4] = ["employed", "claiming_benefit", "other", "missing"];
const CARDS: [&str; 4] = ["none", "issued", "active", "lost"];
const OPERATORS: [&str; 6] = ["==", "!=", "<", "<=", ">", ">="];

/// One comparison as CEL text: on the months (any order, constant or setting, either
/// side), or on a text fact (equal or not, or `in` a list).
fn comparison() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..6usize, 0..40i64, any::<bool>(), any::<bool>()).prop_map(
            |(op, n, setting, flipped)| {
                let value = if setting {
                    "threshold".to_owned()
                } else {
                    n.to_string()
                };
                if flipped {
                    format!("{value} {} ui_months", OPERATORS[op])
                } else {
                    format!("ui_months {} {value}", OPERATORS[op])
                }
            }
        ),
        (0..4usize, any::<bool>()).prop_map(|(s, equal)| format!(
            "status {} '{}'",
            if equal { "==" } else { "!=" },
            STATUSES[s]
        )),
        prop::collection::vec(0..4usize, 0..3).prop_map(|cards| {
            let list: Vec<String> = cards.iter().map(|c| format!("'{}'", CARDS[*c])).collect();
            format!("card in [{}]", list.join(", "))
        }),
    ]
}

/// Comparisons joined by `&&`, `||` and `!`, up to three levels deep.
fn condition() -> impl Strategy<Value = String> {
    comparison().prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) && ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) || ({b})")),
            inner.prop_map(|a| format!("!({a})")),
        ]
    })
}

fn facts(status: usize, ui_months: i64, card: usize) -> Facts {
    let mut facts = Facts::default();
    facts.insert("region", FactValue::Text("330211".to_owned()));
    facts.insert("status", FactValue::Text(STATUSES[status].to_owned()));
    facts.insert("ui_months", FactValue::Int(ui_months));
    facts.insert("card", FactValue::Text(CARDS[card].to_owned()));
    facts
}

fn compile(conditions: &[String], params: &Params) -> Rule {
    let sources = conditions
        .iter()
        .enumerate()
        .map(|(i, expr)| ConditionSource {
            id: format!("c{i}"),
            label: format!("c{i}"),
            expr: expr.clone(),
        })
        .collect();
    Rule::compile(PERSON, params, sources, None).expect("a generated rule compiles")
}

proptest! {
    #[test]
    fn the_filter_passes_whom_cel_finds_eligible(
        conditions in prop::collection::vec(condition(), 1..5),
        threshold in 0..40i64,
        subjects in prop::collection::vec((0..3usize, 0..45i64, 0..4usize), 1..60),
    ) {
        let mut params = Params::new();
        params.insert("threshold".to_owned(), threshold);
        let rule = compile(&conditions, &params);
        let filter = rule.filter(&params);
        prop_assert!(filter.is_some(), "{conditions:?} should translate");
        let filter = filter.unwrap();
        for (status, months, card) in subjects {
            let facts = facts(status, months, card);
            let eligible = rule.evaluate(&params, &facts).unwrap().eligible;
            prop_assert_eq!(
                filter.holds(&facts),
                eligible,
                "{:?} on {:?} (threshold {})", conditions, facts, threshold
            );
        }
    }
}

#[test]
fn what_does_not_mean_the_same_in_sql_gives_no_filter() {
    for expr in [
        "ui_months * 2 >= 24",
        "status < 'other'",
        "size(status) > 3",
        "status.startsWith('em')",
        "ui_months >= 12 ? card != 'none' : false",
        "ui_months >= 1.5",
        "ui_months in [1, 2.0]",
    ] {
        let rule = compile(&[expr.to_owned()], &Params::new());
        assert_eq!(rule.filter(&Params::new()), None, "{expr}");
    }
}

#[test]
fn one_untranslatable_condition_leaves_the_whole_rule_to_cel() {
    let rule = compile(
        &[
            "ui_months >= 12".to_owned(),
            "ui_months % 2 == 0".to_owned(),
        ],
        &Params::new(),
    );
    assert_eq!(rule.filter(&Params::new()), None);
}

#[test]
fn an_or_of_equalities_on_one_fact_becomes_one_list() {
    use yichuang_domain::rules::{Comparison, Filter};
    let rule = compile(
        &[
            "status == 'employed' || (status == 'claiming_benefit' || status == 'employed')"
                .to_owned(),
            "ui_months >= 12 && (card != 'none' && card != 'lost')".to_owned(),
        ],
        &Params::new(),
    );
    let text = |s: &str| FactValue::Text(s.to_owned());
    let not = |fact, value| Filter::Compare {
        fact,
        comparison: Comparison::NotEqual,
        value,
    };
    assert_eq!(
        rule.filter(&Params::new()),
        Some(Filter::All(vec![
            Filter::OneOf {
                fact: "status",
                values: vec![text("employed"), text("claiming_benefit")],
            },
            Filter::Compare {
                fact: "ui_months",
                comparison: Comparison::GreaterOrEqual,
                value: FactValue::Int(12),
            },
            not("card", text("none")),
            not("card", text("lost")),
        ]))
    );
}

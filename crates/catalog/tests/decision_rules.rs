//! Rules that decide items (智能审批): the guide of a rule-decided item names its rule
//! by hash, so the guide's hash changes with the rule; a rule that cannot decide its
//! item is refused with its file and line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::date;
use yichuang_domain::RegionCode;

const ACTIVATION: &str = include_str!("../../../catalog/policies/card-activation.toml");

mod common;

/// The built-in catalog with `card-activation` edited and `extra` files added.
fn catalog_with(
    edit: impl Fn(&str) -> String,
    extra: &[(&str, String)],
) -> Result<yichuang_catalog::LoadedCatalog, yichuang_catalog::CatalogErrors> {
    common::catalog_with("policies/card-activation.toml", edit, extra)
}

fn guide_hash(loaded: &yichuang_catalog::LoadedCatalog, item: &str) -> String {
    loaded
        .catalog
        .resolve(item, RegionCode::parse("330211").unwrap(), date(2026, 6, 1))
        .unwrap()
        .content_hash
}

#[test]
fn a_rule_decided_items_guide_names_its_rule_and_changes_with_it() {
    let loaded = yichuang_catalog::builtin().unwrap();
    let mut decided: Vec<&str> = loaded
        .catalog
        .decision_rules
        .iter()
        .map(|p| p.item.as_str())
        .collect();
    decided.sort_unstable();
    assert_eq!(
        decided,
        [
            "social-security-card-activation",
            "social-security-card-loss-report",
            "unemployment-medical-contribution"
        ]
    );
    let resolved = loaded
        .catalog
        .resolve(
            "social-security-card-activation",
            RegionCode::parse("330211").unwrap(),
            date(2026, 6, 1),
        )
        .unwrap();
    let rule = resolved
        .guide
        .decided_by
        .clone()
        .expect("the guide names its rule");
    let policy = loaded.policy("card-activation").unwrap();
    assert_eq!(rule.policy, "card-activation");
    assert_eq!(rule.content_hash, policy.content_hash());

    // A rule changed: the item's guide hashes differently (a case keeps the old
    // one), and an item without a rule does not change.
    let changed = catalog_with(
        |t| {
            t.replace(
                "expr = \"card == 'issued'\"",
                "expr = \"card == 'issued' && ui_months >= 0\"",
            )
        },
        &[],
    )
    .unwrap();
    assert_ne!(
        guide_hash(&loaded, "social-security-card-activation"),
        guide_hash(&changed, "social-security-card-activation")
    );
    assert_eq!(
        guide_hash(&loaded, "unemployment-benefit-claim"),
        guide_hash(&changed, "unemployment-benefit-claim")
    );
}

/// How a case edits the card-activation file.
type Edit = Box<dyn Fn(&str) -> String>;
/// Files a case adds: (path, text).
type Extra = Vec<(&'static str, String)>;

#[test]
fn a_rule_that_cannot_decide_its_item_is_refused_by_line() {
    let cases: Vec<(&str, Edit, Extra, &str)> = vec![
        (
            "an item decided by two rules",
            Box::new(|t: &str| t.to_owned()),
            vec![(
                "catalog/policies/card-activation-2.toml",
                ACTIVATION.replace("id = \"card-activation\"", "id = \"card-activation-2\""),
            )],
            "already decided by another policy's rule",
        ),
        (
            "an employer's item",
            Box::new(|t: &str| {
                t.replace(
                    "item = \"social-security-card-activation\"",
                    "item = \"employer-registration\"",
                )
            }),
            Vec::new(),
            "is not applied for by persons alone",
        ),
        (
            "a fact a person does not have",
            Box::new(|t: &str| t.replace("card == 'issued'", "paid_cents > 0")),
            Vec::new(),
            "reads paid_cents that person does not have",
        ),
    ];
    for (what, edit, extra, expected) in cases {
        let errors = catalog_with(|t| edit(t), &extra).expect_err(what).0;
        let error = errors
            .iter()
            .find(|e| e.message.contains(expected))
            .unwrap_or_else(|| panic!("{what}: no error says {expected:?}: {errors:?}"));
        assert!(
            error.file.starts_with("catalog/policies/card-activation"),
            "{what}: {error}"
        );
        assert!(error.line > 0, "{what}: {error}");
    }
}

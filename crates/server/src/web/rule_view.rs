//! What a case page says about the item's rule (智能审批): that it decided, and how
//! each condition came out with the values it read; or why it could not, so the
//! reviewer who takes the case over starts from the reason.

use yichuang_domain::case::{Case, EventBody};
use yichuang_domain::rules::FactValue;
use yichuang_store::EventRecord;

use super::Ui;

pub(crate) struct RuleView {
    pub summary: String,
    pub conditions: Vec<ConditionLine>,
}

pub(crate) struct ConditionLine {
    pub held: bool,
    pub label: String,
    pub outcome: String,
    /// `name = value`, joined: the register's values the condition read.
    pub values: String,
}

/// A register's value in words where the locale has them (`fact-card-issued`).
fn in_words(ui: &Ui, name: &str, value: &FactValue) -> String {
    match value {
        FactValue::Text(text) => {
            let key = format!("fact-{name}-{text}");
            let words = ui.t(&key);
            if words == key { text.clone() } else { words }
        }
        FactValue::Bool(held) => ui.t(if *held { "rule-yes" } else { "rule-no" }),
        FactValue::Int(n) => n.to_string(),
    }
}

/// Present when the item is rule-decided and the rule has had its turn.
pub(crate) fn rule_view(
    ui: &Ui,
    case: &Case,
    events: &[EventRecord],
    policy_name: Option<&str>,
) -> Option<RuleView> {
    let rule = case.guide.guide.decided_by.as_ref()?;
    // The policy's name in words; its id only if the catalog no longer has it.
    let name = policy_name.unwrap_or(&rule.policy).to_owned();
    if let Some(reason) = &case.referred {
        return Some(RuleView {
            summary: super::i18n::text_with(
                ui.lang,
                "rule-referred",
                &[("reason", reason.clone())],
            ),
            conditions: Vec::new(),
        });
    }
    // The latest automatic decision, even once a reviewer has taken it up.
    let trace = events.iter().rev().find_map(|e| match &e.event.body {
        EventBody::Decided {
            rule: Some(trace), ..
        } => Some(trace),
        _ => None,
    })?;
    let key = if case.decided_by_rule {
        "rule-decided"
    } else {
        "rule-decided-reviewed"
    };
    Some(RuleView {
        summary: super::i18n::text_with(
            ui.lang,
            key,
            &[("policy", name), ("version", trace.version.clone())],
        ),
        conditions: trace
            .reasons
            .iter()
            .map(|r| ConditionLine {
                held: r.held,
                label: r.label.clone(),
                outcome: ui.t(if r.held { "rule-held" } else { "rule-failed" }),
                values: r
                    .values
                    .iter()
                    .map(|(name, value)| {
                        format!(
                            "{} {}",
                            ui.t(&format!("fact-{name}")),
                            in_words(ui, name, value)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("，"),
            })
            .collect(),
    })
}

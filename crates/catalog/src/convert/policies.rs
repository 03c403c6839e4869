//! Policies (免申即享 grants and 智能审批 decisions): every rule compiled and checked
//! against its fact schema, every override in a real region, every example's facts of
//! the schema, a deciding rule's subject the item's applicant; problems by line.

use yichuang_domain::catalog::{Applicant, Catalog, DecisionRule};
use yichuang_domain::proactive::PolicyPurpose;

use std::collections::HashSet;
use std::sync::Arc;

use yichuang_domain::RegionCode;
use yichuang_domain::facts::Cents;
use yichuang_domain::proactive::{ParamOverride, Policy, RuleExample, schema_named};
use yichuang_domain::rules::{ConditionSource, FactValue, Facts, Rule, RulePart};

use super::{Builder, Parsed};
use crate::raw::{PolicyFile, RawExample};

impl Builder<'_> {
    pub(super) fn policies(&mut self, parsed: &Parsed, catalog: &Catalog) -> Vec<Arc<Policy>> {
        let items = catalog.item_ids();
        let mut seen = HashSet::new();
        let mut decided_items = HashSet::new();
        let mut out = Vec::new();
        for (file, raw) in &parsed.policies {
            let at = raw.id.span().start;
            let id = raw.id.get_ref();
            let field = format!("policy {id}");
            self.unique_slug(*file, at, &field, id, &mut seen);
            if !items.contains(&raw.item.get_ref().as_str()) {
                self.push(
                    *file,
                    raw.item.span().start,
                    format!("{field}: item"),
                    format!("{:?} is not an item of the catalog", raw.item.get_ref()),
                );
            }
            self.check_purpose(*file, &field, raw, catalog, &mut decided_items);
            if let Some(policy) = self.policy(*file, &field, raw) {
                out.push(Arc::new(policy));
            }
        }
        out
    }

    /// A grant names its publicity period; a deciding rule reads the facts of the
    /// item's applicant (a person), and an item has one deciding rule at most.
    fn check_purpose(
        &mut self,
        file: usize,
        field: &str,
        raw: &PolicyFile,
        catalog: &Catalog,
        decided_items: &mut HashSet<String>,
    ) {
        let at = raw.id.span().start;
        match raw.purpose {
            PolicyPurpose::Grant if raw.publicity_days.is_none() => self.push(
                file,
                at,
                format!("{field}: publicity_days"),
                "a grant policy needs publicity_days: the working days its list is published (公示) before grants",
            ),
            PolicyPurpose::Grant if raw.subject.get_ref() == "person" => self.push(
                file,
                raw.subject.span().start,
                format!("{field}: subject"),
                "a grant policy screens a year: its subject is \"employer_year\" or \"person_certificate\"",
            ),
            PolicyPurpose::Grant => {}
            PolicyPurpose::Decide => {
                let item = raw.item.get_ref();
                if !decided_items.insert(item.clone()) {
                    self.push(
                        file,
                        raw.item.span().start,
                        format!("{field}: item"),
                        format!("{item:?} is already decided by another policy's rule"),
                    );
                }
                let applicant = catalog
                    .guides
                    .iter()
                    .find(|g| &g.item == item)
                    .map(|g| g.applicant);
                if raw.subject.get_ref() != "person" {
                    self.push(
                        file,
                        raw.subject.span().start,
                        format!("{field}: subject"),
                        "a deciding rule reads the applicant's own facts: its subject must be \"person\"",
                    );
                } else if applicant.is_some_and(|a| a != Applicant::Person) {
                    self.push(
                        file,
                        raw.item.span().start,
                        format!("{field}: item"),
                        format!("{item:?} is not applied for by persons alone, so a rule about a person cannot decide it"),
                    );
                }
            }
        }
    }

    /// Names each deciding rule in its item's guides (so their content hash covers
    /// the rule) and hands the catalog the rules.
    pub(super) fn attach_decision_rules(&self, catalog: &mut Catalog, policies: &[Arc<Policy>]) {
        for policy in policies {
            if policy.purpose != PolicyPurpose::Decide {
                continue;
            }
            let rule = DecisionRule {
                policy: policy.id.clone(),
                version: policy.version.clone(),
                content_hash: policy.content_hash(),
            };
            for guide in catalog.guides.iter_mut().filter(|g| g.item == policy.item) {
                guide.decided_by = Some(rule.clone());
            }
            catalog.decision_rules.push(policy.clone());
        }
    }

    fn policy(&mut self, file: usize, field: &str, raw: &PolicyFile) -> Option<Policy> {
        let Some(schema) = schema_named(raw.subject.get_ref()) else {
            self.push(
                file,
                raw.subject.span().start,
                format!("{field}: subject"),
                format!(
                    "{:?} is not a subject policies can have (employer_year, person)",
                    raw.subject.get_ref()
                ),
            );
            return None;
        };
        let conditions = raw
            .conditions
            .iter()
            .map(|c| ConditionSource {
                id: c.id.get_ref().clone(),
                label: c.label.clone(),
                expr: c.expr.get_ref().clone(),
            })
            .collect();
        let amount = raw.amount.as_ref().map(|a| a.get_ref().clone());
        let rule = match Rule::compile(schema, &raw.params, conditions, amount) {
            Ok(rule) => Some(rule),
            Err(problems) => {
                for problem in problems {
                    let (offset, part) = match problem.part {
                        RulePart::Condition(i) => raw
                            .conditions
                            .get(i)
                            .map_or((raw.id.span().start, "conditions".to_owned()), |c| {
                                (c.expr.span().start, format!("condition {}", c.id.get_ref()))
                            }),
                        RulePart::Amount => (
                            raw.amount
                                .as_ref()
                                .map_or(raw.id.span().start, |a| a.span().start),
                            "amount".to_owned(),
                        ),
                    };
                    self.push(file, offset, format!("{field}: {part}"), problem.message);
                }
                None
            }
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            match RegionCode::parse(o.region.get_ref()) {
                Ok(region) => {
                    for name in o.params.keys() {
                        if !raw.params.contains_key(name) {
                            self.push(
                                file,
                                o.region.span().start,
                                format!("{field}: overrides {region}"),
                                format!("{name:?} is not one of the policy's settings"),
                            );
                        }
                    }
                    if o.reason.trim().is_empty() {
                        self.push(
                            file,
                            o.region.span().start,
                            format!("{field}: overrides {region}"),
                            "a region's own settings need a reason",
                        );
                    }
                    overrides.push(ParamOverride {
                        region,
                        params: o.params.clone(),
                        reason: o.reason.clone(),
                    });
                }
                Err(e) => self.push(
                    file,
                    o.region.span().start,
                    format!("{field}: overrides"),
                    e.to_string(),
                ),
            }
        }
        let examples: Vec<RuleExample> = raw
            .examples
            .iter()
            .filter_map(|example| self.example(file, field, &schema, example))
            .collect();
        let policy = Policy {
            id: raw.id.get_ref().clone(),
            name: raw.name.clone(),
            name_en: raw.name_en.clone(),
            purpose: raw.purpose,
            item: raw.item.get_ref().clone(),
            version: raw.version.clone(),
            basis: raw.basis.clone(),
            rule: rule?,
            params: raw.params.clone(),
            overrides,
            examples,
            publicity_days: raw.publicity_days.unwrap_or(0),
        };
        Some(policy)
    }

    fn example(
        &mut self,
        file: usize,
        field: &str,
        schema: &yichuang_domain::rules::FactSchema,
        raw: &RawExample,
    ) -> Option<RuleExample> {
        let at = raw.name.span().start;
        let field = format!("{field}: example {:?}", raw.name.get_ref());
        let mut facts = Facts::default();
        let mut ok = true;
        for (name, value) in &raw.facts {
            let value = match value {
                toml::Value::Integer(v) => FactValue::Int(*v),
                toml::Value::String(v) => FactValue::Text(v.clone()),
                toml::Value::Boolean(v) => FactValue::Bool(*v),
                other => {
                    self.push(
                        file,
                        at,
                        &field,
                        format!(
                            "the fact {name:?} is a {}, not an integer, text or bool",
                            other.type_str()
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            facts.insert(name, value);
        }
        if let Err(message) = schema.check(&facts) {
            self.push(file, at, &field, message);
            ok = false;
        }
        let region = match raw.region.as_deref().map(RegionCode::parse) {
            None => None,
            Some(Ok(region)) => Some(region),
            Some(Err(e)) => {
                self.push(file, at, format!("{field}: region"), e.to_string());
                ok = false;
                None
            }
        };
        let amount_cents = match raw.amount_yuan.as_deref().map(Cents::parse_yuan) {
            None => None,
            Some(Ok(cents)) => Some(cents.0),
            Some(Err(e)) => {
                self.push(file, at, format!("{field}: amount_yuan"), e.to_string());
                ok = false;
                None
            }
        };
        ok.then(|| RuleExample {
            name: raw.name.get_ref().clone(),
            region,
            facts,
            eligible: raw.eligible,
            amount_cents,
        })
    }
}

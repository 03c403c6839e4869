//! A policy as the catalog declares it.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::RegionCode;
use crate::facts::{EMPLOYER_YEAR, PERSON, PERSON_CERTIFICATE};
use crate::rules::{FactSchema, Facts, Params, Rule};

/// The schemas a policy may name as its subject.
pub fn schema_named(name: &str) -> Option<FactSchema> {
    [EMPLOYER_YEAR, PERSON, PERSON_CERTIFICATE]
        .into_iter()
        .find(|s| s.subject == name)
}

/// A region's own values for some settings (国办发〔2025〕25号 lets a region raise the
/// refund rates, for example), with the reason it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParamOverride {
    pub region: RegionCode,
    pub params: Params,
    pub reason: String,
}

/// An example with its expected outcome, run by `yichuang catalog test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleExample {
    pub name: String,
    /// Whose settings apply; national when absent.
    pub region: Option<RegionCode>,
    pub facts: Facts,
    pub eligible: bool,
    /// Checked when given.
    pub amount_cents: Option<i64>,
}

/// How one example came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExampleOutcome {
    pub policy: String,
    pub example: String,
    pub passed: bool,
    /// What differed, in words; empty when it passed.
    pub message: String,
}

/// What a policy's rule is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PolicyPurpose {
    /// Finds who is entitled from data and grants it unasked (免申即享).
    Grant,
    /// Decides each application for its item right after acceptance (智能审批).
    Decide,
}

#[derive(Debug)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub purpose: PolicyPurpose,
    /// The catalog item a grant is a case of, or whose applications the rule decides.
    pub item: String,
    pub version: String,
    /// The documents it rests on, as cited.
    pub basis: Vec<String>,
    pub rule: Rule,
    pub params: Params,
    pub overrides: Vec<ParamOverride>,
    pub examples: Vec<RuleExample>,
    /// Working days the list is published before grants are made (公示).
    pub publicity_days: u32,
}

impl Policy {
    /// The national settings with every override from the province down to `region`
    /// applied in that order.
    pub fn params_for(&self, region: Option<RegionCode>) -> Params {
        let mut params = self.params.clone();
        let Some(region) = region else {
            return params;
        };
        let mut levels: Vec<&ParamOverride> = self
            .overrides
            .iter()
            .filter(|o| region.is_within(o.region))
            .collect();
        levels.sort_by_key(|o| o.region.level());
        for level in levels {
            params.extend(level.params.iter().map(|(k, v)| (k.clone(), *v)));
        }
        params
    }

    /// SHA-256 over everything that decides an outcome: id, version, conditions,
    /// amount, settings and overrides. Recorded with every list and decision.
    pub fn content_hash(&self) -> String {
        #[derive(Serialize)]
        struct Hashed<'a> {
            id: &'a str,
            purpose: PolicyPurpose,
            version: &'a str,
            subject: &'a str,
            conditions: &'a [crate::rules::ConditionSource],
            amount: &'a Option<String>,
            params: &'a Params,
            overrides: &'a [ParamOverride],
        }
        let json = serde_json::to_vec(&Hashed {
            id: &self.id,
            purpose: self.purpose,
            version: &self.version,
            subject: self.rule.schema.subject,
            conditions: &self.rule.conditions,
            amount: &self.rule.amount,
            params: &self.params,
            overrides: &self.overrides,
        })
        .unwrap_or_default();
        crate::rules::hex_digest(&Sha256::digest(json))
    }

    /// Runs every example; an example whose rule errors fails with the error.
    pub fn run_examples(&self) -> Vec<ExampleOutcome> {
        self.examples
            .iter()
            .map(|example| {
                let params = self.params_for(example.region);
                let message = match self.rule.evaluate(&params, &example.facts) {
                    Err(e) => e.to_string(),
                    Ok(got) => {
                        let mut wrong = Vec::new();
                        if got.eligible != example.eligible {
                            let failed: Vec<&str> = got
                                .reasons
                                .iter()
                                .filter(|r| !r.held)
                                .map(|r| r.condition.as_str())
                                .collect();
                            wrong.push(format!(
                                "expected eligible = {}, got {} (failed: {})",
                                example.eligible,
                                got.eligible,
                                if failed.is_empty() {
                                    "none".to_owned()
                                } else {
                                    failed.join(", ")
                                }
                            ));
                        }
                        if let Some(want) = example.amount_cents
                            && want != got.amount_cents
                        {
                            wrong.push(format!(
                                "expected amount {want} cents, got {}",
                                got.amount_cents
                            ));
                        }
                        wrong.join("; ")
                    }
                };
                ExampleOutcome {
                    policy: self.id.clone(),
                    example: example.name.clone(),
                    passed: message.is_empty(),
                    message,
                }
            })
            .collect()
    }
}

//! Running a rule on one subject's facts.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::RuleError;
use super::facts::{FactValue, Facts, Params};
use super::rule::{CEL, Compiled, Rule};

/// Why a condition held or failed: its id and words, and the values it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Reason {
    pub condition: String,
    pub label: String,
    pub held: bool,
    pub values: BTreeMap<String, FactValue>,
}

/// The outcome for one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Evaluation {
    pub eligible: bool,
    /// In cents; 0 when not eligible or the rule grants no money.
    pub amount_cents: i64,
    /// One per condition, in the rule's order; every condition is evaluated, so a
    /// refusal names every condition that failed, not only the first.
    pub reasons: Vec<Reason>,
}

impl Rule {
    pub fn evaluate(&self, params: &Params, facts: &Facts) -> Result<Evaluation, RuleError> {
        let mut reasons = Vec::with_capacity(self.conditions.len());
        for (source, compiled) in self.conditions.iter().zip(&self.compiled_conditions) {
            let part = format!("condition {:?}", source.id);
            let values = read_values(&part, compiled, params, facts)?;
            let held = match run(compiled, params, facts) {
                Ok(cel::Value::Bool(held)) => held,
                Ok(other) => return Err(wrong_type(part, &other, "bool")),
                Err(e) => return Err(failed(part, &e)),
            };
            reasons.push(Reason {
                condition: source.id.clone(),
                label: source.label.clone(),
                held,
                values,
            });
        }
        let eligible = reasons.iter().all(|r| r.held);
        let amount_cents = match (&self.compiled_amount, eligible) {
            (Some(compiled), true) => {
                let part = "the amount".to_owned();
                read_values(&part, compiled, params, facts)?;
                match run(compiled, params, facts) {
                    Ok(cel::Value::Int(cents)) if cents >= 0 => cents,
                    Ok(cel::Value::Int(cents)) => {
                        return Err(RuleError::Failed {
                            part,
                            message: format!("the amount came out negative ({cents} cents)"),
                        });
                    }
                    Ok(other) => return Err(wrong_type(part, &other, "int")),
                    Err(e) => return Err(failed(part, &e)),
                }
            }
            _ => 0,
        };
        Ok(Evaluation {
            eligible,
            amount_cents,
            reasons,
        })
    }
}

fn read_values(
    part: &str,
    compiled: &Compiled,
    params: &Params,
    facts: &Facts,
) -> Result<BTreeMap<String, FactValue>, RuleError> {
    compiled
        .reads
        .iter()
        .map(|name| {
            let value = facts
                .get(name)
                .cloned()
                .or_else(|| params.get(name).map(|v| FactValue::Int(*v)))
                .ok_or_else(|| RuleError::MissingFact {
                    part: part.to_owned(),
                    fact: name.clone(),
                })?;
            Ok((name.clone(), value))
        })
        .collect()
}

/// Runs one expression with the settings and facts as variables (facts win a clash,
/// which `Rule::compile` refuses anyway).
pub(crate) fn run(
    compiled: &Compiled,
    params: &Params,
    facts: &Facts,
) -> Result<cel::Value, cel::ExecutionError> {
    let mut context = cel::Context::with_env(CEL.clone());
    for name in &compiled.reads {
        if let Some(value) = facts.get(name) {
            context.add_variable_from_value(name.as_str(), value.to_cel());
        } else if let Some(value) = params.get(name) {
            context.add_variable_from_value(name.as_str(), cel::Value::Int(*value));
        }
    }
    compiled.program.execute(&context)
}

pub(crate) fn type_name(value: &cel::Value) -> &'static str {
    match value {
        cel::Value::Bool(_) => "bool",
        cel::Value::Int(_) => "int",
        cel::Value::UInt(_) => "uint",
        cel::Value::Float(_) => "double",
        cel::Value::String(_) => "string",
        cel::Value::Null => "null",
        _ => "a list, map or other value",
    }
}

fn wrong_type(part: String, value: &cel::Value, want: &'static str) -> RuleError {
    RuleError::WrongType {
        part,
        got: type_name(value).to_owned(),
        want,
    }
}

fn failed(part: String, e: &cel::ExecutionError) -> RuleError {
    RuleError::Failed {
        part,
        message: e.to_string(),
    }
}

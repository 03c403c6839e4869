//! Running a rule on one subject's facts.

use std::collections::{BTreeMap, HashMap};

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

/// At most this many outcomes are remembered per expression; past it the memory is
/// emptied and filled again (facts so varied that few repeat gain little from it).
const REMEMBERED: usize = 1 << 16;

/// Outcomes by the values read. foldhash (seeded per map) hashes these short keys
/// several times faster than the default SipHash; a map holds at most `REMEMBERED`.
/// Keyed by the values as a reason records them, so a lookup copies nothing.
type Remembered<T> = HashMap<BTreeMap<String, FactValue>, T, foldhash::fast::RandomState>;

/// Evaluates one rule for many subjects, remembering each expression's outcome by the
/// values it read. A CEL expression reads nothing but its variables, so equal values
/// give an equal outcome; the values are what a reason records anyway. Where subjects
/// share values (a status, a card state, a count of months), an outcome is computed
/// once instead of by building a CEL context per subject and condition.
#[derive(Debug)]
pub struct Evaluator<'r> {
    rule: &'r Rule,
    conditions: Vec<Remembered<bool>>,
    amount: Remembered<i64>,
}

impl Rule {
    /// An evaluation of one subject; for many, `evaluator` remembers outcomes.
    pub fn evaluate(&self, params: &Params, facts: &Facts) -> Result<Evaluation, RuleError> {
        self.evaluator().evaluate(params, facts)
    }

    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator {
            rule: self,
            conditions: vec![Remembered::default(); self.compiled_conditions.len()],
            amount: Remembered::default(),
        }
    }
}

/// The remembered outcome for `values`, or `compute`'s (remembered if it succeeded).
fn recall<T: Copy>(
    memory: &mut Remembered<T>,
    values: &BTreeMap<String, FactValue>,
    compute: impl FnOnce() -> Result<T, RuleError>,
) -> Result<T, RuleError> {
    if let Some(known) = memory.get(values) {
        return Ok(*known);
    }
    let outcome = compute()?;
    if memory.len() >= REMEMBERED {
        memory.clear();
    }
    memory.insert(values.clone(), outcome);
    Ok(outcome)
}

impl Evaluator<'_> {
    pub fn evaluate(&mut self, params: &Params, facts: &Facts) -> Result<Evaluation, RuleError> {
        let rule = self.rule;
        let mut reasons = Vec::with_capacity(rule.conditions.len());
        for ((source, compiled), memory) in rule
            .conditions
            .iter()
            .zip(&rule.compiled_conditions)
            .zip(&mut self.conditions)
        {
            let part = || format!("condition {:?}", source.id);
            let values = read_values(&part, compiled, params, facts)?;
            let held = recall(memory, &values, || match run(compiled, params, facts) {
                Ok(cel::Value::Bool(held)) => Ok(held),
                Ok(other) => Err(wrong_type(part(), &other, "bool")),
                Err(e) => Err(failed(part(), &e)),
            })?;
            reasons.push(Reason {
                condition: source.id.clone(),
                label: source.label.clone(),
                held,
                values,
            });
        }
        let eligible = reasons.iter().all(|r| r.held);
        let amount_cents = match (&rule.compiled_amount, eligible) {
            (Some(compiled), true) => {
                let part = || "the amount".to_owned();
                let values = read_values(&part, compiled, params, facts)?;
                recall(&mut self.amount, &values, || {
                    match run(compiled, params, facts) {
                        Ok(cel::Value::Int(cents)) if cents >= 0 => Ok(cents),
                        Ok(cel::Value::Int(cents)) => Err(RuleError::Failed {
                            part: part(),
                            message: format!("the amount came out negative ({cents} cents)"),
                        }),
                        Ok(other) => Err(wrong_type(part(), &other, "int")),
                        Err(e) => Err(failed(part(), &e)),
                    }
                })?
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
    part: &dyn Fn() -> String,
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
                    part: part(),
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

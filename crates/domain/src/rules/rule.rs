//! A rule compiled and checked against the facts it reads.

use std::sync::{Arc, LazyLock};

use super::error::{RulePart, RuleProblem};
use super::facts::{FactSchema, Facts, Params};

/// The standard CEL environment, shared by every rule and every evaluation.
pub(crate) static CEL: LazyLock<Arc<cel::Env>> = LazyLock::new(|| Arc::new(cel::Env::stdlib()));

/// One condition as written: an id, the words shown to people, and the expression.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConditionSource {
    pub id: String,
    pub label: String,
    pub expr: String,
}

#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) program: cel::Program,
    /// The facts and settings the expression reads, sorted: what a reason shows.
    pub(crate) reads: Vec<String>,
}

/// Conditions that must all hold, and the amount granted when they do (an `int` of
/// cents), compiled once.
#[derive(Debug)]
pub struct Rule {
    pub schema: FactSchema,
    pub conditions: Vec<ConditionSource>,
    pub amount: Option<String>,
    pub(crate) compiled_conditions: Vec<Compiled>,
    pub(crate) compiled_amount: Option<Compiled>,
}

impl Rule {
    /// Compiles every expression and checks it against `schema` and the names of the
    /// policy's settings: every name it reads must be a fact or a setting, a condition
    /// must give a `bool` and the amount an `int`. Types are checked by running each
    /// expression on sample facts of the right types with the national settings (the
    /// `cel` crate has no static checker); a branch the samples do not reach is checked
    /// by the rule's examples.
    pub fn compile(
        schema: FactSchema,
        params: &Params,
        conditions: Vec<ConditionSource>,
        amount: Option<String>,
    ) -> Result<Rule, Vec<RuleProblem>> {
        let mut problems = Vec::new();
        for name in params.keys() {
            if schema.field(name).is_some() {
                problems.push(RuleProblem {
                    part: RulePart::Amount,
                    message: format!(
                        "the setting {name:?} has the name of a fact of {}",
                        schema.subject
                    ),
                });
            }
        }
        let sample = schema.sample();
        if conditions.is_empty() {
            problems.push(RuleProblem {
                part: RulePart::Condition(0),
                message: "a rule needs at least one condition".to_owned(),
            });
        }
        let mut compiled_conditions = Vec::new();
        for (i, c) in conditions.iter().enumerate() {
            match compile_one(&schema, params, &sample, &c.expr, "bool") {
                Ok(compiled) => compiled_conditions.push(compiled),
                Err(message) => problems.push(RuleProblem {
                    part: RulePart::Condition(i),
                    message,
                }),
            }
        }
        let compiled_amount = match amount.as_deref() {
            None => None,
            Some(expr) => match compile_one(&schema, params, &sample, expr, "int") {
                Ok(compiled) => Some(compiled),
                Err(message) => {
                    problems.push(RuleProblem {
                        part: RulePart::Amount,
                        message,
                    });
                    None
                }
            },
        };
        for (i, c) in conditions.iter().enumerate() {
            if conditions[..i].iter().any(|before| before.id == c.id) {
                problems.push(RuleProblem {
                    part: RulePart::Condition(i),
                    message: format!("the id {:?} is used by an earlier condition", c.id),
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Rule {
            schema,
            conditions,
            amount,
            compiled_conditions,
            compiled_amount,
        })
    }
}

fn compile_one(
    schema: &FactSchema,
    params: &Params,
    sample: &Facts,
    expr: &str,
    want: &'static str,
) -> Result<Compiled, String> {
    let program = CEL
        .compile(expr)
        .map_err(|e| format!("not a valid expression: {}", one_line(&e.to_string())))?;
    let references = program.references();
    let mut reads: Vec<String> = references
        .variables()
        .into_iter()
        .map(str::to_owned)
        .collect();
    reads.sort();
    reads.dedup();
    let unknown: Vec<&str> = reads
        .iter()
        .map(String::as_str)
        .filter(|name| schema.field(name).is_none() && !params.contains_key(*name))
        .collect();
    if !unknown.is_empty() {
        let known: Vec<&str> = schema
            .fields
            .iter()
            .map(|f| f.name)
            .chain(params.keys().map(String::as_str))
            .collect();
        return Err(format!(
            "reads {} that {} does not have (it has: {})",
            unknown.join(", "),
            schema.subject,
            known.join(", ")
        ));
    }
    let compiled = Compiled { program, reads };
    match super::evaluate::run(&compiled, params, sample) {
        Ok(value) if super::evaluate::type_name(&value) == want => Ok(compiled),
        Ok(value) => Err(format!(
            "gives {} where {want} is needed",
            super::evaluate::type_name(&value)
        )),
        Err(
            e @ (cel::ExecutionError::NoSuchOverload(_)
            | cel::ExecutionError::UnexpectedType { .. }
            | cel::ExecutionError::ValuesNotComparable(..)
            | cel::ExecutionError::UnsupportedBinaryOperator(..)),
        ) => Err(format!("type error: {e}")),
        // Arithmetic on the samples (a division by the sample value) says nothing about
        // real facts; the examples try those.
        Err(_) => Ok(compiled),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

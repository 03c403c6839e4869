//! Rules as data: a rule is a list of named conditions and an optional amount, each an
//! expression in CEL (the Common Expression Language, through the `cel` crate) over
//! typed facts. CEL has no loops and no side effects, so a rule always ends and reads
//! nothing but the facts it is given.
//!
//! `Rule::compile` checks a rule against the schema of the facts it will read (unknown
//! names, and types, by running each expression on the schema's sample facts);
//! `Rule::evaluate` gives the outcome with a reason per condition: whether it held and
//! the values of the facts it read.

mod error;
mod evaluate;
mod facts;
mod filter;
mod rule;

pub use error::{RuleError, RulePart, RuleProblem};
pub use evaluate::{Evaluation, Evaluator, Reason};
pub use facts::{FactField, FactSchema, FactType, FactValue, Facts, Params, hex_digest};
pub use filter::{Comparison, Filter};
pub use rule::{ConditionSource, Rule};

//! What can be wrong with a rule when it is written, and when it runs.

use std::fmt;

/// Which part of a rule a problem is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RulePart {
    /// The condition at this position (0-based) of the rule's list.
    Condition(usize),
    Amount,
}

/// A problem found when a rule is compiled against its fact schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub part: RulePart,
    pub message: String,
}

impl fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.part {
            RulePart::Condition(i) => write!(f, "condition {}: {}", i + 1, self.message),
            RulePart::Amount => write!(f, "amount: {}", self.message),
        }
    }
}

/// A rule that could not be run on one subject's facts. The subject goes to a person
/// with this reason; it is never taken as "not eligible".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("the fact {fact:?} that {part} reads is missing")]
    MissingFact { part: String, fact: String },
    #[error("{part} could not be evaluated: {message}")]
    Failed { part: String, message: String },
    #[error("{part} gave {got}, not {want}")]
    WrongType {
        part: String,
        got: String,
        want: &'static str,
    },
}

impl RuleError {
    /// A stable code for machines.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::MissingFact { .. } => "fact_missing",
            RuleError::Failed { .. } => "rule_failed",
            RuleError::WrongType { .. } => "rule_wrong_type",
        }
    }
}

//! 免申即享: policies that find who is entitled from data, before anyone applies.
//! A `Policy` is a rule with its national settings, regional settings (each with a
//! reason) and examples; `screen` evaluates every subject and gives the list with a
//! digest of the facts and the policy, so the same inputs give the same list.

mod list;
mod policy;
mod screen;

pub use list::{
    GrantList, ListCommand, ListContext, ListError, ListEvent, ListEventBody, ListLine, Listed,
    OBJECTION_MAX, Objection, decide_list,
};
pub use policy::{ExampleOutcome, ParamOverride, Policy, PolicyPurpose, RuleExample, schema_named};
pub use screen::{Screened, Screening, Subject, screen};

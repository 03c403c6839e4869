//! Things a parser wants the caller to know about an accepted value.

use serde::Serialize;

/// A parsed value together with what was noticed while parsing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    pub value: T,
    pub notices: Vec<Notice>,
}

/// A remark about an accepted value: a warning needs a person's attention, a note only
/// explains what parsing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// A 15-digit first-generation number was upgraded to its 18-digit form.
    UpgradedFrom15 { original: String },
    /// A lower-case letter was accepted and written in upper case.
    UpperCased,
    /// The address code is not in the 2025 division table (numbers keep the code they
    /// were issued under for life, even after the county is abolished or renumbered).
    RegionNotInTable { code: String, nearest: String },
}

impl Notice {
    pub fn is_warning(&self) -> bool {
        matches!(self, Notice::RegionNotInTable { .. })
    }

    pub fn message(&self) -> String {
        match self {
            Notice::UpgradedFrom15 { original } => format!(
                "upgraded from the 15-digit first-generation number {original} (year prefixed with 19, check character added)"
            ),
            Notice::UpperCased => "lower-case letters were written in upper case".to_owned(),
            Notice::RegionNotInTable { code, nearest } => format!(
                "address code {code} is not in the 2025 division table; it may be a former code (numbers keep the code they were issued under); nearest known: {nearest}"
            ),
        }
    }
}

//! A region's complaint settings, versioned like the rating settings: a complaint
//! records the version its deadlines were set under.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ComplaintPolicy {
    /// Raised on every change.
    pub version: u32,
    /// Working days to answer in writing. Illustrative: no national time limit for a
    /// complaint about a 人社 service was found (POLICY-FACTS names local limits for
    /// poor ratings only); the same 5 working days as a poor rating's close is used.
    pub reply_days: u32,
    /// How many times an answer the complainant is not satisfied with goes back, one
    /// level up each time, before the complaint closes as unsatisfied.
    pub reopen_limit: u32,
    /// Longest complaint or answer, in characters.
    pub text_max: usize,
}

impl ComplaintPolicy {
    /// Where the reply deadline comes from, for the pages.
    pub const PROVENANCE: &'static str = "illustrative";
}

impl Default for ComplaintPolicy {
    fn default() -> ComplaintPolicy {
        ComplaintPolicy {
            version: 1,
            reply_days: 5,
            reopen_limit: 1,
            text_max: 2000,
        }
    }
}

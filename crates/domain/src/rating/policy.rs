//! A region's rating settings. Versioned: a rating and a follow-up record the version
//! they were taken under, so a change is never silent.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RatingPolicy {
    /// Raised on every change.
    pub version: u32,
    /// Working days after the service within which a rating is still taken (山东 人社:
    /// 5, POLICY-FACTS §1 [S]).
    pub late_days: u32,
    /// Working days to contact the person after a poor rating (汝州: 1 [S]).
    pub contact_days: u32,
    /// Working days to close a poor rating (德州: 5 [S]).
    pub close_days: u32,
    /// Working days a ledgered rectification (台账限期整改) may take by default.
    pub rectify_days: u32,
    /// Longest free text, in characters.
    pub text_max: usize,
}

impl Default for RatingPolicy {
    fn default() -> RatingPolicy {
        RatingPolicy {
            version: 1,
            late_days: 5,
            contact_days: 1,
            close_days: 5,
            rectify_days: 5,
            text_max: 500,
        }
    }
}

//! A region's rating settings. Versioned: a rating and a follow-up record the version
//! they were taken under, so a change is never silent. The national defaults are here;
//! a region's own come from the catalog (`catalog/regions/*.toml`, `[ratings]`).

use serde::{Deserialize, Serialize};

use super::file::Stage;
use super::level::Level;

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
    /// The stages of a case that are rated (广西: 承诺件 at 受理 and 办结 [S]); a hall
    /// visit is always rated once, and an on-the-spot case once, at completion.
    pub case_stages: Vec<Stage>,
    /// A service nobody rated counts as this level after a while (广东 7 days →
    /// 基本满意, 广西 7 days → 非常满意 [S]); off unless a region sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_rating: Option<DefaultRating>,
    /// Where the settings come from, as cited (empty for the national defaults).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// 默认评价: the level a service counts as when nobody rated it in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DefaultRating {
    /// Calendar days after the stage was reached (the published rules count 7 days).
    pub after_days: u32,
    pub level: Level,
}

impl RatingPolicy {
    /// Whether a case's `stage` is rated under these settings.
    pub fn rates(&self, stage: Stage) -> bool {
        stage == Stage::Visit || self.case_stages.contains(&stage)
    }
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
            case_stages: vec![Stage::Acceptance, Stage::Completion],
            default_rating: None,
            source: String::new(),
        }
    }
}

//! 一岗精、二岗通、三岗懂: what a clerk may do with a project's items.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A clerk's level in one project (or item group), lowest first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SkillLevel {
    /// 懂: answers questions and takes papers in, but does not accept.
    Aware,
    /// 通: handles the project's items.
    Proficient,
    /// 精: handles them alone and can review.
    Master,
}

impl SkillLevel {
    pub fn name(self) -> &'static str {
        match self {
            SkillLevel::Aware => "aware",
            SkillLevel::Proficient => "proficient",
            SkillLevel::Master => "master",
        }
    }

    pub fn parse(text: &str) -> Option<SkillLevel> {
        match text {
            "aware" | "懂" => Some(SkillLevel::Aware),
            "proficient" | "通" => Some(SkillLevel::Proficient),
            "master" | "精" => Some(SkillLevel::Master),
            _ => None,
        }
    }

    /// Whether this level may handle (take in and accept) an item, not only answer.
    pub fn may_handle(self) -> bool {
        self >= SkillLevel::Proficient
    }
}

/// A window's skills for the day: the signed-on clerk's level per project.
pub type Skills = BTreeMap<String, SkillLevel>;

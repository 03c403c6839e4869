//! The five levels and the indicators a person may tick.

use serde::{Deserialize, Serialize};

/// 非常满意 … 非常不满意; the last two are 差评.
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
pub enum Level {
    VerySatisfied,
    Satisfied,
    Basic,
    Dissatisfied,
    VeryDissatisfied,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::Basic,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    /// A 差评: it opens a follow-up.
    pub fn is_poor(self) -> bool {
        matches!(self, Level::Dissatisfied | Level::VeryDissatisfied)
    }

    /// Counted as satisfied in the satisfaction rate (非常满意, 满意, 基本满意).
    pub fn is_satisfied(self) -> bool {
        !self.is_poor()
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::VerySatisfied => "very_satisfied",
            Level::Satisfied => "satisfied",
            Level::Basic => "basic",
            Level::Dissatisfied => "dissatisfied",
            Level::VeryDissatisfied => "very_dissatisfied",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == text)
    }
}

/// What a rating may single out: online (办事效率, 办事指南精确度, 办事便捷度,
/// 平台操作性) or in the hall (服务效率, 服务水平, 服务态度).
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
pub enum Indicator {
    Efficiency,
    GuideAccuracy,
    Convenience,
    Usability,
    ServiceEfficiency,
    ServiceLevel,
    Attitude,
}

impl Indicator {
    pub const ONLINE: [Indicator; 4] = [
        Indicator::Efficiency,
        Indicator::GuideAccuracy,
        Indicator::Convenience,
        Indicator::Usability,
    ];
    pub const HALL: [Indicator; 3] = [
        Indicator::ServiceEfficiency,
        Indicator::ServiceLevel,
        Indicator::Attitude,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Indicator::Efficiency => "efficiency",
            Indicator::GuideAccuracy => "guide_accuracy",
            Indicator::Convenience => "convenience",
            Indicator::Usability => "usability",
            Indicator::ServiceEfficiency => "service_efficiency",
            Indicator::ServiceLevel => "service_level",
            Indicator::Attitude => "attitude",
        }
    }

    pub fn parse(text: &str) -> Option<Indicator> {
        Indicator::ONLINE
            .into_iter()
            .chain(Indicator::HALL)
            .find(|i| i.name() == text)
    }
}

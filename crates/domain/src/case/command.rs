//! What people (and the system) ask of a case.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::catalog::{Channel, Role};
use crate::region::RegionCode;

/// Who applies: a person by resident ID, or an employer by credit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Applicant {
    /// The full, validated identity number (masked wherever it is shown).
    Person(String),
    Employer(String),
}

impl Applicant {
    /// The identity number or credit code.
    pub fn id(&self) -> &str {
        match self {
            Applicant::Person(id) | Applicant::Employer(id) => id,
        }
    }

    /// For display: a person's number masked, an employer's code as it is (public).
    pub fn masked(&self) -> String {
        match self {
            Applicant::Person(id) => crate::resident_id::mask(id),
            Applicant::Employer(code) => code.clone(),
        }
    }
}

/// Who acts, in which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Actor {
    pub id: String,
    pub role: ActorRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Staff(Role),
    /// The applicant (or their agent) acting for themselves.
    Applicant,
}

/// A file handed in for a material: its SHA-256 (the file itself is kept
/// content-addressed beside the cases), its size and its type as read from its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attachment {
    pub material: String,
    pub sha256: String,
    pub bytes: u64,
    pub media_type: String,
}

/// An application as it arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Submission {
    pub applicant: Applicant,
    /// Someone applying on the applicant's behalf.
    pub agent: Option<Applicant>,
    pub channel: Channel,
    pub accepting_region: RegionCode,
    /// Differs from the accepting region for remote acceptance (跨省通办).
    pub handling_region: RegionCode,
    /// Material ids handed in with the application.
    pub materials: Vec<String>,
    /// Files handed in online for those materials.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Materials the applicant signed a commitment for instead of proving them
    /// (告知承诺), where the guide allows it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<String>,
}

/// What a rule decided on and how (智能审批): which rule, the digest of the facts it
/// read, and for every condition whether it held with the values it read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleTrace {
    pub policy: String,
    pub version: String,
    /// The policy's content hash: the guide names the same.
    pub rule_hash: String,
    /// SHA-256 of the facts read, as canonical JSON.
    pub facts_digest: String,
    pub reasons: Vec<crate::rules::Reason>,
}

impl RuleTrace {
    /// True when every condition held.
    pub fn all_held(&self) -> bool {
        self.reasons.iter().all(|r| r.held)
    }
}

/// How the result reached the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Delivery {
    pub method: String,
    pub delivered_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CommandKind {
    /// Issue the one-time notice of everything missing (一次性告知).
    IssueNotice,
    /// The applicant supplies materials (补正), or a provisionally accepted one arrives.
    Supplement {
        materials: Vec<String>,
        /// Files handed in online for those materials.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// 受理, possibly with materials accepted provisionally (容缺, non-key only) or
    /// replaced by a signed commitment (告知承诺, where the guide allows).
    Accept {
        #[serde(default)]
        provisional: Vec<String>,
        #[serde(default)]
        commitments: Vec<String>,
        /// Working days allowed to supply provisional materials.
        #[serde(default = "default_supply_days")]
        supply_within_days: u32,
    },
    /// 不予受理, with the written reason.
    Refuse {
        reason: String,
    },
    StartReview,
    /// The item's rule decided right after acceptance (the system only).
    DecideByRule {
        reason: String,
        legal_basis: Vec<String>,
        trace: RuleTrace,
    },
    /// The item's rule could not decide (a fact missing, the rule failing): the case
    /// waits for a reviewer, who reads why (the system only).
    ReferToReviewer {
        reason: String,
    },
    Decide {
        grant: bool,
        reason: String,
        #[serde(default)]
        legal_basis: Vec<String>,
    },
    Complete {
        method: String,
    },
    /// 即办件: accept, grant and deliver at the window in one step.
    CompleteOnTheSpot {
        method: String,
    },
    Withdraw {
        reason: String,
    },
    Suspend {
        reason: String,
    },
    Resume {
        reason: String,
    },
    Extend {
        days: u32,
        reason: String,
    },
    /// The result of verifying a commitment; a false one revokes or terminates.
    VerifyCommitment {
        material: String,
        truthful: bool,
    },
    /// Provisional materials never arrived by their date: the defined outcome, 终止.
    LapseProvisional,
    /// Deadlines counted on a provisional calendar, counted again now that the year's
    /// official holiday schedule is known.
    RecomputeDeadlines,
}

fn default_supply_days() -> u32 {
    5
}

impl CommandKind {
    pub fn name(&self) -> &'static str {
        match self {
            CommandKind::IssueNotice => "issue_notice",
            CommandKind::Supplement { .. } => "supplement",
            CommandKind::Accept { .. } => "accept",
            CommandKind::Refuse { .. } => "refuse",
            CommandKind::StartReview => "start_review",
            CommandKind::DecideByRule { .. } => "decide_by_rule",
            CommandKind::ReferToReviewer { .. } => "refer_to_reviewer",
            CommandKind::Decide { .. } => "decide",
            CommandKind::Complete { .. } => "complete",
            CommandKind::CompleteOnTheSpot { .. } => "complete_on_the_spot",
            CommandKind::Withdraw { .. } => "withdraw",
            CommandKind::Suspend { .. } => "suspend",
            CommandKind::Resume { .. } => "resume",
            CommandKind::Extend { .. } => "extend",
            CommandKind::VerifyCommitment { .. } => "verify_commitment",
            CommandKind::LapseProvisional => "lapse_provisional",
            CommandKind::RecomputeDeadlines => "recompute_deadlines",
        }
    }
}

/// A command on an existing case, naming the version the actor saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub expected_version: u64,
    pub actor: Actor,
    pub kind: CommandKind,
}

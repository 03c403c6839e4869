//! What happened to a case: appended, never changed.

use std::sync::Arc;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::clock::Clock;
use super::command::{Actor, Delivery, Submission};
use super::state::{CaseState, GuideSnapshot, PendingMaterial};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 一次性告知书
    OneTimeNotice,
    /// 受理通知书
    AcceptanceReceipt,
    /// 不予受理通知书
    RefusalNotice,
    /// 决定书
    Decision,
    /// 撤销决定
    RevocationNotice,
}

/// A document issued with an event, identified by the hash of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DocumentIssued {
    pub kind: DocumentKind,
    pub content_hash: String,
}

impl DocumentIssued {
    /// Hashes what the document states (the rendering is the server's business).
    pub fn of(kind: DocumentKind, content: &serde_json::Value) -> DocumentIssued {
        let digest = Sha256::digest(content.to_string().as_bytes());
        DocumentIssued {
            kind,
            content_hash: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
#[schemars(rename = "EventBody")]
pub enum EventBody<G = Arc<GuideSnapshot>> {
    Submitted {
        submission: Submission,
        // The guide in full in memory; a `StoredGuide` reference as stored.
        guide: G,
        acceptance: Option<Clock>,
    },
    NoticeIssued {
        missing: Vec<String>,
        acceptance: Option<Clock>,
    },
    Supplemented {
        materials: Vec<String>,
        /// The acceptance-review clock restarted, where the item says so.
        acceptance: Option<Clock>,
        /// Files handed in online, by hash.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<super::command::Attachment>,
    },
    Accepted {
        statutory: Option<Clock>,
        promised: Option<Clock>,
        provisional: Vec<PendingMaterial>,
        commitments: Vec<String>,
    },
    Refused {
        reason: String,
    },
    ReviewStarted,
    Suspended {
        from: CaseState,
        reason: String,
    },
    Resumed {
        reason: String,
        stopped_days: u32,
        statutory: Option<Clock>,
        promised: Option<Clock>,
    },
    Extended {
        days: u32,
        reason: String,
        statutory: Option<Clock>,
        promised: Option<Clock>,
    },
    /// Provisional deadlines counted again on the official schedule.
    DeadlinesRecomputed {
        changes: Vec<DeadlineChange>,
        reason: String,
        acceptance: Option<Clock>,
        statutory: Option<Clock>,
        promised: Option<Clock>,
    },
    Decided {
        grant: bool,
        reason: String,
        legal_basis: Vec<String>,
        /// How to appeal a denial (复议、诉讼).
        appeal: Option<String>,
        /// Set when the item's rule decided, not a person.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule: Option<super::command::RuleTrace>,
    },
    /// The rule could not decide; a reviewer will.
    ReferredToReviewer {
        reason: String,
    },
    Completed {
        delivery: Delivery,
    },
    CompletedOnTheSpot {
        delivery: Delivery,
    },
    Withdrawn {
        reason: String,
    },
    Terminated {
        reason: String,
    },
    CommitmentVerified {
        material: String,
        truthful: bool,
    },
    Revoked {
        reason: String,
    },
}

impl<G> EventBody<G> {
    pub fn name(&self) -> &'static str {
        match self {
            EventBody::Submitted { .. } => "submitted",
            EventBody::NoticeIssued { .. } => "notice_issued",
            EventBody::Supplemented { .. } => "supplemented",
            EventBody::Accepted { .. } => "accepted",
            EventBody::Refused { .. } => "refused",
            EventBody::ReviewStarted => "review_started",
            EventBody::Suspended { .. } => "suspended",
            EventBody::Resumed { .. } => "resumed",
            EventBody::Extended { .. } => "extended",
            EventBody::DeadlinesRecomputed { .. } => "deadlines_recomputed",
            EventBody::Decided { .. } => "decided",
            EventBody::ReferredToReviewer { .. } => "referred_to_reviewer",
            EventBody::Completed { .. } => "completed",
            EventBody::CompletedOnTheSpot { .. } => "completed_on_the_spot",
            EventBody::Withdrawn { .. } => "withdrawn",
            EventBody::Terminated { .. } => "terminated",
            EventBody::CommitmentVerified { .. } => "commitment_verified",
            EventBody::Revoked { .. } => "revoked",
        }
    }
}

/// One clock whose last day moved: which (acceptance, statutory, promised), from, to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DeadlineChange {
    pub clock: String,
    pub from: jiff::civil::Date,
    pub to: jiff::civil::Date,
}

/// One step in a case's history: who, in which role, when, from which state to which,
/// why, and the documents issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "CaseEvent")]
pub struct CaseEvent<G = Arc<GuideSnapshot>> {
    pub case_id: String,
    /// 1 for the submission, then one more per event.
    pub seq: u64,
    pub at: Timestamp,
    /// The civil date in the handling region on which it happened.
    pub on: Date,
    pub actor: Actor,
    pub from_state: Option<CaseState>,
    pub to_state: Option<CaseState>,
    pub documents: Vec<DocumentIssued>,
    pub body: EventBody<G>,
}

/// The audit chain: SHA-256 over the previous event's hash and this event exactly as
/// stored, so verifying never depends on serialising the event again the same way.
pub fn chain_hash(previous: &str, event_json: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(event_json.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

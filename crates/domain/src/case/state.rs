//! The case as a projection of its events.

use std::sync::{Arc, LazyLock, OnceLock};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::command::{Applicant, Delivery};
use super::event::{CaseEvent, EventBody};
use crate::catalog::{Channel, Guide};
use crate::region::RegionCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// 申请: arrived, not yet accepted.
    Submitted,
    /// A one-time notice is out; waiting for the applicant's supplement (补正).
    AwaitingSupplement,
    /// 受理: the clock runs.
    Accepted,
    /// 审核
    InReview,
    /// 中止: the clock is stopped.
    Suspended,
    /// 决定 made (grant or deny), not yet delivered.
    Decided,
    /// 办结 / 送达
    Completed,
    /// 不予受理
    Refused,
    /// 撤回
    Withdrawn,
    /// 终止: provisional materials never arrived, or a false commitment before decision.
    Terminated,
    /// 撤销: a granted result annulled (false commitment).
    Revoked,
}

impl CaseState {
    /// Every state, in lifecycle order.
    pub const ALL: [CaseState; 11] = [
        CaseState::Submitted,
        CaseState::AwaitingSupplement,
        CaseState::Accepted,
        CaseState::InReview,
        CaseState::Suspended,
        CaseState::Decided,
        CaseState::Completed,
        CaseState::Refused,
        CaseState::Withdrawn,
        CaseState::Terminated,
        CaseState::Revoked,
    ];

    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            CaseState::Completed
                | CaseState::Refused
                | CaseState::Withdrawn
                | CaseState::Terminated
                | CaseState::Revoked
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            CaseState::Submitted => "submitted",
            CaseState::AwaitingSupplement => "awaiting_supplement",
            CaseState::Accepted => "accepted",
            CaseState::InReview => "in_review",
            CaseState::Suspended => "suspended",
            CaseState::Decided => "decided",
            CaseState::Completed => "completed",
            CaseState::Refused => "refused",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Terminated => "terminated",
            CaseState::Revoked => "revoked",
        }
    }
}

/// The resolved guide a case runs under, frozen at submission.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GuideSnapshot {
    pub version: u32,
    pub content_hash: String,
    pub guide: Guide,
    /// [`GuideSnapshot::digest`], worked out once.
    #[serde(skip)]
    #[schemars(skip)]
    digest: OnceLock<String>,
}

impl GuideSnapshot {
    pub fn new(version: u32, content_hash: String, guide: Guide) -> GuideSnapshot {
        GuideSnapshot {
            version,
            content_hash,
            guide,
            digest: OnceLock::new(),
        }
    }

    /// The guide a case is submitted under, as the catalog resolved it.
    pub fn resolved(resolved: crate::catalog::ResolvedGuide) -> GuideSnapshot {
        GuideSnapshot::new(
            resolved.guide.version,
            resolved.content_hash,
            resolved.guide,
        )
    }

    /// SHA-256 of the guide's canonical JSON (keys in order), which a stored
    /// submission chains in place of the guide: [`guide_digest`] of the guides
    /// table's text gives it again.
    pub fn digest(&self) -> &str {
        self.digest.get_or_init(|| {
            let canonical = serde_json::to_value(&self.guide).unwrap_or_default();
            hex_sha256(&canonical.to_string())
        })
    }
}

/// The digest of a guide stored as JSON text, as [`GuideSnapshot::digest`] gives it;
/// `None` if the text is not JSON.
pub fn guide_digest(text: &str) -> Option<String> {
    let canonical: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(hex_sha256(&canonical.to_string()))
}

fn hex_sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Two snapshots are the same when their version and rules are (the digest is only
/// worked out from them).
impl PartialEq for GuideSnapshot {
    fn eq(&self, other: &GuideSnapshot) -> bool {
        self.version == other.version
            && self.content_hash == other.content_hash
            && self.guide == other.guide
    }
}

impl Eq for GuideSnapshot {}

/// Which guide a case runs under, as stored with the case's projection (the guide
/// itself is stored once per content hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GuideRef {
    pub version: u32,
    pub content_hash: String,
}

/// A material accepted provisionally (容缺), to be supplied by a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PendingMaterial {
    pub material: String,
    pub supply_by: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Case {
    pub id: String,
    pub item: String,
    pub state: CaseState,
    /// The number of events applied; the version a command must name.
    pub version: u64,
    pub applicant: Applicant,
    pub agent: Option<Applicant>,
    pub channel: Channel,
    pub accepting_region: RegionCode,
    pub handling_region: RegionCode,
    /// The guide's full content: not part of the case's own serialized form (it is in
    /// the submission event and stored once per hash); attach it with [`Case::attach_guide`].
    #[serde(skip, default = "detached")]
    pub guide: Arc<GuideSnapshot>,
    pub guide_ref: GuideRef,
    pub provided: Vec<String>,
    pub commitments: Vec<String>,
    /// Commitments whose verification has not yet come back.
    pub unverified_commitments: Vec<String>,
    pub pending: Vec<PendingMaterial>,
    /// Every gap a one-time notice was issued for, so no gap is noticed twice.
    pub noticed_gaps: Vec<Vec<String>>,
    pub statutory: Option<Clock>,
    pub promised: Option<Clock>,
    /// The acceptance-review clock (工伤认定 15 days), restarted by a supplement.
    pub acceptance: Option<Clock>,
    /// The state to return to when a suspension ends.
    pub suspended_from: Option<CaseState>,
    pub suspended_on: Option<Date>,
    pub extended_days: u32,
    pub granted: Option<bool>,
    /// True while the standing decision is the rule's, which a reviewer may take up.
    #[serde(default)]
    pub decided_by_rule: bool,
    /// Why the item's rule could not decide, once it tried (it tries once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred: Option<String>,
    pub delivery: Option<Delivery>,
    pub submitted_on: Date,
}

impl Case {
    /// The case that a submission event creates.
    pub fn from_submission(event: &CaseEvent) -> Option<Case> {
        let EventBody::Submitted {
            submission,
            guide,
            acceptance,
        } = &event.body
        else {
            return None;
        };
        Some(Case {
            id: event.case_id.clone(),
            item: guide.guide.item.clone(),
            state: CaseState::Submitted,
            version: 1,
            applicant: submission.applicant.clone(),
            agent: submission.agent.clone(),
            channel: submission.channel,
            accepting_region: submission.accepting_region,
            handling_region: submission.handling_region,
            guide: guide.clone(),
            guide_ref: GuideRef {
                version: guide.version,
                content_hash: guide.content_hash.clone(),
            },
            provided: submission.materials.clone(),
            commitments: submission.commitments.clone(),
            unverified_commitments: Vec::new(),
            pending: Vec::new(),
            noticed_gaps: Vec::new(),
            statutory: None,
            promised: None,
            acceptance: acceptance.clone(),
            suspended_from: None,
            suspended_on: None,
            extended_days: 0,
            granted: None,
            decided_by_rule: false,
            referred: None,
            delivery: None,
            submitted_on: event.on,
        })
    }

    /// The clock that deadlines and warnings follow: the promise where there is one,
    /// else the statutory limit (None before acceptance).
    /// The applicant's identity number or credit code.
    pub fn applicant_id(&self) -> &str {
        self.applicant.id()
    }

    /// True when `id` is the applicant's or the agent's identity number or code.
    pub fn is_party(&self, id: &str) -> bool {
        self.applicant.id() == id || self.agent.as_ref().is_some_and(|a| a.id() == id)
    }

    pub fn driving_clock(&self) -> Option<&Clock> {
        self.promised.as_ref().or(self.statutory.as_ref())
    }

    /// Gives a deserialized case its guide back. Refuses a guide whose hash differs.
    pub fn attach_guide(&mut self, guide: Arc<GuideSnapshot>) -> bool {
        if guide.content_hash != self.guide_ref.content_hash {
            return false;
        }
        self.guide = guide;
        true
    }

    /// Folds one event in. Events are facts: applying never fails.
    pub fn apply(&mut self, event: &CaseEvent) {
        self.version = event.seq;
        if let Some(to) = event.to_state {
            self.state = to;
        }
        match &event.body {
            EventBody::Submitted { .. } => {}
            EventBody::NoticeIssued {
                missing,
                acceptance,
            } => {
                self.noticed_gaps.push(missing.clone());
                if acceptance.is_some() {
                    self.acceptance = acceptance.clone();
                }
            }
            EventBody::Supplemented {
                materials,
                acceptance,
                ..
            } => {
                for m in materials {
                    if !self.provided.contains(m) {
                        self.provided.push(m.clone());
                    }
                }
                self.pending.retain(|p| !materials.contains(&p.material));
                if acceptance.is_some() {
                    self.acceptance = acceptance.clone();
                }
            }
            EventBody::Accepted {
                statutory,
                promised,
                provisional,
                commitments,
            } => {
                self.statutory = statutory.clone();
                self.promised = promised.clone();
                self.pending = provisional.clone();
                self.commitments = commitments.clone();
                self.unverified_commitments = commitments.clone();
                self.acceptance = None;
            }
            EventBody::Refused { .. }
            | EventBody::Withdrawn { .. }
            | EventBody::Terminated { .. } => {}
            // From an automatic decision: a reviewer takes it up again.
            EventBody::ReviewStarted => {
                if self.decided_by_rule {
                    self.granted = None;
                    self.decided_by_rule = false;
                }
            }
            EventBody::Suspended { from, .. } => {
                self.suspended_from = Some(*from);
                self.suspended_on = Some(event.on);
            }
            EventBody::Resumed {
                statutory,
                promised,
                ..
            } => {
                self.statutory = statutory.clone();
                self.promised = promised.clone();
                self.suspended_from = None;
                self.suspended_on = None;
            }
            EventBody::Extended {
                days,
                statutory,
                promised,
                ..
            } => {
                self.extended_days += days;
                self.statutory = statutory.clone();
                self.promised = promised.clone();
            }
            EventBody::DeadlinesRecomputed {
                acceptance,
                statutory,
                promised,
                ..
            } => {
                self.acceptance = acceptance.clone();
                self.statutory = statutory.clone();
                self.promised = promised.clone();
            }
            EventBody::Decided { grant, rule, .. } => {
                self.granted = Some(*grant);
                self.decided_by_rule = rule.is_some();
            }
            EventBody::ReferredToReviewer { reason } => self.referred = Some(reason.clone()),
            EventBody::Completed { delivery } => self.delivery = Some(delivery.clone()),
            EventBody::CompletedOnTheSpot { delivery } => {
                self.granted = Some(true);
                self.delivery = Some(delivery.clone());
            }
            EventBody::CommitmentVerified { material, .. } => {
                self.unverified_commitments.retain(|m| m != material);
            }
            EventBody::Revoked { .. } => {}
        }
    }

    /// The case's current state from its events, oldest first.
    pub fn replay(events: &[CaseEvent]) -> Option<Case> {
        let (first, rest) = events.split_first()?;
        let mut case = Case::from_submission(first)?;
        for event in rest {
            case.apply(event);
        }
        Some(case)
    }

    /// Required materials neither provided, fetchable, committed nor pending.
    pub fn missing_materials(&self) -> Vec<String> {
        self.guide
            .guide
            .materials
            .iter()
            .filter(|m| m.required && !m.fetchable)
            .filter(|m| !self.provided.contains(&m.id))
            .filter(|m| !self.commitments.contains(&m.id))
            .filter(|m| !self.pending.iter().any(|p| p.material == m.id))
            .map(|m| m.id.clone())
            .collect()
    }
}

/// The placeholder a deserialized case holds until its guide is attached.
fn detached() -> Arc<GuideSnapshot> {
    static DETACHED: LazyLock<Arc<GuideSnapshot>> =
        LazyLock::new(|| Arc::new(GuideSnapshot::new(0, String::new(), Guide::detached())));
    DETACHED.clone()
}

//! The form an event is stored in: a submission names its guide (version, content hash
//! and the digest of the guide's text) instead of carrying it, because the guide is
//! stored once per content hash and one copy per case made most of a case's bytes.
//! The digest is chained with the event, so the audit still proves the guide a case
//! was submitted under.

use serde::{Deserialize, Serialize};

use super::event::{CaseEvent, EventBody};
use super::state::GuideSnapshot;
use crate::catalog::Guide;

/// A submission's guide as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredGuide {
    pub version: u32,
    pub content_hash: String,
    /// [`GuideSnapshot::digest`]; absent in events stored before guides were stored
    /// by reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
    /// The whole guide, as events stored before then carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guide: Option<Guide>,
}

impl StoredGuide {
    /// The reference a submission stores.
    pub fn of(snapshot: &GuideSnapshot) -> StoredGuide {
        StoredGuide {
            version: snapshot.version,
            content_hash: snapshot.content_hash.clone(),
            digest: Some(snapshot.digest().to_owned()),
            guide: None,
        }
    }
}

/// An event as stored.
pub type StoredEvent = CaseEvent<StoredGuide>;

impl CaseEvent {
    /// This event as it is stored.
    pub fn to_stored(&self) -> StoredEvent {
        let stored: Result<StoredEvent, std::convert::Infallible> =
            self.clone().map_guide(|guide| Ok(StoredGuide::of(&guide)));
        match stored {
            Ok(event) => event,
            Err(never) => match never {},
        }
    }
}

impl<G> CaseEvent<G> {
    /// The same event with its guide (only a submission has one) turned by `turn`.
    pub fn map_guide<H, E>(self, turn: impl FnOnce(G) -> Result<H, E>) -> Result<CaseEvent<H>, E> {
        Ok(CaseEvent {
            case_id: self.case_id,
            seq: self.seq,
            at: self.at,
            on: self.on,
            actor: self.actor,
            from_state: self.from_state,
            to_state: self.to_state,
            documents: self.documents,
            body: self.body.map_guide(turn)?,
        })
    }

    /// The guide a submission names; none for any other event.
    pub fn guide(&self) -> Option<&G> {
        match &self.body {
            EventBody::Submitted { guide, .. } => Some(guide),
            _ => None,
        }
    }
}

impl<G> EventBody<G> {
    fn map_guide<H, E>(self, turn: impl FnOnce(G) -> Result<H, E>) -> Result<EventBody<H>, E> {
        use EventBody as B;
        Ok(match self {
            B::Submitted {
                submission,
                guide,
                acceptance,
            } => B::Submitted {
                submission,
                guide: turn(guide)?,
                acceptance,
            },
            B::NoticeIssued {
                missing,
                acceptance,
            } => B::NoticeIssued {
                missing,
                acceptance,
            },
            B::Supplemented {
                materials,
                acceptance,
                attachments,
            } => B::Supplemented {
                materials,
                acceptance,
                attachments,
            },
            B::Accepted {
                statutory,
                promised,
                provisional,
                commitments,
            } => B::Accepted {
                statutory,
                promised,
                provisional,
                commitments,
            },
            B::Refused { reason } => B::Refused { reason },
            B::ReviewStarted => B::ReviewStarted,
            B::Suspended { from, reason } => B::Suspended { from, reason },
            B::Resumed {
                reason,
                stopped_days,
                statutory,
                promised,
            } => B::Resumed {
                reason,
                stopped_days,
                statutory,
                promised,
            },
            B::Extended {
                days,
                reason,
                statutory,
                promised,
            } => B::Extended {
                days,
                reason,
                statutory,
                promised,
            },
            B::DeadlinesRecomputed {
                changes,
                reason,
                acceptance,
                statutory,
                promised,
            } => B::DeadlinesRecomputed {
                changes,
                reason,
                acceptance,
                statutory,
                promised,
            },
            B::Decided {
                grant,
                reason,
                legal_basis,
                appeal,
                rule,
            } => B::Decided {
                grant,
                reason,
                legal_basis,
                appeal,
                rule,
            },
            B::ReferredToReviewer { reason } => B::ReferredToReviewer { reason },
            B::Completed { delivery } => B::Completed { delivery },
            B::CompletedOnTheSpot { delivery } => B::CompletedOnTheSpot { delivery },
            B::Withdrawn { reason } => B::Withdrawn { reason },
            B::Terminated { reason } => B::Terminated { reason },
            B::CommitmentVerified { material, truthful } => {
                B::CommitmentVerified { material, truthful }
            }
            B::Revoked { reason } => B::Revoked { reason },
        })
    }
}

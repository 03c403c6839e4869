//! The audit trail beyond one case's chain: every projection against the replay of its
//! events, the identity-read log's own chain, and signed checkpoints.
//!
//! A checkpoint records every case's head (its version and last event hash), the
//! number of events, each stored guide's digest and the identity-read log's head, and
//! is signed with HMAC-SHA-256 under a key kept outside the database. Someone who can
//! write the database but not read the key can then not delete, truncate, reorder or
//! rewrite anything the checkpoint covers without `audit verify` naming it: recomputing
//! the hashes does not help, because the checkpoint's head no longer matches and a new
//! checkpoint cannot be signed. Each checkpoint names the signature of the one before
//! it, so one removed from the middle is found too; a copy kept on another system
//! (`audit checkpoint --out`, `audit verify --against`) guards against removing the
//! latest ones.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use yichuang_domain::case::{Case, CaseEvent};

use crate::model::AuditReport;
use crate::staff::read_hash;
use crate::{Store, StoreError};

/// One case's head at a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHead {
    pub id: String,
    pub version: u64,
    pub head: String,
}

/// The head of a chained log: how many links, and the last one's hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogHead {
    pub count: u64,
    pub head: String,
}

/// What a checkpoint covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditState {
    pub cases: Vec<CaseHead>,
    pub events: u64,
    /// (content hash, SHA-256 of the stored guide text)
    pub guides: Vec<(String, String)>,
    pub identity_reads: LogHead,
}

/// A signed checkpoint, as stored and as copied to another system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: u64,
    pub taken_at: String,
    /// The signature of the checkpoint before this one ("" for the first).
    pub previous: String,
    pub state: AuditState,
    /// HMAC-SHA-256 (hex) over everything above.
    pub mac: String,
}

#[derive(Serialize)]
struct Unsigned<'a> {
    seq: u64,
    taken_at: &'a str,
    previous: &'a str,
    state: &'a AuditState,
}

/// SHA-256 of a text, hex.
pub(crate) fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Checkpoint {
    fn signature(&self, key: &[u8]) -> Result<String, StoreError> {
        let unsigned = Unsigned {
            seq: self.seq,
            taken_at: &self.taken_at,
            previous: &self.previous,
            state: &self.state,
        };
        let text =
            serde_json::to_string(&unsigned).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
            .map_err(|e| StoreError::Corrupt(format!("audit key: {e}")))?;
        mac.update(text.as_bytes());
        Ok(hex(&mac.finalize().into_bytes()))
    }

    /// Whether the signature is the key's over this content.
    pub fn is_signed_by(&self, key: &[u8]) -> bool {
        self.signature(key).is_ok_and(|mac| mac == self.mac)
    }

    pub fn to_json(&self) -> Result<String, StoreError> {
        serde_json::to_string_pretty(self).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    pub fn from_json(text: &str) -> Result<Checkpoint, StoreError> {
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("checkpoint: {e}")))
    }
}

/// The projection as stored (with the stored guide) against the replay of the events:
/// a field edited in the projection, or a guide edited in its table, shows here.
pub(crate) fn compare_projection(
    events: &[CaseEvent],
    stored: Option<&Case>,
    state_column: &str,
) -> Option<String> {
    let Some(replayed) = Case::replay(events) else {
        return Some("it has no submission event".to_owned());
    };
    let Some(stored) = stored else {
        return Some("its guide is missing from the guides table".to_owned());
    };
    if stored.guide.guide != replayed.guide.guide {
        return Some(format!(
            "the stored guide {} differs from the guide the case was submitted under (the guides table was edited)",
            replayed.guide.content_hash
        ));
    }
    if state_column != replayed.state.name() {
        return Some(format!(
            "the projection says {state_column} but its events say {}",
            replayed.state.name()
        ));
    }
    if *stored != replayed {
        let fields = differing_fields(stored, &replayed);
        return Some(format!(
            "the projection differs from the replay of its events in: {}",
            fields.join(", ")
        ));
    }
    None
}

fn differing_fields(a: &Case, b: &Case) -> Vec<String> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return vec!["(unreadable)".to_owned()];
    };
    a.iter()
        .filter(|(key, value)| b.get(*key) != Some(value))
        .map(|(key, _)| key.clone())
        .collect()
}

impl Store {
    /// Checks everything the database can check by itself (every case's chain and
    /// projection, events without a case, the identity-read chain, the checkpoints'
    /// own chain), then holds the database against `against` or, with a key, against
    /// its latest stored checkpoint.
    pub async fn verify_audit_with(
        &self,
        key: Option<&[u8]>,
        against: Option<&Checkpoint>,
    ) -> Result<AuditReport, StoreError> {
        let mut report = AuditReport::default();
        match self {
            Store::Sqlite(s) => s.verify_cases(&mut report).await?,
            Store::Postgres(s) => s.verify_cases(&mut report).await?,
        }
        match self {
            Store::Sqlite(s) => s.verify_streams(&mut report).await?,
            Store::Postgres(s) => s.verify_streams(&mut report).await?,
        }
        self.verify_files(&mut report).await?;
        let reads = self.verify_identity_reads(&mut report).await?;
        let stored = self.verify_checkpoint_chain(key, &mut report).await?;
        let target = match (against, key) {
            (Some(checkpoint), _) => Some(checkpoint.clone()),
            (None, Some(_)) => stored.last().cloned(),
            (None, None) => None,
        };
        match (target, key) {
            (Some(checkpoint), Some(key)) => {
                report.checkpoint = Some(checkpoint.seq);
                if checkpoint.is_signed_by(key) {
                    self.hold_against(&checkpoint, &reads, &mut report).await?;
                } else {
                    report.fail(
                        format!("checkpoint {}", checkpoint.seq),
                        "its signature does not match: it was forged or edited, or the key differs"
                            .to_owned(),
                    );
                }
            }
            (Some(checkpoint), None) => {
                report.checkpoint = Some(checkpoint.seq);
                report.checkpoint_note =
                    Some("no audit key: the checkpoint's signature was not checked".to_owned());
                self.hold_against(&checkpoint, &reads, &mut report).await?;
            }
            (None, Some(_)) => {
                report.checkpoint_note =
                    Some("no checkpoint yet: run `yichuang audit checkpoint`".to_owned());
            }
            (None, None) => {
                report.checkpoint_note = Some("no audit key: checkpoints not checked".to_owned());
            }
        }
        Ok(report)
    }

    /// Every file an event recorded is there, with the bytes its hash names.
    async fn verify_files(&self, report: &mut AuditReport) -> Result<(), StoreError> {
        for (case_id, seq, attachment) in self.recorded_attachments().await? {
            report.files += 1;
            let subject = format!("{case_id} event {seq} file {}", attachment.sha256);
            match self.file(&attachment.sha256).await? {
                None => report.fail(subject, "the file is missing".to_owned()),
                Some(bytes) if crate::files::sha256_hex(&bytes) != attachment.sha256 => report
                    .fail(
                        subject,
                        "the file's content does not match its hash (edited)".to_owned(),
                    ),
                Some(bytes) if bytes.len() as u64 != attachment.bytes => report.fail(
                    subject,
                    format!(
                        "{} bytes stored, {} recorded",
                        bytes.len(),
                        attachment.bytes
                    ),
                ),
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// (case, event seq, attachment) of every file an event recorded.
    async fn recorded_attachments(
        &self,
    ) -> Result<Vec<(String, u64, yichuang_domain::case::Attachment)>, StoreError> {
        const WITH_FILES: &str = "SELECT case_id, seq, event FROM case_events \
             WHERE kind IN ('submitted', 'supplemented') AND event LIKE '%\"attachments\"%' ORDER BY case_id, seq";
        let rows: Vec<(String, i64, String)> = match self {
            Store::Sqlite(s) => sqlx::query_as(WITH_FILES).fetch_all(&s.pool).await?,
            Store::Postgres(s) => sqlx::query_as(WITH_FILES).fetch_all(&s.pool).await?,
        };
        let mut out = Vec::new();
        for (case_id, seq, text) in rows {
            let event: yichuang_domain::case::StoredEvent = serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("event {seq} of {case_id}: {e}")))?;
            let attachments = match event.body {
                yichuang_domain::case::EventBody::Submitted { submission, .. } => {
                    submission.attachments
                }
                yichuang_domain::case::EventBody::Supplemented { attachments, .. } => attachments,
                _ => Vec::new(),
            };
            let seq = u64::try_from(seq).unwrap_or(0);
            out.extend(attachments.into_iter().map(|a| (case_id.clone(), seq, a)));
        }
        Ok(out)
    }

    /// Recomputes the identity-read chain; its head for checkpoints.
    async fn verify_identity_reads(&self, report: &mut AuditReport) -> Result<LogHead, StoreError> {
        let chain = self.identity_read_chain().await?;
        report.identity_reads = chain.len() as u64;
        report.unchained_identity_reads =
            u64::try_from(self.unchained_identity_reads().await?).unwrap_or(0);
        let mut previous = String::new();
        for (index, (seq, prev_hash, hash, read)) in chain.iter().enumerate() {
            let expected = index as i64 + 1;
            let problem = if *seq != expected {
                Some(format!(
                    "read {expected} is missing (the next stored is {seq})"
                ))
            } else if *prev_hash != previous {
                Some(format!("read {seq} does not follow read {}", seq - 1))
            } else if read_hash(&previous, read)? != *hash {
                Some(format!("read {seq} was edited after it was written"))
            } else {
                None
            };
            if let Some(problem) = problem {
                report.fail("identity_reads".to_owned(), problem);
                break;
            }
            previous = hash.clone();
        }
        Ok(LogHead {
            count: chain.len() as u64,
            head: previous,
        })
    }

    /// Reads the stored checkpoints: each must parse, follow the one before it, and
    /// (with the key) carry its signature.
    async fn verify_checkpoint_chain(
        &self,
        key: Option<&[u8]>,
        report: &mut AuditReport,
    ) -> Result<Vec<Checkpoint>, StoreError> {
        let mut checkpoints = Vec::new();
        let mut previous = String::new();
        for (index, body) in self.checkpoint_bodies().await?.iter().enumerate() {
            let expected = index as u64 + 1;
            let checkpoint = match Checkpoint::from_json(body) {
                Ok(c) => c,
                Err(e) => {
                    report.fail(format!("checkpoint {expected}"), e.to_string());
                    break;
                }
            };
            let problem = if checkpoint.seq != expected {
                Some(format!("checkpoint {expected} is missing"))
            } else if checkpoint.previous != previous {
                Some("it does not follow the checkpoint before it".to_owned())
            } else if key.is_some_and(|key| !checkpoint.is_signed_by(key)) {
                Some("its signature does not match: it was forged or edited".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem {
                report.fail(format!("checkpoint {expected}"), problem);
                break;
            }
            previous = checkpoint.mac.clone();
            checkpoints.push(checkpoint);
        }
        Ok(checkpoints)
    }

    async fn hold_against(
        &self,
        checkpoint: &Checkpoint,
        reads: &LogHead,
        report: &mut AuditReport,
    ) -> Result<(), StoreError> {
        let now = self.audit_state().await?;
        let current: HashMap<&str, &crate::audit::CaseHead> =
            now.cases.iter().map(|c| (c.id.as_str(), c)).collect();
        for head in &checkpoint.state.cases {
            let unchanged = current
                .get(head.id.as_str())
                .is_some_and(|c| c.version == head.version && c.head == head.head);
            if unchanged {
                continue;
            }
            let problem = match (
                current.get(head.id.as_str()),
                self.event_hash(&head.id, head.version).await?,
            ) {
                (None, None) => format!("deleted since checkpoint {}", checkpoint.seq),
                (_, None) => format!(
                    "it had {} events at checkpoint {}; some were removed",
                    head.version, checkpoint.seq
                ),
                (_, Some(hash)) if hash != head.head => format!(
                    "event {} was rewritten since checkpoint {}",
                    head.version, checkpoint.seq
                ),
                (Some(c), Some(_)) if c.version < head.version => format!(
                    "its record was rolled back to version {} (it was at {} at checkpoint {})",
                    c.version, head.version, checkpoint.seq
                ),
                (None, Some(_)) => {
                    format!("its record was deleted since checkpoint {}", checkpoint.seq)
                }
                _ => continue,
            };
            report.fail(head.id.clone(), problem);
        }
        if now.events < checkpoint.state.events {
            report.fail(
                "case_events".to_owned(),
                format!(
                    "{} events at checkpoint {}, {} now: events were deleted",
                    checkpoint.state.events, checkpoint.seq, now.events
                ),
            );
        }
        let guides: HashMap<&str, &str> = now
            .guides
            .iter()
            .map(|(hash, digest)| (hash.as_str(), digest.as_str()))
            .collect();
        for (hash, digest) in &checkpoint.state.guides {
            match guides.get(hash.as_str()) {
                None => report.fail(
                    format!("guide {hash}"),
                    "deleted from the guides table".to_owned(),
                ),
                Some(now) if now != digest => report.fail(
                    format!("guide {hash}"),
                    "edited in the guides table".to_owned(),
                ),
                Some(_) => {}
            }
        }
        let at_checkpoint = &checkpoint.state.identity_reads;
        if reads.count < at_checkpoint.count {
            report.fail(
                "identity_reads".to_owned(),
                format!(
                    "{} reads at checkpoint {}, {} now: reads were deleted",
                    at_checkpoint.count, checkpoint.seq, reads.count
                ),
            );
        } else if at_checkpoint.count > 0 {
            let link = self
                .identity_read_chain()
                .await?
                .into_iter()
                .nth(usize::try_from(at_checkpoint.count - 1).unwrap_or(usize::MAX));
            if link.is_none_or(|(_, _, hash, _)| hash != at_checkpoint.head) {
                report.fail(
                    "identity_reads".to_owned(),
                    format!("the log was rewritten before read {}", at_checkpoint.count),
                );
            }
        }
        Ok(())
    }

    /// Signs and stores a checkpoint of the database as it is now.
    pub async fn take_checkpoint(
        &self,
        key: &[u8],
        taken_at: jiff::Timestamp,
    ) -> Result<Checkpoint, StoreError> {
        let mut report = AuditReport::default();
        let existing = self.verify_checkpoint_chain(Some(key), &mut report).await?;
        if let Some((subject, problem)) = report.first_broken {
            return Err(StoreError::Corrupt(format!(
                "{subject}: {problem}; run `audit verify` before taking a new checkpoint"
            )));
        }
        let mut state = self.audit_state().await?;
        state.identity_reads = self
            .verify_identity_reads(&mut AuditReport::default())
            .await?;
        let mut checkpoint = Checkpoint {
            seq: existing.last().map_or(1, |c| c.seq + 1),
            taken_at: taken_at.to_string(),
            previous: existing.last().map(|c| c.mac.clone()).unwrap_or_default(),
            state,
            mac: String::new(),
        };
        checkpoint.mac = checkpoint.signature(key)?;
        self.store_checkpoint(checkpoint.seq, &checkpoint.to_json()?)
            .await?;
        Ok(checkpoint)
    }

    async fn audit_state(&self) -> Result<AuditState, StoreError> {
        match self {
            Store::Sqlite(s) => s.audit_state().await,
            Store::Postgres(s) => s.audit_state().await,
        }
    }

    async fn event_hash(&self, case_id: &str, seq: u64) -> Result<Option<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.event_hash(case_id, seq).await,
            Store::Postgres(s) => s.event_hash(case_id, seq).await,
        }
    }

    async fn checkpoint_bodies(&self) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Sqlite(s) => s.checkpoints().await,
            Store::Postgres(s) => s.checkpoints().await,
        }
    }

    async fn store_checkpoint(&self, seq: u64, body: &str) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.add_checkpoint(seq, body).await,
            Store::Postgres(s) => s.add_checkpoint(seq, body).await,
        }
    }
}

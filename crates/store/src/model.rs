//! What the store takes and gives.

use jiff::civil::Date;
use serde::Serialize;
use yichuang_domain::case::{Case, CaseEvent, CaseState, WarningLevel};

/// An event with its place in the case's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct EventRecord {
    pub event: CaseEvent,
    /// The event as stored (its guide by reference): serialised once, hashed and
    /// written as the same text.
    #[serde(skip)]
    pub json: String,
    pub prev_hash: String,
    pub hash: String,
}

impl EventRecord {
    /// The next link of a case's chain after the event whose hash is `previous`.
    pub fn chain(event: CaseEvent, previous: &str) -> Result<EventRecord, crate::StoreError> {
        let json = serde_json::to_string(&event.to_stored())
            .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        let hash = yichuang_domain::case::chain_hash(previous, &json);
        Ok(EventRecord {
            event,
            json,
            prev_hash: previous.to_owned(),
            hash,
        })
    }
}

/// A request remembered with its answer: replayed only to the same caller sending the
/// same request (the same fingerprint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestWrite {
    pub request_id: String,
    /// The staff id (or trusted actor id) that sent it.
    pub caller: String,
    /// A hash of the canonical request, case included.
    pub fingerprint: String,
    /// The answer, as JSON text.
    pub response: String,
}

/// A remembered request, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRequest {
    pub case_id: String,
    pub caller: String,
    pub fingerprint: String,
    pub response: serde_json::Value,
}

/// New events of one case and its projection after them.
#[derive(Debug, Clone)]
pub struct CaseWrite {
    pub case: Case,
    /// The version the projection had before these events (0 for a new case).
    pub expected_version: u64,
    pub events: Vec<EventRecord>,
    /// The requests to remember for retries.
    pub requests: Vec<RequestWrite>,
    /// The clock columns of the stored row, where the writer knows them (None for a
    /// new case). When they equal the case's, only the state moves in the indexes.
    pub stored_clock: Option<ClockColumns>,
    /// The case as stored in its projection row: serialised by [`CaseWrite::new`], on
    /// the writer's side, so that the commit (SQLite's bottleneck) does not.
    pub snapshot: String,
}

/// The projection columns the deadline and warning indexes are built on; the clock that
/// drives warnings is the promise where there is one, else the statutory limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockColumns {
    /// The clock runs: not terminal, not suspended.
    pub running: bool,
    pub deadline: Option<Date>,
    pub yellow_from: Option<Date>,
    pub statutory_deadline: Option<Date>,
}

impl ClockColumns {
    pub fn of(case: &Case) -> ClockColumns {
        let clock = case.driving_clock();
        ClockColumns {
            running: !case.state.is_terminal()
                && case.state != CaseState::Suspended
                && clock.is_some(),
            deadline: clock.map(|c| c.deadline),
            yellow_from: clock.map(|c| c.yellow_from),
            statutory_deadline: case.statutory.as_ref().map(|c| c.deadline),
        }
    }
}

impl CaseWrite {
    pub fn new(
        case: Case,
        expected_version: u64,
        events: Vec<EventRecord>,
        requests: Vec<RequestWrite>,
        stored_clock: Option<ClockColumns>,
    ) -> Result<CaseWrite, crate::StoreError> {
        let snapshot =
            serde_json::to_string(&case).map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
        Ok(CaseWrite {
            case,
            expected_version,
            events,
            requests,
            stored_clock,
            snapshot,
        })
    }

    pub fn head_hash(&self) -> &str {
        self.events.last().map_or("", |e| e.hash.as_str())
    }
}

/// What one commit writes: case writes and stream writes, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub cases: Vec<CaseWrite>,
    pub streams: Vec<crate::streams::StreamWrite>,
    /// Running totals the batch adds to, merged by key and sorted (`counters.rs`).
    pub counters: Vec<crate::streams::CounterDelta>,
    /// The cases' events happened earlier and elsewhere (an import, a synthetic year):
    /// their applicants were told then, so nothing is queued in the outbox now.
    pub history: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && self.streams.is_empty() && self.counters.is_empty()
    }
}

impl From<Vec<CaseWrite>> for Batch {
    fn from(cases: Vec<CaseWrite>) -> Batch {
        Batch {
            cases,
            streams: Vec::new(),
            counters: Vec::new(),
            history: false,
        }
    }
}

/// A case as stored: its projection and the hash at the head of its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCase {
    pub case: Case,
    pub head_hash: String,
}

/// Filters for listing cases; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<CaseState>,
    pub warning: Option<WarningLevel>,
    /// A region code prefix: cases handled or accepted inside it.
    pub region_prefix: Option<String>,
    pub item: Option<String>,
    pub channel: Option<String>,
    pub deadline_before: Option<Date>,
    /// The day warnings are judged on (required for `warning`).
    pub today: Option<Date>,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CaseSummary {
    pub id: String,
    /// The human-readable number (`330211-20261130-00001`).
    pub number: Option<String>,
    pub item: String,
    pub state: String,
    pub version: u64,
    pub accepting_region: String,
    pub handling_region: String,
    pub channel: String,
    pub deadline: Option<Date>,
    pub yellow_from: Option<Date>,
    pub statutory_deadline: Option<Date>,
    pub running: bool,
}

impl CaseSummary {
    pub fn warning(&self, today: Date) -> WarningLevel {
        match (self.running, self.deadline, self.yellow_from) {
            (true, Some(deadline), _) if today > deadline => WarningLevel::Red,
            (true, Some(_), Some(yellow)) if today >= yellow => WarningLevel::Yellow,
            _ => WarningLevel::Green,
        }
    }
}

/// The result of checking the audit trail: what was checked, and every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct AuditReport {
    pub cases: u64,
    /// Aggregates beside the case (a hall's day), each checked like a case.
    pub streams: u64,
    pub events: u64,
    /// Files recorded by events, each checked against its hash.
    pub files: u64,
    /// Identity reads whose chain was checked, and those from before it was chained.
    pub identity_reads: u64,
    pub unchained_identity_reads: u64,
    /// The checkpoint the database was held against, if any (its sequence number).
    pub checkpoint: Option<u64>,
    /// Why no checkpoint was checked, when none was.
    pub checkpoint_note: Option<String>,
    pub findings: Vec<AuditFinding>,
    /// The first case (by id) or other subject that does not verify, and why.
    pub first_broken: Option<(String, String)>,
}

/// One problem: what it concerns (a case id, a table, a checkpoint) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditFinding {
    pub subject: String,
    pub problem: String,
}

impl AuditReport {
    pub(crate) fn fail(&mut self, subject: String, problem: String) {
        if self.first_broken.is_none() {
            self.first_broken = Some((subject.clone(), problem.clone()));
        }
        self.findings.push(AuditFinding { subject, problem });
    }

    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

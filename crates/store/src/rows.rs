//! The rows one commit writes, derived once from the case writes and bound by each
//! backend's own statements (multi-row on PostgreSQL, cached single-row on SQLite).

use yichuang_domain::case::{Applicant, Case, CaseState, message_for};

use crate::model::ClockColumns;

use crate::StoreError;
use crate::model::CaseWrite;

pub(crate) const INSERT_EVENTS: &str = "INSERT INTO case_events (case_id, seq, at, kind, actor, from_state, to_state, event, prev_hash, hash) ";
pub(crate) const INSERT_CASES: &str = "INSERT INTO cases (id, item, state, version, head_hash, accepting_region, handling_region, channel, \
     guide_version, guide_hash, running, deadline, yellow_from, statutory_deadline, submitted_on, updated_at, snapshot, \
     applicant, agent, number) ";
/// Reserves `$3` numbers for a region and day; the last of them comes back.
pub(crate) const RESERVE_NUMBERS: &str = "INSERT INTO case_numbers (region, day, last) VALUES ($1, $2, $3) \
     ON CONFLICT (region, day) DO UPDATE SET last = case_numbers.last + excluded.last RETURNING last";
pub(crate) const INSERT_MESSAGES: &str =
    "INSERT INTO messages (case_id, seq, recipient, kind, message, created_at, next_attempt_at) ";
pub(crate) const INSERT_GUIDES: &str = "INSERT INTO guides (hash, guide) ";
pub(crate) const INSERT_REQUESTS: &str =
    "INSERT INTO requests (request_id, case_id, response, caller, fingerprint) ";

pub(crate) fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The conflict a batch fails with when a key shows that another writer got there
/// first; the engine redoes the batch request by request, which names the real case.
pub(crate) fn batch_conflict(writes: &[CaseWrite]) -> StoreError {
    let first = writes.first();
    StoreError::Conflict {
        case_id: first.map_or_else(String::new, |w| w.case.id.clone()),
        expected: first.map_or(0, |w| w.expected_version),
    }
}

pub(crate) struct GuideRow<'a> {
    pub hash: &'a str,
    pub guide: String,
}

pub(crate) struct EventRow<'a> {
    pub case_id: &'a str,
    pub seq: i64,
    pub at: String,
    pub kind: &'static str,
    pub actor: &'a str,
    pub from_state: Option<&'static str>,
    pub to_state: Option<&'static str>,
    pub event: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// The columns a projection row derives from the case: the clock that drives warnings
/// is the promise where there is one, else the statutory limit.
pub(crate) struct ProjectionRow<'a> {
    pub id: &'a str,
    pub state: &'static str,
    pub version: i64,
    pub head_hash: &'a str,
    pub running: i32,
    pub deadline: Option<String>,
    pub yellow_from: Option<String>,
    pub statutory_deadline: Option<String>,
    pub snapshot: &'a str,
    /// The version the row must still have (updates only).
    pub expected: i64,
    /// The clock columns change (or may: the stored ones are not known), so every
    /// index on them moves; otherwise only the state does.
    pub clock_moves: bool,
}

/// What only a new case's row has.
pub(crate) struct NewCaseRow<'a> {
    pub projection: ProjectionRow<'a>,
    pub item: &'a str,
    pub accepting_region: String,
    pub handling_region: String,
    pub channel: String,
    pub guide_version: i64,
    pub guide_hash: &'a str,
    pub submitted_on: String,
    /// Whose case it is (identity number or credit code), and who acts for them.
    pub applicant: &'a str,
    pub agent: Option<&'a str>,
    /// The human-readable number, reserved inside the commit's transaction.
    pub number: String,
}

/// A message to the applicant about one event (the outbox).
pub(crate) struct MessageRow<'a> {
    pub case_id: &'a str,
    pub seq: i64,
    pub recipient: &'a str,
    pub kind: &'static str,
    pub message: String,
}

pub(crate) struct RequestRow<'a> {
    pub request_id: &'a str,
    pub case_id: &'a str,
    pub response: &'a str,
    pub caller: &'a str,
    pub fingerprint: &'a str,
}

/// Every row of one commit, in the order they are written.
pub(crate) struct CommitRows<'a> {
    pub guides: Vec<GuideRow<'a>>,
    pub events: Vec<EventRow<'a>>,
    pub new_cases: Vec<NewCaseRow<'a>>,
    pub updates: Vec<ProjectionRow<'a>>,
    pub requests: Vec<RequestRow<'a>>,
    pub messages: Vec<MessageRow<'a>>,
    /// When the projection rows were written.
    pub updated_at: String,
}

impl<'a> CommitRows<'a> {
    /// The rows of `writes`; a `history` queues no messages (its applicants were told
    /// when it happened).
    pub(crate) fn of(writes: &'a [CaseWrite], history: bool) -> Result<CommitRows<'a>, StoreError> {
        let mut rows = CommitRows {
            guides: Vec::new(),
            events: Vec::new(),
            new_cases: Vec::new(),
            updates: Vec::new(),
            requests: Vec::new(),
            messages: Vec::new(),
            updated_at: jiff::Timestamp::now().to_string(),
        };
        for write in writes {
            let case = &write.case;
            if write.expected_version == 0 {
                let hash = case.guide.content_hash.as_str();
                if !rows.guides.iter().any(|g| g.hash == hash) {
                    rows.guides.push(GuideRow {
                        hash,
                        guide: json(&case.guide.guide)?,
                    });
                }
                rows.new_cases.push(NewCaseRow {
                    projection: projection(write)?,
                    item: &case.item,
                    accepting_region: case.accepting_region.to_string(),
                    handling_region: case.handling_region.to_string(),
                    channel: channel_name(case),
                    guide_version: i64::from(case.guide.version),
                    guide_hash: &case.guide.content_hash,
                    submitted_on: case.submitted_on.to_string(),
                    applicant: case.applicant.id(),
                    agent: case.agent.as_ref().map(Applicant::id),
                    number: String::new(),
                });
            } else if !write.events.is_empty() {
                rows.updates.push(projection(write)?);
            }
            for record in &write.events {
                let e = &record.event;
                rows.events.push(EventRow {
                    case_id: &e.case_id,
                    seq: as_i64(e.seq),
                    at: e.at.to_string(),
                    kind: e.body.name(),
                    actor: &e.actor.id,
                    from_state: e.from_state.map(CaseState::name),
                    to_state: e.to_state.map(CaseState::name),
                    event: &record.json,
                    prev_hash: &record.prev_hash,
                    hash: &record.hash,
                });
                if let Some(message) = message_for(e).filter(|_| !history) {
                    rows.messages.push(MessageRow {
                        case_id: &e.case_id,
                        seq: as_i64(e.seq),
                        recipient: case.applicant.id(),
                        kind: message.kind.name(),
                        message: json(&message)?,
                    });
                }
            }
            for request in &write.requests {
                rows.requests.push(RequestRow {
                    request_id: &request.request_id,
                    case_id: &case.id,
                    response: &request.response,
                    caller: &request.caller,
                    fingerprint: &request.fingerprint,
                });
            }
        }
        Ok(rows)
    }
}

/// The new cases grouped by (handling region, day of submission), in that order, so
/// that concurrent commits take the counters' row locks in the same order.
pub(crate) fn number_groups(rows: &CommitRows<'_>) -> Vec<((String, String), Vec<usize>)> {
    let mut groups: std::collections::BTreeMap<(String, String), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (index, c) in rows.new_cases.iter().enumerate() {
        groups
            .entry((c.handling_region.clone(), c.submitted_on.clone()))
            .or_default()
            .push(index);
    }
    groups.into_iter().collect()
}

/// Gives the cases of one group the numbers up to `last`, in order.
pub(crate) fn assign_numbers(
    rows: &mut CommitRows<'_>,
    (region, day): &(String, String),
    members: &[usize],
    last: i64,
) {
    let first = last - members.len() as i64 + 1;
    for (offset, index) in members.iter().enumerate() {
        rows.new_cases[*index].number = case_number(region, day, first + offset as i64);
    }
}

/// `330211-20261130-00001`: region, day, sequence.
pub(crate) fn case_number(region: &str, day: &str, sequence: i64) -> String {
    format!("{region}-{}-{sequence:05}", day.replace('-', ""))
}

fn projection(write: &CaseWrite) -> Result<ProjectionRow<'_>, StoreError> {
    let case = &write.case;
    let clock = ClockColumns::of(case);
    Ok(ProjectionRow {
        id: &case.id,
        state: case.state.name(),
        version: as_i64(case.version),
        head_hash: write.head_hash(),
        running: i32::from(clock.running),
        deadline: clock.deadline.map(|d| d.to_string()),
        yellow_from: clock.yellow_from.map(|d| d.to_string()),
        statutory_deadline: clock.statutory_deadline.map(|d| d.to_string()),
        snapshot: &write.snapshot,
        expected: as_i64(write.expected_version),
        clock_moves: write.stored_clock.as_ref() != Some(&clock),
    })
}

fn channel_name(case: &Case) -> String {
    serde_json::to_value(case.channel)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

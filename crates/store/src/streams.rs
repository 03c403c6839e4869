//! Event streams for aggregates beside the case (a hall's day, and what follows the
//! same path): events hash-chained per stream, a projection row with its version, the
//! requests answered with them. Written in the same transaction as the batch's cases.

use serde::Serialize;

use crate::StoreError;
use crate::model::RequestWrite;

/// An event of a stream with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StreamEventRecord {
    pub seq: u64,
    /// RFC 3339.
    pub at: String,
    /// The event's name (`ticket_called`).
    pub kind: String,
    pub actor: String,
    /// The event as stored: hashed and written as this text.
    #[serde(skip)]
    pub json: String,
    pub prev_hash: String,
    pub hash: String,
}

impl StreamEventRecord {
    /// The next link after the event whose hash is `previous`.
    pub fn chain<E: Serialize>(
        seq: u64,
        at: String,
        kind: &str,
        actor: &str,
        event: &E,
        previous: &str,
    ) -> Result<StreamEventRecord, StoreError> {
        let json = serde_json::to_string(event).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(StreamEventRecord {
            seq,
            at,
            kind: kind.to_owned(),
            actor: actor.to_owned(),
            hash: yichuang_domain::case::chain_hash(previous, &json),
            json,
            prev_hash: previous.to_owned(),
        })
    }
}

/// New events of one stream and its projection after them.
#[derive(Debug, Clone)]
pub struct StreamWrite {
    pub id: String,
    /// What aggregate it is (`hall_day`).
    pub kind: String,
    /// The version before these events (0 for a new stream).
    pub expected_version: u64,
    pub snapshot: String,
    pub events: Vec<StreamEventRecord>,
    pub requests: Vec<RequestWrite>,
    /// Unsent messages these events take back (a cancelled booking's reminder), by key;
    /// removed before `messages` are written.
    pub withdrawn: Vec<String>,
    /// Messages these events schedule for later (a booking's reminder).
    pub messages: Vec<ScheduledMessage>,
    /// Running totals these events add to (`counters.rs`).
    pub counters: Vec<CounterDelta>,
    /// Follow-ups these events opened or moved on (`follow_ups.rs`).
    pub follow_ups: Vec<crate::FollowUpRow>,
    /// The complaint these events moved on, as listed (`complaints.rs`).
    pub complaints: Vec<crate::ComplaintRow>,
}

/// An amount to add to a running total, created at zero when new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CounterDelta {
    pub key: String,
    pub name: String,
    pub delta: i64,
}

/// A message for the outbox that is due at a set time rather than at once, keyed so
/// that a later event can take it back while it is unsent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledMessage {
    /// Unique among messages (the outbox's `case_id` column, with `seq` 0).
    pub key: String,
    pub recipient: String,
    pub kind: String,
    /// The message as JSON.
    pub message: String,
    /// RFC 3339: not sent before.
    pub due: String,
}

const ADD_TO_COUNTER: &str = "INSERT INTO counters (key, name, value) VALUES ($1, $2, $3) \
     ON CONFLICT (key, name) DO UPDATE SET value = counters.value + excluded.value";
const WITHDRAW_MESSAGE: &str = "DELETE FROM messages WHERE case_id = $1 AND sent_at IS NULL";
const SCHEDULE_MESSAGE: &str = "INSERT INTO messages \
     (case_id, seq, recipient, kind, message, created_at, next_attempt_at) \
     VALUES ($1, 0, $2, $3, $4, $5, $6) ON CONFLICT (case_id, seq) DO NOTHING";

impl StreamWrite {
    pub fn version(&self) -> u64 {
        self.events.last().map_or(self.expected_version, |e| e.seq)
    }

    pub fn head_hash(&self) -> &str {
        self.events.last().map_or("", |e| e.hash.as_str())
    }
}

/// A stream's projection as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStream {
    pub id: String,
    pub kind: String,
    pub version: u64,
    pub head_hash: String,
    pub snapshot: String,
}

pub(crate) const INSERT_STREAM: &str = "INSERT INTO streams (id, kind, version, head_hash, updated_at, snapshot) \
     VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const UPDATE_STREAM: &str = "UPDATE streams SET version = $2, head_hash = $3, updated_at = $4, snapshot = $5 \
     WHERE id = $1 AND version = $6";
pub(crate) const INSERT_STREAM_EVENT: &str = "INSERT INTO stream_events (stream_id, seq, at, kind, actor, event, prev_hash, hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
pub(crate) const INSERT_STREAM_REQUEST: &str = "INSERT INTO requests (request_id, case_id, response, caller, fingerprint) \
     VALUES ($1, $2, $3, $4, $5)";
const SELECT_STREAM: &str =
    "SELECT id, kind, version, head_hash, snapshot FROM streams WHERE id = $1";
const SELECT_STREAM_EVENTS: &str = "SELECT seq, at, kind, actor, event, prev_hash, hash FROM stream_events \
     WHERE stream_id = $1 ORDER BY seq";
const SELECT_STREAM_IDS: &str = "SELECT id FROM streams WHERE id > $1 ORDER BY id LIMIT 1000";
const STREAM_ORPHANS: &str = "SELECT MIN(stream_id) FROM stream_events e \
     WHERE NOT EXISTS (SELECT 1 FROM streams s WHERE s.id = e.stream_id)";

/// The conflict a batch fails with when another writer moved a stream first.
pub(crate) fn stream_conflict(write: &StreamWrite) -> StoreError {
    StoreError::Conflict {
        case_id: write.id.clone(),
        expected: write.expected_version,
    }
}

pub(crate) fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// SQLite: the stream rows of a batch, on the commit thread's transaction.
pub(crate) fn commit_sqlite(
    tx: &rusqlite::Transaction<'_>,
    streams: &[StreamWrite],
    updated_at: &str,
) -> Result<(), StoreError> {
    use rusqlite::params;
    fn unique(write: &StreamWrite) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |err| {
            if err.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                stream_conflict(write)
            } else {
                StoreError::Sqlite(err)
            }
        }
    }
    let sqlite = |sql: &str| sql.replace('$', "?");
    for w in streams {
        for e in &w.events {
            tx.prepare_cached(&sqlite(INSERT_STREAM_EVENT))?
                .execute(params![
                    w.id,
                    as_i64(e.seq),
                    e.at,
                    e.kind,
                    e.actor,
                    e.json,
                    e.prev_hash,
                    e.hash
                ])
                .map_err(unique(w))?;
        }
        if w.expected_version == 0 {
            tx.prepare_cached(&sqlite(INSERT_STREAM))?
                .execute(params![
                    w.id,
                    w.kind,
                    as_i64(w.version()),
                    w.head_hash(),
                    updated_at,
                    w.snapshot
                ])
                .map_err(unique(w))?;
        } else {
            let changed = tx.prepare_cached(&sqlite(UPDATE_STREAM))?.execute(params![
                w.id,
                as_i64(w.version()),
                w.head_hash(),
                updated_at,
                w.snapshot,
                as_i64(w.expected_version)
            ])?;
            if changed != 1 {
                return Err(stream_conflict(w));
            }
        }
        for r in &w.requests {
            tx.prepare_cached(&sqlite(INSERT_STREAM_REQUEST))?
                .execute(params![
                    r.request_id,
                    w.id,
                    r.response,
                    r.caller,
                    r.fingerprint
                ])
                .map_err(unique(w))?;
        }
        for key in &w.withdrawn {
            tx.prepare_cached(&sqlite(WITHDRAW_MESSAGE))?
                .execute(params![key])?;
        }
        for c in &w.counters {
            tx.prepare_cached(&sqlite(ADD_TO_COUNTER))?
                .execute(params![c.key, c.name, c.delta])?;
        }
        for f in &w.follow_ups {
            tx.prepare_cached(&sqlite(crate::follow_ups::UPSERT_FOLLOW_UP))?
                .execute(params![
                    f.file,
                    f.stage,
                    f.region,
                    f.level,
                    f.rated_at,
                    f.contact_by,
                    f.close_by,
                    i64::from(f.contacted),
                    i64::from(f.closed),
                    f.appeal
                ])?;
        }
        for c in &w.complaints {
            tx.prepare_cached(&sqlite(crate::complaints::UPSERT_COMPLAINT))?
                .execute(params![
                    c.number,
                    c.region,
                    c.party,
                    c.target,
                    c.channel,
                    c.state,
                    i64::from(c.round),
                    c.filed_at,
                    c.reply_by,
                    c.verdict
                ])?;
        }
        for m in &w.messages {
            tx.prepare_cached(&sqlite(SCHEDULE_MESSAGE))?
                .execute(params![
                    m.key,
                    m.recipient,
                    m.kind,
                    m.message,
                    updated_at,
                    m.due
                ])?;
        }
    }
    Ok(())
}

/// PostgreSQL: the stream rows of a batch, in the batch's transaction. A hall's day
/// gets a few events per batch, so these are single-row statements.
pub(crate) async fn commit_postgres(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    streams: &[StreamWrite],
    updated_at: &str,
) -> Result<(), StoreError> {
    for w in streams {
        let unique = |err: sqlx::Error| -> StoreError {
            if err
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                stream_conflict(w)
            } else {
                err.into()
            }
        };
        for e in &w.events {
            sqlx::query(INSERT_STREAM_EVENT)
                .bind(&w.id)
                .bind(as_i64(e.seq))
                .bind(&e.at)
                .bind(&e.kind)
                .bind(&e.actor)
                .bind(&e.json)
                .bind(&e.prev_hash)
                .bind(&e.hash)
                .execute(&mut **tx)
                .await
                .map_err(unique)?;
        }
        if w.expected_version == 0 {
            sqlx::query(INSERT_STREAM)
                .bind(&w.id)
                .bind(&w.kind)
                .bind(as_i64(w.version()))
                .bind(w.head_hash())
                .bind(updated_at)
                .bind(&w.snapshot)
                .execute(&mut **tx)
                .await
                .map_err(unique)?;
        } else {
            let done = sqlx::query(UPDATE_STREAM)
                .bind(&w.id)
                .bind(as_i64(w.version()))
                .bind(w.head_hash())
                .bind(updated_at)
                .bind(&w.snapshot)
                .bind(as_i64(w.expected_version))
                .execute(&mut **tx)
                .await?;
            if done.rows_affected() != 1 {
                return Err(stream_conflict(w));
            }
        }
        for r in &w.requests {
            sqlx::query(INSERT_STREAM_REQUEST)
                .bind(&r.request_id)
                .bind(&w.id)
                .bind(&r.response)
                .bind(&r.caller)
                .bind(&r.fingerprint)
                .execute(&mut **tx)
                .await
                .map_err(unique)?;
        }
        for key in &w.withdrawn {
            sqlx::query(WITHDRAW_MESSAGE)
                .bind(key)
                .execute(&mut **tx)
                .await?;
        }
        for c in &w.counters {
            sqlx::query(ADD_TO_COUNTER)
                .bind(&c.key)
                .bind(&c.name)
                .bind(c.delta)
                .execute(&mut **tx)
                .await?;
        }
        for f in &w.follow_ups {
            sqlx::query(crate::follow_ups::UPSERT_FOLLOW_UP)
                .bind(&f.file)
                .bind(&f.stage)
                .bind(&f.region)
                .bind(&f.level)
                .bind(&f.rated_at)
                .bind(&f.contact_by)
                .bind(&f.close_by)
                .bind(i64::from(f.contacted))
                .bind(i64::from(f.closed))
                .bind(&f.appeal)
                .execute(&mut **tx)
                .await?;
        }
        for c in &w.complaints {
            sqlx::query(crate::complaints::UPSERT_COMPLAINT)
                .bind(&c.number)
                .bind(&c.region)
                .bind(&c.party)
                .bind(&c.target)
                .bind(&c.channel)
                .bind(&c.state)
                .bind(i64::from(c.round))
                .bind(&c.filed_at)
                .bind(&c.reply_by)
                .bind(&c.verdict)
                .execute(&mut **tx)
                .await?;
        }
        for m in &w.messages {
            sqlx::query(SCHEDULE_MESSAGE)
                .bind(&m.key)
                .bind(&m.recipient)
                .bind(&m.kind)
                .bind(&m.message)
                .bind(updated_at)
                .bind(&m.due)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// SQLite: the batch's running totals, in the order given (sorted by the engine).
pub(crate) fn add_counters_sqlite(
    tx: &rusqlite::Transaction<'_>,
    counters: &[CounterDelta],
) -> Result<(), StoreError> {
    let mut add = tx.prepare_cached(&ADD_TO_COUNTER.replace('$', "?"))?;
    for c in counters {
        add.execute(rusqlite::params![c.key, c.name, c.delta])?;
    }
    Ok(())
}

/// PostgreSQL: the batch's running totals, in the order given (sorted by the engine,
/// so two transactions never wait on each other's rows in opposite orders).
pub(crate) async fn add_counters_postgres(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    counters: &[CounterDelta],
) -> Result<(), StoreError> {
    for c in counters {
        sqlx::query(ADD_TO_COUNTER)
            .bind(&c.key)
            .bind(&c.name)
            .bind(c.delta)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A stream's chain checked link by link; the problem, if any.
fn check_stream_chain(
    version: u64,
    head: &str,
    events: &[StreamEventRecord],
) -> Result<(), String> {
    let mut previous = String::new();
    for (index, e) in events.iter().enumerate() {
        let seq = index as u64 + 1;
        if e.seq != seq {
            return Err(format!(
                "event {seq} is missing (found {} in its place)",
                e.seq
            ));
        }
        if e.prev_hash != previous {
            return Err(format!(
                "event {seq} does not follow event {} (chain broken)",
                seq - 1
            ));
        }
        if yichuang_domain::case::chain_hash(&previous, &e.json) != e.hash {
            return Err(format!(
                "event {seq} was edited after it was written (hash mismatch)"
            ));
        }
        previous = e.hash.clone();
    }
    if events.len() as u64 != version {
        return Err(format!(
            "the stream is at version {version} but {} events are stored (events were removed)",
            events.len()
        ));
    }
    if previous != head {
        return Err("the last event's hash differs from the stream's head hash".to_owned());
    }
    Ok(())
}

/// The projection a stream's events replay to, for the kinds the store knows; None
/// for a kind it cannot replay (checked by chain only).
fn replay(
    kind: &str,
    id: &str,
    events: &[StreamEventRecord],
) -> Option<Result<serde_json::Value, String>> {
    use yichuang_domain::complaint::{Complaint, ComplaintEvent};
    use yichuang_domain::hall::{AppointmentDay, AppointmentEvent, HallDay, HallEvent};
    use yichuang_domain::proactive::{GrantList, ListEvent};
    use yichuang_domain::rating::{RatingEvent, RatingFile};
    match kind {
        "hall_day" => Some(replay_as(id, events, |e: &[HallEvent]| {
            e.first().map(|f| HallDay::replay(&f.hall, f.day, e))
        })),
        "appointment_day" => Some(replay_as(id, events, |e: &[AppointmentEvent]| {
            e.first().map(|f| AppointmentDay::replay(&f.hall, f.day, e))
        })),
        "rating_file" => Some(replay_as(id, events, |e: &[RatingEvent]| {
            e.first().map(|f| RatingFile::replay(&f.file, e))
        })),
        "complaint" => Some(replay_as(id, events, |e: &[ComplaintEvent]| {
            let number = id.strip_prefix("complaints/")?;
            Some(Complaint::replay(number, e))
        })),
        "grant_list" => Some(replay_as(id, events, |e: &[ListEvent]| {
            let (policy, year) = id.strip_prefix("proactive/")?.rsplit_once('/')?;
            Some(GrantList::replay(policy, year.parse().ok()?, e))
        })),
        _ => None,
    }
}

/// Parses a stream's events as `E` and replays them into its projection (as JSON).
fn replay_as<E: serde::de::DeserializeOwned, S: Serialize>(
    id: &str,
    events: &[StreamEventRecord],
    replay: impl Fn(&[E]) -> Option<S>,
) -> Result<serde_json::Value, String> {
    let parsed: Vec<E> = events
        .iter()
        .map(|e| {
            serde_json::from_str(&e.json)
                .map_err(|err| format!("event {} is unreadable: {err}", e.seq))
        })
        .collect::<Result<_, _>>()?;
    let state = replay(&parsed).ok_or_else(|| format!("stream {id} has no events"))?;
    serde_json::to_value(state).map_err(|e| e.to_string())
}

macro_rules! stream_reads {
    ($store:ty) => {
        impl $store {
            pub async fn load_stream(&self, id: &str) -> Result<Option<StoredStream>, StoreError> {
                use sqlx::Row;
                let Some(row) = sqlx::query(SELECT_STREAM).bind(id).fetch_optional(&self.pool).await? else {
                    return Ok(None);
                };
                Ok(Some(StoredStream {
                    id: row.try_get("id")?,
                    kind: row.try_get("kind")?,
                    version: u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or(0),
                    head_hash: row.try_get("head_hash")?,
                    snapshot: row.try_get("snapshot")?,
                }))
            }

            /// The ids of every stream of one kind, in order.
            pub async fn stream_ids(&self, kind: &str) -> Result<Vec<String>, StoreError> {
                use sqlx::Row;
                sqlx::query("SELECT id FROM streams WHERE kind = $1 ORDER BY id")
                    .bind(kind)
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|row| row.try_get("id"))
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(StoreError::from)
            }

            /// Many streams' projections in one query (those that exist).
            pub async fn load_streams(&self, ids: &[String]) -> Result<Vec<StoredStream>, StoreError> {
                use sqlx::Row;
                if ids.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = sqlx::QueryBuilder::new("SELECT id, kind, version, head_hash, snapshot FROM streams WHERE id IN (");
                let mut list = q.separated(", ");
                for id in ids {
                    list.push_bind(id);
                }
                q.push(")");
                q.build()
                    .fetch_all(&self.pool)
                    .await?
                    .iter()
                    .map(|row| {
                        Ok(StoredStream {
                            id: row.try_get("id")?,
                            kind: row.try_get("kind")?,
                            version: u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or(0),
                            head_hash: row.try_get("head_hash")?,
                            snapshot: row.try_get("snapshot")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(StoreError::from)
            }

            pub async fn stream_events(&self, id: &str) -> Result<Vec<StreamEventRecord>, StoreError> {
                use sqlx::Row;
                sqlx::query(SELECT_STREAM_EVENTS)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(|row| {
                        Ok(StreamEventRecord {
                            seq: u64::try_from(row.try_get::<i64, _>("seq")?).unwrap_or(0),
                            at: row.try_get("at")?,
                            kind: row.try_get("kind")?,
                            actor: row.try_get("actor")?,
                            json: row.try_get("event")?,
                            prev_hash: row.try_get("prev_hash")?,
                            hash: row.try_get("hash")?,
                        })
                    })
                    .collect::<Result<_, sqlx::Error>>()
                    .map_err(StoreError::from)
            }

            /// Every stream: its chain and, where the kind is known, its projection
            /// against the replay of its events; then events without a stream.
            pub(crate) async fn verify_streams(&self, report: &mut crate::model::AuditReport) -> Result<(), StoreError> {
                use sqlx::Row;
                let mut after = String::new();
                loop {
                    let ids: Vec<String> = sqlx::query(SELECT_STREAM_IDS)
                        .bind(&after)
                        .fetch_all(&self.pool)
                        .await?
                        .into_iter()
                        .map(|r| r.try_get("id"))
                        .collect::<Result<_, sqlx::Error>>()?;
                    let Some(last) = ids.last() else { break };
                    after = last.clone();
                    for id in ids {
                        let Some(stream) = self.load_stream(&id).await? else { continue };
                        let events = self.stream_events(&id).await?;
                        report.streams += 1;
                        report.events += events.len() as u64;
                        let problem = match check_stream_chain(stream.version, &stream.head_hash, &events) {
                            Err(problem) => Some(problem),
                            Ok(()) => match replay(&stream.kind, &id, &events) {
                                None => None,
                                Some(Err(problem)) => Some(problem),
                                Some(Ok(replayed)) => {
                                    let stored: Result<serde_json::Value, _> = serde_json::from_str(&stream.snapshot);
                                    match stored {
                                        Ok(stored) if stored == replayed => None,
                                        Ok(_) => Some("the stored projection differs from the replay of its events".to_owned()),
                                        Err(e) => Some(format!("the projection is unreadable: {e}")),
                                    }
                                }
                            },
                        };
                        if let Some(problem) = problem {
                            report.fail(id, problem);
                        }
                    }
                }
                let orphan: Option<String> = sqlx::query(STREAM_ORPHANS).fetch_one(&self.pool).await?.try_get(0)?;
                if let Some(id) = orphan {
                    report.fail(id, "events exist for a stream whose record was deleted".to_owned());
                }
                Ok(())
            }
        }
    };
}

stream_reads!(crate::backend::SqliteStore);
stream_reads!(crate::backend::PostgresStore);

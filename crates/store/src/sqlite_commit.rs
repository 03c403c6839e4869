//! SQLite's commit: a thread of its own with a connection driven directly (rusqlite)
//! and cached single-row statements. One hand-off per batch instead of one per
//! statement to the async driver's worker (measured: the hand-offs cost more than the
//! writes), and the engine prepares the next batch while this one is being written.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, params};
use tokio::sync::oneshot;

use crate::StoreError;
use crate::model::Batch;
use crate::rows::{
    CommitRows, INSERT_CASES, INSERT_EVENTS, INSERT_GUIDES, INSERT_MESSAGES, INSERT_REQUESTS,
    RESERVE_NUMBERS, assign_numbers, batch_conflict, number_groups,
};

const UPDATE_CASE: &str = "UPDATE cases SET state = ?2, version = ?3, head_hash = ?4, running = ?5, deadline = ?6, \
     yellow_from = ?7, statutory_deadline = ?8, updated_at = ?9, snapshot = ?10 WHERE id = ?1 AND version = ?11";
/// SQLite moves an index entry for every indexed column an UPDATE sets, changed or
/// not: a step that leaves the clock alone (review, decide) sets only what it changes.
const UPDATE_CASE_STATE: &str = "UPDATE cases SET state = ?2, version = ?3, head_hash = ?4, \
     updated_at = ?5, snapshot = ?6 WHERE id = ?1 AND version = ?7";

/// A commit waiting for its thread: the writes and where to send the outcome.
type Queued = (Batch, oneshot::Sender<Result<(), StoreError>>);

/// The commit thread's queue, started on first use (after the migrations ran on the
/// pool). The thread owns its connection and ends when the store is dropped.
#[derive(Debug, Clone)]
pub(crate) struct WriteConnection {
    path: PathBuf,
    queue: Arc<Mutex<Option<mpsc::Sender<Queued>>>>,
}

impl WriteConnection {
    pub(crate) fn new(path: &Path) -> WriteConnection {
        WriteConnection {
            path: path.to_owned(),
            queue: Arc::new(Mutex::new(None)),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Hands the writes to the commit thread; the receiver gets the outcome once the
    /// transaction is durable (WAL, synchronous=FULL) or has failed.
    pub(crate) fn begin(&self, writes: Batch) -> oneshot::Receiver<Result<(), StoreError>> {
        let (reply, outcome) = oneshot::channel();
        let Ok(mut queue) = self.queue.lock() else {
            let _ = reply.send(Err(StoreError::WriterStopped));
            return outcome;
        };
        let mut batch = (writes, reply);
        // A thread that stopped (it cannot, short of a panic) is replaced once.
        for _ in 0..2 {
            let sender = match queue.as_ref() {
                Some(sender) => sender.clone(),
                None => match self.start() {
                    Ok(sender) => queue.insert(sender).clone(),
                    Err(e) => {
                        let _ = batch.1.send(Err(e));
                        return outcome;
                    }
                },
            };
            match sender.send(batch) {
                Ok(()) => return outcome,
                Err(mpsc::SendError(returned)) => {
                    *queue = None;
                    batch = returned;
                }
            }
        }
        let _ = batch.1.send(Err(StoreError::WriterStopped));
        outcome
    }

    fn start(&self) -> Result<mpsc::Sender<Queued>, StoreError> {
        let mut connection = open(&self.path)?;
        let (sender, receiver) = mpsc::channel::<Queued>();
        std::thread::Builder::new()
            .name("yichuang-commit".to_owned())
            .spawn(move || {
                for (writes, reply) in receiver {
                    let _ = reply.send(commit(&mut connection, &writes));
                }
            })
            .map_err(|_| StoreError::WriterStopped)?;
        Ok(sender)
    }
}

/// Writes every row in one transaction: durable when it returns.
fn commit(connection: &mut Connection, batch: &Batch) -> Result<(), StoreError> {
    let writes = &batch.cases;
    let mut rows = CommitRows::of(writes, batch.history)?;
    let conflict = || batch_conflict(writes);
    // A duplicate key means another writer got there first (a case event or a
    // request id): the caller redoes the batch request by request.
    let conflict_of = |err: rusqlite::Error| -> StoreError {
        if err.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) {
            conflict()
        } else {
            StoreError::Sqlite(err)
        }
    };
    let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut insert = tx.prepare_cached(&format!(
            "{INSERT_GUIDES} VALUES (?1, ?2) ON CONFLICT (hash) DO NOTHING"
        ))?;
        for g in &rows.guides {
            insert.execute(params![g.hash, g.guide])?;
        }
        let mut insert = tx.prepare_cached(&format!(
            "{INSERT_MESSAGES} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
        ))?;
        for m in &rows.messages {
            insert
                .execute(params![
                    m.case_id,
                    m.seq,
                    m.recipient,
                    m.kind,
                    m.message,
                    rows.updated_at
                ])
                .map_err(conflict_of)?;
        }
        let mut insert = tx.prepare_cached(&format!(
            "{INSERT_EVENTS} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        ))?;
        for e in &rows.events {
            insert
                .execute(params![
                    e.case_id,
                    e.seq,
                    e.at,
                    e.kind,
                    e.actor,
                    e.from_state,
                    e.to_state,
                    e.event,
                    e.prev_hash,
                    e.hash
                ])
                .map_err(conflict_of)?;
        }
        for (key, members) in number_groups(&rows) {
            let last: i64 = tx
                .prepare_cached(RESERVE_NUMBERS)?
                .query_row(params![key.0, key.1, members.len() as i64], |row| {
                    row.get(0)
                })?;
            assign_numbers(&mut rows, &key, &members, last);
        }
        let mut insert = tx.prepare_cached(&format!(
                "{INSERT_CASES} VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
            ))?;
        for c in &rows.new_cases {
            let p = &c.projection;
            insert
                .execute(params![
                    p.id,
                    c.item,
                    p.state,
                    p.version,
                    p.head_hash,
                    c.accepting_region,
                    c.handling_region,
                    c.channel,
                    c.guide_version,
                    c.guide_hash,
                    p.running,
                    p.deadline,
                    p.yellow_from,
                    p.statutory_deadline,
                    c.submitted_on,
                    rows.updated_at,
                    p.snapshot,
                    c.applicant,
                    c.agent,
                    c.number
                ])
                .map_err(conflict_of)?;
        }
        for p in &rows.updates {
            let changed = if p.clock_moves {
                tx.prepare_cached(UPDATE_CASE)?.execute(params![
                    p.id,
                    p.state,
                    p.version,
                    p.head_hash,
                    p.running,
                    p.deadline,
                    p.yellow_from,
                    p.statutory_deadline,
                    rows.updated_at,
                    p.snapshot,
                    p.expected
                ])?
            } else {
                tx.prepare_cached(UPDATE_CASE_STATE)?.execute(params![
                    p.id,
                    p.state,
                    p.version,
                    p.head_hash,
                    rows.updated_at,
                    p.snapshot,
                    p.expected
                ])?
            };
            // The version check: no row changed means another writer moved the case.
            if changed != 1 {
                return Err(StoreError::Conflict {
                    case_id: p.id.to_owned(),
                    expected: u64::try_from(p.expected).unwrap_or(0),
                });
            }
        }
        let mut insert =
            tx.prepare_cached(&format!("{INSERT_REQUESTS} VALUES (?1, ?2, ?3, ?4, ?5)"))?;
        for r in &rows.requests {
            insert
                .execute(params![
                    r.request_id,
                    r.case_id,
                    r.response,
                    r.caller,
                    r.fingerprint
                ])
                .map_err(conflict_of)?;
        }
        crate::streams::commit_sqlite(&tx, &batch.streams, &rows.updated_at)?;
        crate::streams::add_counters_sqlite(&tx, &batch.counters)?;
    }
    tx.commit()?;
    Ok(())
}

/// The same settings as the pool's connections: WAL (already set on the file by the
/// pool), synchronous=FULL so that a returned commit survives power loss, a busy
/// timeout for other processes' writes, foreign keys on.
pub(crate) fn open(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    connection.pragma_update(None, "journal_mode", "WAL")?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    // The page cache stays at SQLite's default (2 MB): the pages a commit touches are
    // the right edges of time-ordered keys. Measured: a 64 MB cache cost about a
    // quarter more CPU per transition on this thread (the pager scans its cache on
    // every commit, in pcache1TruncateUnsafe).
    connection.set_prepared_statement_cache_capacity(16);
    Ok(connection)
}

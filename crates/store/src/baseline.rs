//! Raw baselines for `yichuang bench cases`: the same rows into the same tables with the
//! same durability, written with plain statements and no rules, so the engine's
//! overhead shows as a ratio.

use std::time::{Duration, Instant};

use crate::{Store, StoreError};

// The baseline writes the rows a transition writes into the real tables, so the same
// indexes are maintained: the case's projection (state and clock columns change, so
// every index on them moves), the appended event and the remembered request. Its cases
// have ids under their own prefix and are deleted afterwards, so a run against a real
// database leaves the other cases alone.
const SEED: &str = "INSERT INTO cases (id, item, state, version, head_hash, accepting_region, handling_region, channel, \
     guide_version, guide_hash, running, deadline, yellow_from, statutory_deadline, submitted_on, updated_at, snapshot) \
     VALUES ($1, 'baseline', 'submitted', 0, '', '330211', '330211', 'window', 1, '', 1, '2026-03-02', '2026-02-26', '2026-03-02', '2026-02-10', '', $2)";
const STEP_UPDATE: &str = "UPDATE cases SET state = $3, version = $2, head_hash = 'h', running = 1, deadline = $4, \
     yellow_from = $4, statutory_deadline = $4, updated_at = 't', snapshot = $5 WHERE id = $1 AND version = $6";
const STEP_EVENT: &str = "INSERT INTO case_events (case_id, seq, at, kind, actor, from_state, to_state, event, prev_hash, hash) \
     VALUES ($1, $2, '2026-02-10T04:00:00Z', 'baseline', 'bench', 'submitted', $3, $4, 'p', 'h')";
/// A step that leaves the clock alone sets only what changes, as the engine does.
const STEP_STATE_UPDATE: &str = "UPDATE cases SET state = $3, version = $2, head_hash = 'h', updated_at = 't', \
     snapshot = $4 WHERE id = $1 AND version = $5";
/// The caller and fingerprint are as long as the engine's (a staff id, 32 hex digits).
const STEP_REQUEST: &str = "INSERT INTO requests (request_id, case_id, response, caller, fingerprint) \
     VALUES ($1, $2, $3, 'bench', '0123456789abcdef0123456789abcdef')";
const CLEAN_UP: [&str; 3] = [
    "DELETE FROM requests WHERE case_id LIKE $1",
    "DELETE FROM case_events WHERE case_id LIKE $1",
    "DELETE FROM cases WHERE id LIKE $1",
];
/// A state name per step, and the new deadline where the step moves the clock, so that
/// the indexed columns move as a real lifecycle's do (submit and accept set the clock,
/// review and decide leave it, completion stops it).
const STEP_STATES: [(&str, Option<&str>); 5] = [
    ("submitted", Some("2026-03-03")),
    ("accepted", Some("2026-03-04")),
    ("in_review", None),
    ("decided", None),
    ("completed", Some("2026-03-04")),
];

/// What one step binds, in the statements' parameter order.
struct Step<'a> {
    case_id: &'a str,
    seq: i64,
    state: &'static str,
    /// None: the clock columns stay as they are.
    deadline: Option<&'static str>,
    request_id: String,
}

impl<'a> Step<'a> {
    /// `order` is the step's place in the run: request ids ascend with it, as the
    /// time-ordered ids the engine's clients send do.
    fn new(ids: &'a [String], case: usize, step: usize, order: usize) -> Step<'a> {
        let (state, deadline) = STEP_STATES[(step - 1) % STEP_STATES.len()];
        Step {
            case_id: &ids[case],
            seq: step as i64,
            state,
            deadline,
            request_id: format!("{}-{order:012}", ids[0]),
        }
    }
}

/// One transition's worth of rows: an update of the case and an appended event, with
/// payloads of the given sizes.
#[derive(Debug, Clone, Copy)]
pub struct BaselineShape {
    pub cases: usize,
    pub steps_per_case: usize,
    pub snapshot_bytes: usize,
    pub event_bytes: usize,
    pub response_bytes: usize,
    /// Transitions per transaction (1 = one commit per step).
    pub per_commit: usize,
    /// Concurrent writers (PostgreSQL); SQLite has one writer.
    pub concurrency: usize,
}

/// PostgreSQL: `concurrency` clients, each committing its share of the steps.
async fn postgres_baseline(
    pool: &sqlx::PgPool,
    shape: BaselineShape,
    prefix: &str,
) -> Result<Duration, StoreError> {
    let payload = Payload::of(&shape);
    let ids = shape.ids(prefix);
    for id in &ids {
        sqlx::query(SEED)
            .bind(id)
            .bind(&payload.snapshot)
            .execute(pool)
            .await?;
    }
    let chunks = shape.chunks();
    let start = Instant::now();
    let workers = shape.concurrency.max(1);
    let mut handles = Vec::new();
    for w in 0..workers {
        let mine: Vec<Vec<(usize, usize, usize)>> =
            chunks.iter().skip(w).step_by(workers).cloned().collect();
        let pool = pool.clone();
        let ids = ids.clone();
        let payload = payload.clone();
        handles.push(tokio::spawn(async move {
            for chunk in mine {
                let mut tx = pool.begin().await?;
                for (c, s, order) in chunk {
                    let step = Step::new(&ids, c, s, order);
                    let update = match step.deadline {
                        Some(deadline) => sqlx::query(STEP_UPDATE)
                            .bind(step.case_id)
                            .bind(step.seq)
                            .bind(step.state)
                            .bind(deadline)
                            .bind(&payload.snapshot)
                            .bind(step.seq - 1),
                        None => sqlx::query(STEP_STATE_UPDATE)
                            .bind(step.case_id)
                            .bind(step.seq)
                            .bind(step.state)
                            .bind(&payload.snapshot)
                            .bind(step.seq - 1),
                    };
                    update.execute(&mut *tx).await?;
                    sqlx::query(STEP_EVENT)
                        .bind(step.case_id)
                        .bind(step.seq)
                        .bind(step.state)
                        .bind(&payload.event)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(STEP_REQUEST)
                        .bind(&step.request_id)
                        .bind(step.case_id)
                        .bind(&payload.response)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
            Ok::<(), sqlx::Error>(())
        }));
    }
    for handle in handles {
        handle
            .await
            .map_err(|e| StoreError::Corrupt(e.to_string()))??;
    }
    let elapsed = start.elapsed();
    for statement in CLEAN_UP {
        sqlx::query(statement)
            .bind(format!("{prefix}-%"))
            .execute(pool)
            .await?;
    }
    Ok(elapsed)
}

/// SQLite: one writer on a directly driven connection with cached statements, the
/// fastest way the same rows can be written with the same durability.
fn sqlite_baseline(
    path: &std::path::Path,
    shape: BaselineShape,
    prefix: &str,
) -> Result<Duration, StoreError> {
    // `$n` is a named parameter to SQLite, numbered by first appearance; `?n` is by
    // position, as the statements mean.
    let sqlite = |statement: &str| statement.replace('$', "?");
    let mut connection = crate::sqlite_commit::open(path)?;
    let payload = Payload::of(&shape);
    let ids = shape.ids(prefix);
    {
        let tx = connection.transaction()?;
        for id in &ids {
            tx.prepare_cached(&sqlite(SEED))?
                .execute(rusqlite::params![id, payload.snapshot])?;
        }
        tx.commit()?;
    }
    let chunks = shape.chunks();
    let (update, state_update, event, request) = (
        sqlite(STEP_UPDATE),
        sqlite(STEP_STATE_UPDATE),
        sqlite(STEP_EVENT),
        sqlite(STEP_REQUEST),
    );
    let start = Instant::now();
    for chunk in chunks {
        let tx = connection.transaction()?;
        for (c, s, order) in chunk {
            let step = Step::new(&ids, c, s, order);
            match step.deadline {
                Some(deadline) => tx.prepare_cached(&update)?.execute(rusqlite::params![
                    step.case_id,
                    step.seq,
                    step.state,
                    deadline,
                    payload.snapshot,
                    step.seq - 1
                ])?,
                None => tx
                    .prepare_cached(&state_update)?
                    .execute(rusqlite::params![
                        step.case_id,
                        step.seq,
                        step.state,
                        payload.snapshot,
                        step.seq - 1
                    ])?,
            };
            tx.prepare_cached(&event)?.execute(rusqlite::params![
                step.case_id,
                step.seq,
                step.state,
                payload.event
            ])?;
            tx.prepare_cached(&request)?.execute(rusqlite::params![
                step.request_id,
                step.case_id,
                payload.response
            ])?;
        }
        tx.commit()?;
    }
    let elapsed = start.elapsed();
    for statement in CLEAN_UP {
        connection.execute(&sqlite(statement), [format!("{prefix}-%")])?;
    }
    Ok(elapsed)
}

/// Stand-in texts of the measured sizes.
#[derive(Clone)]
struct Payload {
    snapshot: String,
    event: String,
    response: String,
}

impl Payload {
    fn of(shape: &BaselineShape) -> Payload {
        Payload {
            snapshot: "x".repeat(shape.snapshot_bytes),
            event: "y".repeat(shape.event_bytes),
            response: "z".repeat(shape.response_bytes),
        }
    }
}

impl BaselineShape {
    fn ids(&self, prefix: &str) -> Vec<String> {
        (0..self.cases).map(|i| format!("{prefix}-{i}")).collect()
    }

    /// Every (case, step, order), step by step across cases, cut into transactions.
    fn chunks(&self) -> Vec<Vec<(usize, usize, usize)>> {
        let steps: Vec<(usize, usize, usize)> = (1..=self.steps_per_case)
            .flat_map(|s| (0..self.cases).map(move |c| (c, s)))
            .enumerate()
            .map(|(order, (c, s))| (c, s, order))
            .collect();
        steps
            .chunks(self.per_commit.max(1))
            .map(<[_]>::to_vec)
            .collect()
    }
}

impl Store {
    /// Runs the raw baseline on this store (use a fresh database) and returns the time
    /// the steps took, excluding seeding.
    pub async fn raw_baseline(
        &self,
        shape: BaselineShape,
        prefix: &str,
    ) -> Result<Duration, StoreError> {
        match self {
            Store::Sqlite(s) => {
                let path = s.writer.path().to_owned();
                let prefix = prefix.to_owned();
                tokio::task::spawn_blocking(move || sqlite_baseline(&path, shape, &prefix))
                    .await
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            Store::Postgres(s) => postgres_baseline(&s.pool, shape, prefix).await,
        }
    }
}

/// The baseline of `bench report`: a region's event counts over a period by a plain
/// `GROUP BY` over the cases and their events, what the running totals save.
const FIGURES_BY_SCAN: &str = "SELECT c.handling_region AS region, e.kind AS kind, COUNT(*) AS n \
     FROM case_events e JOIN cases c ON c.id = e.case_id \
     WHERE c.handling_region >= $1 AND c.handling_region < $2 AND e.at >= $3 AND e.at < $4 \
     GROUP BY c.handling_region, e.kind";

impl Store {
    /// (county, event kind, count) for counties starting with `prefix` and events at
    /// or after `from` and before `to` (RFC 3339), scanned.
    pub async fn figures_by_scan(
        &self,
        prefix: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, String, i64)>, StoreError> {
        use sqlx::Row;
        let end = format!("{prefix}\u{10FFFF}");
        let rows = match self {
            Store::Sqlite(s) => sqlx::query(FIGURES_BY_SCAN)
                .bind(prefix)
                .bind(&end)
                .bind(from)
                .bind(to)
                .fetch_all(&s.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("region")?, r.try_get("kind")?, r.try_get("n")?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?,
            Store::Postgres(s) => sqlx::query(FIGURES_BY_SCAN)
                .bind(prefix)
                .bind(&end)
                .bind(from)
                .bind(to)
                .fetch_all(&s.pool)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("region")?, r.try_get("kind")?, r.try_get("n")?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()?,
        };
        Ok(rows)
    }
}

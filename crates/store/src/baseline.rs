//! Raw baselines for `yichuang bench cases`: the same rows with the same durability,
//! written with plain statements and no rules, so the engine's overhead shows as a ratio.

use std::time::{Duration, Instant};

use crate::{Store, StoreError};

/// The baseline writes to tables of its own, dropped afterwards, so a benchmark run
/// against a real database leaves its cases alone.
const CREATE: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS baseline_cases (id TEXT PRIMARY KEY, item TEXT NOT NULL, state TEXT NOT NULL, \
     version BIGINT NOT NULL, head_hash TEXT NOT NULL, accepting_region TEXT NOT NULL, handling_region TEXT NOT NULL, \
     channel TEXT NOT NULL, guide_version BIGINT NOT NULL, guide_hash TEXT NOT NULL, running INTEGER NOT NULL, \
     deadline TEXT, yellow_from TEXT, statutory_deadline TEXT, submitted_on TEXT NOT NULL, updated_at TEXT NOT NULL, \
     snapshot TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS baseline_events (case_id TEXT NOT NULL, seq BIGINT NOT NULL, at TEXT NOT NULL, \
     kind TEXT NOT NULL, actor TEXT NOT NULL, from_state TEXT, to_state TEXT, event TEXT NOT NULL, \
     prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (case_id, seq))",
];
const DROP: [&str; 2] = [
    "DROP TABLE IF EXISTS baseline_cases",
    "DROP TABLE IF EXISTS baseline_events",
];
const SEED: &str = "INSERT INTO baseline_cases (id, item, state, version, head_hash, accepting_region, handling_region, channel, \
     guide_version, guide_hash, running, deadline, yellow_from, statutory_deadline, submitted_on, updated_at, snapshot) \
     VALUES ($1, 'baseline', 'submitted', 0, '', '330211', '330211', 'window', 1, '', 1, '2026-03-02', '2026-02-26', '2026-03-02', '2026-02-10', '', $2)";
const STEP_UPDATE: &str = "UPDATE baseline_cases SET state = 'accepted', version = $2, head_hash = $3, updated_at = $4, snapshot = $5 WHERE id = $1";
const STEP_EVENT: &str = "INSERT INTO baseline_events (case_id, seq, at, kind, actor, from_state, to_state, event, prev_hash, hash) \
     VALUES ($1, $2, '2026-02-10T04:00:00Z', 'baseline', 'bench', 'submitted', 'accepted', $3, $4, $5)";

/// One transition's worth of rows: an update of the case and an appended event, with
/// payloads of the given sizes.
#[derive(Debug, Clone, Copy)]
pub struct BaselineShape {
    pub cases: usize,
    pub steps_per_case: usize,
    pub snapshot_bytes: usize,
    pub event_bytes: usize,
    /// Transitions per transaction (1 = one commit per step).
    pub per_commit: usize,
    /// Concurrent writers (PostgreSQL); SQLite has one writer.
    pub concurrency: usize,
}

macro_rules! baseline_body {
    ($pool:expr, $shape:expr, $prefix:expr) => {{
        let shape = $shape;
        let snapshot = "x".repeat(shape.snapshot_bytes);
        let event = "y".repeat(shape.event_bytes);
        for statement in CREATE {
            sqlx::query(statement).execute($pool).await?;
        }
        let ids: Vec<String> = (0..shape.cases)
            .map(|i| format!("{}-{i}", $prefix))
            .collect();
        for id in &ids {
            sqlx::query(SEED)
                .bind(id)
                .bind(&snapshot)
                .execute($pool)
                .await?;
        }
        let steps: Vec<(usize, usize)> = (1..=shape.steps_per_case)
            .flat_map(|s| (0..shape.cases).map(move |c| (c, s)))
            .collect();
        let start = Instant::now();
        let chunks: Vec<Vec<(usize, usize)>> = steps
            .chunks(shape.per_commit.max(1))
            .map(<[_]>::to_vec)
            .collect();
        let workers = shape.concurrency.max(1);
        let mut handles = Vec::new();
        for w in 0..workers {
            let mine: Vec<Vec<(usize, usize)>> =
                chunks.iter().skip(w).step_by(workers).cloned().collect();
            let pool = $pool.clone();
            let ids = ids.clone();
            let (snapshot, event) = (snapshot.clone(), event.clone());
            handles.push(tokio::spawn(async move {
                for chunk in mine {
                    let mut tx = pool.begin().await?;
                    for (c, s) in chunk {
                        sqlx::query(STEP_UPDATE)
                            .bind(&ids[c])
                            .bind(s as i64)
                            .bind("h")
                            .bind("t")
                            .bind(&snapshot)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(STEP_EVENT)
                            .bind(&ids[c])
                            .bind(s as i64)
                            .bind(&event)
                            .bind("p")
                            .bind("h")
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
        for statement in DROP {
            sqlx::query(statement).execute($pool).await?;
        }
        Ok(elapsed)
    }};
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
            Store::Sqlite(s) => baseline_body!(&s.pool, shape, prefix),
            Store::Postgres(s) => baseline_body!(&s.pool, shape, prefix),
        }
    }
}

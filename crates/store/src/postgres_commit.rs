//! PostgreSQL's commit: multi-row statements, one round trip per table and chunk.

use sqlx::{Postgres, QueryBuilder};

use crate::StoreError;
use crate::backend::PostgresStore;
use crate::model::Batch;
use crate::rows::{
    CommitRows, INSERT_CASES, INSERT_EVENTS, INSERT_GUIDES, INSERT_MESSAGES, INSERT_REQUESTS,
    RESERVE_NUMBERS, assign_numbers, batch_conflict, number_groups,
};

/// Rows per multi-row INSERT: 20 columns × 500 stays far below the parameter limit.
const ROWS_PER_STATEMENT: usize = 500;
/// `VALUES` columns are `column1 …` (id, state, version, head_hash, running, deadline,
/// yellow_from, statutory_deadline, updated_at, snapshot, expected).
const UPDATE_CASES_HEAD: &str = "UPDATE cases SET state = v.column2, version = v.column3, head_hash = v.column4, \
     running = v.column5, deadline = v.column6, yellow_from = v.column7, statutory_deadline = v.column8, \
     updated_at = v.column9, snapshot = v.column10 FROM (";
const UPDATE_CASES_TAIL: &str = ") AS v WHERE cases.id = v.column1 AND cases.version = v.column11";

impl PostgresStore {
    pub async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        let writes = &batch.cases;
        let mut rows = CommitRows::of(writes, batch.history)?;
        let conflict = || batch_conflict(writes);
        // A duplicate key means another writer got there first (a case event or a
        // request id): the caller redoes the batch request by request.
        let conflict_of = |err: sqlx::Error| -> StoreError {
            if err
                .as_database_error()
                .is_some_and(|d| d.is_unique_violation())
            {
                conflict()
            } else {
                err.into()
            }
        };
        let mut tx = self.pool.begin().await?;
        for chunk in rows.guides.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Postgres>::new(INSERT_GUIDES);
            q.push_values(chunk, |mut row, g| {
                row.push_bind(g.hash).push_bind(&g.guide);
            });
            q.push(" ON CONFLICT (hash) DO NOTHING");
            q.build().execute(&mut *tx).await?;
        }
        for chunk in rows.messages.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Postgres>::new(INSERT_MESSAGES);
            q.push_values(chunk, |mut row, m| {
                row.push_bind(m.case_id)
                    .push_bind(m.seq)
                    .push_bind(m.recipient)
                    .push_bind(m.kind)
                    .push_bind(&m.message)
                    .push_bind(&rows.updated_at)
                    .push_bind(&rows.updated_at);
            });
            q.build().execute(&mut *tx).await.map_err(conflict_of)?;
        }
        for chunk in rows.events.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Postgres>::new(INSERT_EVENTS);
            q.push_values(chunk, |mut row, e| {
                row.push_bind(e.case_id)
                    .push_bind(e.seq)
                    .push_bind(&e.at)
                    .push_bind(e.kind)
                    .push_bind(e.actor)
                    .push_bind(e.from_state)
                    .push_bind(e.to_state)
                    .push_bind(e.event)
                    .push_bind(e.prev_hash)
                    .push_bind(e.hash);
            });
            q.build().execute(&mut *tx).await.map_err(conflict_of)?;
        }
        for (key, members) in number_groups(&rows) {
            let last: i64 = sqlx::query_scalar(RESERVE_NUMBERS)
                .bind(&key.0)
                .bind(&key.1)
                .bind(members.len() as i64)
                .fetch_one(&mut *tx)
                .await?;
            assign_numbers(&mut rows, &key, &members, last);
        }
        for chunk in rows.new_cases.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Postgres>::new(INSERT_CASES);
            q.push_values(chunk, |mut row, c| {
                let p = &c.projection;
                row.push_bind(p.id)
                    .push_bind(c.item)
                    .push_bind(p.state)
                    .push_bind(p.version)
                    .push_bind(p.head_hash)
                    .push_bind(&c.accepting_region)
                    .push_bind(&c.handling_region)
                    .push_bind(&c.channel)
                    .push_bind(c.guide_version)
                    .push_bind(c.guide_hash)
                    .push_bind(p.running)
                    .push_bind(&p.deadline)
                    .push_bind(&p.yellow_from)
                    .push_bind(&p.statutory_deadline)
                    .push_bind(&c.submitted_on)
                    .push_bind(&rows.updated_at)
                    .push_bind(p.snapshot)
                    .push_bind(c.applicant)
                    .push_bind(c.agent)
                    .push_bind(&c.number);
            });
            q.build().execute(&mut *tx).await.map_err(conflict_of)?;
        }
        for chunk in rows.updates.chunks(ROWS_PER_STATEMENT) {
            // One statement for the whole chunk; the version check is per row, so fewer
            // rows updated than sent means another writer moved a case.
            let mut q = QueryBuilder::<Postgres>::new(UPDATE_CASES_HEAD);
            q.push_values(chunk, |mut row, p| {
                row.push_bind(p.id)
                    .push_bind(p.state)
                    .push_bind(p.version)
                    .push_bind(p.head_hash)
                    .push_bind(p.running)
                    .push_bind(&p.deadline)
                    .push_bind(&p.yellow_from)
                    .push_bind(&p.statutory_deadline)
                    .push_bind(&rows.updated_at)
                    .push_bind(p.snapshot)
                    .push_bind(p.expected);
            });
            q.push(UPDATE_CASES_TAIL);
            let done = q.build().execute(&mut *tx).await?;
            if done.rows_affected() != chunk.len() as u64 {
                return Err(conflict());
            }
        }
        for chunk in rows.requests.chunks(ROWS_PER_STATEMENT) {
            let mut q = QueryBuilder::<Postgres>::new(INSERT_REQUESTS);
            q.push_values(chunk, |mut row, r| {
                row.push_bind(r.request_id)
                    .push_bind(r.case_id)
                    .push_bind(r.response)
                    .push_bind(r.caller)
                    .push_bind(r.fingerprint);
            });
            q.build().execute(&mut *tx).await.map_err(conflict_of)?;
        }
        crate::streams::commit_postgres(&mut tx, &batch.streams, &rows.updated_at).await?;
        crate::streams::add_counters_postgres(&mut tx, &batch.counters).await?;
        tx.commit().await?;
        Ok(())
    }
}

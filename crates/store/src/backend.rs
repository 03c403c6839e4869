//! The store's statements, written once and instantiated for SQLite and PostgreSQL.
//! `$n` placeholders, TEXT dates and JSON, BIGINT counters: valid on both.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row};
use yichuang_domain::case::{Case, CaseEvent, CaseState, GuideSnapshot, WarningLevel, chain_hash};

use crate::error::StoreError;
use crate::model::{AuditReport, CaseFilter, CaseSummary, CaseWrite, EventRecord, StoredCase};

/// Rows per multi-row INSERT: 17 columns × 500 stays far below both databases'
/// parameter limits.
const ROWS_PER_STATEMENT: usize = 500;
const INSERT_EVENTS: &str = "INSERT INTO case_events (case_id, seq, at, kind, actor, from_state, to_state, event, prev_hash, hash) ";
const INSERT_CASES: &str = "INSERT INTO cases (id, item, state, version, head_hash, accepting_region, handling_region, channel, \
     guide_version, guide_hash, running, deadline, yellow_from, statutory_deadline, submitted_on, updated_at, snapshot) ";
/// `VALUES` columns are `column1 …` on both databases (id, state, version, head_hash,
/// running, deadline, yellow_from, statutory_deadline, updated_at, snapshot, expected).
const UPDATE_CASES_HEAD: &str = "UPDATE cases SET state = v.column2, version = v.column3, head_hash = v.column4, \
     running = v.column5, deadline = v.column6, yellow_from = v.column7, statutory_deadline = v.column8, \
     updated_at = v.column9, snapshot = v.column10 FROM (";
const UPDATE_CASES_TAIL: &str = ") AS v WHERE cases.id = v.column1 AND cases.version = v.column11";
const SELECT_CASE: &str = "SELECT c.snapshot, c.head_hash, g.guide FROM cases c JOIN guides g ON g.hash = c.guide_hash WHERE c.id = $1";
const SELECT_EVENTS: &str =
    "SELECT event, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq";
const SELECT_REQUEST: &str = "SELECT response FROM requests WHERE request_id = $1";
const LIST_CASES: &str = "SELECT id, item, state, version, accepting_region, handling_region, channel, deadline, yellow_from, \
     statutory_deadline, running FROM cases \
     WHERE ($1 IS NULL OR state = $1) \
       AND ($2 IS NULL OR handling_region LIKE $2 OR accepting_region LIKE $2) \
       AND ($3 IS NULL OR item = $3) \
       AND ($4 IS NULL OR channel = $4) \
       AND ($5 IS NULL OR deadline < $5) \
       AND ($6 IS NULL \
            OR ($6 = 'red' AND running = 1 AND deadline < $7) \
            OR ($6 = 'yellow' AND running = 1 AND yellow_from <= $7 AND deadline >= $7) \
            OR ($6 = 'green' AND NOT (running = 1 AND deadline IS NOT NULL AND (deadline < $7 OR yellow_from <= $7)))) \
     ORDER BY deadline IS NULL, deadline, id LIMIT $8";
const COUNT_RED: &str = "SELECT COUNT(*) FROM cases WHERE running = 1 AND deadline < $1";
const COUNT_YELLOW: &str =
    "SELECT COUNT(*) FROM cases WHERE running = 1 AND yellow_from <= $1 AND deadline >= $1";
const COUNT_BY_STATE: &str = "SELECT state, COUNT(*) FROM cases GROUP BY state ORDER BY state";
const COUNT_RUNNING: &str = "SELECT COUNT(*) FROM cases WHERE running = 1";
const AUDIT_CASES: &str =
    "SELECT id, version, head_hash FROM cases WHERE id > $1 ORDER BY id LIMIT 1000";
const AUDIT_ORPHANS: &str = "SELECT MIN(case_id) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)";

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn date_text(date: Option<Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn parse_date(text: Option<String>) -> Result<Option<Date>, StoreError> {
    text.map(|t| {
        t.parse()
            .map_err(|e| StoreError::Corrupt(format!("date {t:?}: {e}")))
    })
    .transpose()
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

/// The columns a projection row derives from the case: the clock that drives warnings
/// is the promise where there is one, else the statutory limit.
struct Projection {
    running: i32,
    deadline: Option<String>,
    yellow_from: Option<String>,
    statutory_deadline: Option<String>,
    snapshot: String,
}

/// A stored case with its guide attached from the `guides` table.
fn case_from(id: &str, snapshot: &str, guide: &str) -> Result<Case, StoreError> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("case {id}: {e}"));
    let mut case: Case = serde_json::from_str(snapshot).map_err(corrupt)?;
    let guide = GuideSnapshot {
        version: case.guide_ref.version,
        content_hash: case.guide_ref.content_hash.clone(),
        guide: serde_json::from_str(guide).map_err(corrupt)?,
    };
    case.attach_guide(Arc::new(guide));
    Ok(case)
}

fn projection(case: &Case) -> Result<Projection, StoreError> {
    let clock = case.promised.as_ref().or(case.statutory.as_ref());
    let running =
        !case.state.is_terminal() && case.state != CaseState::Suspended && clock.is_some();
    Ok(Projection {
        running: i32::from(running),
        deadline: date_text(clock.map(|c| c.deadline)),
        yellow_from: date_text(clock.map(|c| c.yellow_from)),
        statutory_deadline: date_text(case.statutory.as_ref().map(|c| c.deadline)),
        snapshot: json(case)?,
    })
}

fn channel_name(case: &Case) -> String {
    serde_json::to_value(case.channel)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn warning_name(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Green => "green",
        WarningLevel::Yellow => "yellow",
        WarningLevel::Red => "red",
    }
}

/// Checks one case's chain; the problem, if any.
fn check_chain(
    id: &str,
    version: u64,
    head: &str,
    records: &[(String, String, String)],
) -> Option<String> {
    let mut previous = String::new();
    for (index, (event_json, prev_hash, hash)) in records.iter().enumerate() {
        let seq = index as u64 + 1;
        let event: CaseEvent = match serde_json::from_str(event_json) {
            Ok(event) => event,
            Err(e) => return Some(format!("event {seq} is unreadable: {e}")),
        };
        if event.case_id != id || event.seq != seq {
            return Some(format!(
                "event {seq} is out of place (it says case {} event {})",
                event.case_id, event.seq
            ));
        }
        if *prev_hash != previous {
            return Some(format!(
                "event {seq} does not follow event {} (chain broken: an event was removed, reordered or edited)",
                seq - 1
            ));
        }
        if chain_hash(&previous, event_json) != *hash {
            return Some(format!(
                "event {seq} was edited after it was written (hash mismatch)"
            ));
        }
        previous = hash.clone();
    }
    if records.len() as u64 != version {
        return Some(format!(
            "the case is at version {version} but {} events are stored (events were removed)",
            records.len()
        ));
    }
    if previous != head {
        return Some("the last event's hash differs from the case's head hash".to_owned());
    }
    None
}

macro_rules! backend {
    ($name:ident, $pool:ty, $db:ty) => {
        /// One backend of the [`crate::Store`].
        #[derive(Debug, Clone)]
        pub struct $name {
            pub(crate) pool: $pool,
        }

        impl $name {
            pub async fn commit(&self, writes: &[CaseWrite]) -> Result<(), StoreError> {
                let conflict_of = |err: sqlx::Error| -> StoreError {
                    if is_unique_violation(&err) {
                        let first = writes.first();
                        StoreError::Conflict {
                            case_id: first.map_or_else(String::new, |w| w.case.id.clone()),
                            expected: first.map_or(0, |w| w.expected_version),
                        }
                    } else {
                        err.into()
                    }
                };
                let mut tx = self.pool.begin().await?;
                let mut guides: Vec<(&str, String)> = Vec::new();
                for write in writes.iter().filter(|w| w.expected_version == 0) {
                    let hash = write.case.guide.content_hash.as_str();
                    if !guides.iter().any(|(h, _)| *h == hash) {
                        guides.push((hash, json(&write.case.guide.guide)?));
                    }
                }
                for chunk in guides.chunks(ROWS_PER_STATEMENT) {
                    let mut q = QueryBuilder::<$db>::new("INSERT INTO guides (hash, guide) ");
                    q.push_values(chunk, |mut row, (hash, guide)| {
                        row.push_bind(*hash).push_bind(guide.clone());
                    });
                    q.push(" ON CONFLICT (hash) DO NOTHING");
                    q.build().execute(&mut *tx).await?;
                }
                let events: Vec<&EventRecord> =
                    writes.iter().flat_map(|w| w.events.iter()).collect();
                for chunk in events.chunks(ROWS_PER_STATEMENT) {
                    let mut q = QueryBuilder::<$db>::new(INSERT_EVENTS);
                    q.push_values(chunk, |mut row, record| {
                        let e = &record.event;
                        row.push_bind(e.case_id.clone())
                            .push_bind(as_i64(e.seq))
                            .push_bind(e.at.to_string())
                            .push_bind(e.body.name())
                            .push_bind(e.actor.id.clone())
                            .push_bind(e.from_state.map(CaseState::name))
                            .push_bind(e.to_state.map(CaseState::name))
                            .push_bind(record.json.clone())
                            .push_bind(record.prev_hash.clone())
                            .push_bind(record.hash.clone());
                    });
                    q.build().execute(&mut *tx).await.map_err(conflict_of)?;
                }
                let now = jiff::Timestamp::now().to_string();
                let new_cases: Vec<(&CaseWrite, Projection)> = writes
                    .iter()
                    .filter(|w| w.expected_version == 0)
                    .map(|w| projection(&w.case).map(|p| (w, p)))
                    .collect::<Result<_, _>>()?;
                for chunk in new_cases.chunks(ROWS_PER_STATEMENT) {
                    let mut q = QueryBuilder::<$db>::new(INSERT_CASES);
                    q.push_values(chunk, |mut row, (write, p)| {
                        let case = &write.case;
                        row.push_bind(case.id.clone())
                            .push_bind(case.item.clone())
                            .push_bind(case.state.name())
                            .push_bind(as_i64(case.version))
                            .push_bind(write.head_hash().to_owned())
                            .push_bind(case.accepting_region.to_string())
                            .push_bind(case.handling_region.to_string())
                            .push_bind(channel_name(case))
                            .push_bind(i64::from(case.guide.version))
                            .push_bind(case.guide.content_hash.clone())
                            .push_bind(p.running)
                            .push_bind(p.deadline.clone())
                            .push_bind(p.yellow_from.clone())
                            .push_bind(p.statutory_deadline.clone())
                            .push_bind(case.submitted_on.to_string())
                            .push_bind(now.clone())
                            .push_bind(p.snapshot.clone());
                    });
                    q.build().execute(&mut *tx).await.map_err(conflict_of)?;
                }
                let updates: Vec<(&CaseWrite, Projection)> = writes
                    .iter()
                    .filter(|w| w.expected_version != 0 && !w.events.is_empty())
                    .map(|w| projection(&w.case).map(|p| (w, p)))
                    .collect::<Result<_, _>>()?;
                for chunk in updates.chunks(ROWS_PER_STATEMENT) {
                    // One statement for the whole chunk; the version check is per row, so
                    // fewer rows updated than sent means another writer moved a case.
                    let mut q = QueryBuilder::<$db>::new(UPDATE_CASES_HEAD);
                    q.push_values(chunk, |mut row, (write, p)| {
                        let case = &write.case;
                        row.push_bind(case.id.clone())
                            .push_bind(case.state.name())
                            .push_bind(as_i64(case.version))
                            .push_bind(write.head_hash().to_owned())
                            .push_bind(p.running)
                            .push_bind(p.deadline.clone())
                            .push_bind(p.yellow_from.clone())
                            .push_bind(p.statutory_deadline.clone())
                            .push_bind(now.clone())
                            .push_bind(p.snapshot.clone())
                            .push_bind(as_i64(write.expected_version));
                    });
                    q.push(UPDATE_CASES_TAIL);
                    let done = q.build().execute(&mut *tx).await?;
                    if done.rows_affected() != chunk.len() as u64 {
                        let (write, _) = &chunk[0];
                        return Err(StoreError::Conflict {
                            case_id: write.case.id.clone(),
                            expected: write.expected_version,
                        });
                    }
                }
                let requests: Vec<(&str, &str, String)> = writes
                    .iter()
                    .flat_map(|w| {
                        w.requests
                            .iter()
                            .map(move |(id, response)| (id.as_str(), w.case.id.as_str(), response))
                    })
                    .map(|(id, case, response)| json(response).map(|text| (id, case, text)))
                    .collect::<Result<_, _>>()?;
                for chunk in requests.chunks(ROWS_PER_STATEMENT) {
                    let mut q = QueryBuilder::<$db>::new(
                        "INSERT INTO requests (request_id, case_id, response) ",
                    );
                    q.push_values(chunk, |mut row, (id, case, text)| {
                        row.push_bind(id.to_string())
                            .push_bind(case.to_string())
                            .push_bind(text.clone());
                    });
                    q.build().execute(&mut *tx).await.map_err(conflict_of)?;
                }
                tx.commit().await?;
                Ok(())
            }

            pub async fn load_case(&self, id: &str) -> Result<Option<StoredCase>, StoreError> {
                let Some(row) = sqlx::query(SELECT_CASE)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let snapshot: String = row.try_get("snapshot")?;
                let guide: String = row.try_get("guide")?;
                Ok(Some(StoredCase {
                    case: case_from(id, &snapshot, &guide)?,
                    head_hash: row.try_get("head_hash")?,
                }))
            }

            pub async fn events(&self, id: &str) -> Result<Vec<EventRecord>, StoreError> {
                let rows = sqlx::query(SELECT_EVENTS)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map(|row| {
                        let text: String = row.try_get("event")?;
                        let event = serde_json::from_str(&text)
                            .map_err(|e| StoreError::Corrupt(format!("event of {id}: {e}")))?;
                        Ok(EventRecord {
                            event,
                            json: text,
                            prev_hash: row.try_get("prev_hash")?,
                            hash: row.try_get("hash")?,
                        })
                    })
                    .collect()
            }

            pub async fn find_request(
                &self,
                request_id: &str,
            ) -> Result<Option<serde_json::Value>, StoreError> {
                let Some(row) = sqlx::query(SELECT_REQUEST)
                    .bind(request_id)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let text: String = row.try_get("response")?;
                serde_json::from_str(&text)
                    .map(Some)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            }

            pub async fn list_cases(&self, f: &CaseFilter) -> Result<Vec<CaseSummary>, StoreError> {
                let today = f.today.map(|d| d.to_string());
                let rows = sqlx::query(LIST_CASES)
                    .bind(f.state.map(CaseState::name))
                    .bind(f.region_prefix.as_ref().map(|p| format!("{p}%")))
                    .bind(f.item.clone())
                    .bind(f.channel.clone())
                    .bind(date_text(f.deadline_before))
                    .bind(f.warning.map(warning_name))
                    .bind(today.unwrap_or_else(|| "9999-12-31".to_owned()))
                    .bind(i64::from(f.limit.clamp(1, 10_000)))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map(|row| {
                        Ok(CaseSummary {
                            id: row.try_get("id")?,
                            item: row.try_get("item")?,
                            state: row.try_get("state")?,
                            version: u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or(0),
                            accepting_region: row.try_get("accepting_region")?,
                            handling_region: row.try_get("handling_region")?,
                            channel: row.try_get("channel")?,
                            deadline: parse_date(row.try_get("deadline")?)?,
                            yellow_from: parse_date(row.try_get("yellow_from")?)?,
                            statutory_deadline: parse_date(row.try_get("statutory_deadline")?)?,
                            running: row.try_get::<i32, _>("running")? == 1,
                        })
                    })
                    .collect()
            }

            pub async fn warning_counts(&self, today: Date) -> Result<(u64, u64, u64), StoreError> {
                let day = today.to_string();
                let count = |n: i64| u64::try_from(n).unwrap_or(0);
                let red: i64 = sqlx::query(COUNT_RED)
                    .bind(&day)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                let yellow: i64 = sqlx::query(COUNT_YELLOW)
                    .bind(&day)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                let running: i64 = sqlx::query(COUNT_RUNNING)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                Ok((count(running - red - yellow), count(yellow), count(red)))
            }

            pub async fn state_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
                let rows = sqlx::query(COUNT_BY_STATE).fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get::<String, _>(0)?,
                            u64::try_from(r.try_get::<i64, _>(1)?).unwrap_or(0),
                        ))
                    })
                    .collect()
            }

            pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
                let mut report = AuditReport {
                    cases: 0,
                    events: 0,
                    first_broken: None,
                };
                let mut after = String::new();
                loop {
                    let cases = sqlx::query(AUDIT_CASES)
                        .bind(&after)
                        .fetch_all(&self.pool)
                        .await?;
                    let Some(last) = cases.last() else { break };
                    after = last.try_get("id")?;
                    for row in &cases {
                        let id: String = row.try_get("id")?;
                        let version = u64::try_from(row.try_get::<i64, _>("version")?).unwrap_or(0);
                        let head: String = row.try_get("head_hash")?;
                        let records: Vec<(String, String, String)> = sqlx::query(SELECT_EVENTS)
                            .bind(&id)
                            .fetch_all(&self.pool)
                            .await?
                            .into_iter()
                            .map(|r| {
                                Ok((
                                    r.try_get("event")?,
                                    r.try_get("prev_hash")?,
                                    r.try_get("hash")?,
                                ))
                            })
                            .collect::<Result<_, sqlx::Error>>()?;
                        report.cases += 1;
                        report.events += records.len() as u64;
                        if let Some(problem) = check_chain(&id, version, &head, &records) {
                            report.first_broken = Some((id, problem));
                            return Ok(report);
                        }
                    }
                }
                let orphan: Option<String> = sqlx::query(AUDIT_ORPHANS)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                if let Some(id) = orphan {
                    report.first_broken = Some((
                        id,
                        "events exist for a case whose record was deleted".to_owned(),
                    ));
                }
                Ok(report)
            }
        }
    };
}

backend!(SqliteStore, SqlitePool, sqlx::Sqlite);
backend!(PostgresStore, PgPool, sqlx::Postgres);

impl SqliteStore {
    /// WAL with synchronous=FULL: a commit is on disk when it returns, so an
    /// acknowledged command survives power loss, not only a process crash.
    pub async fn connect(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(SqliteStore { pool })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/sqlite")
            .run(&self.pool)
            .await?;
        Ok(())
    }
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(PostgresStore { pool })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }
}

//! The store's statements, written once and instantiated for SQLite and PostgreSQL.
//! `$n` placeholders, TEXT dates and JSON, BIGINT counters: valid on both.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use yichuang_domain::case::{
    Case, CaseEvent, CaseState, GuideSnapshot, StoredEvent, WarningLevel, chain_hash,
};

use crate::error::StoreError;
use crate::model::{AuditReport, CaseFilter, CaseSummary, EventRecord, StoredCase, StoredRequest};
use crate::sqlite_commit::WriteConnection;

const SELECT_CASE: &str = "SELECT snapshot, head_hash FROM cases WHERE id = $1";
const SELECT_GUIDE: &str = "SELECT guide FROM guides WHERE hash = $1";
const SELECT_EVENTS: &str =
    "SELECT event, prev_hash, hash FROM case_events WHERE case_id = $1 ORDER BY seq";
const SELECT_EVENTS_OF_RANGE: &str = "SELECT case_id, event, prev_hash, hash FROM case_events \
     WHERE case_id >= $1 AND case_id <= $2 ORDER BY case_id, seq";
const SELECT_REQUEST: &str =
    "SELECT case_id, caller, fingerprint, response FROM requests WHERE request_id = $1";
const LIST_CASES: &str = "SELECT id, number, item, state, version, accepting_region, handling_region, channel, deadline, yellow_from, \
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
    "SELECT id, version, head_hash, state FROM cases WHERE id > $1 ORDER BY id LIMIT 1000";
const PROVISIONAL_OPEN_FROM: &str = "SELECT id FROM cases WHERE state IN \
     ('submitted', 'awaiting_supplement', 'accepted', 'in_review', 'suspended', 'decided') \
     AND (deadline >= $1 OR statutory_deadline >= $1) \
     AND snapshot LIKE '%\"provisional\":true%' ORDER BY id";
const RECENT_EVENTS: &str = "SELECT e.case_id, e.event FROM case_events e JOIN cases c ON c.id = e.case_id \
     WHERE e.kind = $1 AND (c.handling_region LIKE $2 OR c.accepting_region LIKE $2) AND e.at >= $3 \
     ORDER BY e.at DESC LIMIT $4";
const AUDIT_HEADS: &str = "SELECT id, version, head_hash FROM cases ORDER BY id";
const COUNT_EVENTS: &str = "SELECT COUNT(*) FROM case_events";
const SELECT_GUIDES: &str = "SELECT hash, guide FROM guides ORDER BY hash";
const SELECT_EVENT_HASH: &str = "SELECT hash FROM case_events WHERE case_id = $1 AND seq = $2";
const AUDIT_ORPHANS: &str = "SELECT MIN(case_id) FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.case_id)";

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

/// A stored case, its guide not yet attached.
fn detached_case(id: &str, snapshot: &str) -> Result<Case, StoreError> {
    serde_json::from_str(snapshot).map_err(|e| StoreError::Corrupt(format!("case {id}: {e}")))
}

fn warning_name(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Green => "green",
        WarningLevel::Yellow => "yellow",
        WarningLevel::Red => "red",
    }
}

/// One stored event of case `id` with its chain hashes, its guide not yet attached.
fn stored_record<R: sqlx::Row>(
    row: &R,
    id: &str,
) -> Result<(StoredEvent, String, String, String), StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let text: String = row.try_get("event")?;
    let event = crate::guide_shelf::parse_stored(&text, id)?;
    Ok((event, text, row.try_get("prev_hash")?, row.try_get("hash")?))
}

/// Checks one case's chain; the problem, if any.
fn check_chain(
    id: &str,
    version: u64,
    head: &str,
    records: &[(String, String, String)],
    guides: &crate::guide_shelf::GuideTable,
) -> Result<Vec<CaseEvent>, String> {
    let mut previous = String::new();
    let mut events = Vec::with_capacity(records.len());
    for (index, (event_json, prev_hash, hash)) in records.iter().enumerate() {
        let seq = index as u64 + 1;
        let event: StoredEvent = match serde_json::from_str(event_json) {
            Ok(event) => event,
            Err(e) => return Err(format!("event {seq} is unreadable: {e}")),
        };
        if event.case_id != id || event.seq != seq {
            return Err(format!(
                "event {seq} is out of place (it says case {} event {})",
                event.case_id, event.seq
            ));
        }
        if *prev_hash != previous {
            return Err(format!(
                "event {seq} does not follow event {} (chain broken: an event was removed, reordered or edited)",
                seq - 1
            ));
        }
        if chain_hash(&previous, event_json) != *hash {
            return Err(format!(
                "event {seq} was edited after it was written (hash mismatch)"
            ));
        }
        previous = hash.clone();
        events.push(guides.attach(event)?);
    }
    if records.len() as u64 != version {
        return Err(format!(
            "the case is at version {version} but {} events are stored (events were removed)",
            records.len()
        ));
    }
    if previous != head {
        return Err("the last event's hash differs from the case's head hash".to_owned());
    }
    Ok(events)
}

macro_rules! backend {
    ($name:ident, $pool:ty, $db:ty) => {
        impl $name {
            pub async fn load_case(&self, id: &str) -> Result<Option<StoredCase>, StoreError> {
                let Some(row) = sqlx::query(SELECT_CASE)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let snapshot: String = row.try_get("snapshot")?;
                let mut case = detached_case(id, &snapshot)?;
                let guide = self
                    .guide(&case.guide_ref.content_hash, case.guide_ref.version)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Corrupt(format!(
                            "case {id}: its guide {} is missing from the guides table",
                            case.guide_ref.content_hash
                        ))
                    })?;
                case.attach_guide(guide);
                Ok(Some(StoredCase {
                    case,
                    head_hash: row.try_get("head_hash")?,
                }))
            }

            /// A guide by content hash, from the shelf or else the guides table.
            async fn guide(
                &self,
                hash: &str,
                version: u32,
            ) -> Result<Option<Arc<GuideSnapshot>>, StoreError> {
                if let Some(guide) = self.guides.get(hash, version) {
                    return Ok(Some(guide));
                }
                let text: Option<String> = sqlx::query_scalar(SELECT_GUIDE)
                    .bind(hash)
                    .fetch_optional(&self.pool)
                    .await?;
                text.map(|text| self.guides.put(hash, version, &text))
                    .transpose()
            }

            /// A stored event with its guide in full.
            async fn with_guide(&self, event: StoredEvent) -> Result<CaseEvent, StoreError> {
                let found = match crate::guide_shelf::guide_wanted(&event) {
                    Some((guide, version)) => self.guide(guide, version).await?,
                    None => None,
                };
                crate::guide_shelf::with_guide(event, found)
            }

            /// A stored event's record, its guide in full.
            async fn record(
                &self,
                (event, json, prev_hash, hash): (StoredEvent, String, String, String),
            ) -> Result<EventRecord, StoreError> {
                Ok(EventRecord {
                    event: self.with_guide(event).await?,
                    json,
                    prev_hash,
                    hash,
                })
            }

            pub async fn events(&self, id: &str) -> Result<Vec<EventRecord>, StoreError> {
                let rows = sqlx::query(SELECT_EVENTS)
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                let mut records = Vec::with_capacity(rows.len());
                for row in &rows {
                    records.push(self.record(stored_record(row, id)?).await?);
                }
                Ok(records)
            }

            /// The events of every case whose id is from `first` to `last`, by case and
            /// in order: one query for a run of cases instead of one per case.
            pub async fn events_of_cases(
                &self,
                first: &str,
                last: &str,
            ) -> Result<Vec<(String, EventRecord)>, StoreError> {
                let rows = sqlx::query(SELECT_EVENTS_OF_RANGE)
                    .bind(first)
                    .bind(last)
                    .fetch_all(&self.pool)
                    .await?;
                let mut records = Vec::with_capacity(rows.len());
                for row in &rows {
                    let id: String = row.try_get("case_id")?;
                    let record = self.record(stored_record(row, &id)?).await?;
                    records.push((id, record));
                }
                Ok(records)
            }

            pub async fn find_request(
                &self,
                request_id: &str,
            ) -> Result<Option<StoredRequest>, StoreError> {
                let Some(row) = sqlx::query(SELECT_REQUEST)
                    .bind(request_id)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    return Ok(None);
                };
                let text: String = row.try_get("response")?;
                let response =
                    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(Some(StoredRequest {
                    case_id: row.try_get("case_id")?,
                    caller: row.try_get("caller")?,
                    fingerprint: row.try_get("fingerprint")?,
                    response,
                }))
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
                rows.iter().map(Self::summary_of).collect()
            }

            /// A row of `cases` as a summary (the columns `LIST_CASES` selects).
            pub(crate) fn summary_of(
                row: &<$db as sqlx::Database>::Row,
            ) -> Result<CaseSummary, StoreError> {
                Ok(CaseSummary {
                    id: row.try_get("id")?,
                    number: row.try_get("number")?,
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

            /// Every case: its chain, and its projection (with the stored guide)
            /// against the replay of its events; then events without a case.
            pub async fn verify_cases(&self, report: &mut AuditReport) -> Result<(), StoreError> {
                let guides = sqlx::query(SELECT_GUIDES).fetch_all(&self.pool).await?;
                let guides = crate::guide_shelf::GuideTable::of(
                    guides
                        .iter()
                        .map(|r| Ok((r.try_get("hash")?, r.try_get("guide")?)))
                        .collect::<Result<Vec<(String, String)>, StoreError>>()?,
                );
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
                        let state: String = row.try_get("state")?;
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
                        let problem = match check_chain(&id, version, &head, &records, &guides) {
                            Err(problem) => Some(problem),
                            Ok(events) => {
                                let stored = match self.audited_case(&id, &guides).await {
                                    Ok(stored) => stored,
                                    Err(e) => {
                                        report.fail(
                                            id.clone(),
                                            format!("the projection is unreadable: {e}"),
                                        );
                                        continue;
                                    }
                                };
                                crate::audit::compare_projection(&events, stored.as_ref(), &state)
                            }
                        };
                        if let Some(problem) = problem {
                            report.fail(id.clone(), problem);
                        }
                    }
                }
                let orphan: Option<String> = sqlx::query(AUDIT_ORPHANS)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                if let Some(id) = orphan {
                    report.fail(
                        id,
                        "events exist for a case whose record was deleted".to_owned(),
                    );
                }
                Ok(())
            }

            /// A case's projection with its guide from the audit's own read of the
            /// guides table (`None` if that guide is missing).
            async fn audited_case(
                &self,
                id: &str,
                guides: &crate::guide_shelf::GuideTable,
            ) -> Result<Option<Case>, StoreError> {
                let snapshot: Option<String> = sqlx::query_scalar(SELECT_CASE)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(snapshot) = snapshot else {
                    return Ok(None);
                };
                let mut case = detached_case(id, &snapshot)?;
                let guide_ref = &case.guide_ref;
                match guides.snapshot(&guide_ref.content_hash, guide_ref.version) {
                    Some(guide) => {
                        case.attach_guide(guide?);
                        Ok(Some(case))
                    }
                    None => Ok(None),
                }
            }

            pub async fn recent_events(
                &self,
                kind: &str,
                region_prefix: &str,
                since: &str,
                limit: i64,
            ) -> Result<Vec<(String, CaseEvent)>, StoreError> {
                let rows = sqlx::query(RECENT_EVENTS)
                    .bind(kind)
                    .bind(format!("{region_prefix}%"))
                    .bind(since)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?;
                let mut events = Vec::with_capacity(rows.len());
                for row in &rows {
                    let id: String = row.try_get("case_id")?;
                    let text: String = row.try_get("event")?;
                    let event = crate::guide_shelf::parse_stored(&text, &id)?;
                    events.push((id, self.with_guide(event).await?));
                }
                Ok(events)
            }

            pub async fn provisional_open_cases_from(
                &self,
                from: Date,
            ) -> Result<Vec<String>, StoreError> {
                let rows = sqlx::query(PROVISIONAL_OPEN_FROM)
                    .bind(from.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
            }

            /// What a checkpoint covers, as the database holds it now.
            pub async fn audit_state(&self) -> Result<crate::audit::AuditState, StoreError> {
                let cases = sqlx::query(AUDIT_HEADS).fetch_all(&self.pool).await?;
                let cases = cases
                    .iter()
                    .map(|r| {
                        Ok(crate::audit::CaseHead {
                            id: r.try_get("id")?,
                            version: u64::try_from(r.try_get::<i64, _>("version")?).unwrap_or(0),
                            head: r.try_get("head_hash")?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                let events: i64 = sqlx::query(COUNT_EVENTS)
                    .fetch_one(&self.pool)
                    .await?
                    .try_get(0)?;
                let guides = sqlx::query(SELECT_GUIDES).fetch_all(&self.pool).await?;
                let guides = guides
                    .iter()
                    .map(|r| {
                        let text: String = r.try_get("guide")?;
                        Ok((r.try_get::<String, _>("hash")?, crate::audit::digest(&text)))
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                Ok(crate::audit::AuditState {
                    cases,
                    events: u64::try_from(events).unwrap_or(0),
                    guides,
                    identity_reads: crate::audit::LogHead::default(),
                })
            }

            /// The hash at one event of a case, if it is stored.
            pub async fn event_hash(
                &self,
                case_id: &str,
                seq: u64,
            ) -> Result<Option<String>, StoreError> {
                let row = sqlx::query(SELECT_EVENT_HASH)
                    .bind(case_id)
                    .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.try_get("hash")).transpose()?)
            }

            pub async fn checkpoints(&self) -> Result<Vec<String>, StoreError> {
                let rows = sqlx::query("SELECT body FROM audit_checkpoints ORDER BY seq")
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map(|r| Ok(r.try_get("body")?)).collect()
            }

            pub async fn add_checkpoint(&self, seq: u64, body: &str) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO audit_checkpoints (seq, body) VALUES ($1, $2)")
                    .bind(i64::try_from(seq).unwrap_or(i64::MAX))
                    .bind(body)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}

backend!(SqliteStore, SqlitePool, sqlx::Sqlite);
backend!(PostgresStore, PgPool, sqlx::Postgres);

/// SQLite: reads through the async pool, case writes through a connection of their
/// own (see `sqlite_commit`).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    pub(crate) guides: crate::guide_shelf::GuideShelf,
    pub(crate) writer: WriteConnection,
    /// Where files handed in for materials are kept (`files/` beside the database).
    pub(crate) files_dir: std::path::PathBuf,
    /// The database file.
    pub(crate) path: std::path::PathBuf,
}

/// PostgreSQL: everything through the async pool.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) pool: PgPool,
    pub(crate) guides: crate::guide_shelf::GuideShelf,
}

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
        if options.get_filename() == std::path::Path::new(":memory:") {
            return Err(StoreError::BadUrl {
                url: url.to_owned(),
            });
        }
        let writer = WriteConnection::new(options.get_filename());
        let files_dir = options
            .get_filename()
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("files");
        let path = options.get_filename().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(SqliteStore {
            pool,
            guides: Default::default(),
            writer,
            files_dir,
            path,
        })
    }

    /// The file whose lock says who uses the database (see `claims`).
    pub(crate) fn claim_file(&self) -> std::path::PathBuf {
        let mut name = self.path.clone().into_os_string();
        name.push(".in-use");
        std::path::PathBuf::from(name)
    }

    /// Hands the writes to the commit thread (see `sqlite_commit`).
    pub(crate) fn begin_commit(
        &self,
        writes: crate::model::Batch,
    ) -> tokio::sync::oneshot::Receiver<Result<(), StoreError>> {
        self.writer.begin(writes)
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
        Ok(PostgresStore {
            pool,
            guides: Default::default(),
        })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("./migrations/postgres")
            .run(&self.pool)
            .await?;
        Ok(())
    }
}

//! The Store: append-only case events, chained by hash, and a projection row per case,
//! on SQLite (the embedded default) or PostgreSQL. The only crate with SQL.
//!
//! Both backends run the same statements (`$n` placeholders work on both); the code is
//! written once in `backend.rs` and instantiated per backend, and each backend has its
//! own migrations.

mod audit;
mod backend;
mod baseline;
mod case_marks;
mod citizens;
mod claims;
mod complaints;
mod counters;
mod drafts;
mod error;
mod facts;
mod files;
mod follow_ups;
mod guide_shelf;
mod halls;
mod messages;
mod model;
mod person_facts;
mod person_filter;
mod person_pages;
mod postgres_commit;
mod rows;
mod skills;
mod sqlite_commit;
mod staff;
mod streams;

pub use audit::{AuditState, CaseHead, Checkpoint, LogHead};
pub use backend::{PostgresStore, SqliteStore};
pub use baseline::BaselineShape;
pub use case_marks::CaseMarks;
pub use citizens::CitizenSession;
pub use claims::{Claim, Use};
pub use complaints::ComplaintRow;
pub use counters::Counter;
pub use drafts::Draft;
pub use error::StoreError;
pub use facts::EmployerYearRecords;
pub use files::sha256_hex;
pub use follow_ups::FollowUpRow;
pub use halls::{Hall, HallKind, HallWindow};
pub use messages::OutboxMessage;
pub use model::{
    AuditFinding, AuditReport, Batch, CaseFilter, CaseSummary, CaseWrite, ClockColumns,
    EventRecord, RequestWrite, StoredCase, StoredRequest,
};
pub use person_facts::CertificateHolder;
pub use person_pages::PersonPages;
pub use skills::StaffSkill;
pub use staff::{IdentityRead, IdentityReadFilter};
pub use streams::{CounterDelta, ScheduledMessage, StoredStream, StreamEventRecord, StreamWrite};

use jiff::civil::Date;

/// A commit under way: resolves once it is durable or has failed.
#[derive(Debug)]
pub struct PendingCommit {
    outcome: tokio::sync::oneshot::Receiver<Result<(), StoreError>>,
}

impl std::future::Future for PendingCommit {
    type Output = Result<(), StoreError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.outcome)
            .poll(cx)
            .map(|received| received.unwrap_or(Err(StoreError::WriterStopped)))
    }
}

/// A connected store. Selected by URL: `sqlite://…` or `postgres://…`.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

macro_rules! dispatch {
    ($self:ident, $store:ident => $body:expr) => {
        match $self {
            Store::Sqlite($store) => $body,
            Store::Postgres($store) => $body,
        }
    };
}

impl Store {
    /// The `COUNT(*) AS n` of `query` over the regions starting with `prefix` (bound
    /// as `$1` and `$2`, the range's ends) on `day` (`$3`, `YYYY-MM-DD`).
    async fn count_in_regions(
        &self,
        query: &'static str,
        prefix: &str,
        day: jiff::civil::Date,
    ) -> Result<i64, StoreError> {
        let end = format!("{prefix}\u{10FFFF}");
        let day = day.to_string();
        Ok(dispatch!(self, s => sqlx::query_scalar::<_, i64>(query)
            .bind(prefix)
            .bind(&end)
            .bind(&day)
            .fetch_one(&s.pool)
            .await?))
    }

    /// Connects and applies the backend's migrations.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Store::Postgres(PostgresStore::connect(url).await?)
        } else if url.starts_with("sqlite:") {
            Store::Sqlite(SqliteStore::connect(url).await?)
        } else {
            return Err(StoreError::BadUrl {
                url: url.to_owned(),
            });
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The embedded default: a SQLite file in the data directory.
    pub fn sqlite_url(path: &std::path::Path) -> String {
        format!("sqlite://{}?mode=rwc", path.display())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        dispatch!(self, s => s.migrate().await)
    }

    /// Appends every write in one transaction; all or nothing. A write whose case moved
    /// past its expected version fails the whole batch with `Conflict`.
    pub async fn commit(&self, writes: impl Into<Batch>) -> Result<(), StoreError> {
        self.begin_commit(writes.into()).await
    }

    /// Starts committing now and returns the outcome to await later, so the caller can
    /// prepare the next batch meanwhile. Dropping it does not cancel the commit.
    pub fn begin_commit(&self, writes: Batch) -> PendingCommit {
        let outcome = match self {
            Store::Sqlite(s) => s.begin_commit(writes),
            Store::Postgres(s) => {
                let (reply, outcome) = tokio::sync::oneshot::channel();
                let store = s.clone();
                tokio::spawn(async move {
                    let _ = reply.send(store.commit(&writes).await);
                });
                outcome
            }
        };
        PendingCommit { outcome }
    }

    /// A stream's projection (a hall's day), if it has any event.
    pub async fn load_stream(&self, id: &str) -> Result<Option<StoredStream>, StoreError> {
        dispatch!(self, s => s.load_stream(id).await)
    }

    /// The ids of every stream of one kind (`rating_file`), in order.
    pub async fn stream_ids(&self, kind: &str) -> Result<Vec<String>, StoreError> {
        dispatch!(self, s => s.stream_ids(kind).await)
    }

    /// Many streams' projections at once (those that exist), for a batch's reads.
    pub async fn load_streams(&self, ids: &[String]) -> Result<Vec<StoredStream>, StoreError> {
        dispatch!(self, s => s.load_streams(ids).await)
    }

    /// A stream's events in order.
    pub async fn stream_events(&self, id: &str) -> Result<Vec<StreamEventRecord>, StoreError> {
        dispatch!(self, s => s.stream_events(id).await)
    }

    pub async fn load_case(&self, id: &str) -> Result<Option<StoredCase>, StoreError> {
        dispatch!(self, s => s.load_case(id).await)
    }

    pub async fn events(&self, id: &str) -> Result<Vec<EventRecord>, StoreError> {
        dispatch!(self, s => s.events(id).await)
    }

    /// The events of every case whose id is from `first` to `last` (as the cases'
    /// order sorts them), by case and in order.
    pub async fn events_of_cases(
        &self,
        first: &str,
        last: &str,
    ) -> Result<Vec<(String, EventRecord)>, StoreError> {
        dispatch!(self, s => s.events_of_cases(first, last).await)
    }

    /// An earlier request with this id: who sent it, what it was, and its answer.
    pub async fn find_request(
        &self,
        request_id: &str,
    ) -> Result<Option<StoredRequest>, StoreError> {
        dispatch!(self, s => s.find_request(request_id).await)
    }

    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StoreError> {
        dispatch!(self, s => s.list_cases(filter).await)
    }

    /// Counts of running cases by warning level on `today`: (green, yellow, red).
    pub async fn warning_counts(&self, today: Date) -> Result<(u64, u64, u64), StoreError> {
        dispatch!(self, s => s.warning_counts(today).await)
    }

    /// How many cases are in each state.
    pub async fn state_counts(&self) -> Result<Vec<(String, u64)>, StoreError> {
        dispatch!(self, s => s.state_counts().await)
    }

    /// Events of one kind on cases in a region subtree since an instant, newest first:
    /// (case id, event).
    pub async fn recent_events(
        &self,
        kind: &str,
        region_prefix: &str,
        since: jiff::Timestamp,
        limit: u32,
    ) -> Result<Vec<(String, yichuang_domain::case::CaseEvent)>, StoreError> {
        let since = since.to_string();
        dispatch!(self, s => s.recent_events(kind, region_prefix, &since, i64::from(limit)).await)
    }

    /// Open cases (not terminal) with a clock counted provisionally and a deadline or
    /// statutory deadline on or after `from`. A clock's `provisional` is serialised
    /// only when true, so the snapshot text filters them without loading every case.
    pub async fn provisional_open_cases_from(
        &self,
        from: jiff::civil::Date,
    ) -> Result<Vec<String>, StoreError> {
        dispatch!(self, s => s.provisional_open_cases_from(from).await)
    }

    /// Checks what the database can check by itself (chains, projections, the
    /// identity-read log), without a key or checkpoint.
    pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        self.verify_audit_with(None, None).await
    }
}

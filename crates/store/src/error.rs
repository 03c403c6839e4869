//! Store errors. No SQL text or driver internals reach the caller's users.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not a database URL: {url:?} (use sqlite://PATH or postgres://…)")]
    BadUrl { url: String },
    #[error("case {case_id} changed meanwhile (expected version {expected})")]
    Conflict { case_id: String, expected: u64 },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migrating the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("the commit thread stopped; the write was not made")]
    WriterStopped,
    #[error("the database is in use: {0}")]
    InUse(&'static str),
    #[error("claiming the database: {0}")]
    Claim(String),
    #[error("the person register has no fact {0:?}")]
    NoSuchFact(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
}

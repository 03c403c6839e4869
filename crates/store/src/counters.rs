//! Running totals, added to in the same transaction as the events they count
//! (`StreamWrite::counters`), and read by key prefix: a published figure is a read of
//! a few rows, never a scan of the events.

use sqlx::Row;

use crate::{Store, StoreError};

/// One running total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub name: String,
    pub value: i64,
}

/// Keys from `prefix` up to the next prefix (`prefix` followed by the highest
/// character), so the primary key's order answers it (SQLite compares text bytewise).
const BY_PREFIX_SQLITE: &str =
    "SELECT key, name, value FROM counters WHERE key >= $1 AND key < $2 ORDER BY key, name";
/// PostgreSQL's collation need not be bytewise: compare the key's start itself.
const BY_PREFIX_POSTGRES: &str = "SELECT key, name, value FROM counters \
     WHERE starts_with(key, $1) AND $2 <> '' ORDER BY key, name";

fn counter_of<R: Row>(row: &R) -> Result<Counter, sqlx::Error>
where
    for<'r> &'r str: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(Counter {
        key: row.try_get("key")?,
        name: row.try_get("name")?,
        value: row.try_get("value")?,
    })
}

impl Store {
    /// Every running total whose key starts with `prefix`.
    pub async fn counters(&self, prefix: &str) -> Result<Vec<Counter>, StoreError> {
        let end = format!("{prefix}\u{10FFFF}");
        let rows = match self {
            Store::Sqlite(s) => sqlx::query(BY_PREFIX_SQLITE)
                .bind(prefix)
                .bind(&end)
                .fetch_all(&s.pool)
                .await?
                .iter()
                .map(counter_of)
                .collect::<Result<Vec<_>, _>>()?,
            Store::Postgres(s) => sqlx::query(BY_PREFIX_POSTGRES)
                .bind(prefix)
                .bind(&end)
                .fetch_all(&s.pool)
                .await?
                .iter()
                .map(counter_of)
                .collect::<Result<Vec<_>, _>>()?,
        };
        Ok(rows)
    }
}

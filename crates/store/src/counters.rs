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

/// Rows per statement in a bulk fill (four binds each stay under SQLite's limit).
const FILL_ROWS: usize = 5000;

macro_rules! fill {
    ($pool:expr, $db:ty, $deltas:expr) => {{
        let mut tx = $pool.begin().await?;
        for chunk in $deltas.chunks(FILL_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO counters (key, name, value) ");
            q.push_values(chunk, |mut row, c| {
                row.push_bind(&c.key).push_bind(&c.name).push_bind(c.delta);
            });
            q.push(
                " ON CONFLICT (key, name) DO UPDATE SET value = counters.value + excluded.value",
            );
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }};
}

impl Store {
    /// Adds many amounts to running totals in one transaction: for rebuilding totals
    /// and for `bench ratings`, which fills the totals of millions of ratings at once.
    pub async fn add_to_counters(&self, deltas: &[crate::CounterDelta]) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => fill!(s.pool, sqlx::Sqlite, deltas),
            Store::Postgres(s) => fill!(s.pool, sqlx::Postgres, deltas),
        }
        Ok(())
    }
}

/// Deletes one family's totals: SQLite by the key's byte range, PostgreSQL by its start.
const DELETE_FAMILY_SQLITE: &str = "DELETE FROM counters WHERE key >= $1 AND key < $2";
const DELETE_FAMILY_POSTGRES: &str = "DELETE FROM counters WHERE starts_with(key, $1) AND $2 <> ''";

macro_rules! replace {
    ($pool:expr, $db:ty, $delete:expr, $families:expr, $totals:expr) => {{
        let mut tx = $pool.begin().await?;
        for family in $families {
            sqlx::query($delete)
                .bind(*family)
                .bind(format!("{family}\u{10FFFF}"))
                .execute(&mut *tx)
                .await?;
        }
        for chunk in $totals.chunks(FILL_ROWS) {
            let mut q = sqlx::QueryBuilder::<$db>::new("INSERT INTO counters (key, name, value) ");
            q.push_values(chunk, |mut row, c| {
                row.push_bind(&c.key).push_bind(&c.name).push_bind(c.delta);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }};
}

impl Store {
    /// Replaces every total whose key starts with one of `families` by `totals`, in one
    /// transaction (a reader sees the old totals or the new, never a mix). Each of
    /// `totals` must belong to one of the families; a key outside them is refused
    /// before anything is written.
    pub async fn replace_counters(
        &self,
        families: &[&str],
        totals: &[crate::CounterDelta],
    ) -> Result<(), StoreError> {
        if let Some(stray) = totals
            .iter()
            .find(|t| !families.iter().any(|f| t.key.starts_with(f)))
        {
            return Err(StoreError::Corrupt(format!(
                "the total {:?} belongs to none of the families replaced ({})",
                stray.key,
                families.join(", ")
            )));
        }
        match self {
            Store::Sqlite(s) => {
                replace!(s.pool, sqlx::Sqlite, DELETE_FAMILY_SQLITE, families, totals)
            }
            Store::Postgres(s) => {
                replace!(
                    s.pool,
                    sqlx::Postgres,
                    DELETE_FAMILY_POSTGRES,
                    families,
                    totals
                )
            }
        }
        Ok(())
    }
}

//! Service halls and their windows.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use yichuang_domain::hall::Schedule;

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HallKind {
    /// 政务服务大厅 / 人社服务大厅
    Hall,
    /// 人社银行一体化网点: a hall inside a bank outlet.
    BankOutlet,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Hall {
    pub id: String,
    /// GB/T 2260 code of the county (or city) it serves.
    pub region: String,
    pub name: String,
    pub kind: HallKind,
    pub address: String,
    pub windows: Vec<HallWindow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HallWindow {
    pub number: u32,
    pub label: String,
}

fn kind_name(kind: &HallKind) -> &'static str {
    match kind {
        HallKind::Hall => "hall",
        HallKind::BankOutlet => "bank_outlet",
    }
}

macro_rules! hall_functions {
    ($mod:ident, $pool:ty, $db:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn add(pool: &$pool, hall: &Hall) -> Result<(), StoreError> {
                let mut tx = pool.begin().await?;
                sqlx::query("INSERT INTO halls (id, region, name, kind, address) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&hall.id)
                    .bind(&hall.region)
                    .bind(&hall.name)
                    .bind(kind_name(&hall.kind))
                    .bind(&hall.address)
                    .execute(&mut *tx)
                    .await?;
                for window in &hall.windows {
                    sqlx::query("INSERT INTO windows (hall_id, number, label) VALUES ($1, $2, $3)")
                        .bind(&hall.id)
                        .bind(i64::from(window.number))
                        .bind(&window.label)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn with_windows(pool: &$pool, row: &<$db as sqlx::Database>::Row) -> Result<Hall, StoreError> {
                let id: String = row.try_get("id")?;
                let kind: String = row.try_get("kind")?;
                let windows = sqlx::query("SELECT number, label FROM windows WHERE hall_id = $1 ORDER BY number")
                    .bind(&id)
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(|w| Ok(HallWindow { number: u32::try_from(w.try_get::<i64, _>("number")?).unwrap_or(0), label: w.try_get("label")? }))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?;
                Ok(Hall {
                    id,
                    region: row.try_get("region")?,
                    name: row.try_get("name")?,
                    kind: if kind == "bank_outlet" { HallKind::BankOutlet } else { HallKind::Hall },
                    address: row.try_get("address")?,
                    windows,
                })
            }

            pub(super) async fn in_region(pool: &$pool, prefix: &str) -> Result<Vec<Hall>, StoreError> {
                let rows = sqlx::query("SELECT id, region, name, kind, address FROM halls WHERE region LIKE $1 ORDER BY id").bind(format!("{prefix}%")).fetch_all(pool).await?;
                let mut halls = Vec::with_capacity(rows.len());
                for row in &rows {
                    halls.push(with_windows(pool, row).await?);
                }
                Ok(halls)
            }

            pub(super) async fn one(pool: &$pool, id: &str) -> Result<Option<Hall>, StoreError> {
                let row = sqlx::query("SELECT id, region, name, kind, address FROM halls WHERE id = $1").bind(id).fetch_optional(pool).await?;
                match row {
                    Some(row) => Ok(Some(with_windows(pool, &row).await?)),
                    None => Ok(None),
                }
            }
        }
    };
}

hall_functions!(sqlite_halls, sqlx::SqlitePool, sqlx::Sqlite);
hall_functions!(postgres_halls, sqlx::PgPool, sqlx::Postgres);

const SELECT_SCHEDULE: &str = "SELECT schedule FROM hall_schedules WHERE hall_id = $1";
const UPSERT_SCHEDULE: &str = "INSERT INTO hall_schedules (hall_id, schedule) VALUES ($1, $2) \
     ON CONFLICT (hall_id) DO UPDATE SET schedule = excluded.schedule";

impl Store {
    /// A hall's appointment rules (the defaults where none were set).
    pub async fn hall_schedule(&self, id: &str) -> Result<Schedule, StoreError> {
        let text: Option<String> = match self {
            Store::Sqlite(s) => {
                sqlx::query_scalar(SELECT_SCHEDULE)
                    .bind(id)
                    .fetch_optional(&s.pool)
                    .await?
            }
            Store::Postgres(s) => {
                sqlx::query_scalar(SELECT_SCHEDULE)
                    .bind(id)
                    .fetch_optional(&s.pool)
                    .await?
            }
        };
        match text {
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| StoreError::Corrupt(format!("schedule of {id}: {e}"))),
            None => Ok(Schedule::default()),
        }
    }

    pub async fn set_hall_schedule(&self, id: &str, schedule: &Schedule) -> Result<(), StoreError> {
        let text =
            serde_json::to_string(schedule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        match self {
            Store::Sqlite(s) => {
                sqlx::query(UPSERT_SCHEDULE)
                    .bind(id)
                    .bind(&text)
                    .execute(&s.pool)
                    .await?;
            }
            Store::Postgres(s) => {
                sqlx::query(UPSERT_SCHEDULE)
                    .bind(id)
                    .bind(&text)
                    .execute(&s.pool)
                    .await?;
            }
        }
        Ok(())
    }

    pub async fn add_hall(&self, hall: &Hall) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_halls::add(&s.pool, hall).await,
            Store::Postgres(s) => postgres_halls::add(&s.pool, hall).await,
        }
    }

    /// One hall by id.
    pub async fn hall(&self, id: &str) -> Result<Option<Hall>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_halls::one(&s.pool, id).await,
            Store::Postgres(s) => postgres_halls::one(&s.pool, id).await,
        }
    }

    /// Halls whose region code starts with `prefix` (a region's subtree).
    pub async fn halls(&self, prefix: &str) -> Result<Vec<Hall>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_halls::in_region(&s.pool, prefix).await,
            Store::Postgres(s) => postgres_halls::in_region(&s.pool, prefix).await,
        }
    }
}

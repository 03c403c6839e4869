//! Facts imported from other systems (employers, monthly contributions, claimants).
//! An import is one transaction; rows are upserted in chunks of many rows per statement
//! and a row equal to the stored one is left alone, so a re-import writes nothing.

use std::collections::{HashMap, HashSet};

use sqlx::{QueryBuilder, Row};
use yichuang_domain::facts::{
    Cents, ClaimantsRecord, EmployerMonthRecord, EmployerRecord, EmployerSize, Month,
};
use yichuang_domain::{RegionCode, Uscc};

use crate::{Store, StoreError};

/// Rows per statement: 5 columns × 2,000 stays far below SQLite's 32,766 parameters.
const CHUNK: usize = 2_000;

/// An employer with its records of one year, as a policy reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerYearRecords {
    pub employer: EmployerRecord,
    pub months: Vec<EmployerMonthRecord>,
    /// `None`: no claimants row for the year.
    pub new_claimants: Option<u32>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?} in the facts"))
}

fn uscc(text: &str) -> Result<Uscc, StoreError> {
    Uscc::parse(text)
        .map(|p| p.value)
        .map_err(|_| corrupt("credit code", text))
}

macro_rules! fact_functions {
    ($mod:ident, $pool:ty, $db:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn employers(
                pool: &$pool,
                rows: &[EmployerRecord],
            ) -> Result<u64, StoreError> {
                let mut tx = pool.begin().await?;
                let mut written = 0;
                for chunk in rows.chunks(CHUNK) {
                    let mut query = QueryBuilder::<$db>::new(
                        "INSERT INTO fact_employers (uscc, name, region, size) ",
                    );
                    query.push_values(chunk, |mut row, r| {
                        row.push_bind(r.uscc.as_str().to_owned())
                            .push_bind(r.name.clone())
                            .push_bind(r.region.to_string())
                            .push_bind(r.size.name());
                    });
                    query.push(
                        " ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, \
                         region = excluded.region, size = excluded.size \
                         WHERE fact_employers.name <> excluded.name \
                         OR fact_employers.region <> excluded.region \
                         OR fact_employers.size <> excluded.size",
                    );
                    written += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            pub(super) async fn months(
                pool: &$pool,
                rows: &[EmployerMonthRecord],
            ) -> Result<u64, StoreError> {
                let mut tx = pool.begin().await?;
                let mut written = 0;
                for chunk in rows.chunks(CHUNK) {
                    let mut query = QueryBuilder::<$db>::new(
                        "INSERT INTO fact_employer_months (uscc, month, insured, due_cents, paid_cents) ",
                    );
                    query.push_values(chunk, |mut row, r| {
                        row.push_bind(r.uscc.as_str().to_owned())
                            .push_bind(r.month.to_string())
                            .push_bind(i64::from(r.insured))
                            .push_bind(r.due.0)
                            .push_bind(r.paid.0);
                    });
                    query.push(
                        " ON CONFLICT (uscc, month) DO UPDATE SET insured = excluded.insured, \
                         due_cents = excluded.due_cents, paid_cents = excluded.paid_cents \
                         WHERE fact_employer_months.insured <> excluded.insured \
                         OR fact_employer_months.due_cents <> excluded.due_cents \
                         OR fact_employer_months.paid_cents <> excluded.paid_cents",
                    );
                    written += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            pub(super) async fn claimants(
                pool: &$pool,
                rows: &[ClaimantsRecord],
            ) -> Result<u64, StoreError> {
                let mut tx = pool.begin().await?;
                let mut written = 0;
                for chunk in rows.chunks(CHUNK) {
                    let mut query = QueryBuilder::<$db>::new(
                        "INSERT INTO fact_claimants (uscc, year, new_claimants) ",
                    );
                    query.push_values(chunk, |mut row, r| {
                        row.push_bind(r.uscc.as_str().to_owned())
                            .push_bind(i64::from(r.year))
                            .push_bind(i64::from(r.new_claimants));
                    });
                    query.push(
                        " ON CONFLICT (uscc, year) DO UPDATE SET new_claimants = excluded.new_claimants \
                         WHERE fact_claimants.new_claimants <> excluded.new_claimants",
                    );
                    written += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            pub(super) async fn employer_codes(pool: &$pool) -> Result<HashSet<String>, StoreError> {
                let rows = sqlx::query("SELECT uscc FROM fact_employers")
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok(r.try_get::<String, _>("uscc")?))
                    .collect()
            }

            pub(super) async fn year(
                pool: &$pool,
                year: i16,
            ) -> Result<Vec<EmployerYearRecords>, StoreError> {
                let mut out: Vec<EmployerYearRecords> = Vec::new();
                let mut index: HashMap<String, usize> = HashMap::new();
                let employers = sqlx::query(
                    "SELECT uscc, name, region, size FROM fact_employers ORDER BY uscc",
                )
                .fetch_all(pool)
                .await?;
                for row in &employers {
                    let code: String = row.try_get("uscc")?;
                    let region: String = row.try_get("region")?;
                    let size: String = row.try_get("size")?;
                    index.insert(code.clone(), out.len());
                    out.push(EmployerYearRecords {
                        employer: EmployerRecord {
                            uscc: uscc(&code)?,
                            name: row.try_get("name")?,
                            region: RegionCode::parse(&region)
                                .map_err(|_| corrupt("region", &region))?,
                            size: EmployerSize::parse(&size).ok_or_else(|| corrupt("size", &size))?,
                        },
                        months: Vec::new(),
                        new_claimants: None,
                    });
                }
                let months = sqlx::query(
                    "SELECT uscc, month, insured, due_cents, paid_cents FROM fact_employer_months \
                     WHERE month >= $1 AND month <= $2",
                )
                .bind(format!("{year:04}-01"))
                .bind(format!("{year:04}-12"))
                .fetch_all(pool)
                .await?;
                for row in &months {
                    let code: String = row.try_get("uscc")?;
                    let month: String = row.try_get("month")?;
                    let Some(&at) = index.get(&code) else { continue };
                    let insured: i64 = row.try_get("insured")?;
                    let record = EmployerMonthRecord {
                        uscc: out[at].employer.uscc,
                        month: Month::parse(&month).ok_or_else(|| corrupt("month", &month))?,
                        insured: u32::try_from(insured)
                            .map_err(|_| corrupt("insured", &insured.to_string()))?,
                        due: Cents(row.try_get("due_cents")?),
                        paid: Cents(row.try_get("paid_cents")?),
                    };
                    out[at].months.push(record);
                }
                let claimants = sqlx::query(
                    "SELECT uscc, new_claimants FROM fact_claimants WHERE year = $1",
                )
                .bind(i64::from(year))
                .fetch_all(pool)
                .await?;
                for row in &claimants {
                    let code: String = row.try_get("uscc")?;
                    let Some(&at) = index.get(&code) else { continue };
                    let n: i64 = row.try_get("new_claimants")?;
                    out[at].new_claimants =
                        Some(u32::try_from(n).map_err(|_| corrupt("new_claimants", &n.to_string()))?);
                }
                for record in &mut out {
                    record.months.sort_by_key(|m| m.month);
                }
                Ok(out)
            }
        }
    };
}

fact_functions!(sqlite_facts, sqlx::SqlitePool, sqlx::Sqlite);
fact_functions!(postgres_facts, sqlx::PgPool, sqlx::Postgres);

macro_rules! on_backend {
    ($self:ident, $f:ident ( $($arg:expr),* )) => {
        match $self {
            Store::Sqlite(s) => sqlite_facts::$f(&s.pool, $($arg),*).await,
            Store::Postgres(s) => postgres_facts::$f(&s.pool, $($arg),*).await,
        }
    };
}

impl Store {
    /// Upserts employers in one transaction; returns the rows new or changed.
    pub async fn import_employers(&self, rows: &[EmployerRecord]) -> Result<u64, StoreError> {
        on_backend!(self, employers(rows))
    }

    /// Upserts month records in one transaction; returns the rows new or changed.
    pub async fn import_employer_months(
        &self,
        rows: &[EmployerMonthRecord],
    ) -> Result<u64, StoreError> {
        on_backend!(self, months(rows))
    }

    /// Upserts claimant counts in one transaction; returns the rows new or changed.
    pub async fn import_claimants(&self, rows: &[ClaimantsRecord]) -> Result<u64, StoreError> {
        on_backend!(self, claimants(rows))
    }

    /// The credit codes of every imported employer.
    pub async fn fact_employer_codes(&self) -> Result<HashSet<String>, StoreError> {
        on_backend!(self, employer_codes())
    }

    /// Every employer with its month records of `year` (sorted) and its claimants.
    pub async fn employer_years(&self, year: i16) -> Result<Vec<EmployerYearRecords>, StoreError> {
        on_backend!(self, year(year))
    }
}

/// The job-retention refund's national rule as one hand-written query, for `bench
/// proactive` to time the rule engine against: (eligible employers, total in cents).
// Every sum is cast back to BIGINT: PostgreSQL sums BIGINTs as NUMERIC, and the rule's
// arithmetic (and its division rounding down) is integer arithmetic.
const BASELINE_REFUND: &str = "SELECT COUNT(*) AS eligible, \
     CAST(COALESCE(SUM((paid * CASE WHEN size = 'sme' THEN 60 ELSE 30 END + 50) / 100), 0) AS BIGINT) AS total \
     FROM (SELECT e.uscc, e.size, \
             CAST(SUM(CASE WHEN m.due_cents > 0 AND m.paid_cents >= m.due_cents THEN 1 ELSE 0 END) AS BIGINT) AS full_months, \
             COUNT(m.month) AS months, CAST(SUM(m.insured) AS BIGINT) AS insured_sum, \
             CAST(SUM(m.paid_cents) AS BIGINT) AS paid, \
             COALESCE(MAX(c.new_claimants), 0) AS claimants \
           FROM fact_employers e \
           JOIN fact_employer_months m ON m.uscc = e.uscc AND m.month >= $1 AND m.month <= $2 \
           LEFT JOIN fact_claimants c ON c.uscc = e.uscc AND c.year = $3 \
           GROUP BY e.uscc, e.size) y \
     WHERE full_months = 12 AND months = 12 AND insured_sum > 0 AND paid > 0 \
       AND claimants * 12000 <= insured_sum * CASE WHEN insured_sum <= 360 THEN 200 ELSE 55 END";

impl Store {
    /// The baseline of `bench proactive`: the refund's eligibility by SQL alone.
    pub async fn baseline_refund_eligibility(&self, year: i16) -> Result<(u64, i64), StoreError> {
        let (from, to) = (format!("{year:04}-01"), format!("{year:04}-12"));
        macro_rules! on {
            ($pool:expr) => {{
                let row = sqlx::query(BASELINE_REFUND)
                    .bind(&from)
                    .bind(&to)
                    .bind(i64::from(year))
                    .fetch_one($pool)
                    .await?;
                (row.try_get("eligible")?, row.try_get("total")?)
            }};
        }
        let (eligible, total): (i64, i64) = match self {
            Store::Sqlite(s) => on!(&s.pool),
            Store::Postgres(s) => on!(&s.pool),
        };
        Ok((u64::try_from(eligible).unwrap_or(0), total))
    }
}

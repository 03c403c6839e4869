//! The insured persons imported from the registers (one row a person), and one
//! person's record read back for a rule. Imported like the employer facts: one
//! transaction, chunked upserts that leave equal rows alone.

use std::collections::HashSet;

use sqlx::{QueryBuilder, Row};
use yichuang_domain::facts::{CardStatus, CertificateRecord, PersonRecord, PersonStatus};
use yichuang_domain::{RegionCode, ResidentId};

use crate::{Store, StoreError};

/// A person with their certificates, as a certificate policy reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateHolder {
    pub person: PersonRecord,
    pub certificates: Vec<CertificateRecord>,
}

/// Rows per statement: 5 columns × 2,000 stays far below SQLite's 32,766 parameters.
const CHUNK: usize = 2_000;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?} in the person facts"))
}

/// One row back into its record; what the import checked is trusted (no birth date
/// bound on the way back).
pub(crate) fn record<R: Row>(row: &R) -> Result<PersonRecord, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let person: String = row.try_get("person")?;
    let region: String = row.try_get("region")?;
    let status: String = row.try_get("status")?;
    let months: i64 = row.try_get("ui_months")?;
    let card: String = row.try_get("card")?;
    record_of([&person, &region, &status, &card], months)
}

/// A record from its stored columns: person, region, status and card, and the months.
pub(crate) fn record_of(
    [person, region, status, card]: [&str; 4],
    months: i64,
) -> Result<PersonRecord, StoreError> {
    Ok(PersonRecord {
        person: ResidentId::from_stored(person)
            .ok_or_else(|| corrupt("identity number", person))?,
        region: RegionCode::parse(region).map_err(|_| corrupt("region", region))?,
        status: PersonStatus::parse(status).ok_or_else(|| corrupt("status", status))?,
        ui_months: u32::try_from(months).map_err(|_| corrupt("ui_months", &months.to_string()))?,
        card: CardStatus::parse(card).ok_or_else(|| corrupt("card", card))?,
    })
}

/// `bench proactive --people`'s five conditions as one hand-written query: the
/// baseline the rule engine is timed against.
const BASELINE_PERSONS: &str = "SELECT COUNT(*) AS eligible FROM fact_persons \
     WHERE status IN ('employed', 'claiming_benefit') AND ui_months >= 12 \
     AND ui_months <= 600 AND card <> 'none' AND card <> 'lost'";

macro_rules! person_functions {
    ($mod:ident, $pool:ty, $db:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn import(
                pool: &$pool,
                rows: &[PersonRecord],
            ) -> Result<u64, StoreError> {
                let mut tx = pool.begin().await?;
                let mut written = 0;
                for chunk in rows.chunks(CHUNK) {
                    let mut query = QueryBuilder::<$db>::new(
                        "INSERT INTO fact_persons (person, region, status, ui_months, card) ",
                    );
                    query.push_values(chunk, |mut row, r| {
                        row.push_bind(r.person.as_str().to_owned())
                            .push_bind(r.region.to_string())
                            .push_bind(r.status.name())
                            .push_bind(i64::from(r.ui_months))
                            .push_bind(r.card.name());
                    });
                    query.push(
                        " ON CONFLICT (person) DO UPDATE SET region = excluded.region, \
                         status = excluded.status, ui_months = excluded.ui_months, \
                         card = excluded.card \
                         WHERE fact_persons.region <> excluded.region \
                         OR fact_persons.status <> excluded.status \
                         OR fact_persons.ui_months <> excluded.ui_months \
                         OR fact_persons.card <> excluded.card",
                    );
                    written += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            pub(super) async fn one(
                pool: &$pool,
                person: &str,
            ) -> Result<Option<PersonRecord>, StoreError> {
                let row = sqlx::query(
                    "SELECT person, region, status, ui_months, card FROM fact_persons WHERE person = $1",
                )
                .bind(person)
                .fetch_optional(pool)
                .await?;
                row.map(|row| record(&row)).transpose()
            }

            pub(super) async fn import_certificates(
                pool: &$pool,
                rows: &[CertificateRecord],
            ) -> Result<u64, StoreError> {
                let mut tx = pool.begin().await?;
                let mut written = 0;
                for chunk in rows.chunks(CHUNK) {
                    let mut query = QueryBuilder::<$db>::new(
                        "INSERT INTO fact_certificates (certificate, person, occupation, level, issued_on) ",
                    );
                    query.push_values(chunk, |mut row, r| {
                        row.push_bind(r.certificate.clone())
                            .push_bind(r.person.as_str().to_owned())
                            .push_bind(r.occupation.clone())
                            .push_bind(i64::from(r.level))
                            .push_bind(r.issued_on.to_string());
                    });
                    query.push(
                        " ON CONFLICT (certificate) DO UPDATE SET person = excluded.person, \
                         occupation = excluded.occupation, level = excluded.level, \
                         issued_on = excluded.issued_on \
                         WHERE fact_certificates.person <> excluded.person \
                         OR fact_certificates.occupation <> excluded.occupation \
                         OR fact_certificates.level <> excluded.level \
                         OR fact_certificates.issued_on <> excluded.issued_on",
                    );
                    written += query.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                Ok(written)
            }

            pub(super) async fn person_ids(pool: &$pool) -> Result<HashSet<String>, StoreError> {
                let rows = sqlx::query("SELECT person FROM fact_persons").fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok(r.try_get::<String, _>("person")?))
                    .collect()
            }

            pub(super) async fn certificate_holders(
                pool: &$pool,
                year: i16,
            ) -> Result<Vec<CertificateHolder>, StoreError> {
                let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
                let holders = sqlx::query(
                    "SELECT person, region, status, ui_months, card FROM fact_persons WHERE person IN \
                     (SELECT person FROM fact_certificates WHERE issued_on >= $1 AND issued_on <= $2) \
                     ORDER BY person",
                )
                .bind(&from)
                .bind(&to)
                .fetch_all(pool)
                .await?;
                let certificates = sqlx::query(
                    "SELECT certificate, person, occupation, level, issued_on FROM fact_certificates \
                     WHERE person IN (SELECT person FROM fact_certificates WHERE issued_on >= $1 AND issued_on <= $2) \
                     ORDER BY person, issued_on, certificate",
                )
                .bind(&from)
                .bind(&to)
                .fetch_all(pool)
                .await?;
                let mut out: Vec<CertificateHolder> = Vec::with_capacity(holders.len());
                for row in &holders {
                    out.push(CertificateHolder {
                        person: record(row)?,
                        certificates: Vec::new(),
                    });
                }
                let mut at = 0;
                for row in &certificates {
                    let person: String = row.try_get("person")?;
                    while at < out.len() && out[at].person.person.as_str() < person.as_str() {
                        at += 1;
                    }
                    let Some(holder) = out.get_mut(at) else { break };
                    if holder.person.person.as_str() != person {
                        continue;
                    }
                    let level: i64 = row.try_get("level")?;
                    let issued: String = row.try_get("issued_on")?;
                    holder.certificates.push(CertificateRecord {
                        person: holder.person.person,
                        certificate: row.try_get("certificate")?,
                        occupation: row.try_get("occupation")?,
                        level: u8::try_from(level).map_err(|_| corrupt("level", &level.to_string()))?,
                        issued_on: issued.parse().map_err(|_| corrupt("issued_on", &issued))?,
                    });
                }
                Ok(out)
            }

            pub(super) async fn baseline(pool: &$pool) -> Result<i64, StoreError> {
                let row = sqlx::query(BASELINE_PERSONS).fetch_one(pool).await?;
                Ok(row.try_get("eligible")?)
            }
        }
    };
}

person_functions!(sqlite_persons, sqlx::SqlitePool, sqlx::Sqlite);
person_functions!(postgres_persons, sqlx::PgPool, sqlx::Postgres);

impl Store {
    /// Upserts persons in one transaction; returns the rows new or changed.
    pub async fn import_persons(&self, rows: &[PersonRecord]) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_persons::import(&s.pool, rows).await,
            Store::Postgres(s) => postgres_persons::import(&s.pool, rows).await,
        }
    }

    /// The baseline of `bench proactive --people`: the five conditions by SQL alone.
    pub async fn baseline_person_eligibility(&self) -> Result<u64, StoreError> {
        let eligible = match self {
            Store::Sqlite(s) => sqlite_persons::baseline(&s.pool).await?,
            Store::Postgres(s) => postgres_persons::baseline(&s.pool).await?,
        };
        Ok(u64::try_from(eligible).unwrap_or(0))
    }

    /// Upserts certificates in one transaction; returns the rows new or changed.
    pub async fn import_certificates(&self, rows: &[CertificateRecord]) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_persons::import_certificates(&s.pool, rows).await,
            Store::Postgres(s) => postgres_persons::import_certificates(&s.pool, rows).await,
        }
    }

    /// The identity numbers of every imported person.
    pub async fn fact_person_ids(&self) -> Result<HashSet<String>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_persons::person_ids(&s.pool).await,
            Store::Postgres(s) => postgres_persons::person_ids(&s.pool).await,
        }
    }

    /// Every person with a certificate issued in `year`, with all their certificates
    /// (any year, by date), for 技能提升补贴's screening.
    pub async fn certificate_holders(
        &self,
        year: i16,
    ) -> Result<Vec<CertificateHolder>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_persons::certificate_holders(&s.pool, year).await,
            Store::Postgres(s) => postgres_persons::certificate_holders(&s.pool, year).await,
        }
    }

    /// One person's record, if the registers exported one.
    pub async fn person_facts(&self, person: &str) -> Result<Option<PersonRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_persons::one(&s.pool, person).await,
            Store::Postgres(s) => postgres_persons::one(&s.pool, person).await,
        }
    }
}

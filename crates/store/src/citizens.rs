//! Citizens and employers on the public pages: their sign-in sessions, and the cases
//! they are the applicant or the agent of.

use sqlx::Row;

use crate::model::CaseSummary;
use crate::{Store, StoreError};

/// Who signed in on the public pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenSession {
    /// `person` or `employer`.
    pub party_kind: String,
    /// The identity number, or the employer's credit code.
    pub party: String,
    /// For an employer: the identity number of the person acting for it.
    pub agent: Option<String>,
    pub name: String,
    /// `oidc` or `demo`.
    pub method: String,
    pub csrf: String,
}

macro_rules! on_backend {
    ($store:expr, $function:ident ( $($arg:expr),* )) => {
        match $store {
            Store::Sqlite(s) => sqlite_citizens::$function(&s.pool $(, $arg)*).await,
            Store::Postgres(s) => postgres_citizens::$function(&s.pool $(, $arg)*).await,
        }
    };
}

macro_rules! citizen_functions {
    ($mod:ident, $pool:ty, $store:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn create(pool: &$pool, hash: &str, s: &CitizenSession, expires_at: &str) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO citizen_sessions (session_hash, party_kind, party, agent, name, method, csrf, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(hash)
                    .bind(&s.party_kind)
                    .bind(&s.party)
                    .bind(&s.agent)
                    .bind(&s.name)
                    .bind(&s.method)
                    .bind(&s.csrf)
                    .bind(expires_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn find(pool: &$pool, hash: &str, now: &str) -> Result<Option<CitizenSession>, StoreError> {
                let row = sqlx::query("SELECT party_kind, party, agent, name, method, csrf FROM citizen_sessions WHERE session_hash = $1 AND expires_at > $2")
                    .bind(hash)
                    .bind(now)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| -> Result<CitizenSession, StoreError> {
                    Ok(CitizenSession {
                        party_kind: r.try_get("party_kind")?,
                        party: r.try_get("party")?,
                        agent: r.try_get("agent")?,
                        name: r.try_get("name")?,
                        method: r.try_get("method")?,
                        csrf: r.try_get("csrf")?,
                    })
                })
                .transpose()
            }

            pub(super) async fn end(pool: &$pool, hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM citizen_sessions WHERE session_hash = $1").bind(hash).execute(pool).await?;
                Ok(())
            }

            pub(super) async fn number_of(pool: &$pool, id: &str) -> Result<Option<String>, StoreError> {
                let row = sqlx::query("SELECT number FROM cases WHERE id = $1").bind(id).fetch_optional(pool).await?;
                Ok(row.map(|r| r.try_get::<Option<String>, _>("number")).transpose()?.flatten())
            }

            pub(super) async fn id_of(pool: &$pool, number: &str) -> Result<Option<String>, StoreError> {
                let row = sqlx::query("SELECT id FROM cases WHERE number = $1").bind(number).fetch_optional(pool).await?;
                Ok(row.map(|r| r.try_get("id")).transpose()?)
            }

            pub(super) async fn purge(pool: &$pool, now: &str) -> Result<u64, StoreError> {
                let done = sqlx::query("DELETE FROM citizen_sessions WHERE expires_at <= $1").bind(now).execute(pool).await?;
                Ok(done.rows_affected())
            }

            pub(super) async fn cases_of(pool: &$pool, party: &str, limit: i64) -> Result<Vec<CaseSummary>, StoreError> {
                let rows = sqlx::query("SELECT id, number, item, state, version, accepting_region, handling_region, channel, deadline, yellow_from, \
                        statutory_deadline, running FROM cases WHERE applicant = $1 OR agent = $1 \
                        ORDER BY submitted_on DESC, id DESC LIMIT $2")
                    .bind(party)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(<$store>::summary_of).collect()
            }
        }
    };
}

citizen_functions!(
    sqlite_citizens,
    sqlx::SqlitePool,
    crate::backend::SqliteStore
);
citizen_functions!(
    postgres_citizens,
    sqlx::PgPool,
    crate::backend::PostgresStore
);

impl Store {
    /// Stores a public sign-in session by the hash of its cookie.
    pub async fn create_citizen_session(
        &self,
        session_hash: &str,
        session: &CitizenSession,
        expires_at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        let expires = expires_at.to_string();
        on_backend!(self, create(session_hash, session, &expires))
    }

    /// The live session with this cookie hash, if any.
    pub async fn citizen_session(
        &self,
        session_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<CitizenSession>, StoreError> {
        let now = now.to_string();
        on_backend!(self, find(session_hash, &now))
    }

    pub async fn end_citizen_session(&self, session_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, end(session_hash))
    }

    /// Deletes expired public sessions; how many.
    pub async fn purge_citizen_sessions(&self, now: jiff::Timestamp) -> Result<u64, StoreError> {
        let now = now.to_string();
        on_backend!(self, purge(&now))
    }

    /// A case's human-readable number.
    pub async fn case_number(&self, id: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, number_of(id))
    }

    /// The case with this human-readable number.
    pub async fn case_id_by_number(&self, number: &str) -> Result<Option<String>, StoreError> {
        on_backend!(self, id_of(number))
    }

    /// Cases whose applicant or agent is `party` (identity number or credit code),
    /// newest first.
    pub async fn cases_of_party(
        &self,
        party: &str,
        limit: u32,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        on_backend!(self, cases_of(party, i64::from(limit.clamp(1, 1000))))
    }
}

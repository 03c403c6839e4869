//! Staff accounts, API tokens and the identity-read log.

use serde::Serialize;
use sqlx::Row;

use yichuang_domain::case::{Staff, role_name};
use yichuang_domain::catalog::Role;

use crate::{Store, StoreError};

/// Which identity reads to list: those on cases accepted or handled in a region
/// subtree, optionally by one staff member, on one case, in a time range; newest
/// first, `before` being the `at` of the last row of the previous page.
#[derive(Debug, Clone, Default)]
pub struct IdentityReadFilter {
    pub region_prefix: String,
    pub staff_id: Option<String>,
    pub case_id: Option<String>,
    pub since: Option<jiff::Timestamp>,
    pub before: Option<jiff::Timestamp>,
    pub limit: u32,
}

const SELECT_READS: &str = "SELECT r.staff_id, r.case_id, r.at, r.purpose FROM identity_reads r \
     JOIN cases c ON c.id = r.case_id \
     WHERE (c.handling_region LIKE $1 OR c.accepting_region LIKE $1) \
       AND ($2 IS NULL OR r.staff_id = $2) AND ($3 IS NULL OR r.case_id = $3) \
       AND ($4 IS NULL OR r.at >= $4) AND ($5 IS NULL OR r.at < $5) \
     ORDER BY r.at DESC LIMIT $6";

/// A read's link in the chain: the hash over the previous link and the read's
/// canonical JSON (the same hash as case events use).
pub(crate) fn read_hash(previous: &str, read: &IdentityRead) -> Result<String, StoreError> {
    let json = serde_json::to_string(read).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(yichuang_domain::case::chain_hash(previous, &json))
}

/// A full identity number was shown to someone: who, whose case, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct IdentityRead {
    pub staff_id: String,
    pub case_id: String,
    pub at: String,
    pub purpose: String,
}

fn role_from(name: &str) -> Result<Role, StoreError> {
    Ok(match name {
        "clerk" => Role::Clerk,
        "reviewer" => Role::Reviewer,
        "supervisor" => Role::Supervisor,
        "standards_officer" => Role::StandardsOfficer,
        "administrator" => Role::Administrator,
        "system" => Role::System,
        other => return Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    })
}

/// Calls the same-named function of the backend's module.
macro_rules! on_backend {
    ($store:expr, $function:ident ( $($arg:expr),* )) => {
        match $store {
            Store::Sqlite(s) => sqlite_staff::$function(&s.pool $(, $arg)*).await,
            Store::Postgres(s) => postgres_staff::$function(&s.pool $(, $arg)*).await,
        }
    };
}

macro_rules! staff_functions {
    ($mod:ident, $pool:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn create(pool: &$pool, staff: &Staff, password_hash: &str) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO staff (id, name, role, jurisdiction, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&staff.id)
                    .bind(&staff.name)
                    .bind(role_name(staff.role))
                    .bind(staff.jurisdiction.to_string())
                    .bind(password_hash)
                    .bind(jiff::Timestamp::now().to_string())
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn add_token(pool: &$pool, token_hash: &str, staff_id: &str, expires_at: &str) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO api_tokens (token_hash, staff_id, created_at, revoked, expires_at) VALUES ($1, $2, $3, 0, $4)")
                    .bind(token_hash)
                    .bind(staff_id)
                    .bind(jiff::Timestamp::now().to_string())
                    .bind(expires_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn revoke_all(pool: &$pool, staff_id: &str) -> Result<u64, StoreError> {
                let tokens = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE staff_id = $1 AND revoked = 0").bind(staff_id).execute(pool).await?;
                let sessions = sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(pool).await?;
                Ok(tokens.rows_affected() + sessions.rows_affected())
            }

            pub(super) async fn set_disabled(pool: &$pool, staff_id: &str, disabled: bool) -> Result<bool, StoreError> {
                let done = sqlx::query("UPDATE staff SET disabled = $2 WHERE id = $1").bind(staff_id).bind(i32::from(disabled)).execute(pool).await?;
                Ok(done.rows_affected() == 1)
            }

            pub(super) async fn set_password(pool: &$pool, staff_id: &str, password_hash: &str) -> Result<bool, StoreError> {
                let done = sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1").bind(staff_id).bind(password_hash).execute(pool).await?;
                Ok(done.rows_affected() == 1)
            }

            pub(super) async fn purge(pool: &$pool, now: &str) -> Result<u64, StoreError> {
                let tokens = sqlx::query("DELETE FROM api_tokens WHERE revoked = 1 OR expires_at <= $1").bind(now).execute(pool).await?;
                let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?;
                Ok(tokens.rows_affected() + sessions.rows_affected())
            }

            pub(super) async fn revoke_token(pool: &$pool, token_hash: &str) -> Result<bool, StoreError> {
                let done = sqlx::query("UPDATE api_tokens SET revoked = 1 WHERE token_hash = $1 AND revoked = 0").bind(token_hash).execute(pool).await?;
                Ok(done.rows_affected() == 1)
            }

            fn staff_of(row: &<<$pool as PoolDb>::Db as sqlx::Database>::Row) -> Result<(Staff, String), StoreError> {
                let region: String = row.try_get("jurisdiction")?;
                let role: String = row.try_get("role")?;
                Ok((
                    Staff {
                        id: row.try_get("id")?,
                        name: row.try_get("name")?,
                        role: role_from(&role)?,
                        jurisdiction: yichuang_domain::Jurisdiction::parse(&region).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    },
                    row.try_get("password_hash")?,
                ))
            }

            pub(super) async fn by_token(pool: &$pool, token_hash: &str, now: &str) -> Result<Option<Staff>, StoreError> {
                let row = sqlx::query("SELECT s.id, s.name, s.role, s.jurisdiction, s.password_hash FROM api_tokens t JOIN staff s ON s.id = t.staff_id WHERE t.token_hash = $1 AND t.revoked = 0 AND t.expires_at > $2 AND s.disabled = 0")
                    .bind(token_hash)
                    .bind(now)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| staff_of(&r).map(|(s, _)| s)).transpose()
            }

            pub(super) async fn by_id(pool: &$pool, id: &str) -> Result<Option<(Staff, String)>, StoreError> {
                let row = sqlx::query("SELECT id, name, role, jurisdiction, password_hash FROM staff WHERE id = $1 AND disabled = 0").bind(id).fetch_optional(pool).await?;
                row.map(|r| staff_of(&r)).transpose()
            }

            pub(super) async fn list(pool: &$pool) -> Result<Vec<Staff>, StoreError> {
                let rows = sqlx::query("SELECT id, name, role, jurisdiction, password_hash FROM staff ORDER BY id").fetch_all(pool).await?;
                rows.iter().map(|r| staff_of(r).map(|(s, _)| s)).collect()
            }

            pub(super) async fn create_session(pool: &$pool, session_hash: &str, staff_id: &str, csrf: &str, expires_at: &str) -> Result<(), StoreError> {
                sqlx::query("INSERT INTO sessions (session_hash, staff_id, csrf, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(session_hash)
                    .bind(staff_id)
                    .bind(csrf)
                    .bind(expires_at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn session(pool: &$pool, session_hash: &str, now: &str) -> Result<Option<(Staff, String)>, StoreError> {
                let row = sqlx::query("SELECT s.id, s.name, s.role, s.jurisdiction, x.csrf AS password_hash FROM sessions x JOIN staff s ON s.id = x.staff_id WHERE x.session_hash = $1 AND x.expires_at > $2 AND s.disabled = 0")
                    .bind(session_hash)
                    .bind(now)
                    .fetch_optional(pool)
                    .await?;
                row.map(|r| staff_of(&r)).transpose()
            }

            pub(super) async fn end_session(pool: &$pool, session_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM sessions WHERE session_hash = $1").bind(session_hash).execute(pool).await?;
                Ok(())
            }

            /// Appends a read to the chain: the next seq after the last, and the hash
            /// over the last hash and this read. Two readers at once race for the same
            /// seq; the unique index lets one win and the other tries again.
            pub(super) async fn record_read(pool: &$pool, read: &IdentityRead) -> Result<(), StoreError> {
                let mut attempts = 0;
                loop {
                    let last = sqlx::query("SELECT seq, hash FROM identity_reads WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1")
                        .fetch_optional(pool)
                        .await?;
                    let (seq, previous): (i64, String) = match last {
                        Some(row) => (row.try_get::<i64, _>("seq")? + 1, row.try_get("hash")?),
                        None => (1, String::new()),
                    };
                    let hash = read_hash(&previous, read)?;
                    let inserted = sqlx::query("INSERT INTO identity_reads (staff_id, case_id, at, purpose, seq, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(&read.staff_id)
                        .bind(&read.case_id)
                        .bind(&read.at)
                        .bind(&read.purpose)
                        .bind(seq)
                        .bind(&previous)
                        .bind(&hash)
                        .execute(pool)
                        .await;
                    match inserted {
                        Ok(_) => return Ok(()),
                        Err(sqlx::Error::Database(e)) if e.is_unique_violation() && attempts < 20 => attempts += 1,
                        Err(e) => return Err(e.into()),
                    }
                }
            }

            /// The chained reads in order: (seq, prev_hash, hash, read).
            pub(super) async fn read_chain(pool: &$pool) -> Result<Vec<(i64, String, String, IdentityRead)>, StoreError> {
                let rows = sqlx::query("SELECT seq, prev_hash, hash, staff_id, case_id, at, purpose FROM identity_reads WHERE seq IS NOT NULL ORDER BY seq")
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            r.try_get("seq")?,
                            r.try_get("prev_hash")?,
                            r.try_get("hash")?,
                            IdentityRead { staff_id: r.try_get("staff_id")?, case_id: r.try_get("case_id")?, at: r.try_get("at")?, purpose: r.try_get("purpose")? },
                        ))
                    })
                    .collect()
            }

            pub(super) async fn unchained_reads(pool: &$pool) -> Result<i64, StoreError> {
                Ok(sqlx::query("SELECT COUNT(*) FROM identity_reads WHERE seq IS NULL").fetch_one(pool).await?.try_get(0)?)
            }

            pub(super) async fn reads(pool: &$pool, f: &IdentityReadFilter) -> Result<Vec<IdentityRead>, StoreError> {
                let rows = sqlx::query(SELECT_READS)
                    .bind(format!("{}%", f.region_prefix))
                    .bind(f.staff_id.as_deref())
                    .bind(f.case_id.as_deref())
                    .bind(f.since.map(|t| t.to_string()))
                    .bind(f.before.map(|t| t.to_string()))
                    .bind(i64::from(f.limit))
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|r| Ok(IdentityRead { staff_id: r.try_get("staff_id")?, case_id: r.try_get("case_id")?, at: r.try_get("at")?, purpose: r.try_get("purpose")? }))
                    .collect()
            }
        }
    };
}

/// The database type of a pool, for naming row types once.
trait PoolDb {
    type Db: sqlx::Database;
}
impl PoolDb for sqlx::SqlitePool {
    type Db = sqlx::Sqlite;
}
impl PoolDb for sqlx::PgPool {
    type Db = sqlx::Postgres;
}

staff_functions!(sqlite_staff, sqlx::SqlitePool);
staff_functions!(postgres_staff, sqlx::PgPool);

impl Store {
    pub async fn create_staff(&self, staff: &Staff, password_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, create(staff, password_hash))
    }

    /// Stores a token by its hash, valid until `expires_at`; the token itself is
    /// never stored.
    pub async fn add_token(
        &self,
        token_hash: &str,
        staff_id: &str,
        expires_at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        let expires = expires_at.to_string();
        on_backend!(self, add_token(token_hash, staff_id, &expires))
    }

    /// Ends every token and session of a staff member; how many were live.
    pub async fn revoke_staff(&self, staff_id: &str) -> Result<u64, StoreError> {
        on_backend!(self, revoke_all(staff_id))
    }

    /// Disables (or enables again) an account; a disabled one cannot sign in and its
    /// tokens and sessions stop working. Whether the staff member exists.
    pub async fn set_staff_disabled(
        &self,
        staff_id: &str,
        disabled: bool,
    ) -> Result<bool, StoreError> {
        on_backend!(self, set_disabled(staff_id, disabled))
    }

    /// Replaces a password hash. Whether the staff member exists.
    pub async fn set_password(
        &self,
        staff_id: &str,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        on_backend!(self, set_password(staff_id, password_hash))
    }

    /// Deletes revoked and expired tokens and expired sessions (staff and public);
    /// how many.
    pub async fn purge_expired(&self, now: jiff::Timestamp) -> Result<u64, StoreError> {
        let public = self.purge_citizen_sessions(now).await?;
        let now = now.to_string();
        let staff: u64 = on_backend!(self, purge(&now))?;
        Ok(staff + public)
    }

    pub async fn revoke_token(&self, token_hash: &str) -> Result<bool, StoreError> {
        on_backend!(self, revoke_token(token_hash))
    }

    /// The enabled staff member whose live (unrevoked, unexpired) token this is.
    pub async fn staff_by_token(
        &self,
        token_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<Staff>, StoreError> {
        let now = now.to_string();
        on_backend!(self, by_token(token_hash, &now))
    }

    /// An enabled staff member and their password hash.
    pub async fn staff_by_id(&self, id: &str) -> Result<Option<(Staff, String)>, StoreError> {
        on_backend!(self, by_id(id))
    }

    pub async fn list_staff(&self) -> Result<Vec<Staff>, StoreError> {
        on_backend!(self, list())
    }

    /// Stores a page session by the hash of its cookie, with its CSRF token.
    pub async fn create_session(
        &self,
        session_hash: &str,
        staff_id: &str,
        csrf: &str,
        expires_at: jiff::Timestamp,
    ) -> Result<(), StoreError> {
        let expires = expires_at.to_string();
        on_backend!(self, create_session(session_hash, staff_id, csrf, &expires))
    }

    /// The staff member and CSRF token of a live session.
    pub async fn session(
        &self,
        session_hash: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(Staff, String)>, StoreError> {
        let now = now.to_string();
        on_backend!(self, session(session_hash, &now))
    }

    pub async fn end_session(&self, session_hash: &str) -> Result<(), StoreError> {
        on_backend!(self, end_session(session_hash))
    }

    pub async fn record_identity_read(&self, read: &IdentityRead) -> Result<(), StoreError> {
        on_backend!(self, record_read(read))
    }

    /// The chained identity reads in order, with their links.
    pub(crate) async fn identity_read_chain(
        &self,
    ) -> Result<Vec<(i64, String, String, IdentityRead)>, StoreError> {
        on_backend!(self, read_chain())
    }

    /// Reads recorded before the log was chained.
    pub(crate) async fn unchained_identity_reads(&self) -> Result<i64, StoreError> {
        on_backend!(self, unchained_reads())
    }

    /// Identity reads as the filter says, newest first.
    pub async fn identity_reads(
        &self,
        filter: &IdentityReadFilter,
    ) -> Result<Vec<IdentityRead>, StoreError> {
        on_backend!(self, reads(filter))
    }
}

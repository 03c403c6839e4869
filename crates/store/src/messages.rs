//! The outbox: messages to applicants, written with their events (see `rows.rs`),
//! read by the server's sender, marked sent or failed (with the next try), and listed
//! for the applicant's inbox.

use jiff::Timestamp;
use sqlx::Row;
use yichuang_domain::case::Message;

use crate::{Store, StoreError};

/// One message as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub case_id: String,
    pub seq: u64,
    /// The applicant's identity number or credit code.
    pub recipient: String,
    pub message: Message,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
}

const DUE: &str = "SELECT id, case_id, seq, recipient, message, created_at, sent_at, attempts, last_error \
     FROM messages WHERE sent_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2";
const TO: &str = "SELECT id, case_id, seq, recipient, message, created_at, sent_at, attempts, last_error \
     FROM messages WHERE recipient = $1 ORDER BY id DESC LIMIT $2";

macro_rules! on_backend {
    ($store:expr, $function:ident ( $($arg:expr),* )) => {
        match $store {
            Store::Sqlite(s) => sqlite_messages::$function(&s.pool $(, $arg)*).await,
            Store::Postgres(s) => postgres_messages::$function(&s.pool $(, $arg)*).await,
        }
    };
}

macro_rules! message_functions {
    ($mod:ident, $pool:ty, $row:ty) => {
        mod $mod {
            use super::*;

            fn message_of(row: &$row) -> Result<OutboxMessage, StoreError> {
                let text: String = row.try_get("message")?;
                Ok(OutboxMessage {
                    id: row.try_get("id")?,
                    case_id: row.try_get("case_id")?,
                    seq: u64::try_from(row.try_get::<i64, _>("seq")?).unwrap_or(0),
                    recipient: row.try_get("recipient")?,
                    message: serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("message: {e}")))?,
                    created_at: row.try_get("created_at")?,
                    sent_at: row.try_get("sent_at")?,
                    attempts: u32::try_from(row.try_get::<i32, _>("attempts")?).unwrap_or(0),
                    last_error: row.try_get("last_error")?,
                })
            }

            pub(super) async fn due(pool: &$pool, now: &str, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
                let rows = sqlx::query(DUE)
                    .bind(now)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(message_of).collect()
            }

            pub(super) async fn to(pool: &$pool, recipient: &str, limit: i64) -> Result<Vec<OutboxMessage>, StoreError> {
                let rows = sqlx::query(TO)
                    .bind(recipient)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(message_of).collect()
            }

            pub(super) async fn sent(pool: &$pool, id: i64, at: &str) -> Result<(), StoreError> {
                sqlx::query("UPDATE messages SET sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1 AND sent_at IS NULL")
                    .bind(id)
                    .bind(at)
                    .execute(pool)
                    .await?;
                Ok(())
            }

            pub(super) async fn failed(pool: &$pool, id: i64, error: &str, next: &str) -> Result<(), StoreError> {
                sqlx::query("UPDATE messages SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND sent_at IS NULL")
                    .bind(id)
                    .bind(error)
                    .bind(next)
                    .execute(pool)
                    .await?;
                Ok(())
            }
        }
    };
}

message_functions!(sqlite_messages, sqlx::SqlitePool, sqlx::sqlite::SqliteRow);
message_functions!(postgres_messages, sqlx::PgPool, sqlx::postgres::PgRow);

impl Store {
    /// Unsent messages whose next try is due, oldest first.
    pub async fn due_messages(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let now = now.to_string();
        on_backend!(self, due(&now, i64::from(limit)))
    }

    /// A recipient's messages, newest first.
    pub async fn messages_to(
        &self,
        recipient: &str,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        on_backend!(self, to(recipient, i64::from(limit.clamp(1, 1000))))
    }

    pub async fn message_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        let at = at.to_string();
        on_backend!(self, sent(id, &at))
    }

    /// Records a failed delivery and when to try again.
    pub async fn message_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt: Timestamp,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        let next = next_attempt.to_string();
        on_backend!(self, failed(id, &error, &next))
    }
}

//! Drafts of online applications: what a person has uploaded and ticked for an item,
//! kept until they send it (then deleted) so that an application can be resumed.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use yichuang_domain::case::Attachment;

use crate::{Store, StoreError};

/// What a draft holds: files already kept (by hash) and commitments ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub attachments: Vec<Attachment>,
    pub commitments: Vec<String>,
}

const UPSERT: &str = "INSERT INTO drafts (party, item, content, updated_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (party, item) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at";

impl Store {
    /// Keeps (or replaces) `party`'s draft for `item`.
    pub async fn save_draft(
        &self,
        party: &str,
        item: &str,
        draft: &Draft,
    ) -> Result<(), StoreError> {
        let content =
            serde_json::to_string(draft).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = jiff::Timestamp::now().to_string();
        match self {
            Store::Sqlite(s) => {
                sqlx::query(UPSERT)
                    .bind(party)
                    .bind(item)
                    .bind(&content)
                    .bind(&now)
                    .execute(&s.pool)
                    .await?;
            }
            Store::Postgres(s) => {
                sqlx::query(UPSERT)
                    .bind(party)
                    .bind(item)
                    .bind(&content)
                    .bind(&now)
                    .execute(&s.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// `party`'s draft for `item`, if there is one.
    pub async fn draft(&self, party: &str, item: &str) -> Result<Option<Draft>, StoreError> {
        const SELECT: &str = "SELECT content FROM drafts WHERE party = $1 AND item = $2";
        let content: Option<String> = match self {
            Store::Sqlite(s) => sqlx::query(SELECT)
                .bind(party)
                .bind(item)
                .fetch_optional(&s.pool)
                .await?
                .map(|r| r.try_get("content"))
                .transpose()?,
            Store::Postgres(s) => sqlx::query(SELECT)
                .bind(party)
                .bind(item)
                .fetch_optional(&s.pool)
                .await?
                .map(|r| r.try_get("content"))
                .transpose()?,
        };
        content
            .map(|c| {
                serde_json::from_str(&c).map_err(|e| StoreError::Corrupt(format!("draft: {e}")))
            })
            .transpose()
    }

    pub async fn delete_draft(&self, party: &str, item: &str) -> Result<(), StoreError> {
        const DELETE: &str = "DELETE FROM drafts WHERE party = $1 AND item = $2";
        match self {
            Store::Sqlite(s) => {
                sqlx::query(DELETE)
                    .bind(party)
                    .bind(item)
                    .execute(&s.pool)
                    .await?;
            }
            Store::Postgres(s) => {
                sqlx::query(DELETE)
                    .bind(party)
                    .bind(item)
                    .execute(&s.pool)
                    .await?;
            }
        }
        Ok(())
    }
}

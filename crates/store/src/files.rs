//! Files handed in for materials, stored by the SHA-256 of their content: on SQLite as
//! files under `files/` beside the database (two-level fan-out by hash), on PostgreSQL
//! in the `files` table. The same bytes are stored once; a stored file never changes.
//! An S3-compatible object store would be a third variant keyed the same way.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Store, StoreError};

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_hash(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where a file of this hash lives under `root` (`ab/cdef…`).
fn path_of(root: &Path, sha256: &str) -> PathBuf {
    root.join(&sha256[..2]).join(&sha256[2..])
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("file store: {e}"))
}

impl Store {
    /// Keeps `bytes` and returns their SHA-256. Storing the same bytes again is a no-op.
    pub async fn put_file(&self, bytes: Vec<u8>, media_type: &str) -> Result<String, StoreError> {
        let sha256 = sha256_hex(&bytes);
        match self {
            Store::Sqlite(s) => {
                let path = path_of(&s.files_dir, &sha256);
                tokio::task::spawn_blocking(move || -> Result<(), StoreError> {
                    if path.exists() {
                        return Ok(());
                    }
                    let dir = path.parent().unwrap_or(Path::new("."));
                    std::fs::create_dir_all(dir).map_err(io)?;
                    // Written aside and renamed, so a crash never leaves half a file
                    // under the hash of the whole.
                    let mut temporary = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
                    std::io::Write::write_all(&mut temporary, &bytes).map_err(io)?;
                    temporary.as_file().sync_all().map_err(io)?;
                    temporary.persist(&path).map_err(|e| io(e.error))?;
                    Ok(())
                })
                .await
                .map_err(|e| StoreError::Corrupt(e.to_string()))??;
            }
            Store::Postgres(s) => {
                let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                sqlx::query("INSERT INTO files (sha256, media_type, size, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
                    .bind(&sha256)
                    .bind(media_type)
                    .bind(size)
                    .bind(bytes)
                    .execute(&s.pool)
                    .await?;
            }
        }
        Ok(sha256)
    }

    /// Whether a file is stored under `sha256`.
    pub async fn has_file(&self, sha256: &str) -> Result<bool, StoreError> {
        if !is_hash(sha256) {
            return Ok(false);
        }
        match self {
            Store::Sqlite(s) => Ok(tokio::fs::try_exists(path_of(&s.files_dir, sha256))
                .await
                .map_err(io)?),
            Store::Postgres(s) => Ok(sqlx::query("SELECT 1 FROM files WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(&s.pool)
                .await?
                .is_some()),
        }
    }

    /// The bytes stored under `sha256`, if any.
    pub async fn file(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        if !is_hash(sha256) {
            return Ok(None);
        }
        match self {
            Store::Sqlite(s) => {
                let path = path_of(&s.files_dir, sha256);
                tokio::task::spawn_blocking(move || match std::fs::read(&path) {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(io(e)),
                })
                .await
                .map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            Store::Postgres(s) => {
                let row = sqlx::query("SELECT content FROM files WHERE sha256 = $1")
                    .bind(sha256)
                    .fetch_optional(&s.pool)
                    .await?;
                Ok(row.map(|r| r.try_get("content")).transpose()?)
            }
        }
    }
}

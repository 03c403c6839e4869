//! Who is using the database. A server holds a shared claim for as long as it runs;
//! maintenance that must have the database to itself (rebuilding the totals, which
//! would count twice or lose what a server commits meanwhile) takes the claim
//! exclusively, and each is refused while the other is held.
//!
//! SQLite: an advisory lock on a file beside the database (released by the operating
//! system when the process ends, however it ends). PostgreSQL: a session advisory lock
//! keyed by the schema, held by a connection of its own (released when it closes).

use std::fs::{File, TryLockError};

use sqlx::Connection;

use crate::{Store, StoreError};

/// The first half of the PostgreSQL advisory lock's key (the second is the schema's).
const CLAIM_KEY: i32 = 0x7963_6877; // "ychw"

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// A server: any number at once.
    Serving,
    /// Maintenance that must be alone.
    Alone,
}

/// Held for as long as the use lasts. Dropping it ends the claim once the database
/// notices (PostgreSQL ends a closed session's locks a moment later); `release` ends
/// it before it returns.
#[derive(Debug)]
pub struct Claim {
    held: Held,
}

impl Claim {
    /// Ends the claim now: when this returns, a use it excluded can claim at once.
    pub async fn release(self) -> Result<(), StoreError> {
        match self.held {
            Held::File(file) => {
                file.unlock()
                    .map_err(|e| StoreError::Claim(format!("releasing the claim: {e}")))?;
            }
            Held::Session(mut session) => {
                sqlx::query("SELECT pg_advisory_unlock_all()")
                    .execute(&mut session)
                    .await?;
                session.close().await.ok();
            }
        }
        Ok(())
    }
}

/// What holds the lock: given up by `Claim::release`, or let go when dropped.
#[derive(Debug)]
enum Held {
    File(File),
    Session(sqlx::PgConnection),
}

impl Store {
    /// Claims the database for `purpose`, or `StoreError::InUse` when another use
    /// that excludes it holds it now.
    pub async fn claim(&self, purpose: Use) -> Result<Claim, StoreError> {
        let held = match self {
            Store::Sqlite(s) => {
                let path = s.claim_file();
                let file = File::options()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(|e| StoreError::Claim(format!("{}: {e}", path.display())))?;
                let taken = match purpose {
                    Use::Serving => file.try_lock_shared(),
                    Use::Alone => file.try_lock(),
                };
                match taken {
                    Ok(()) => Held::File(file),
                    Err(TryLockError::WouldBlock) => return Err(in_use(purpose)),
                    Err(TryLockError::Error(e)) => {
                        return Err(StoreError::Claim(format!("{}: {e}", path.display())));
                    }
                }
            }
            Store::Postgres(s) => {
                let mut session = s.pool.acquire().await?.detach();
                let query = match purpose {
                    Use::Serving => {
                        "SELECT pg_try_advisory_lock_shared($1, hashtext(current_schema()))"
                    }
                    Use::Alone => "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))",
                };
                let taken: bool = sqlx::query_scalar(query)
                    .bind(CLAIM_KEY)
                    .fetch_one(&mut session)
                    .await?;
                if !taken {
                    session.close().await.ok();
                    return Err(in_use(purpose));
                }
                Held::Session(session)
            }
        };
        Ok(Claim { held })
    }
}

fn in_use(purpose: Use) -> StoreError {
    StoreError::InUse(match purpose {
        Use::Serving => {
            "maintenance that needs it alone (`yichuang totals rebuild`) is running; start the server when it has finished"
        }
        Use::Alone => "a server (`yichuang serve`) is running on this database; stop it first",
    })
}

//! Every person's record a page at a time, for a rule run over the whole register.
//! Ten million records are better not held at once, and reading them through the
//! async driver costs more than evaluating them (measured: 2.8 s a million through
//! sqlx's SQLite worker). SQLite's pages are read on a thread of their own with one
//! statement stepped through the table (rusqlite), while the caller evaluates the page
//! before; PostgreSQL's are read by key, a page per query.

use std::path::Path;

use tokio::sync::mpsc;
use yichuang_domain::facts::PersonRecord;

use crate::person_facts::{record, record_of};
use crate::{Store, StoreError};

/// Pages the reader may run ahead of the caller.
const AHEAD: usize = 2;

type Page = Result<Vec<PersonRecord>, StoreError>;

/// The register's records in identity-number order, in pages.
#[derive(Debug)]
pub struct PersonPages {
    pages: mpsc::Receiver<Page>,
}

impl PersonPages {
    /// The next page; None after the last. A failed read ends the pages with its error.
    pub async fn next(&mut self) -> Option<Page> {
        self.pages.recv().await
    }
}

impl Store {
    /// Starts reading every person's record, `page` at a time.
    pub fn person_pages(&self, page: usize) -> PersonPages {
        let page = page.max(1);
        let (sender, pages) = mpsc::channel(AHEAD);
        match self {
            Store::Sqlite(s) => {
                let path = s.writer.path().to_owned();
                let failed = sender.clone();
                let started = std::thread::Builder::new()
                    .name("yichuang-read-persons".to_owned())
                    .spawn(move || {
                        if let Err(e) = read_sqlite(&path, page, &sender) {
                            let _ = sender.blocking_send(Err(e));
                        }
                    });
                if started.is_err() {
                    let _ = failed.try_send(Err(StoreError::WriterStopped));
                }
            }
            Store::Postgres(s) => {
                let pool = s.pool.clone();
                tokio::spawn(async move {
                    if let Err(e) = read_postgres(&pool, page, &sender).await {
                        let _ = sender.send(Err(e)).await;
                    }
                });
            }
        }
        PersonPages { pages }
    }
}

fn read_sqlite(path: &Path, page: usize, sender: &mpsc::Sender<Page>) -> Result<(), StoreError> {
    let connection = crate::sqlite_commit::open(path)?;
    let mut statement = connection.prepare(
        "SELECT person, region, status, card, ui_months FROM fact_persons ORDER BY person",
    )?;
    let mut rows = statement.query([])?;
    let mut buffer = Vec::with_capacity(page);
    while let Some(row) = rows.next()? {
        let columns = [text(row, 0)?, text(row, 1)?, text(row, 2)?, text(row, 3)?];
        let months: i64 = row.get(4)?;
        buffer.push(record_of(columns, months)?);
        if buffer.len() == page {
            let full = std::mem::replace(&mut buffer, Vec::with_capacity(page));
            if sender.blocking_send(Ok(full)).is_err() {
                return Ok(()); // the caller stopped reading
            }
        }
    }
    if !buffer.is_empty() {
        let _ = sender.blocking_send(Ok(buffer));
    }
    Ok(())
}

async fn read_postgres(
    pool: &sqlx::PgPool,
    page: usize,
    sender: &mpsc::Sender<Page>,
) -> Result<(), StoreError> {
    let mut after = String::new();
    loop {
        let rows = sqlx::query(
            "SELECT person, region, status, ui_months, card FROM fact_persons \
             WHERE person > $1 ORDER BY person LIMIT $2",
        )
        .bind(&after)
        .bind(i64::try_from(page).unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
        let records = rows.iter().map(record).collect::<Result<Vec<_>, _>>()?;
        let Some(last) = records.last() else {
            return Ok(());
        };
        after = last.person.as_str().to_owned();
        let full = records.len() == page;
        if sender.send(Ok(records)).await.is_err() || !full {
            return Ok(());
        }
    }
}

/// Column `i` borrowed from the row: nothing is copied before the record is built.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str, StoreError> {
    row.get_ref(i)?
        .as_str()
        .map_err(|e| StoreError::Corrupt(format!("a person's column {i}: {e}")))
}

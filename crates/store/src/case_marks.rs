//! What a rating of a case needs to know, read from the case's columns and its events'
//! kinds, actors and times, without parsing the snapshot or the events' bodies: a
//! rating is given for every case, so this read is on its hot path.

use sqlx::Row;

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMarks {
    pub item: String,
    pub handling_region: String,
    /// The applicant's identity number or credit code.
    pub applicant: Option<String>,
    /// Acceptance and completion events, in order: (kind, actor id, RFC 3339 time).
    pub steps: Vec<(String, String, String)>,
}

/// The case's columns and its rated steps in one read: a row per step, or one row
/// with no step (the left join) for a case not yet accepted.
const MARKS: &str = "SELECT c.item, c.handling_region, c.applicant, e.kind, e.actor, e.at \
     FROM cases c LEFT JOIN case_events e ON e.case_id = c.id \
     AND e.kind IN ('accepted', 'completed', 'completed_on_the_spot') \
     WHERE c.id = $1 ORDER BY e.seq";

macro_rules! marks {
    ($pool:expr, $id:expr) => {{
        let rows = sqlx::query(MARKS).bind($id).fetch_all($pool).await?;
        let Some(first) = rows.first() else {
            return Ok(None);
        };
        let mut steps = Vec::new();
        for r in &rows {
            let kind: Option<String> = r.try_get("kind")?;
            if let Some(kind) = kind {
                steps.push((kind, r.try_get("actor")?, r.try_get("at")?));
            }
        }
        CaseMarks {
            item: first.try_get("item")?,
            handling_region: first.try_get("handling_region")?,
            applicant: first.try_get("applicant")?,
            steps,
        }
    }};
}

const CASE_IDS: &str = "SELECT id FROM cases ORDER BY id";
const STEPPED_BETWEEN: &str = "SELECT DISTINCT e.case_id FROM case_events e \
     JOIN cases c ON c.id = e.case_id \
     WHERE e.kind IN ('accepted', 'completed', 'completed_on_the_spot') \
     AND e.at >= $1 AND e.at < $2 AND c.handling_region >= $3 AND c.handling_region < $4 \
     ORDER BY e.case_id";
const OVERDUE_BY_COUNTY: &str = "SELECT handling_region, COUNT(*) AS n FROM cases \
     WHERE handling_region >= $1 AND handling_region < $2 AND running = 1 AND deadline < $3 \
     GROUP BY handling_region";

impl Store {
    /// Every case's id, in order (for a recount of the running totals).
    pub async fn case_ids(&self) -> Result<Vec<String>, StoreError> {
        let ids = match self {
            Store::Sqlite(s) => sqlx::query_scalar(CASE_IDS).fetch_all(&s.pool).await?,
            Store::Postgres(s) => sqlx::query_scalar(CASE_IDS).fetch_all(&s.pool).await?,
        };
        Ok(ids)
    }

    /// Open cases past their deadline now, by handling county under `prefix` (the
    /// deadline index by region; a count of what is late, not a scan of every case).
    pub async fn overdue_by_county(
        &self,
        prefix: &str,
        today: jiff::civil::Date,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let end = format!("{prefix}\u{10FFFF}");
        let today = today.to_string();
        let rows: Vec<(String, i64)> = match self {
            Store::Sqlite(s) => {
                sqlx::query_as(OVERDUE_BY_COUNTY)
                    .bind(prefix)
                    .bind(&end)
                    .bind(&today)
                    .fetch_all(&s.pool)
                    .await?
            }
            Store::Postgres(s) => {
                sqlx::query_as(OVERDUE_BY_COUNTY)
                    .bind(prefix)
                    .bind(&end)
                    .bind(&today)
                    .fetch_all(&s.pool)
                    .await?
            }
        };
        Ok(rows)
    }

    /// Cases handled under `prefix` that were accepted or completed between two times
    /// (RFC 3339, `from` included): those a default rating may be due for.
    pub async fn cases_stepped_between(
        &self,
        prefix: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<String>, StoreError> {
        let end = format!("{prefix}\u{10FFFF}");
        let ids = match self {
            Store::Sqlite(s) => {
                sqlx::query_scalar(STEPPED_BETWEEN)
                    .bind(from)
                    .bind(to)
                    .bind(prefix)
                    .bind(&end)
                    .fetch_all(&s.pool)
                    .await?
            }
            Store::Postgres(s) => {
                sqlx::query_scalar(STEPPED_BETWEEN)
                    .bind(from)
                    .bind(to)
                    .bind(prefix)
                    .bind(&end)
                    .fetch_all(&s.pool)
                    .await?
            }
        };
        Ok(ids)
    }

    pub async fn case_marks(&self, id: &str) -> Result<Option<CaseMarks>, StoreError> {
        Ok(Some(match self {
            Store::Sqlite(s) => marks!(&s.pool, id),
            Store::Postgres(s) => marks!(&s.pool, id),
        }))
    }
}

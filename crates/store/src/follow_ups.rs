//! The list of poor ratings' follow-ups to work from: one row per rating file and
//! stage, written with the rating file's events (`StreamWrite::follow_ups`), read by
//! region and deadline.

use sqlx::Row;

use crate::{Store, StoreError};

/// A follow-up as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    /// The rating file's stream id.
    pub file: String,
    pub stage: String,
    pub region: String,
    pub level: String,
    /// RFC 3339.
    pub rated_at: String,
    /// `YYYY-MM-DD`.
    pub contact_by: String,
    pub close_by: String,
    pub contacted: bool,
    pub closed: bool,
    /// `""`, `open`, `upheld` or `rejected`.
    pub appeal: String,
}

pub(crate) const UPSERT_FOLLOW_UP: &str = "INSERT INTO rating_follow_ups \
     (file, stage, region, level, rated_at, contact_by, close_by, contacted, closed, appeal) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (file, stage) DO UPDATE SET contacted = excluded.contacted, \
     closed = excluded.closed, appeal = excluded.appeal";

impl FollowUpRow {
    /// Past its contact day uncontacted, or past its close day open: what goes up a
    /// level (`OVERDUE_COUNT` is the same rule in SQL; the dates sort as text).
    pub fn overdue_on(&self, today: jiff::civil::Date) -> bool {
        let past = |day: &str| day.parse::<jiff::civil::Date>().is_ok_and(|d| today > d);
        !self.closed && ((!self.contacted && past(&self.contact_by)) || past(&self.close_by))
    }
}

const OVERDUE_COUNT: &str = "SELECT COUNT(*) AS n FROM rating_follow_ups \
     WHERE closed = 0 AND region >= $1 AND region < $2 \
     AND ((contacted = 0 AND contact_by < $3) OR close_by < $3)";

const LIST: &str = "SELECT file, stage, region, level, rated_at, contact_by, close_by, \
     contacted, closed, appeal FROM rating_follow_ups \
     WHERE closed <= $1 AND region >= $2 AND region < $3 ORDER BY closed, close_by, file LIMIT $4";

macro_rules! follow_up_reads {
    ($pool:expr, $prefix:expr, $closed_too:expr, $limit:expr) => {{
        let end = format!("{}\u{10FFFF}", $prefix);
        sqlx::query(LIST)
            .bind(i64::from($closed_too))
            .bind($prefix)
            .bind(&end)
            .bind($limit)
            .fetch_all($pool)
            .await?
            .iter()
            .map(|row| {
                Ok(FollowUpRow {
                    file: row.try_get("file")?,
                    stage: row.try_get("stage")?,
                    region: row.try_get("region")?,
                    level: row.try_get("level")?,
                    rated_at: row.try_get("rated_at")?,
                    contact_by: row.try_get("contact_by")?,
                    close_by: row.try_get("close_by")?,
                    contacted: row.try_get::<i64, _>("contacted")? != 0,
                    closed: row.try_get::<i64, _>("closed")? != 0,
                    appeal: row.try_get("appeal")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    }};
}

impl Store {
    /// How many follow-ups in regions starting with `prefix` are overdue on `today`
    /// (`FollowUpRow::overdue_on`), all of them counted, not a page.
    pub async fn overdue_follow_ups(
        &self,
        prefix: &str,
        today: jiff::civil::Date,
    ) -> Result<i64, StoreError> {
        self.count_in_regions(OVERDUE_COUNT, prefix, today).await
    }

    /// Follow-ups in regions starting with `prefix`: open ones first by deadline, then
    /// (with `closed_too`) the closed ones.
    pub async fn follow_ups(
        &self,
        prefix: &str,
        closed_too: bool,
        limit: i64,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        Ok(match self {
            Store::Sqlite(s) => follow_up_reads!(&s.pool, prefix, closed_too, limit),
            Store::Postgres(s) => follow_up_reads!(&s.pool, prefix, closed_too, limit),
        })
    }
}

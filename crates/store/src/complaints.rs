//! The lists of complaints to work from: one row per complaint, written with its
//! events (`StreamWrite::complaints`), read by region (staff) or by person (their own).

use sqlx::Row;

use crate::{Store, StoreError};

/// A complaint as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub number: String,
    /// The office that served.
    pub region: String,
    /// The complainant's party, or `""` when written down for someone not signed in.
    pub party: String,
    /// What it is about (`case`, `ticket`, `window`, `clerk`, `hall`, `service`).
    pub target: String,
    pub channel: String,
    /// `open`, `replied` or `closed`.
    pub state: String,
    pub round: u32,
    /// RFC 3339.
    pub filed_at: String,
    /// `YYYY-MM-DD`.
    pub reply_by: String,
    /// `""`, `satisfied` or `unsatisfied`.
    pub verdict: String,
}

pub(crate) const UPSERT_COMPLAINT: &str = "INSERT INTO complaints \
     (number, region, party, target, channel, state, round, filed_at, reply_by, verdict) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     ON CONFLICT (number) DO UPDATE SET state = excluded.state, round = excluded.round, \
     reply_by = excluded.reply_by, verdict = excluded.verdict";

impl ComplaintRow {
    /// Open past its reply day: what goes up a level (`OVERDUE_COUNT` in SQL).
    pub fn overdue_on(&self, today: jiff::civil::Date) -> bool {
        self.state == "open"
            && self
                .reply_by
                .parse::<jiff::civil::Date>()
                .is_ok_and(|by| today > by)
    }
}

const OVERDUE_COUNT: &str = "SELECT COUNT(*) AS n FROM complaints \
     WHERE state = 'open' AND region >= $1 AND region < $2 AND reply_by < $3";

const BY_REGION: &str = "SELECT number, region, party, target, channel, state, round, \
     filed_at, reply_by, verdict FROM complaints WHERE region >= $1 AND region < $2 \
     AND (state <> 'closed' OR $3 = 1) \
     ORDER BY CASE state WHEN 'open' THEN 0 WHEN 'replied' THEN 1 ELSE 2 END, \
     reply_by, number LIMIT $4";

const BY_PARTY: &str = "SELECT number, region, party, target, channel, state, round, \
     filed_at, reply_by, verdict FROM complaints WHERE party = $1 \
     ORDER BY filed_at DESC, number LIMIT $2";

macro_rules! complaint_reads {
    ($pool:expr, $query:expr, $($bind:expr),*) => {{
        sqlx::query($query)
            $(.bind($bind))*
            .fetch_all($pool)
            .await?
            .iter()
            .map(|row| {
                Ok(ComplaintRow {
                    number: row.try_get("number")?,
                    region: row.try_get("region")?,
                    party: row.try_get("party")?,
                    target: row.try_get("target")?,
                    channel: row.try_get("channel")?,
                    state: row.try_get("state")?,
                    round: u32::try_from(row.try_get::<i64, _>("round")?).unwrap_or(0),
                    filed_at: row.try_get("filed_at")?,
                    reply_by: row.try_get("reply_by")?,
                    verdict: row.try_get("verdict")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    }};
}

impl Store {
    /// Complaints in regions starting with `prefix`: those waiting for an answer first
    /// by deadline, then those answered, then (with `closed_too`) the closed ones.
    pub async fn complaints(
        &self,
        prefix: &str,
        closed_too: bool,
        limit: i64,
    ) -> Result<Vec<ComplaintRow>, StoreError> {
        let query = BY_REGION;
        let end = format!("{prefix}\u{10FFFF}");
        let closed_too = i64::from(closed_too);
        Ok(match self {
            Store::Sqlite(s) => complaint_reads!(&s.pool, query, prefix, &end, closed_too, limit),
            Store::Postgres(s) => {
                complaint_reads!(&s.pool, query, prefix, &end, closed_too, limit)
            }
        })
    }

    /// How many complaints in regions starting with `prefix` are overdue on `today`
    /// (`ComplaintRow::overdue_on`), all of them counted, not a page.
    pub async fn overdue_complaints(
        &self,
        prefix: &str,
        today: jiff::civil::Date,
    ) -> Result<i64, StoreError> {
        self.count_in_regions(OVERDUE_COUNT, prefix, today).await
    }

    /// One person's complaints, newest first.
    pub async fn complaints_of(
        &self,
        party: &str,
        limit: i64,
    ) -> Result<Vec<ComplaintRow>, StoreError> {
        let query = BY_PARTY;
        Ok(match self {
            Store::Sqlite(s) => complaint_reads!(&s.pool, query, party, limit),
            Store::Postgres(s) => complaint_reads!(&s.pool, query, party, limit),
        })
    }
}

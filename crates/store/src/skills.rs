//! Staff skill levels per project (一岗精、二岗通、三岗懂), kept by supervisors.

use serde::Serialize;
use sqlx::Row;
use yichuang_domain::hall::{SkillLevel, Skills};

use crate::{Store, StoreError};

/// One level with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StaffSkill {
    pub project: String,
    pub level: SkillLevel,
    /// The day it was given.
    pub since: String,
    /// The training or assessment it came from (培训、练兵比武).
    pub source: String,
}

const SELECT_SKILLS: &str =
    "SELECT project, level, since, source FROM staff_skills WHERE staff_id = $1 ORDER BY project";
const UPSERT_SKILL: &str = "INSERT INTO staff_skills (staff_id, project, level, since, source) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (staff_id, project) DO UPDATE SET level = excluded.level, since = excluded.since, source = excluded.source";

macro_rules! skill_functions {
    ($mod:ident, $pool:ty) => {
        mod $mod {
            use super::*;

            pub(super) async fn of(
                pool: &$pool,
                staff_id: &str,
            ) -> Result<Vec<StaffSkill>, StoreError> {
                sqlx::query(SELECT_SKILLS)
                    .bind(staff_id)
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .map(|row| {
                        let level: String = row.try_get("level")?;
                        Ok(StaffSkill {
                            project: row.try_get("project")?,
                            level: SkillLevel::parse(&level).ok_or_else(|| {
                                StoreError::Corrupt(format!("skill level {level:?}"))
                            })?,
                            since: row.try_get("since")?,
                            source: row.try_get("source")?,
                        })
                    })
                    .collect()
            }

            pub(super) async fn set(
                pool: &$pool,
                staff_id: &str,
                skill: &StaffSkill,
            ) -> Result<(), StoreError> {
                sqlx::query(UPSERT_SKILL)
                    .bind(staff_id)
                    .bind(&skill.project)
                    .bind(skill.level.name())
                    .bind(&skill.since)
                    .bind(&skill.source)
                    .execute(pool)
                    .await?;
                Ok(())
            }
        }
    };
}

skill_functions!(sqlite_skills, sqlx::SqlitePool);
skill_functions!(postgres_skills, sqlx::PgPool);

impl Store {
    /// A staff member's levels, by project.
    pub async fn staff_skills(&self, staff_id: &str) -> Result<Vec<StaffSkill>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_skills::of(&s.pool, staff_id).await,
            Store::Postgres(s) => postgres_skills::of(&s.pool, staff_id).await,
        }
    }

    /// The levels as a window's skills for the day.
    pub async fn skills_map(&self, staff_id: &str) -> Result<Skills, StoreError> {
        Ok(self
            .staff_skills(staff_id)
            .await?
            .into_iter()
            .map(|s| (s.project, s.level))
            .collect())
    }

    /// Gives (or changes) a level.
    pub async fn set_staff_skill(
        &self,
        staff_id: &str,
        skill: &StaffSkill,
    ) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_skills::set(&s.pool, staff_id, skill).await,
            Store::Postgres(s) => postgres_skills::set(&s.pool, staff_id, skill).await,
        }
    }
}

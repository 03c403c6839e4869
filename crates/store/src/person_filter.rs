//! Who on the person register passes a rule's filter (`Rule::filter`), found by the
//! database in one query: the rule's comparisons become a `WHERE` clause with every
//! value bound, never spliced into the text.

use sqlx::{Database, QueryBuilder, Row};
use yichuang_domain::rules::{Comparison, FactValue, Filter};

use crate::{Store, StoreError};

/// The column of `fact_persons` that holds each fact a person rule reads
/// (`yichuang_domain::facts::PERSON`).
fn person_column(fact: &str) -> Result<&'static str, StoreError> {
    Ok(match fact {
        "region" => "region",
        "status" => "status",
        "ui_months" => "ui_months",
        "card" => "card",
        other => return Err(StoreError::NoSuchFact(other.to_owned())),
    })
}

fn operator(comparison: Comparison) -> &'static str {
    match comparison {
        Comparison::Equal => " = ",
        Comparison::NotEqual => " <> ",
        Comparison::Less => " < ",
        Comparison::LessOrEqual => " <= ",
        Comparison::Greater => " > ",
        Comparison::GreaterOrEqual => " >= ",
    }
}

/// Appends `filter` as a boolean SQL expression. Every column is `NOT NULL`, so SQL's
/// three-valued logic never meets an unknown and agrees with `Filter::holds`.
fn push_filter<DB: Database>(
    query: &mut QueryBuilder<DB>,
    filter: &Filter,
) -> Result<(), StoreError>
where
    i64: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    bool: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    match filter {
        Filter::All(parts) => push_joined(query, parts, " AND ", "(1 = 1)"),
        Filter::Any(parts) => push_joined(query, parts, " OR ", "(1 = 0)"),
        Filter::Not(inner) => {
            query.push("(NOT ");
            push_filter(query, inner)?;
            query.push(")");
            Ok(())
        }
        Filter::Compare {
            fact,
            comparison,
            value,
        } => {
            query.push(person_column(fact)?).push(operator(*comparison));
            push_value(query, value);
            Ok(())
        }
        Filter::OneOf { fact, values } => {
            let column = person_column(fact)?;
            if values.is_empty() {
                query.push("(1 = 0)");
                return Ok(());
            }
            query.push(column).push(" IN (");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    query.push(", ");
                }
                push_value(query, value);
            }
            query.push(")");
            Ok(())
        }
    }
}

/// `parts` in brackets, joined by `joiner`; `empty` (true or false) where there are none.
fn push_joined<DB: Database>(
    query: &mut QueryBuilder<DB>,
    parts: &[Filter],
    joiner: &str,
    empty: &str,
) -> Result<(), StoreError>
where
    i64: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    bool: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    if parts.is_empty() {
        query.push(empty);
        return Ok(());
    }
    query.push("(");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            query.push(joiner);
        }
        push_filter(query, part)?;
    }
    query.push(")");
    Ok(())
}

fn push_value<DB: Database>(query: &mut QueryBuilder<DB>, value: &FactValue)
where
    i64: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    bool: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    match value {
        FactValue::Int(v) => query.push_bind(*v),
        FactValue::Text(v) => query.push_bind(v.clone()),
        FactValue::Bool(v) => query.push_bind(*v),
    };
}

macro_rules! filter_functions {
    ($name:ident, $pool:ty, $db:ty) => {
        mod $name {
            use super::*;

            pub(super) async fn count(pool: &$pool, filter: &Filter) -> Result<i64, StoreError> {
                let mut query =
                    QueryBuilder::<$db>::new("SELECT COUNT(*) AS passing FROM fact_persons WHERE ");
                push_filter(&mut query, filter)?;
                let row = query.build().fetch_one(pool).await?;
                Ok(row.try_get("passing")?)
            }

            pub(super) async fn people(
                pool: &$pool,
                filter: &Filter,
            ) -> Result<Vec<String>, StoreError> {
                let mut query = QueryBuilder::<$db>::new("SELECT person FROM fact_persons WHERE ");
                push_filter(&mut query, filter)?;
                query.push(" ORDER BY person");
                let rows = query.build().fetch_all(pool).await?;
                rows.iter()
                    .map(|row| row.try_get::<String, _>("person").map_err(StoreError::from))
                    .collect()
            }
        }
    };
}

filter_functions!(sqlite_filter, sqlx::SqlitePool, sqlx::Sqlite);
filter_functions!(postgres_filter, sqlx::PgPool, sqlx::Postgres);

impl Store {
    /// How many persons on the register pass `filter`, counted by the database.
    pub async fn count_persons_passing(&self, filter: &Filter) -> Result<u64, StoreError> {
        let passing = match self {
            Store::Sqlite(s) => sqlite_filter::count(&s.pool, filter).await?,
            Store::Postgres(s) => postgres_filter::count(&s.pool, filter).await?,
        };
        Ok(u64::try_from(passing).unwrap_or(0))
    }

    /// The identity numbers of the persons who pass `filter`, in order.
    pub async fn persons_passing(&self, filter: &Filter) -> Result<Vec<String>, StoreError> {
        match self {
            Store::Sqlite(s) => sqlite_filter::people(&s.pool, filter).await,
            Store::Postgres(s) => postgres_filter::people(&s.pool, filter).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_becomes_a_where_clause_with_every_value_bound() {
        let text = |s: &str| FactValue::Text(s.to_owned());
        let filter = Filter::All(vec![
            Filter::OneOf {
                fact: "status",
                values: vec![text("employed"), text("claiming_benefit")],
            },
            Filter::Compare {
                fact: "ui_months",
                comparison: Comparison::GreaterOrEqual,
                value: FactValue::Int(12),
            },
            Filter::Not(Box::new(Filter::Any(vec![
                Filter::Compare {
                    fact: "card",
                    comparison: Comparison::Equal,
                    value: text("x' OR 1=1 --"),
                },
                Filter::OneOf {
                    fact: "region",
                    values: vec![],
                },
            ]))),
        ]);
        let mut query = QueryBuilder::<sqlx::Postgres>::new("");
        push_filter(&mut query, &filter).unwrap();
        assert_eq!(
            query.sql(),
            "(status IN ($1, $2) AND ui_months >= $3 AND (NOT (card = $4 OR (1 = 0))))"
        );
    }
}

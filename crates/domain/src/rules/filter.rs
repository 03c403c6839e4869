//! A rule's conditions as a filter a store can run over its own rows, where they are
//! plain comparisons of facts with constants: the database then finds who passes
//! without moving a row out (a register of millions is screened in one query), and
//! CEL still gives the reasons for anyone looked at one by one.
//!
//! Only what means the same in CEL and in SQL translates: `&&`, `||`, `!`, a fact
//! compared with a constant or a setting of its own type (order only on whole
//! numbers; text equal or not), a fact `in` a list of constants, a `bool` fact alone.
//! Every fact of a subject is always present and of its schema's type, so none of
//! these can fail in CEL, and `&&`/`||` mean the same on both sides. Anything else
//! (arithmetic, functions, a condition on the amount) gives no filter, and the rule is
//! evaluated subject by subject.

use cel::common::ast::{Expr, LiteralValue, operators};

use super::facts::{FactSchema, FactType, FactValue, Params};
use super::rule::Rule;

/// How a fact is compared with a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Comparison {
    fn of_operator(name: &str) -> Option<Comparison> {
        Some(match name {
            operators::EQUALS => Comparison::Equal,
            operators::NOT_EQUALS => Comparison::NotEqual,
            operators::LESS => Comparison::Less,
            operators::LESS_EQUALS => Comparison::LessOrEqual,
            operators::GREATER => Comparison::Greater,
            operators::GREATER_EQUALS => Comparison::GreaterOrEqual,
            _ => return None,
        })
    }

    /// The same comparison with its sides swapped (`12 <= x` is `x >= 12`).
    fn swapped(self) -> Comparison {
        match self {
            Comparison::Less => Comparison::Greater,
            Comparison::LessOrEqual => Comparison::GreaterOrEqual,
            Comparison::Greater => Comparison::Less,
            Comparison::GreaterOrEqual => Comparison::LessOrEqual,
            same => same,
        }
    }

    fn is_order(self) -> bool {
        !matches!(self, Comparison::Equal | Comparison::NotEqual)
    }

    /// Whether `left <comparison> right` holds, for values of one type.
    fn holds<T: Ord>(self, left: &T, right: &T) -> bool {
        match self {
            Comparison::Equal => left == right,
            Comparison::NotEqual => left != right,
            Comparison::Less => left < right,
            Comparison::LessOrEqual => left <= right,
            Comparison::Greater => left > right,
            Comparison::GreaterOrEqual => left >= right,
        }
    }
}

/// Which subjects pass: a tree of comparisons over one schema's facts, whose names are
/// the schema's (the store maps each to its column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    All(Vec<Filter>),
    Any(Vec<Filter>),
    Not(Box<Filter>),
    Compare {
        fact: &'static str,
        comparison: Comparison,
        value: FactValue,
    },
    OneOf {
        fact: &'static str,
        values: Vec<FactValue>,
    },
}

impl Filter {
    /// Whether a subject with these facts passes (what the store's query must agree
    /// with; a missing fact fails).
    pub fn holds(&self, facts: &super::facts::Facts) -> bool {
        match self {
            Filter::All(parts) => parts.iter().all(|p| p.holds(facts)),
            Filter::Any(parts) => parts.iter().any(|p| p.holds(facts)),
            Filter::Not(inner) => !inner.holds(facts),
            Filter::Compare {
                fact,
                comparison,
                value,
            } => match (facts.get(fact), value) {
                (Some(FactValue::Int(a)), FactValue::Int(b)) => comparison.holds(a, b),
                (Some(FactValue::Text(a)), FactValue::Text(b)) => comparison.holds(a, b),
                (Some(FactValue::Bool(a)), FactValue::Bool(b)) => comparison.holds(a, b),
                _ => false,
            },
            Filter::OneOf { fact, values } => facts.get(fact).is_some_and(|v| values.contains(v)),
        }
    }
}

impl Rule {
    /// The rule's conditions, all of them, as one filter with `params` put in for the
    /// settings; `None` where any condition is more than comparisons (see the module).
    pub fn filter(&self, params: &Params) -> Option<Filter> {
        let parts = self
            .compiled_conditions
            .iter()
            .map(|c| translate(&self.schema, params, &c.program.expression().expr))
            .collect::<Option<Vec<_>>>()?;
        Some(Filter::All(parts).simplified())
    }
}

impl Filter {
    /// The same filter in fewer parts: nested `All`s and `Any`s flattened, and an `Any`
    /// of equalities on one fact made one `OneOf` (`status == 'a' || status == 'b'` is
    /// `status IN ('a', 'b')`, which a database tests in one step).
    fn simplified(self) -> Filter {
        match self {
            Filter::All(parts) => Filter::All(flattened(parts, |f| match f {
                Filter::All(inner) => Ok(inner),
                other => Err(other),
            })),
            Filter::Any(parts) => {
                let parts = flattened(parts, |f| match f {
                    Filter::Any(inner) => Ok(inner),
                    other => Err(other),
                });
                one_of(&parts).unwrap_or(Filter::Any(parts))
            }
            Filter::Not(inner) => Filter::Not(Box::new(inner.simplified())),
            leaf => leaf,
        }
    }
}

/// Every part simplified, and the parts of a part of the same kind (`inner` says which)
/// taken into this one.
fn flattened(
    parts: Vec<Filter>,
    inner: impl Fn(Filter) -> Result<Vec<Filter>, Filter> + Copy,
) -> Vec<Filter> {
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        match inner(part.simplified()) {
            Ok(nested) => out.extend(nested),
            Err(single) => out.push(single),
        }
    }
    out
}

/// The `OneOf` that means the same as `parts` joined by "or", where each is an equality
/// with, or a `OneOf` of, one and the same fact.
fn one_of(parts: &[Filter]) -> Option<Filter> {
    let mut fact_of_all = None;
    let mut values = Vec::new();
    for part in parts {
        let (fact, these) = match part {
            Filter::Compare {
                fact,
                comparison: Comparison::Equal,
                value,
            } => (*fact, std::slice::from_ref(value)),
            Filter::OneOf { fact, values } => (*fact, values.as_slice()),
            _ => return None,
        };
        if *fact_of_all.get_or_insert(fact) != fact {
            return None;
        }
        for value in these {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
    }
    Some(Filter::OneOf {
        fact: fact_of_all?,
        values,
    })
}

/// One side of a comparison: a fact of the schema, or a constant (a setting is one).
enum Operand {
    Fact(&'static str, FactType),
    Constant(FactValue),
}

fn operand(schema: &FactSchema, params: &Params, expr: &Expr) -> Option<Operand> {
    match expr {
        Expr::Ident(name) => match schema.field(name) {
            Some(field) => Some(Operand::Fact(field.name, field.kind)),
            None => params
                .get(name)
                .map(|v| Operand::Constant(FactValue::Int(*v))),
        },
        Expr::Literal(literal) => constant(literal).map(Operand::Constant),
        _ => None,
    }
}

fn constant(literal: &LiteralValue) -> Option<FactValue> {
    match literal {
        LiteralValue::Int(v) => Some(FactValue::Int(*v.inner())),
        LiteralValue::String(v) => Some(FactValue::Text(v.inner().to_owned())),
        LiteralValue::Boolean(v) => Some(FactValue::Bool(*v.inner())),
        _ => None,
    }
}

fn translate(schema: &FactSchema, params: &Params, expr: &Expr) -> Option<Filter> {
    match expr {
        Expr::Ident(name) => match schema.field(name)? {
            field if field.kind == FactType::Bool => Some(Filter::Compare {
                fact: field.name,
                comparison: Comparison::Equal,
                value: FactValue::Bool(true),
            }),
            _ => None,
        },
        Expr::Call(call) if call.target.is_none() => {
            let args: Vec<&Expr> = call.args.iter().map(|a| &a.expr).collect();
            match (call.func_name.as_str(), args.as_slice()) {
                (operators::LOGICAL_AND, [a, b]) => Some(Filter::All(vec![
                    translate(schema, params, a)?,
                    translate(schema, params, b)?,
                ])),
                (operators::LOGICAL_OR, [a, b]) => Some(Filter::Any(vec![
                    translate(schema, params, a)?,
                    translate(schema, params, b)?,
                ])),
                (operators::LOGICAL_NOT, [a]) => {
                    Some(Filter::Not(Box::new(translate(schema, params, a)?)))
                }
                (operators::IN, [a, Expr::List(list)]) => {
                    let Operand::Fact(fact, kind) = operand(schema, params, a)? else {
                        return None;
                    };
                    let values = list
                        .elements
                        .iter()
                        .map(|e| match operand(schema, params, &e.expr)? {
                            Operand::Constant(v) if v.fact_type() == kind => Some(v),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some(Filter::OneOf { fact, values })
                }
                (name, [a, b]) => compare(
                    Comparison::of_operator(name)?,
                    operand(schema, params, a)?,
                    operand(schema, params, b)?,
                ),
                _ => None,
            }
        }
        _ => None,
    }
}

fn compare(comparison: Comparison, left: Operand, right: Operand) -> Option<Filter> {
    let (fact, kind, comparison, value) = match (left, right) {
        (Operand::Fact(fact, kind), Operand::Constant(value)) => (fact, kind, comparison, value),
        (Operand::Constant(value), Operand::Fact(fact, kind)) => {
            (fact, kind, comparison.swapped(), value)
        }
        _ => return None,
    };
    // Text is ordered by code point in CEL and by collation in a database: only
    // equality means the same on both.
    let allowed = value.fact_type() == kind && (kind == FactType::Int || !comparison.is_order());
    allowed.then_some(Filter::Compare {
        fact,
        comparison,
        value,
    })
}

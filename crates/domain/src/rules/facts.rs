//! Typed facts: what a rule may read, and the values it reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The type of one fact. Money is an `Int` of cents (fen), never a float, so a rule's
/// comparisons and amounts are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactType {
    Int,
    Text,
    Bool,
}

impl FactType {
    pub fn name(self) -> &'static str {
        match self {
            FactType::Int => "int",
            FactType::Text => "text",
            FactType::Bool => "bool",
        }
    }
}

/// One fact's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum FactValue {
    Int(i64),
    Bool(bool),
    Text(String),
}

impl FactValue {
    pub fn fact_type(&self) -> FactType {
        match self {
            FactValue::Int(_) => FactType::Int,
            FactValue::Text(_) => FactType::Text,
            FactValue::Bool(_) => FactType::Bool,
        }
    }

    pub(crate) fn to_cel(&self) -> cel::Value {
        match self {
            FactValue::Int(v) => cel::Value::Int(*v),
            FactValue::Text(v) => cel::Value::from(v.as_str()),
            FactValue::Bool(v) => cel::Value::Bool(*v),
        }
    }

    /// A value of this type to try an expression on when it is checked.
    fn sample(kind: FactType) -> FactValue {
        match kind {
            FactType::Int => FactValue::Int(1),
            FactType::Text => FactValue::Text(String::new()),
            FactType::Bool => FactValue::Bool(true),
        }
    }
}

impl std::fmt::Display for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactValue::Int(v) => write!(f, "{v}"),
            FactValue::Text(v) => write!(f, "{v:?}"),
            FactValue::Bool(v) => write!(f, "{v}"),
        }
    }
}

/// A fact a subject of a policy has, with what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactField {
    pub name: &'static str,
    pub kind: FactType,
    pub meaning: &'static str,
}

/// The facts every subject of one kind has (an employer in a year, a person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactSchema {
    pub subject: &'static str,
    pub fields: &'static [FactField],
}

impl FactSchema {
    pub fn field(&self, name: &str) -> Option<&FactField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Facts of the right types, for checking expressions before any real subject.
    pub(crate) fn sample(&self) -> Facts {
        let mut facts = Facts::default();
        for field in self.fields {
            facts.insert(field.name, FactValue::sample(field.kind));
        }
        facts
    }

    /// Whether `facts` has exactly this schema's names, each of its type.
    pub fn check(&self, facts: &Facts) -> Result<(), String> {
        for (name, value) in facts.iter() {
            let Some(field) = self.field(name) else {
                return Err(format!("{name:?} is not a fact of {}", self.subject));
            };
            if value.fact_type() != field.kind {
                return Err(format!(
                    "{name:?} is {} but {} has it as {}",
                    value.fact_type().name(),
                    self.subject,
                    field.kind.name()
                ));
            }
        }
        Ok(())
    }
}

/// One subject's facts, by name. Sorted, so the digest is canonical.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(transparent)]
pub struct Facts(BTreeMap<String, FactValue>);

impl Facts {
    pub fn insert(&mut self, name: &str, value: FactValue) {
        self.0.insert(name.to_owned(), value);
    }

    pub fn get(&self, name: &str) -> Option<&FactValue> {
        self.0.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &FactValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// SHA-256 of the canonical JSON: what a decision records as the facts it read.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(&self.0).unwrap_or_default();
        hex_digest(&Sha256::digest(json))
    }
}

/// A policy's settings (thresholds, rates), as integers by name; a region may set its
/// own values for some of them.
pub type Params = BTreeMap<String, i64>;

pub fn hex_digest(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

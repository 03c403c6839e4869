//! The relevance test set: real queries and the item each must return in its top 3.

use serde::Deserialize;

use crate::{SearchError, SearchIndex};

const CASES: &str = include_str!("../relevance.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct RelevanceCase {
    pub query: String,
    pub expect: String,
}

#[derive(Deserialize)]
struct CasesFile {
    case: Vec<RelevanceCase>,
}

/// The built-in relevance cases (`crates/search/relevance.toml`).
pub fn relevance_cases() -> Result<Vec<RelevanceCase>, toml::de::Error> {
    toml::from_str::<CasesFile>(CASES).map(|f| f.case)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RelevanceReport {
    pub total: usize,
    /// The expected item in the top 3.
    pub hits: usize,
    /// The expected item first.
    pub first: usize,
    /// (query, expected item, what came back in the top 3)
    pub misses: Vec<(String, String, Vec<String>)>,
    /// Found in the top 3 but not first: (query, expected item, the top 3).
    pub not_first: Vec<(String, String, Vec<String>)>,
}

impl RelevanceReport {
    pub fn hit_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.hits as f64 / self.total as f64
        }
    }

    /// The share of queries whose expected item comes first.
    pub fn first_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.first as f64 / self.total as f64
        }
    }
}

impl SearchIndex {
    /// Runs every case and counts those whose expected item is in the top 3.
    pub fn evaluate(&self, cases: &[RelevanceCase]) -> Result<RelevanceReport, SearchError> {
        let mut report = RelevanceReport {
            total: cases.len(),
            hits: 0,
            first: 0,
            misses: Vec::new(),
            not_first: Vec::new(),
        };
        for case in cases {
            let top: Vec<String> = self
                .search(&case.query, 3)?
                .into_iter()
                .map(|h| h.item)
                .collect();
            if top.first() == Some(&case.expect) {
                report.first += 1;
            }
            if top.contains(&case.expect) {
                if top.first() != Some(&case.expect) {
                    report
                        .not_first
                        .push((case.query.clone(), case.expect.clone(), top.clone()));
                }
                report.hits += 1;
            } else {
                report
                    .misses
                    .push((case.query.clone(), case.expect.clone(), top));
            }
        }
        Ok(report)
    }
}

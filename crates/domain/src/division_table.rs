//! The Ministry of Civil Affairs division table (as of 2025-12-31), compiled into the
//! binary and indexed once on first use.
//!
//! Provenance: `data/divisions/mca_divisions_2025.csv`, see `data/README.md`.

use std::collections::HashMap;
use std::sync::LazyLock;

const CSV: &str = include_str!("../../../data/divisions/mca_divisions_2025.csv");

#[derive(Debug)]
pub(crate) struct Division {
    pub(crate) code: u32,
    pub(crate) level: u8,
    pub(crate) parent: Option<u32>,
    pub(crate) name: &'static str,
    pub(crate) children: Vec<u32>,
}

#[derive(Debug)]
pub(crate) struct DivisionTable {
    /// Sorted by code; a `RegionCode` is an index into this vector.
    pub(crate) divisions: Vec<Division>,
    by_code: HashMap<u32, u32>,
}

impl DivisionTable {
    pub(crate) fn index_of(&self, code: u32) -> Option<u32> {
        self.by_code.get(&code).copied()
    }

    pub(crate) fn get(&self, index: u32) -> &Division {
        &self.divisions[index as usize]
    }
}

pub(crate) static TABLE: LazyLock<DivisionTable> = LazyLock::new(build);

/// The vendored file is part of the source tree; a malformed row is a build defect that
/// the test suite catches on its first lookup, so failing loudly here is right.
#[allow(clippy::expect_used, clippy::unwrap_used)]
fn build() -> DivisionTable {
    let mut divisions: Vec<Division> = CSV
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(4, ',');
            let level = fields.next().and_then(|f| f.parse().ok());
            let code = fields.next().and_then(|f| f.parse().ok());
            let parent = fields.next().map(|f| f.parse().ok());
            let name = fields.next();
            match (level, code, parent, name) {
                (Some(level), Some(code), Some(parent), Some(name)) => Division {
                    code,
                    level,
                    parent,
                    name: name.trim(),
                    children: Vec::new(),
                },
                _ => panic!("malformed row in the vendored division table: {line}"),
            }
        })
        .collect();
    divisions.sort_by_key(|d| d.code);
    let by_code: HashMap<u32, u32> = divisions
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code, i as u32))
        .collect();
    let links: Vec<(u32, u32)> = divisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((*by_code.get(&d.parent?)?, i as u32)))
        .collect();
    for (parent, child) in links {
        divisions[parent as usize].children.push(child);
    }
    DivisionTable { divisions, by_code }
}

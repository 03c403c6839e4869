//! The service-standard catalog: TOML files under `catalog/`, read into domain types,
//! checked, and reported on. The built-in copy is embedded in the binary.
//!
//! Loading never stops at the first problem: it collects every error with its file,
//! line and field, and returns a catalog only when there are none.

mod area_coverage;
mod convert;
mod error;
mod raw;
mod reports;

use std::path::Path;

use rust_embed::RustEmbed;
use yichuang_domain::catalog::Catalog;

pub use area_coverage::{CountyCoverage, county_coverage, county_units};
pub use error::{CatalogError, CatalogErrors};
pub use raw::schema;
pub use reports::{CoverageRow, HistoryEntry, coverage, history};

/// A loaded, checked catalog and the search synonyms that travel with it.
#[derive(Debug, Clone)]
pub struct LoadedCatalog {
    pub catalog: Catalog,
    /// Everyday word → the catalog's word.
    pub synonyms: Vec<(String, String)>,
    /// Policies found from data (免申即享), each with its compiled rule.
    pub policies: Vec<std::sync::Arc<yichuang_domain::proactive::Policy>>,
}

impl LoadedCatalog {
    pub fn policy(&self, id: &str) -> Option<&std::sync::Arc<yichuang_domain::proactive::Policy>> {
        self.policies.iter().find(|p| p.id == id)
    }

    /// The policies that grant unasked (免申即享), which `proactive run` takes.
    pub fn grant_policies(&self) -> Vec<&std::sync::Arc<yichuang_domain::proactive::Policy>> {
        self.policies
            .iter()
            .filter(|p| p.purpose == yichuang_domain::proactive::PolicyPurpose::Grant)
            .collect()
    }
}

#[derive(RustEmbed)]
#[folder = "../../catalog/"]
#[include = "*.toml"]
#[include = "**/*.toml"]
struct Embedded;

/// The catalog built into the binary.
pub fn builtin() -> Result<LoadedCatalog, CatalogErrors> {
    let files = Embedded::iter()
        .filter_map(|path| {
            let file = Embedded::get(&path)?;
            Some((
                format!("catalog/{path}"),
                String::from_utf8_lossy(&file.data).into_owned(),
            ))
        })
        .collect();
    load_files(files)
}

/// Every `*.toml` under `dir`, read from disk (for standards officers editing files).
pub fn load_dir(dir: &Path) -> Result<LoadedCatalog, CatalogErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    collect(dir, &mut files, &mut errors);
    if !errors.is_empty() {
        return Err(CatalogErrors(errors));
    }
    load_files(files)
}

fn collect(dir: &Path, files: &mut Vec<(String, String)>, errors: &mut Vec<CatalogError>) {
    let unreadable = |path: &Path, e: std::io::Error| CatalogError {
        file: path.display().to_string(),
        line: 0,
        field: "(file)".to_owned(),
        message: format!("cannot be read: {e}"),
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return errors.push(unreadable(dir, e)),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files, errors);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let shown = path.display().to_string().replace('\\', "/");
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((shown, text)),
                Err(e) => errors.push(unreadable(&path, e)),
            }
        }
    }
}

/// Loads and checks catalog files given as (path relative to the catalog folder, text).
pub fn load_files(files: Vec<(String, String)>) -> Result<LoadedCatalog, CatalogErrors> {
    convert::load(files)
}

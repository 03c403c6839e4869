//! Catalog errors: every one names the file, the line and the field.

use std::fmt;

/// One problem in one place of one catalog file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CatalogError {
    pub file: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    /// The field, with the item or variant it belongs to: `item unemployment-benefit-claim v1: promised`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

impl std::error::Error for CatalogError {}

/// Every problem found in one pass over the catalog, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the catalog has {} error(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct CatalogErrors(pub Vec<CatalogError>);

/// Turns byte offsets into line numbers for one file.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub(crate) path: String,
    pub(crate) text: String,
}

impl SourceFile {
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    pub(crate) fn error(
        &self,
        offset: usize,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> CatalogError {
        CatalogError {
            file: self.path.clone(),
            line: self.line_of(offset),
            field: field.into(),
            message: message.into(),
        }
    }

    /// A TOML syntax or shape error: the message without the crate's multi-line excerpt.
    pub(crate) fn toml_error(&self, e: &toml::de::Error) -> CatalogError {
        let offset = e.span().map_or(0, |s| s.start);
        let line = e.span().map_or(0, |_| self.line_of(offset));
        let source_line = self
            .text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim();
        CatalogError {
            file: self.path.clone(),
            line,
            field: if source_line.is_empty() {
                "(file)".to_owned()
            } else {
                format!("`{source_line}`")
            },
            message: e.message().trim().replace('\n', " "),
        }
    }
}

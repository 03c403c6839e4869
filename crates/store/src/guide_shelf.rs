//! Guides by content hash, parsed once. Stored submissions and case projections name
//! their guide instead of carrying it, and a guide never changes under its hash, so a
//! guide read once is handed out again. The audit reads the guides table itself and
//! never trusts this shelf.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use yichuang_domain::case::{CaseEvent, GuideSnapshot, StoredEvent, StoredGuide, guide_digest};

use crate::StoreError;

/// A guide's place on the shelf: (content hash, version). The version is the case's,
/// the hash the rules', and two versions with the same rules share a hash.
type Place = (String, u32);

/// Parsed guides by their place.
#[derive(Debug, Default, Clone)]
pub(crate) struct GuideShelf(Arc<Mutex<HashMap<Place, Arc<GuideSnapshot>>>>);

impl GuideShelf {
    pub(crate) fn get(&self, hash: &str, version: u32) -> Option<Arc<GuideSnapshot>> {
        let shelf = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        shelf.get(&(hash.to_owned(), version)).cloned()
    }

    /// Parses `text`, the guides table's row for `hash`, and keeps it.
    pub(crate) fn put(
        &self,
        hash: &str,
        version: u32,
        text: &str,
    ) -> Result<Arc<GuideSnapshot>, StoreError> {
        let guide = serde_json::from_str(text)
            .map_err(|e| StoreError::Corrupt(format!("the stored guide {hash}: {e}")))?;
        let snapshot = Arc::new(GuideSnapshot::new(version, hash.to_owned(), guide));
        let mut shelf = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        shelf.insert((hash.to_owned(), version), snapshot.clone());
        Ok(snapshot)
    }
}

/// The guide a stored submission needs from the guides table: its content hash and the
/// case's version of it; `None` when the event is no submission or carries its guide.
pub(crate) fn guide_wanted(event: &StoredEvent) -> Option<(&str, u32)> {
    event
        .guide()
        .filter(|g| g.guide.is_none())
        .map(|g| (g.content_hash.as_str(), g.version))
}

/// The event with its guide in full: `found` for a submission that names it (from
/// [`guide_wanted`]), or the guide an older event carries.
pub(crate) fn with_guide(
    event: StoredEvent,
    found: Option<Arc<GuideSnapshot>>,
) -> Result<CaseEvent, StoreError> {
    let case_id = event.case_id.clone();
    event.map_guide(|stored: StoredGuide| match (stored.guide, found) {
        (Some(guide), _) => Ok(Arc::new(GuideSnapshot::new(
            stored.version,
            stored.content_hash,
            guide,
        ))),
        (None, Some(found)) if found.content_hash == stored.content_hash => Ok(found),
        (None, _) => Err(StoreError::Corrupt(format!(
            "case {case_id}: its guide {} is missing from the guides table",
            stored.content_hash
        ))),
    })
}

/// Reads a stored event's text.
pub(crate) fn parse_stored(text: &str, case_id: &str) -> Result<StoredEvent, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("event of {case_id}: {e}")))
}

/// The guides table as the audit reads it: every guide's text and the digest a stored
/// submission chains, worked out once per guide.
pub(crate) struct GuideTable {
    digests: HashMap<String, Option<String>>,
    texts: HashMap<String, String>,
    shelf: GuideShelf,
}

impl GuideTable {
    pub(crate) fn of(rows: Vec<(String, String)>) -> GuideTable {
        let digests = rows
            .iter()
            .map(|(hash, text)| (hash.clone(), guide_digest(text)))
            .collect();
        GuideTable {
            digests,
            texts: rows.into_iter().collect(),
            shelf: GuideShelf::default(),
        }
    }

    /// The guide under `hash` for a case at `version`; `None` if the table has none.
    pub(crate) fn snapshot(
        &self,
        hash: &str,
        version: u32,
    ) -> Option<Result<Arc<GuideSnapshot>, StoreError>> {
        if let Some(found) = self.shelf.get(hash, version) {
            return Some(Ok(found));
        }
        let text = self.texts.get(hash)?;
        Some(self.shelf.put(hash, version, text))
    }

    /// A stored event with its guide, after checking that the guides table still holds
    /// the guide whose digest the submission chained; the problem otherwise.
    pub(crate) fn attach(&self, event: StoredEvent) -> Result<CaseEvent, String> {
        let mut found = None;
        if let Some((hash, version)) = guide_wanted(&event) {
            let edited = || {
                format!(
                    "the stored guide {hash} differs from the guide the case was submitted under (the guides table was edited)"
                )
            };
            let chained = event.guide().and_then(|g| g.digest.as_deref());
            match (self.digests.get(hash), chained) {
                (None, _) => {
                    return Err(format!("its guide {hash} is missing from the guides table"));
                }
                (Some(now), Some(chained)) if now.as_deref() != Some(chained) => {
                    return Err(edited());
                }
                _ => {}
            }
            found = match self.snapshot(hash, version) {
                Some(Ok(guide)) => Some(guide),
                Some(Err(_)) => return Err(edited()),
                None => None,
            };
        }
        with_guide(event, found).map_err(|e| e.to_string())
    }
}

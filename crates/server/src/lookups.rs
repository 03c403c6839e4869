//! Lookups shared by the JSON API and the pages, so that both answer alike: a region's
//! search (with its cached index) and a case's progress (with its per-case lock).

use std::sync::Arc;

use jiff::civil::Date;
use yichuang_domain::RegionCode;
use yichuang_domain::case::Case;
use yichuang_search::{Hit, SearchIndex};
use yichuang_store::EventRecord;

use crate::protection::RetryAfter;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub(crate) enum LookupError {
    #[error("search failed: {0}")]
    Search(#[from] yichuang_search::SearchError),
    #[error("the lookup task stopped")]
    Task,
    #[error("engine: {0}")]
    Engine(#[from] yichuang_engine::EngineError),
}

/// The best `limit` items for `query` in `region` (none: the national guides) on
/// `day`, best first.
pub(crate) async fn search(
    state: &AppState,
    region: Option<RegionCode>,
    day: Date,
    query: String,
    limit: usize,
) -> Result<Vec<Hit>, LookupError> {
    let catalog = state.catalog.clone();
    let indexes = state.search_indexes.clone();
    tokio::task::spawn_blocking(move || {
        // One index per region and day, built on first use: building costs far more
        // than searching.
        let cached = indexes
            .lock()
            .ok()
            .and_then(|mut m| m.get(&(region, day)).cloned());
        let index = match cached {
            Some(index) => index,
            None => {
                let index = match region {
                    Some(region) => {
                        let resolved = catalog.catalog.resolve_all(region, day);
                        SearchIndex::build(resolved.iter().map(|r| &r.guide), &catalog.synonyms)?
                    }
                    None => {
                        let national = catalog.catalog.guides_at(day);
                        SearchIndex::build(national, &catalog.synonyms)?
                    }
                };
                let index = Arc::new(index);
                if let Ok(mut map) = indexes.lock() {
                    map.put((region, day), index.clone());
                }
                index
            }
        };
        Ok(index.search(&query, limit)?)
    })
    .await
    .map_err(|_| LookupError::Task)?
}

/// `330211-20261130-00001`: six digits, eight digits, five or more digits.
pub(crate) fn is_case_number(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 6
        && parts[1].len() == 8
        && parts[2].len() >= 5
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Why a progress lookup found nothing to show.
#[derive(Debug)]
pub(crate) enum ProgressRefused {
    /// No such case, or the last four do not match: the two look the same.
    NotFound,
    /// Too many wrong answers for this case lately.
    Locked(RetryAfter),
    Failed(LookupError),
}

/// A case and its history, if `last4` matches the end of the applicant's identity
/// number. A wrong answer counts against the case's daily budget.
pub(crate) async fn progress(
    state: &AppState,
    case_ref: &str,
    last4: &str,
) -> Result<(Case, Vec<EventRecord>), ProgressRefused> {
    // A case is looked up by its human-readable number or by its id.
    let case_ref = case_ref.trim();
    let resolved = if is_case_number(case_ref) {
        state
            .store
            .case_id_by_number(case_ref)
            .await
            .map_err(|e| ProgressRefused::Failed(LookupError::Engine(e.into())))?
            .ok_or(ProgressRefused::NotFound)?
    } else {
        case_ref.to_owned()
    };
    let case_id = resolved.as_str();
    state
        .protection
        .progress_locked(case_id)
        .map_err(ProgressRefused::Locked)?;
    let last4 = last4.trim().to_ascii_uppercase();
    let case = state
        .engine
        .case(case_id)
        .await
        .map_err(|e| ProgressRefused::Failed(e.into()))?
        .ok_or(ProgressRefused::NotFound)?;
    if last4.len() != 4 || !case.applicant_id().ends_with(&last4) {
        state.protection.progress_wrong(case_id);
        return Err(ProgressRefused::NotFound);
    }
    let events = state
        .engine
        .events(case_id)
        .await
        .map_err(|e| ProgressRefused::Failed(e.into()))?;
    Ok((case, events))
}

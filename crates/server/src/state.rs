//! What every handler can reach.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use jiff::civil::Date;
use yichuang_domain::RegionCode;
use yichuang_search::SearchIndex;

use yichuang_catalog::LoadedCatalog;
use yichuang_engine::Engine;
use yichuang_store::Store;

use crate::auth::RateLimiter;
use crate::metrics::Metrics;

/// (item, region, date) of a guide answer.
pub(crate) type GuideKey = (String, RegionCode, Date);
pub(crate) type GuideCache = Mutex<HashMap<GuideKey, Bytes>>;
pub(crate) type SearchIndexes = Mutex<HashMap<(RegionCode, Date), Arc<SearchIndex>>>;

#[derive(Debug, Clone)]
pub struct AppState {
    pub engine: Engine,
    pub store: Store,
    pub catalog: Arc<LoadedCatalog>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) progress_limiter: Arc<RateLimiter>,
    /// Serialized guide answers by (item, region, date): a resolved guide only changes
    /// with the catalog, which is fixed for the life of the process.
    pub(crate) guide_cache: Arc<GuideCache>,
    /// Search indexes by region and day (the catalog is fixed for the process).
    pub(crate) search_indexes: Arc<SearchIndexes>,
}

impl AppState {
    pub fn new(engine: Engine, catalog: Arc<LoadedCatalog>) -> AppState {
        AppState {
            store: engine.store().clone(),
            engine,
            catalog,
            metrics: Arc::new(Metrics::default()),
            progress_limiter: Arc::new(RateLimiter::new(10, std::time::Duration::from_secs(60))),
            guide_cache: Arc::new(Mutex::new(HashMap::new())),
            search_indexes: Arc::new(Mutex::new(HashMap::new())),
        }
    }
}

//! What every handler can reach.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use jiff::civil::Date;
use lru::LruCache;
use yichuang_domain::RegionCode;
use yichuang_search::SearchIndex;

use yichuang_catalog::LoadedCatalog;
use yichuang_engine::Engine;
use yichuang_store::Store;

use crate::metrics::Metrics;
use crate::protection::{Guards, ProtectionConfig};

/// (item, region, date) of a guide answer.
pub(crate) type GuideKey = (String, RegionCode, Date);
pub(crate) type GuideCache = Mutex<LruCache<GuideKey, Bytes>>;
/// Rendered guide page bodies by (item, region, day, language): the title, the body
/// and when it was made (halls can change, so an entry lives a minute).
pub(crate) type PageKey = (String, Option<RegionCode>, Date, crate::error::Lang);
pub(crate) type PageCache = Mutex<LruCache<PageKey, (std::time::Instant, Arc<str>, Arc<str>)>>;
/// By region (none: the national guides) and day.
pub(crate) type SearchIndexes = Mutex<LruCache<(Option<RegionCode>, Date), Arc<SearchIndex>>>;

/// Serialized guides kept (a few KB each: about 40 MB at most).
const GUIDES_CACHED: usize = 10_000;
/// Rendered guide pages kept (about 15 KB each: 30 MB at most).
const PAGES_CACHED: usize = 2_000;
/// Search indexes kept (about 0.6 MB each).
const INDEXES_CACHED: usize = 64;

/// What every handler can reach, behind one `Arc`: axum clones the state for every
/// extractor and middleware of every request, and one reference count is far cheaper
/// than a dozen (measured: cloning and dropping the unshared state was 1.5% of the
/// server's time under load).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug, Clone)]
pub struct Shared {
    pub engine: Engine,
    pub store: Store,
    pub catalog: Arc<LoadedCatalog>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) protection: Arc<Guards>,
    /// Serialized guide answers by (item, region, date): a resolved guide only changes
    /// with the catalog, which is fixed for the life of the process. Least recently
    /// used go first.
    pub(crate) guide_cache: Arc<GuideCache>,
    /// Search indexes by region and day (the catalog is fixed for the process).
    pub(crate) search_indexes: Arc<SearchIndexes>,
    pub(crate) guide_pages: Arc<PageCache>,
    /// How citizens and employers may sign in on the public pages.
    pub(crate) sign_in: SignInOptions,
    /// How messages to applicants leave, and the key their links are signed with.
    pub(crate) messages: crate::outbox::MessageOptions,
}

/// The ways to sign in the public pages offer.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignInOptions {
    /// `serve --demo` only: pick one of the demo's people or employers, clearly
    /// labelled as a demo.
    pub demo: Option<Arc<crate::demo::DemoParties>>,
    /// OpenID Connect against the operator's identity platform.
    pub oidc: Option<Arc<crate::web::Oidc>>,
}

fn capacity(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN)
}

impl AppState {
    /// A server with the default protection (no trusted proxies, plain HTTP).
    pub fn new(engine: Engine, catalog: Arc<LoadedCatalog>) -> AppState {
        AppState::with_protection(engine, catalog, ProtectionConfig::default())
    }

    pub fn with_protection(
        engine: Engine,
        catalog: Arc<LoadedCatalog>,
        protection: ProtectionConfig,
    ) -> AppState {
        AppState(Arc::new(Shared {
            store: engine.store().clone(),
            engine,
            catalog,
            metrics: Arc::new(Metrics::default()),
            protection: Arc::new(Guards::new(protection)),
            guide_cache: Arc::new(Mutex::new(LruCache::new(capacity(GUIDES_CACHED)))),
            search_indexes: Arc::new(Mutex::new(LruCache::new(capacity(INDEXES_CACHED)))),
            guide_pages: Arc::new(Mutex::new(LruCache::new(capacity(PAGES_CACHED)))),
            sign_in: SignInOptions::default(),
            messages: crate::outbox::MessageOptions::default(),
        }))
    }

    /// The same server signing citizens in through an OpenID Connect issuer.
    pub fn with_oidc(self, config: crate::web::OidcConfig) -> Result<AppState, String> {
        let oidc = crate::web::Oidc::new(config)?;
        let mut shared = Arc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone());
        shared.sign_in.oidc = Some(Arc::new(oidc));
        Ok(AppState(Arc::new(shared)))
    }

    /// The same server delivering messages as `options` say.
    pub fn with_messages(self, options: crate::outbox::MessageOptions) -> AppState {
        let mut shared = Arc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone());
        shared.messages = options;
        AppState(Arc::new(shared))
    }

    /// The same server offering the demo sign-in (for `serve --demo` only).
    pub fn with_demo_sign_in(self) -> AppState {
        let mut shared = Arc::try_unwrap(self.0).unwrap_or_else(|shared| (*shared).clone());
        shared.sign_in.demo = Some(Arc::new(crate::demo::demo_parties()));
        AppState(Arc::new(shared))
    }
}

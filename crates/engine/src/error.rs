//! Service-layer errors.

use yichuang_domain::case::CaseError;
use yichuang_domain::catalog::ResolveError;
use yichuang_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Guide(#[from] ResolveError),
    #[error("no case {id}")]
    NoSuchCase { id: String },
    #[error("a request id is required, so that a retry is never applied twice")]
    MissingRequestId,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the engine has stopped")]
    Closed,
}

impl EngineError {
    /// Errors that say something about the request (not the system).
    pub fn is_client_error(&self) -> bool {
        !matches!(self, EngineError::Store(_) | EngineError::Closed)
    }
}

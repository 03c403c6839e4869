//! Service-layer errors.

use yichuang_domain::case::{AccessError, CaseError};
use yichuang_domain::catalog::ResolveError;
use yichuang_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    Guide(#[from] ResolveError),
    #[error(transparent)]
    Forbidden(#[from] AccessError),
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

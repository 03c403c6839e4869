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
    #[error(transparent)]
    Hall(#[from] yichuang_domain::hall::HallError),
    #[error(transparent)]
    Appointment(#[from] yichuang_domain::hall::AppointmentError),
    #[error(transparent)]
    Rating(#[from] yichuang_domain::rating::RatingError),
    #[error(transparent)]
    Complaint(#[from] yichuang_domain::complaint::ComplaintError),
    #[error(transparent)]
    GrantList(#[from] yichuang_domain::proactive::ListError),
    /// A complaint about something that does not exist (a ticket never called, a
    /// window the hall lacks, an unknown staff number or region).
    #[error("{what}")]
    UnknownTarget { what: String },
    #[error("no hall {id}")]
    NoSuchHall { id: String },
    /// A rating of a ticket that was never finished, or a case that does not exist.
    #[error("nothing to rate: {what}")]
    NothingToRate { what: String },
    /// A case request sent where a hall request was expected, or the reverse.
    #[error("this request does not belong here")]
    WrongAggregate,
    #[error("a request id is required, so that a retry is never applied twice")]
    MissingRequestId,
    #[error("the request id is {length} characters long; at most {max} are kept")]
    RequestIdTooLong { length: usize, max: usize },
    /// The id was used before by someone else, or for a different request: a retry
    /// must repeat the first request exactly (IETF Idempotency-Key draft, 422).
    #[error("request id {request_id:?} was already used for a different request; send a new id")]
    RequestIdReused { request_id: String },
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

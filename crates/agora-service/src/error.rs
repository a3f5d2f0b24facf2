use agora_domain::{TransitionError, ValidationErrors};
use agora_store::StoreError;

/// Everything a use case can refuse or fail with. The API maps each variant to one HTTP
/// status; messages are safe to show (no internal detail).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("authentication required: {0}")]
    Unauthenticated(&'static str),
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The subject does not exist, or the caller may not know it exists.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Validation(#[from] ValidationErrors),
    /// Input that is not of the expected form at all (a cursor this API never issued).
    #[error("malformed request")]
    Malformed(ValidationErrors),
    /// The representation the caller based its change on is no longer current.
    #[error("the resource changed since it was read")]
    StaleVersion,
    /// A link or token that was valid once: used, expired or superseded.
    #[error("{0}")]
    Gone(String),
    /// The caller did this too often; they may try again after so many seconds.
    #[error("too many requests; retry in {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service temporarily unavailable")]
    Unavailable,
    /// Too much work is waiting (password hashing under a flood); try again shortly.
    #[error("overloaded; retry in {retry_after_secs} s")]
    Overloaded { retry_after_secs: u64 },
    /// A bug or a broken invariant; the detail goes to the log, never to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(detail) => {
                tracing::warn!(%detail, "database unavailable");
                Self::Unavailable
            }
            StoreError::Conflict(detail) => Self::Conflict(detail),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<sea_orm_err::DbErr> for ServiceError {
    fn from(err: sea_orm_err::DbErr) -> Self {
        StoreError::from(err).into()
    }
}

/// Transactions are opened here, so their errors arrive as the ORM's type.
mod sea_orm_err {
    pub use agora_store::db::DbErr;
}

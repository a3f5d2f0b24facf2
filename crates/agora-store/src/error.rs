use sea_orm::{DbErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or has no free connection.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A uniqueness rule was violated, or a row changed since it was read.
    #[error("conflict: {0}")]
    Conflict(String),
    /// A stored value does not parse: a bug or a manual edit, never user input.
    #[error("unreadable stored value: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            return Self::Conflict(detail);
        }
        match err {
            DbErr::ConnectionAcquire(e) => Self::Unavailable(e.to_string()),
            DbErr::Conn(e) => Self::Unavailable(e.to_string()),
            other if is_connection_failure(&other) => Self::Unavailable(other.to_string()),
            other => Self::Database(other),
        }
    }
}

/// Queries on a pool whose server went away fail as I/O errors rather than connection
/// errors; they still mean "unavailable", not "bad query".
fn is_connection_failure(err: &DbErr) -> bool {
    let text = err.to_string().to_ascii_lowercase();
    [
        "connection refused",
        "broken pipe",
        "connection reset",
        "pool timed out",
        "error communicating with database",
        "pool closed",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// Parses a stored enum value, reporting the column when it does not parse.
pub(crate) fn parse_stored<T>(
    column: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::Corrupt(format!("{column} = {value:?}")))
}

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

/// Failures that mean "unavailable for now", not "bad query": the server went away (queries
/// on its pool fail as I/O errors rather than connection errors), or the disk is full.
fn is_connection_failure(err: &DbErr) -> bool {
    let text = err.to_string().to_ascii_lowercase();
    [
        "connection refused",
        "broken pipe",
        "connection reset",
        "pool timed out",
        "error communicating with database",
        "pool closed",
        // SQLite's busy timeout ran out: another writer held on for too long.
        "database is locked",
        // PostgreSQL going down or coming up (admin_shutdown, cannot_connect_now).
        "terminating connection due to administrator command",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "server closed the connection unexpectedly",
        "unexpected eof",
        // Out of space (SQLite's SQLITE_FULL, PostgreSQL's disk_full, the file system's
        // ENOSPC): nothing was written, and it may work again once space is freed.
        "database or disk is full",
        "no space left on device",
        "could not extend file",
        "could not write to file",
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

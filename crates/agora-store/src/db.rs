//! Opening the database and bringing its schema up to date.

use crate::{Result, StoreError};
use agora_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, TransactionTrait,
};
use std::time::Duration;

pub use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn backend_of(db: &impl ConnectionTrait) -> Backend {
    match db.get_database_backend() {
        DbBackend::Postgres => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// Connections of a PostgreSQL pool (per instance).
const PG_CONNECTIONS: u32 = 10;

/// Opens a pool on `url` (`sqlite://…` or `postgres://…`). SQLite connections each get WAL,
/// a busy timeout and foreign keys, set on every pooled connection rather than once.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        return connect_sqlite(url).await;
    }
    // A fixed set of connections, opened by the pool's own task on the runtime that
    // created it (the process's main one) and kept. A PostgreSQL connection's socket
    // belongs to the runtime that opened it: one opened on an HTTP worker's runtime
    // breaks when that worker ends, which, during a graceful stop, is while other
    // workers still finish their requests on it (a 503 for a request in flight).
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .max_connections(PG_CONNECTIONS)
        .min_connections(PG_CONNECTIONS)
        .max_lifetime(None)
        .idle_timeout(None);
    Database::connect(opts).await.map_err(StoreError::from)
}

/// A SQLite pool that never hands out a connection left inside a transaction.
///
/// SQLite may roll a transaction back by itself when a statement fails with "disk full"
/// (or an I/O error); the driver's own `ROLLBACK` then fails, and it goes on counting a
/// transaction that no longer exists: the connection's next transaction becomes a
/// savepoint, whose rollback leaves SQLite's transaction open and the database locked for
/// every other writer. A connection whose transactions are not all closed when it comes
/// back to the pool is therefore closed instead (which ends whatever SQLite still holds).
async fn connect_sqlite(url: &str) -> Result<DatabaseConnection> {
    use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use sea_orm::sqlx::{ConnectOptions as _, Connection};
    use std::str::FromStr;
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5))
        .foreign_keys(true)
        .create_if_missing(true)
        .disable_statement_logging();
    let pool = SqlitePoolOptions::new()
        // An in-memory database lives in one connection; a file takes a few readers, and
        // SQLite serialises writers anyway.
        .max_connections(if in_memory { 1 } else { 8 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(5))
        .after_release(|conn, _| {
            Box::pin(async move {
                // Whatever rollback was queued has run once the connection answers.
                conn.ping().await?;
                let inside = conn.is_in_transaction();
                if inside {
                    tracing::warn!("a SQLite connection came back inside a transaction; closed");
                }
                Ok(!inside)
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    Ok(sea_orm::SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
}

/// Applies pending migrations. On PostgreSQL, instances starting together take turns
/// through a transaction-scoped advisory lock.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    match backend_of(db) {
        Backend::Postgres => {
            let txn = db.begin().await?;
            txn.execute_unprepared("SELECT pg_advisory_xact_lock(7420001)")
                .await?;
            Migrator::up(&txn, None).await?;
            txn.commit().await?;
        }
        Backend::Sqlite => Migrator::up(db, None).await?,
    }
    Ok(())
}

/// Where a database's schema stands against the migrations this build knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationState {
    /// Migrations this build knows.
    pub known: usize,
    /// Of those, how many the database has applied.
    pub applied: usize,
    /// Migrations the database has applied that this build does not know (a newer
    /// version's).
    pub unknown: Vec<String>,
}

/// Reads the applied migrations without changing anything (a database never migrated
/// has none).
pub async fn migration_state(db: &DatabaseConnection) -> Result<MigrationState> {
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let rows = match db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await
    {
        Ok(rows) => rows,
        // No table yet (SQLite: "no such table", PostgreSQL: "does not exist"): nothing
        // applied. Any other failure (permissions…) is the caller's to report.
        Err(e)
            if ["no such table", "does not exist"]
                .iter()
                .any(|m| e.to_string().contains(m)) =>
        {
            Vec::new()
        }
        Err(e) => return Err(e.into()),
    };
    let mut applied = 0;
    let mut unknown = Vec::new();
    for row in rows {
        let version: String = row.try_get("", "version")?;
        if known.contains(&version) {
            applied += 1;
        } else {
            unknown.push(version);
        }
    }
    Ok(MigrationState {
        known: known.len(),
        applied,
        unknown,
    })
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<()> {
    db.ping().await.map_err(StoreError::from)
}

/// Takes the PostgreSQL advisory lock `key` for the rest of the transaction `txn`, if no
/// other session holds it. On SQLite there is nothing to lock against: always true.
pub async fn try_transaction_lock(txn: &sea_orm::DatabaseTransaction, key: i64) -> Result<bool> {
    if backend_of(txn) == Backend::Sqlite {
        return Ok(true);
    }
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_try_advisory_xact_lock($1) AS locked",
            [key.into()],
        ))
        .await?;
    Ok(row
        .map(|r| r.try_get::<bool>("", "locked"))
        .transpose()?
        .unwrap_or(false))
}

/// Waits for the lock named `name` and holds it for the rest of the transaction `txn`:
/// transactions that count or check something under the same name (a client's reports,
/// an account's failed sign-ins) run one after the other. On SQLite, write transactions
/// already run one at a time (`BEGIN IMMEDIATE`): nothing more to take.
pub async fn transaction_lock(txn: &impl ConnectionTrait, name: &str) -> Result<()> {
    if backend_of(txn) == Backend::Sqlite {
        return Ok(());
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let key = i64::from_be_bytes(first);
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [key.into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn migrations_apply_twice_and_seed_the_vocabularies() {
        let db = connect("sqlite::memory:").await.unwrap();
        migrate(&db).await.unwrap();
        migrate(&db).await.unwrap();
        let vocab = crate::vocabularies::load(&db).await.unwrap();
        assert_eq!(vocab.version, 1);
        assert!(vocab.contains(agora_domain::VocabularyKind::Theme, "travail-emploi"));
        let families: std::collections::BTreeSet<_> = vocab
            .of_kind(agora_domain::VocabularyKind::Theme)
            .filter_map(|t| t.family.clone())
            .collect();
        assert_eq!(
            families.into_iter().collect::<Vec<_>>(),
            ["institutionnel", "sante", "social", "travail"]
        );
    }
}

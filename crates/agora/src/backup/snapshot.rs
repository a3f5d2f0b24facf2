//! The database side: a consistent copy made by SQLite while the server writes, and what a
//! copy holds (schema version, rows per table).

use anyhow::Context as _;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, ConnectOptions as _, Connection as _};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// How long the copy waits for the server's writers: a write transaction in progress
/// only delays it.
const BUSY: Duration = Duration::from_secs(60);

async fn open(path: &Path, read_only: bool) -> anyhow::Result<SqliteConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .read_only(read_only)
        .busy_timeout(BUSY)
        .disable_statement_logging();
    SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("cannot open the database {}", path.display()))
}

/// Writes a consistent copy of the live database `source` to `target` (which must not
/// exist) with `VACUUM INTO`: one read transaction on its own connection, so the server's
/// writers go on (WAL) and the copy is the database as of the moment it began.
pub async fn copy(source: &Path, target: &Path) -> anyhow::Result<()> {
    let mut conn = open(source, false).await?;
    let target = target
        .to_str()
        .context("the temporary directory's path is not UTF-8")?;
    sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .context("SQLite could not copy the database")?;
    conn.close().await.ok();
    Ok(())
}

/// What a database file holds.
pub struct Contents {
    /// The last applied migration; `None` when the file has no migration table.
    pub schema_version: Option<String>,
    pub tables: BTreeMap<String, u64>,
}

/// Reads a copy's schema version and the rows of each table.
pub async fn contents(path: &Path) -> anyhow::Result<Contents> {
    let mut conn = open(path, true).await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut conn)
    .await
    .context("not a readable SQLite database")?;
    let mut tables = BTreeMap::new();
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{quoted}\""
        )))
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("cannot count the rows of {name}"))?;
        tables.insert(name, u64::try_from(n).unwrap_or(0));
    }
    let schema_version = if tables.contains_key("seaql_migrations") {
        sqlx::query_scalar("SELECT MAX(version) FROM seaql_migrations")
            .fetch_one(&mut conn)
            .await
            .context("cannot read the schema version")?
    } else {
        None
    };
    conn.close().await.ok();
    Ok(Contents {
        schema_version,
        tables,
    })
}

/// SQLite's own check of a file's structure (pages, indexes).
pub async fn check_integrity(path: &Path) -> anyhow::Result<()> {
    let mut conn = open(path, true).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .context("SQLite cannot check the database")?;
    conn.close().await.ok();
    anyhow::ensure!(
        verdict == "ok",
        "the restored database is damaged: {verdict}"
    );
    Ok(())
}

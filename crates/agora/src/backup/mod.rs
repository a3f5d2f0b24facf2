//! `agora backup` and `agora restore`: one archive holding a consistent copy of the SQLite
//! database (made by SQLite itself while the server runs), the secrets and the mail
//! directory, with a manifest that lets a restore check what it brings back.
//!
//! The search index is not in the archive: it is derived from the database, and the
//! next `agora serve` rebuilds it when it finds none.

mod archive;
mod restore;
mod snapshot;

pub use archive::backup;
pub use restore::restore;

use crate::config::Config;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Bumped when the archive's layout changes in a way an older restore cannot read.
pub const FORMAT: u32 = 1;
/// The archive's first member.
pub const MANIFEST: &str = "manifest.json";
/// The database's name inside the archive (and in the data directory by default).
pub const DATABASE: &str = "agora.db";
/// Directories of the archive, placed in the data directory (mail: the mail directory).
pub const SECRETS: &str = "secrets";
pub const MAIL: &str = "mail";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: u32,
    pub agora_version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The last migration applied to the copied database.
    pub schema_version: String,
    /// Rows of each table of the copy.
    pub tables: BTreeMap<String, u64>,
    /// Every other member of the archive, in the order they follow the manifest.
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Member {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// The SQLite file the configuration points to; `None` on PostgreSQL.
pub fn sqlite_file(config: &Config) -> Option<PathBuf> {
    let Some(url) = &config.database_url else {
        return Some(config.data_dir.join(DATABASE));
    };
    let rest = url
        .strip_prefix("sqlite://")
        .or(url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

/// The one line printed on PostgreSQL, where the database is backed up by its own tools.
pub fn postgres_refusal(what: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "agora {what} works on the SQLite default only: on PostgreSQL use pg_dump -Fc / pg_restore (see the README, \"Backups and restore\") and keep the data directory's secrets/ (the token key) and the mail directory beside it"
    )
}

/// Known migrations of this binary, oldest first.
pub fn known_migrations() -> Vec<String> {
    use agora_migrations::MigratorTrait as _;
    agora_migrations::Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_file_follows_the_configuration() {
        let mut config = Config {
            data_dir: PathBuf::from("/srv/agora"),
            ..Config::default()
        };
        assert_eq!(
            sqlite_file(&config),
            Some(PathBuf::from("/srv/agora/agora.db"))
        );
        config.database_url = Some("sqlite:///var/lib/a.db?mode=rwc".into());
        assert_eq!(sqlite_file(&config), Some(PathBuf::from("/var/lib/a.db")));
        config.database_url = Some("postgres://u:p@h/db".into());
        assert_eq!(sqlite_file(&config), None);
    }

    #[test]
    fn migrations_are_known_in_order() {
        let known = known_migrations();
        assert!(known.len() > 10);
        let mut sorted = known.clone();
        sorted.sort();
        assert_eq!(known, sorted, "schema versions compare as text");
    }
}

//! `agora restore --from FILE --data-dir DIR`, onto a stopped directory that holds no
//! database. Everything is unpacked into a temporary directory inside DIR and checked
//! there (checksums, SQLite's own check, schema version, rows per table, secrets) before
//! the first file is moved into place; an existing file is never replaced, and a failure
//! while placing takes back what this restore had placed. The search index is not
//! restored: the next `agora serve` rebuilds it from the database.

use super::{DATABASE, FORMAT, MAIL, MANIFEST, Manifest, SECRETS, snapshot};
use crate::config::Config;
use anyhow::{Context as _, bail};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A manifest larger than this is not one (it lists files, it does not hold them).
const MANIFEST_LIMIT: u64 = 64 << 20;

pub struct Restored {
    pub manifest: Manifest,
    pub database: PathBuf,
    /// Migrations this binary applies at the next start (the backup is older).
    pub pending_migrations: usize,
    pub secrets: usize,
    pub mail: usize,
}

pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<Restored> {
    let Some(database) = super::sqlite_file(config) else {
        return Err(super::postgres_refusal("restore"));
    };
    for existing in [database.clone(), wal_of(&database)] {
        if existing.exists() {
            bail!(
                "{} already holds a database: restore into a new or empty data directory (nothing was changed)",
                existing.display()
            );
        }
    }
    let archive = std::fs::File::open(from)
        .with_context(|| format!("cannot open the backup {}", from.display()))?;
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let staging = tempfile::Builder::new()
        .prefix(".agora-restore-")
        .tempdir_in(&config.data_dir)
        .with_context(|| format!("cannot write in {}", config.data_dir.display()))?;
    let root = staging.path().to_path_buf();
    let from_name = from.display().to_string();
    let manifest = tokio::task::spawn_blocking(move || unpack(archive, &root))
        .await
        .context("the restore stopped")?
        .map_err(|e| anyhow::anyhow!("{from_name} is not a usable backup: {e:#}"))?;
    let root = staging.path();

    let copied = root.join(DATABASE);
    snapshot::check_integrity(&copied).await?;
    let contents = snapshot::contents(&copied).await?;
    let pending_migrations = check_schema(&manifest, contents.schema_version.as_deref())?;
    check_rows(&manifest.tables, &contents.tables)?;
    let secrets = check_secrets(config, &manifest, root)?;

    let mut targets = vec![(copied, database.clone())];
    let mut mail = 0;
    for member in &manifest.members {
        let (dir, name) = match member.path.split_once('/') {
            Some((SECRETS, name)) => (config.data_dir.join(SECRETS), name),
            Some((MAIL, name)) => {
                mail += 1;
                (config.mail_dir(), name)
            }
            _ => continue,
        };
        targets.push((root.join(&member.path), dir.join(name)));
    }
    place(&targets)?;
    drop(staging);
    Ok(Restored {
        manifest,
        database,
        pending_migrations,
        secrets,
        mail,
    })
}

fn wal_of(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Reads the archive into `root`: the manifest first, then each member it lists, each
/// checked against its size and checksum. Returns the manifest.
fn unpack(archive: std::fs::File, root: &Path) -> anyhow::Result<Manifest> {
    let decoder = zstd::Decoder::new(archive).context("not a zstd archive")?;
    let mut tar = tar::Archive::new(decoder);
    let mut entries = tar.entries().context("not a tar archive")?;
    let mut first = entries
        .next()
        .context("the archive is empty")?
        .context("unreadable archive")?;
    if first.path()?.to_str() != Some(MANIFEST) || first.size() > MANIFEST_LIMIT {
        bail!("its first member is not {MANIFEST}");
    }
    let mut json = Vec::new();
    first
        .read_to_end(&mut json)
        .context("unreadable manifest")?;
    let manifest: Manifest = serde_json::from_slice(&json).context("unreadable manifest")?;
    if manifest.format > FORMAT {
        bail!(
            "archive format {} was written by Agora {}, newer than this one ({}): restore it with that version",
            manifest.format,
            manifest.agora_version,
            env!("CARGO_PKG_VERSION")
        );
    }
    let mut expected: BTreeMap<&str, &super::Member> = BTreeMap::new();
    for member in &manifest.members {
        if !well_placed(&member.path) || expected.insert(&member.path, member).is_some() {
            bail!("the manifest lists an unexpected member {:?}", member.path);
        }
    }
    if !expected.contains_key(DATABASE) {
        bail!("the manifest lists no database");
    }
    for dir in [SECRETS, MAIL] {
        std::fs::create_dir_all(root.join(dir))?;
    }
    for entry in entries {
        let mut entry = entry.context("unreadable archive")?;
        let path = entry
            .path()?
            .to_str()
            .map(str::to_owned)
            .unwrap_or_default();
        let Some(member) = expected.remove(path.as_str()) else {
            bail!("member {path:?} is not in the manifest (or is there twice)");
        };
        if entry.header().entry_type() != tar::EntryType::Regular {
            bail!("member {path} is not a plain file");
        }
        let mut out = std::fs::File::create(root.join(&path))
            .with_context(|| format!("cannot write in {}", root.display()))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = entry
                .read(&mut buf)
                .with_context(|| format!("member {path} is unreadable"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])
                .with_context(|| format!("cannot write in {}", root.display()))?;
            size += n as u64;
        }
        out.sync_all()?;
        let sha256 = hex::encode(hasher.finalize());
        if size != member.size || sha256 != member.sha256 {
            bail!("member {path} does not match its checksum in the manifest");
        }
    }
    if let Some(missing) = expected.keys().next() {
        bail!("member {missing} is missing (truncated archive?)");
    }
    Ok(manifest)
}

/// `agora.db`, `secrets/NAME` or `mail/NAME`: nothing that could land outside the
/// directories a restore writes to.
fn well_placed(path: &str) -> bool {
    if path == DATABASE {
        return true;
    }
    match path.split_once('/') {
        Some((SECRETS | MAIL, name)) => {
            !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0'])
        }
        _ => false,
    }
}

/// The copy's schema is one this binary knows; returns how many of its migrations the
/// next start applies.
fn check_schema(manifest: &Manifest, found: Option<&str>) -> anyhow::Result<usize> {
    let Some(found) = found else {
        bail!("the restored database has no schema version: not an Agora database");
    };
    if found != manifest.schema_version {
        bail!(
            "the restored database is at schema {found}, the manifest says {}",
            manifest.schema_version
        );
    }
    let known = super::known_migrations();
    match known.iter().position(|m| m == found) {
        Some(i) => Ok(known.len() - 1 - i),
        None => {
            let last = known.last().map_or("", String::as_str);
            if found > last {
                bail!(
                    "the backup's schema ({found}) is newer than this binary knows (last: {last}): restore it with Agora {} or later",
                    manifest.agora_version
                );
            }
            bail!("the backup's schema ({found}) is not one this binary knows");
        }
    }
}

fn check_rows(
    expected: &BTreeMap<String, u64>,
    found: &BTreeMap<String, u64>,
) -> anyhow::Result<()> {
    for (table, n) in expected {
        match found.get(table) {
            Some(m) if m == n => {}
            Some(m) => bail!("table {table} has {m} rows, the manifest says {n}"),
            None => bail!("table {table} is missing from the restored database"),
        }
    }
    if let Some(extra) = found.keys().find(|t| !expected.contains_key(*t)) {
        bail!("table {extra} is in the restored database but not in the manifest");
    }
    Ok(())
}

/// The token key is well-formed (the rule `agora serve` applies), or the configuration
/// gives one. Returns how many secret files the archive holds.
fn check_secrets(config: &Config, manifest: &Manifest, root: &Path) -> anyhow::Result<usize> {
    let secrets: Vec<&super::Member> = manifest
        .members
        .iter()
        .filter(|m| m.path.starts_with("secrets/"))
        .collect();
    let key = format!("{SECRETS}/jwt.key");
    if secrets.iter().any(|m| m.path == key) {
        let text = std::fs::read_to_string(root.join(&key))
            .map_err(|_| anyhow::anyhow!("{key} in the backup is not text"))?;
        if text.trim().len() < 32 {
            bail!("{key} in the backup is too short to be a key");
        }
    } else if config.auth.secret.is_none() {
        bail!(
            "the backup holds no {key} and the configuration gives no auth.secret: tokens and sessions could not be verified"
        );
    }
    Ok(secrets.len())
}

/// Moves each checked file to its place, never over an existing file; on failure, takes
/// back what it had placed.
fn place(targets: &[(PathBuf, PathBuf)]) -> anyhow::Result<()> {
    if let Some((_, taken)) = targets.iter().find(|(_, to)| to.exists()) {
        bail!(
            "{} already exists: restore into a new or empty data directory (nothing was changed)",
            taken.display()
        );
    }
    let mut placed: Vec<&Path> = Vec::with_capacity(targets.len());
    for (from, to) in targets {
        if let Err(e) = place_one(from, to) {
            for done in placed {
                std::fs::remove_file(done).ok();
            }
            return Err(e).with_context(|| format!("cannot restore {}", to.display()));
        }
        placed.push(to);
    }
    Ok(())
}

fn place_one(from: &Path, to: &Path) -> anyhow::Result<()> {
    if let Some(dir) = to.parent() {
        create_private_dir(dir)?;
    }
    if to.exists() {
        bail!("it appeared meanwhile");
    }
    // Another file system (a mail directory elsewhere): copy, then sync.
    if std::fs::rename(from, to).is_err() {
        std::fs::copy(from, to)?;
        std::fs::File::open(to)?.sync_all()?;
    }
    #[cfg(unix)]
    if to
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == SECRETS)
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_cannot_escape_the_data_directory() {
        for good in ["agora.db", "secrets/jwt.key", "mail/abc.eml"] {
            assert!(well_placed(good), "{good}");
        }
        for bad in [
            "../agora.db",
            "/etc/passwd",
            "secrets/../../x",
            "mail/",
            "mail/..",
            "search-index/meta.json",
            "secrets\\..\\x",
        ] {
            assert!(!well_placed(bad), "{bad}");
        }
    }
}

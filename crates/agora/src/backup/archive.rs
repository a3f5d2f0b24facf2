//! `agora backup --to FILE`: the database copied by SQLite, the secrets and the mail files
//! gathered in a temporary directory beside FILE and checksummed there (so that what the
//! manifest describes is exactly what the archive holds, whatever the server writes
//! meanwhile), then one tar + zstd archive written in that directory and linked to FILE
//! once complete and synced. Nothing is left at FILE otherwise, and the temporary
//! directory goes on any failure.

use super::{DATABASE, FORMAT, MAIL, MANIFEST, Manifest, Member, SECRETS, snapshot};
use crate::config::Config;
use anyhow::{Context as _, bail};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// zstd's level: fast enough to keep up with the disk, about as small as gzip -9.
const LEVEL: i32 = 3;

/// What was written.
pub struct Written {
    pub manifest: Manifest,
    pub archive_size: u64,
}

pub async fn backup(config: &Config, to: &Path) -> anyhow::Result<Written> {
    let Some(database) = super::sqlite_file(config) else {
        return Err(super::postgres_refusal("backup"));
    };
    if !database.is_file() {
        bail!(
            "no database at {}: nothing to back up (is --data-dir right?)",
            database.display()
        );
    }
    if to.exists() {
        bail!(
            "{} already exists: give a new file name (a backup never overwrites)",
            to.display()
        );
    }
    let parent = match to.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // Everything is gathered on the destination's file system, where the archive goes:
    // the rename at the end is then atomic, and the temporary directory goes away on any
    // failure (disk full, interruption).
    let staging = tempfile::Builder::new()
        .prefix(".agora-backup-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    let root = staging.path();

    let copied = root.join(DATABASE);
    snapshot::copy(&database, &copied).await?;
    let contents = snapshot::contents(&copied).await?;
    let Some(schema_version) = contents.schema_version else {
        bail!(
            "{} has no schema version: not an Agora database",
            database.display()
        );
    };

    let secrets = config.data_dir.join(SECRETS);
    let mail = config.mail_dir();
    let (root_owned, to_owned) = (root.to_path_buf(), to.to_path_buf());
    let (archive_size, manifest) = tokio::task::spawn_blocking(move || {
        let mut members = vec![hash_file(&root_owned.join(DATABASE), DATABASE)?];
        members.extend(gather(&secrets, &root_owned, SECRETS)?);
        members.extend(gather(&mail, &root_owned, MAIL)?);
        let manifest = Manifest {
            format: FORMAT,
            agora_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at: chrono::Utc::now(),
            schema_version,
            tables: contents.tables,
            members,
        };
        let size = write_archive(&root_owned, &manifest, &to_owned)?;
        anyhow::Ok((size, manifest))
    })
    .await
    .context("the backup stopped")??;
    drop(staging);
    Ok(Written {
        manifest,
        archive_size,
    })
}

/// Copies the regular files of `dir` (one level: the secrets and mail directories hold no
/// subdirectory) to `root/name/`, checksummed; nothing when `dir` does not exist.
fn gather(dir: &Path, root: &Path, name: &str) -> anyhow::Result<Vec<Member>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let target = root.join(name);
    std::fs::create_dir_all(&target)?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            files.push(entry.file_name());
        }
    }
    files.sort();
    let mut members = Vec::with_capacity(files.len());
    for file in files {
        let Some(file_name) = file.to_str() else {
            bail!("{}: a file name that is not UTF-8", dir.display());
        };
        let source = dir.join(&file);
        // Read once, then both hashed and written: the copy is what was hashed.
        let bytes = match std::fs::read(&source) {
            Ok(bytes) => bytes,
            // Sent and removed meanwhile: not part of this backup.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", source.display())),
        };
        std::fs::write(target.join(&file), &bytes)?;
        members.push(Member {
            path: format!("{name}/{file_name}"),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&bytes)),
        });
    }
    Ok(members)
}

pub(super) fn hash_file(path: &Path, name: &str) -> anyhow::Result<Member> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok(Member {
        path: name.to_owned(),
        size,
        sha256: hex::encode(hasher.finalize()),
    })
}

/// Writes the archive to a private file inside the staging directory `root` (removed
/// with it on any failure), syncs it, and links it to `to`: atomic, and refused if a file
/// appeared there meanwhile. Returns its size.
fn write_archive(root: &Path, manifest: &Manifest, to: &Path) -> anyhow::Result<u64> {
    let part = root.join("archive.part");
    // Mode 0600: the archive holds the token key.
    let file = private_file(&part).context("cannot write the archive")?;
    let encoder = zstd::Encoder::new(std::io::BufWriter::new(file), LEVEL)?;
    let mut tar = tar::Builder::new(encoder);
    let manifest_json = serde_json::to_vec_pretty(manifest)?;
    let at = &manifest.created_at;
    let json_size = manifest_json.len() as u64;
    append(&mut tar, MANIFEST, json_size, at, manifest_json.as_slice())?;
    for member in &manifest.members {
        let path = root.join(&member.path);
        let file = std::fs::File::open(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        append(&mut tar, &member.path, member.size, at, file)?;
    }
    let encoder = tar.into_inner().context("cannot write the archive")?;
    let writer = encoder.finish().context("cannot write the archive")?;
    let file = writer
        .into_inner()
        .map_err(|e| e.into_error())
        .context("cannot write the archive")?;
    file.sync_all().context("cannot write the archive")?;
    let size = file.metadata()?.len();
    drop(file);
    std::fs::hard_link(&part, to).with_context(|| format!("cannot create {}", to.display()))?;
    // The new name is durable once the directory is synced.
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(dir) = std::fs::File::open(parent)
    {
        dir.sync_all().ok();
    }
    Ok(size)
}

fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    path: &str,
    size: u64,
    at: &chrono::DateTime<chrono::Utc>,
    data: impl Read,
) -> anyhow::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(at.timestamp().max(0).cast_unsigned());
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, path, data)
        .context("cannot write the archive")
}

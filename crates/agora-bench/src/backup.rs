//! `agora-bench backup`: `agora backup` of a running server and `agora restore` (with its
//! checks) on the synthetic corpus, then the first start on the restored directory (which
//! rebuilds the search index), beside baselines measured in the same run on the same
//! database: SQLite's own `.backup` (the `sqlite3` shell) of the stopped database and a
//! plain file copy, and a start with the index already there.

use crate::process::Agora;
use crate::written::{self, Plan};
use anyhow::{Context as _, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Args, Clone)]
pub struct BackupArgs {
    /// Listings in the corpus.
    #[arg(long, default_value_t = 100_000)]
    listings: u64,
    /// Commune centroids (the official "communes-departement-region" file layout).
    #[arg(long)]
    centroids: PathBuf,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    #[arg(long, default_value_t = 20_261_123)]
    seed: u64,
    /// Where the data directories go (a temporary directory by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

struct Row {
    what: String,
    time: Duration,
    bytes: Option<u64>,
}

fn size_of(path: &Path) -> anyhow::Result<u64> {
    Ok(std::fs::metadata(path)
        .with_context(|| format!("{} not written", path.display()))?
        .len())
}

pub async fn run(args: BackupArgs) -> anyhow::Result<()> {
    let binary = crate::process::built_binary(args.agora.clone())?;
    let temp = tempfile::tempdir()?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let source = work.join(format!("backup-{}", args.listings));
    let w = written::write(&Plan {
        binary: &binary,
        dir: &source,
        centroids: &args.centroids,
        seed: args.seed,
        size: args.listings,
        reuse: false,
        pg: None,
        connections: 1,
        index: false,
    })
    .await?;
    let agora: &Agora = &w.agora;
    let mut rows = Vec::new();

    eprintln!("[backup] first start (builds the index)…");
    let t = Instant::now();
    let server = agora.serve()?;
    let cold = t.elapsed();
    let db_size = size_of(&source.join("agora.db"))?;

    eprintln!("[backup] agora backup of the running server…");
    let archive = work.join("agora-backup.tar.zst");
    if archive.exists() {
        std::fs::remove_file(&archive)?;
    }
    let (time, _) = agora.run(&["backup", "--to", &archive.to_string_lossy()])?;
    rows.push(Row {
        what: "agora backup (server running; tar + zstd, checksums)".into(),
        time,
        bytes: Some(size_of(&archive)?),
    });
    server.stop();

    // Baselines on the stopped database.
    let copy = work.join("sqlite3-backup.db");
    if copy.exists() {
        std::fs::remove_file(&copy)?;
    }
    let t = Instant::now();
    let status = std::process::Command::new("sqlite3")
        .arg(source.join("agora.db"))
        .arg(format!(".backup '{}'", copy.display()))
        .status();
    match status {
        Ok(s) if s.success() => rows.push(Row {
            what: "baseline: sqlite3 .backup (stopped)".into(),
            time: t.elapsed(),
            bytes: Some(size_of(&copy)?),
        }),
        _ => eprintln!("[backup] no sqlite3 shell: that baseline is not measured"),
    }
    let plain = work.join("plain-copy");
    if plain.exists() {
        std::fs::remove_dir_all(&plain)?;
    }
    std::fs::create_dir_all(&plain)?;
    let t = Instant::now();
    let mut copied = 0;
    for name in ["agora.db", "agora.db-wal"] {
        if source.join(name).exists() {
            copied += std::fs::copy(source.join(name), plain.join(name))?;
        }
    }
    rows.push(Row {
        what: "baseline: plain copy of the stopped database files".into(),
        time: t.elapsed(),
        bytes: Some(copied),
    });

    eprintln!("[backup] agora restore…");
    let restored = work.join("restored");
    if restored.exists() {
        std::fs::remove_dir_all(&restored)?;
    }
    let target = Agora::new(&binary, &restored).with_logs(&work);
    let (time, _) = target.run(&["restore", "--from", &archive.to_string_lossy()])?;
    rows.push(Row {
        what: "agora restore (unpack, checksums, integrity, schema, rows, secrets)".into(),
        time,
        bytes: None,
    });

    eprintln!("[backup] first start on the restored directory…");
    let t = Instant::now();
    let server = target.serve()?;
    let first = t.elapsed();
    let health = reqwest::get(format!("{}/health", server.base)).await?;
    if !health.status().is_success() {
        bail!("the restored server is not healthy: {}", health.status());
    }
    server.stop();
    rows.push(Row {
        what: "first start after restore (search index rebuilt)".into(),
        time: first,
        bytes: None,
    });
    let t = Instant::now();
    let server = agora.serve()?;
    let warm = t.elapsed();
    server.stop();
    rows.push(Row {
        what: "baseline: start with the index in place".into(),
        time: warm,
        bytes: None,
    });
    rows.push(Row {
        what: "(first start of the source, index built)".into(),
        time: cold,
        bytes: None,
    });

    println!(
        "\n## Backup and restore at {} listings (SQLite, {}; database {:.1} MB)\n",
        args.listings,
        binary.display(),
        db_size as f64 / 1e6
    );
    println!("| what | time (s) | size (MB) |");
    println!("|---|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.2} | {} |",
            r.what,
            r.time.as_secs_f64(),
            r.bytes
                .map_or_else(String::new, |b| format!("{:.1}", b as f64 / 1e6))
        );
    }
    println!("\n(data in {})", work.display());
    Ok(())
}

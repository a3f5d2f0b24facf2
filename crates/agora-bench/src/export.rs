//! `agora-bench export`: the open-data exports on the synthetic corpus. Each format is
//! written by the real binary (`agora export <format> --output FILE`), timed, with its peak
//! resident memory; the baseline, in the same run, is a plain read of the same rows (the
//! public listings and their published revisions, page by page, no rendering), run as its
//! own process (`agora-bench export-read`) and measured the same way.

use crate::process::{Agora, peak_memory};
use crate::written::{self, Plan};
use agora_domain::ListingKind;
use anyhow::{Context as _, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Args, Clone)]
pub struct ExportArgs {
    /// Listings in the corpus.
    #[arg(long, default_value_t = 100_000)]
    size: u64,
    /// Commune centroids (the official "communes-departement-region" file layout).
    #[arg(long)]
    centroids: PathBuf,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    #[arg(long, default_value_t = 20_261_123)]
    seed: u64,
    /// Where the data directory goes (a temporary directory by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

#[derive(Args, Clone)]
pub struct ReadArgs {
    /// The SQLite database to read.
    #[arg(long)]
    database_url: String,
}

/// The baseline: every public listing and its published revision, a page of 500 at a
/// time, as the exporter reads them; returns (listings, bytes of their content).
pub async fn read(args: ReadArgs) -> anyhow::Result<()> {
    let db = agora_store::connect(&args.database_url).await?;
    let (mut n, mut bytes) = (0u64, 0u64);
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let rows = agora_store::listings::list_public(&db, kind, after, 500).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            let ids = rows
                .iter()
                .filter_map(|r| r.published_revision_id)
                .collect();
            for revision in agora_store::revisions::by_ids(&db, ids).await? {
                bytes += serde_json::to_vec(&revision.content)?.len() as u64;
                n += 1;
            }
        }
    }
    println!("{n} {bytes}");
    Ok(())
}

struct Measure {
    what: &'static str,
    listings: u64,
    bytes: u64,
    time: Duration,
    peak: Option<u64>,
}

fn measure_read(database_url: &str) -> anyhow::Result<Measure> {
    let exe = std::env::current_exe()?;
    let started = Instant::now();
    let mut child = Command::new(exe)
        .args(["export-read", "--database-url", database_url])
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let mut peak = None;
    while child.try_wait()?.is_none() {
        peak = peak_memory(child.id()).or(peak);
        std::thread::sleep(Duration::from_millis(20));
    }
    let time = started.elapsed();
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("the baseline read failed");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(str::parse::<u64>);
    let (Some(Ok(listings)), Some(Ok(bytes))) = (words.next(), words.next()) else {
        bail!("the baseline read printed {text:?}");
    };
    Ok(Measure {
        what: "baseline: plain read of the rows",
        listings,
        bytes,
        time,
        peak,
    })
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    let binary = crate::process::built_binary(args.agora.clone())?;
    let temp = tempfile::tempdir()?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let dir = work.join(format!("export-{}", args.size));
    let w = written::write(&Plan {
        binary: &binary,
        dir: &dir,
        centroids: &args.centroids,
        seed: args.seed,
        size: args.size,
        reuse: false,
        pg: None,
        connections: 1,
        index: false,
    })
    .await?;
    let url = format!("sqlite://{}?mode=ro", dir.join("agora.db").display());
    let db = agora_store::connect(&url).await?;
    let mut public = std::collections::BTreeMap::new();
    for kind in ListingKind::ALL {
        public.insert(kind, agora_store::listings::count_public(&db, kind).await?);
    }
    db.close().await?;
    let count = |kinds: &[ListingKind]| kinds.iter().map(|k| public[k]).sum::<u64>();

    eprintln!("[export] {} listings written; measuring…", args.size);
    let mut rows = vec![measure_read(&url)?];
    let out = dir.join("out");
    std::fs::create_dir_all(&out)?;
    let agora: &Agora = &w.agora;
    for (what, file, kinds) in [
        (
            "data-inclusion-structures",
            "di-structures.json",
            &[ListingKind::Structure][..],
        ),
        (
            "data-inclusion-services",
            "di-services.json",
            &[ListingKind::Service][..],
        ),
        (
            "hsds-organizations",
            "hsds-organizations.json",
            &[ListingKind::Structure][..],
        ),
        (
            "hsds-services",
            "hsds-services.json",
            &[ListingKind::Service][..],
        ),
        ("csv", "fiches.csv", &ListingKind::ALL[..]),
    ] {
        let path = out.join(file);
        let path_arg = path.to_string_lossy().into_owned();
        let (time, peak) = agora.run(&["export", what, "--output", &path_arg])?;
        let bytes = std::fs::metadata(&path)
            .with_context(|| format!("{} not written", path.display()))?
            .len();
        rows.push(Measure {
            what,
            listings: count(kinds),
            bytes,
            time,
            peak,
        });
    }
    print(args.size, &rows, &dir, &binary);
    Ok(())
}

fn print(size: u64, rows: &[Measure], dir: &Path, binary: &Path) {
    println!(
        "\n## Exports at {size} listings (SQLite, {}, one process per line)\n",
        binary.display()
    );
    println!("| what | listings | size (MB) | time (s) | listings/s | MB/s | peak RSS (MiB) |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for r in rows {
        let secs = r.time.as_secs_f64().max(1e-9);
        println!(
            "| {} | {} | {:.1} | {:.2} | {:.0} | {:.1} | {} |",
            r.what,
            r.listings,
            mb(r.bytes),
            secs,
            r.listings as f64 / secs,
            mb(r.bytes) / secs,
            r.peak.map_or_else(
                || "?".to_owned(),
                |p| format!("{:.0}", p as f64 / 1048576.0)
            ),
        );
    }
    println!(
        "\n(the baseline's size is the stored content it read; data in {})",
        dir.display()
    );
}

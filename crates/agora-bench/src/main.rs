//! `agora-bench search`: Agora's search on a synthetic corpus at several sizes, measured
//! three ways in one run on the same corpus and queries: the search-index crate called
//! directly, the HTTP API of the real server under concurrent load, and the PostgreSQL
//! full-text baseline. Also the time of `agora reindex` and the server's peak memory.

mod backup;
mod baseline;
mod corpus;
mod export;
mod flood;
mod import_rna;
mod load;
mod load_test;
mod meetings;
mod portal;
mod process;
mod queries;
mod relevance;
mod reliability;
mod report;
mod stats;
mod written;

use crate::queries::{BenchQuery, Category};
use crate::report::{CategoryReport, SizeReport};
use crate::stats::Latencies;
use agora_geo::CommunePoints;
use agora_search::{Opened, SearchIndex};
use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Parser)]
#[command(about = "Benchmarks of Agora")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Search at several corpus sizes: the index crate, the HTTP API under concurrent load
    /// and PostgreSQL full-text search, side by side.
    Search(SearchArgs),
    /// Sign-ins with wrong passwords from many concurrent clients: what they get back, the
    /// server's peak memory and how `/health` answers meanwhile.
    SigninFlood(flood::FloodArgs),
    /// A bad day: kill -9 during writes, PostgreSQL stopped under load, a full disk, and a
    /// mixed load with wrk.
    Reliability(reliability::ReliabilityArgs),
    /// Relevance: judged questions in patients', caregivers', associations' and
    /// employers' words over the demo and a realistic corpus; success@5, MRR, nDCG@10 and
    /// the zero-result rate, words understood against words as typed.
    Relevance(relevance::RelevanceArgs),
    /// The portal's pages over the same corpus: a results page against the API's search
    /// for the same question, page weights, and the largest printable directory as a page
    /// and as a PDF.
    Portal(portal::PortalArgs),
    /// The open-data exports (data·inclusion, HSDS, CSV) at one corpus size: throughput
    /// and peak memory of `agora export` for each format, against a plain read of the rows.
    Export(export::ExportArgs),
    /// The exports benchmark's baseline, run as its own process.
    #[command(hide = true)]
    ExportRead(export::ReadArgs),
    /// The import rate of a synthetic 100 000-row RNA file through `agora import rna`,
    /// beside a read-and-check-only baseline (`--dry-run`), with peak memory.
    ImportRna(import_rna::ImportRnaArgs),
    /// The speed-meeting scheduler on a random event (régions, skills, wishes,
    /// unavailability, pins and bans): time, meetings, idle slots, objective against the
    /// proven upper bound, beside a greedy baseline on the same instance.
    Meetings(meetings::MeetingsArgs),
    /// `agora backup` of a running server, `agora restore` with its checks and the first
    /// start after it (index rebuilt), beside `sqlite3 .backup`, a plain copy and a start
    /// with the index in place.
    Backup(backup::BackupArgs),
}

#[derive(Args, Clone)]
struct SearchArgs {
    /// Corpus sizes, comma-separated.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000u64, 100_000, 1_000_000])]
    sizes: Vec<u64>,
    /// Commune centroids (the official "communes-departement-region" file layout).
    #[arg(long)]
    centroids: PathBuf,
    /// PostgreSQL for the baseline: a role that may create databases. Without it, the
    /// baseline is not measured (and the report says so).
    #[arg(long, env = "AGORA_BENCH_DATABASE_URL")]
    pg: Option<String>,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Concurrent clients for the HTTP API and the baseline.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Searches per category, per system.
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Longest a category may run, per system, in seconds.
    #[arg(long, default_value_t = 20)]
    budget: u64,
    /// Distinct searches per category in the mix.
    #[arg(long, default_value_t = 40)]
    queries: usize,
    #[arg(long, default_value_t = 20_261_123)]
    seed: u64,
    /// Where data directories go (a temporary directory by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the data directories and the baseline databases.
    #[arg(long)]
    keep: bool,
    /// Measure again the corpus a run with `--keep` left in `--work-dir`, as it is: no
    /// writing, no reindex (their figures are then those of that run, not shown).
    #[arg(long, requires_all = ["keep", "work_dir"])]
    reuse: bool,
}

/// Latencies of each category of the mix.
type ByCategory = BTreeMap<Category, Latencies>;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // One thread drives the clients: the two cores are the server's and the database's.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match cli.command {
        Command::Search(args) => runtime.block_on(search(args)),
        Command::SigninFlood(args) => runtime.block_on(flood::run(args)),
        Command::Reliability(args) => runtime.block_on(reliability::run(args)),
        Command::Relevance(args) => runtime.block_on(relevance::run(args)),
        Command::Portal(args) => runtime.block_on(portal::run(args)),
        Command::Export(args) => runtime.block_on(export::run(args)),
        Command::ExportRead(args) => runtime.block_on(export::read(args)),
        Command::ImportRna(args) => import_rna::run(args),
        Command::Meetings(args) => meetings::run(args),
        Command::Backup(args) => runtime.block_on(backup::run(args)),
    }
}

async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let binary = process::built_binary(args.agora.clone())?;
    let temp = tempfile::tempdir()?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    report::preamble(&args.sizes, args.clients, args.pg.is_some());
    let mut reports = Vec::new();
    for &size in &args.sizes {
        let dir = work.join(format!("corpus-{size}"));
        let report = run_size(&args, &binary, &dir, size).await?;
        report::print(&report);
        if !args.keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
        reports.push(report);
    }
    report::summary(&reports);
    Ok(())
}

async fn run_size(
    args: &SearchArgs,
    binary: &Path,
    dir: &Path,
    size: u64,
) -> anyhow::Result<SizeReport> {
    let w = written::write(&written::Plan {
        binary,
        dir,
        centroids: &args.centroids,
        seed: args.seed,
        size,
        reuse: args.reuse,
        pg: args.pg.as_deref(),
        connections: args.clients as u32,
        index: true,
    })
    .await?;
    let mix = queries::mix(args.seed, &w.corpus, &w.vocab, args.queries);

    eprintln!("[{size}] the index crate, called directly…");
    let (direct, direct_ids) = measure_direct(args, &dir.join("search-index"), w.points, &mix)?;

    eprintln!("[{size}] the HTTP API under load…");
    let server = w.agora.serve()?;
    let client = reqwest::Client::new();
    let mut api_matches = 0;
    for (query, ids) in mix.iter().zip(&direct_ids) {
        if api_search(&client, &server.base, query).await? == *ids {
            api_matches += 1;
        }
    }
    let mut api = BTreeMap::new();
    for category in Category::ALL {
        let of_category = queries::of_category(&mix, category);
        let base = server.base.clone();
        let client = client.clone();
        let latencies = load_test::run(
            &of_category,
            args.clients,
            args.requests,
            Duration::from_secs(args.budget),
            move |q| {
                let (client, base) = (client.clone(), base.clone());
                async move {
                    let response = client.get(format!("{base}{}", q.path())).send().await?;
                    if !response.status().is_success() {
                        bail!("{} answered {}", q.path(), response.status());
                    }
                    response.bytes().await?;
                    Ok(())
                }
            },
        )
        .await?;
        api.insert(category, latencies);
    }
    let server_memory = server.peak_memory();
    drop(server);

    let mut pg = BTreeMap::new();
    let mut overlaps: BTreeMap<Category, Vec<f64>> = BTreeMap::new();
    if let Some(b) = w.baseline {
        eprintln!("[{size}] the PostgreSQL baseline under load…");
        let b = Arc::new(b);
        for (query, ids) in mix.iter().zip(&direct_ids) {
            let (pg_ids, _) = b.search(query).await?;
            overlaps
                .entry(query.category)
                .or_default()
                .push(stats::overlap(ids, &pg_ids));
        }
        for category in Category::ALL {
            let of_category = queries::of_category(&mix, category);
            let pool = b.clone();
            let latencies = load_test::run(
                &of_category,
                args.clients,
                args.requests,
                Duration::from_secs(args.budget),
                move |q| {
                    let pool = pool.clone();
                    async move { pool.search(&q).await.map(drop) }
                },
            )
            .await?;
            pg.insert(category, latencies);
        }
        if let (false, Ok(b)) = (args.keep, Arc::try_unwrap(b)) {
            b.drop_database().await?;
        }
    }

    let categories = Category::ALL
        .iter()
        .map(|c| CategoryReport {
            category: *c,
            direct: direct.get(c).cloned().unwrap_or_default(),
            api: api.get(c).cloned().unwrap_or_default(),
            pg: pg.get(c).cloned(),
            overlap: overlaps
                .get(c)
                .map(|v| v.iter().sum::<f64>() / v.len().max(1) as f64),
        })
        .collect();
    Ok(SizeReport {
        size,
        reused: w.reused,
        load_time: w.load_time,
        pg_time: args.pg.as_ref().map(|_| w.pg_time),
        reindex_time: w.reindex_time,
        reindex_memory: w.reindex_memory,
        server_memory,
        api_matches,
        queries: mix.len(),
        categories,
    })
}

/// Runs the mix against the index in-process, one search at a time: first once to warm
/// up and keep each first page, then repeatedly to measure.
fn measure_direct(
    args: &SearchArgs,
    dir: &Path,
    points: CommunePoints,
    mix: &[BenchQuery],
) -> anyhow::Result<(ByCategory, Vec<Vec<Uuid>>)> {
    let (index, opened) = SearchIndex::open_or_create(dir)?;
    if opened != Opened::Existing {
        bail!("agora reindex left no index in {}", dir.display());
    }
    index.set_points(Arc::new(points));
    let ids_of = |query: &BenchQuery| -> anyhow::Result<Vec<Uuid>> {
        let results = index.search(&query.request())?;
        results
            .hits
            .iter()
            .map(|h| {
                h.card["id"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .context("a hit without an id")
            })
            .collect()
    };
    let first_pages = mix.iter().map(ids_of).collect::<anyhow::Result<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for category in Category::ALL {
        let of_category: Vec<&BenchQuery> = mix.iter().filter(|q| q.category == category).collect();
        let mut latencies = Latencies::default();
        let started = Instant::now();
        let budget = Duration::from_secs(args.budget);
        for query in of_category.iter().cycle().take(args.requests) {
            if started.elapsed() >= budget {
                break;
            }
            let t = Instant::now();
            index.search(&query.request())?;
            latencies.push(t.elapsed());
        }
        latencies.elapsed = started.elapsed();
        out.insert(category, latencies);
    }
    Ok((out, first_pages))
}

async fn api_search(
    client: &reqwest::Client,
    base: &str,
    query: &BenchQuery,
) -> anyhow::Result<Vec<Uuid>> {
    let response = client.get(format!("{base}{}", query.path())).send().await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    if !status.is_success() {
        bail!("{} answered {status}: {body}", query.path());
    }
    Ok(body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["id"].as_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_default())
}

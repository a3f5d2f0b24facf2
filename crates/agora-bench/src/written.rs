//! A synthetic corpus written into a data directory (or the one a kept run left there),
//! indexed by `agora reindex`: what the search and portal benchmarks measure.

use crate::baseline::Baseline;
use crate::corpus::Corpus;
use crate::load;
use crate::process::Agora;
use agora_domain::Vocabularies;
use agora_geo::CommunePoints;
use anyhow::bail;
use std::path::Path;
use std::time::{Duration, Instant};

const BATCH: u64 = 10_000;
/// Listings below this rank are validated as members' content would be.
const VALIDATED: u64 = 4 * crate::corpus::BLOCK;

pub struct Plan<'a> {
    pub binary: &'a Path,
    pub dir: &'a Path,
    pub centroids: &'a Path,
    pub seed: u64,
    pub size: u64,
    /// Reuse what a kept run left in `dir`, when it is there.
    pub reuse: bool,
    /// PostgreSQL for the full-text baseline, if measured.
    pub pg: Option<&'a str>,
    pub connections: u32,
    /// Build the search index (`agora reindex`); the exports benchmark does not need it.
    pub index: bool,
}

pub struct Written {
    pub agora: Agora,
    pub corpus: Corpus,
    pub vocab: Vocabularies,
    pub points: CommunePoints,
    pub baseline: Option<Baseline>,
    pub reused: bool,
    pub load_time: Duration,
    pub pg_time: Duration,
    pub reindex_time: Duration,
    pub reindex_memory: Option<u64>,
}

pub async fn write(plan: &Plan<'_>) -> anyhow::Result<Written> {
    let (dir, size) = (plan.dir, plan.size);
    let reuse = plan.reuse && dir.join("search-index").exists();
    if !reuse {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
    }
    let agora = Agora::new(plan.binary, dir);
    let centroids = plan.centroids.to_string_lossy().into_owned();
    if !reuse {
        agora.run(&["geo", "import", &centroids])?;
    }

    let db = agora_store::connect(&format!(
        "sqlite://{}?mode=rwc",
        dir.join("agora.db").display()
    ))
    .await?;
    let vocab = agora_store::vocabularies::load(&db).await?;
    let points = CommunePoints::new(agora_store::geography::centroids(&db).await?);
    if points.is_empty() {
        bail!("no centroid imported from {centroids}");
    }
    let now = chrono::Utc::now();
    let corpus = Corpus::new(plan.seed, vocab.clone(), points.clone(), now);

    let name = format!("agora_bench_{size}");
    let connections = plan.connections;
    let baseline = match (plan.pg, reuse) {
        (Some(url), false) => Some(Baseline::create(url, &name, connections).await?),
        (Some(url), true) => Some(Baseline::open(url, &name, connections).await?),
        (None, _) => None,
    };
    let (mut load_time, mut pg_time) = (Duration::ZERO, Duration::ZERO);
    let mut start = if reuse { size } else { 0 };
    if !reuse {
        eprintln!("[{size}] writing the corpus…");
    }
    while start < size {
        let end = (start + BATCH).min(size);
        let mut batch = Vec::with_capacity((end - start) as usize);
        for i in start..end {
            let listing = corpus.listing(i);
            if i < VALIDATED {
                // The corpus is what members could have written.
                let mut content = listing.content.clone();
                content
                    .validate(&vocab)
                    .map_err(|e| anyhow::anyhow!("synthetic listing {i} is invalid: {e:?}"))?;
            }
            batch.push(listing);
        }
        let t = Instant::now();
        load::insert(&db, &batch, now).await?;
        load_time += t.elapsed();
        if let Some(b) = &baseline {
            let t = Instant::now();
            b.copy(&batch).await?;
            pg_time += t.elapsed();
        }
        start = end;
    }
    if let (Some(b), false) = (&baseline, reuse) {
        let t = Instant::now();
        b.build_indexes().await?;
        pg_time += t.elapsed();
    }
    db.close().await?;

    let (reindex_time, reindex_memory) = if reuse || !plan.index {
        (Duration::ZERO, None)
    } else {
        eprintln!("[{size}] agora reindex…");
        agora.run(&["reindex"])?
    };

    Ok(Written {
        agora,
        corpus,
        vocab,
        points,
        baseline,
        reused: reuse,
        load_time,
        pg_time,
        reindex_time,
        reindex_memory,
    })
}

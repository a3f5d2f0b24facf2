//! The portal over the search benchmark's corpus: what a results page costs over the
//! API's search for the same question (the page's own work: rendering, facets as links,
//! the map), how much pages weigh, and the printable directory of the département with
//! the most services, as a page and as a PDF. One client on loopback, so that times are
//! latencies, not a share of a saturated machine.

use crate::process::{self, Agora};
use crate::queries;
use crate::stats::{Latencies, mib, ms};
use crate::written::{self, Plan};
use anyhow::{Context as _, bail};
use clap::Args;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct PortalArgs {
    /// Listings in the corpus.
    #[arg(long, default_value_t = 100_000)]
    size: u64,
    /// Commune centroids (the official "communes-departement-region" file layout).
    #[arg(long)]
    centroids: PathBuf,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Distinct searches per category of the search benchmark's mix.
    #[arg(long, default_value_t = 40)]
    queries: usize,
    /// Times each search is asked of the API and of the page.
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// PDFs of the largest directory to typeset.
    #[arg(long, default_value_t = 5)]
    pdfs: usize,
    #[arg(long, default_value_t = 20_261_123)]
    seed: u64,
    /// Where the data directory goes (a temporary directory by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// Keep the data directory.
    #[arg(long)]
    keep: bool,
    /// Measure again the corpus a run with `--keep` left in `--work-dir`.
    #[arg(long, requires_all = ["keep", "work_dir"])]
    reuse: bool,
}

async fn fetch(
    client: &reqwest::Client,
    base: &str,
    path: &str,
) -> anyhow::Result<(Duration, Vec<u8>)> {
    let t = Instant::now();
    let response = client.get(format!("{base}{path}")).send().await?;
    let status = response.status();
    let body = response.bytes().await?.to_vec();
    let took = t.elapsed();
    if !status.is_success() {
        bail!("{path} answered {status}");
    }
    Ok((took, body))
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

fn median(mut v: Vec<Duration>) -> Option<Duration> {
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

pub async fn run(args: PortalArgs) -> anyhow::Result<()> {
    let binary = process::built_binary(args.agora.clone())?;
    let temp = tempfile::tempdir()?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let dir = work.join(format!("corpus-{}", args.size));
    let w = written::write(&Plan {
        binary: &binary,
        dir: &dir,
        centroids: &args.centroids,
        seed: args.seed,
        size: args.size,
        reuse: args.reuse,
        pg: None,
        connections: 1,
        index: true,
    })
    .await?;
    let mix = queries::mix(args.seed, &w.corpus, &w.vocab, args.queries);
    let agora: &Agora = &w.agora;
    let server = agora.serve()?;
    let client = reqwest::Client::new();
    let base = server.base.clone();

    eprintln!("[portal] warming up…");
    for q in &mix {
        let api = q.path();
        fetch(&client, &base, &api).await?;
        fetch(
            &client,
            &base,
            &api.replacen("/api/v1/search", "/recherche", 1),
        )
        .await?;
    }
    eprintln!(
        "[portal] {} searches × {} rounds, API then page…",
        mix.len(),
        args.rounds
    );
    let (mut api, mut page, mut extra) = (
        Latencies::default(),
        Latencies::default(),
        Latencies::default(),
    );
    let mut weights = Vec::new();
    for _ in 0..args.rounds {
        for q in &mix {
            let path = q.path();
            let (a, _) = fetch(&client, &base, &path).await?;
            let (p, html) = fetch(
                &client,
                &base,
                &path.replacen("/api/v1/search", "/recherche", 1),
            )
            .await?;
            api.push(a);
            page.push(p);
            extra.push(p.saturating_sub(a));
            weights.push(html.len());
        }
    }
    weights.sort_unstable();

    // Other pages' weights, and the directory of the département with the most services.
    let (_, services) = fetch(&client, &base, "/api/v1/search?kind=service&limit=1").await?;
    let services: serde_json::Value = serde_json::from_slice(&services)?;
    let first_service = services["items"][0]["id"]
        .as_str()
        .context("a service")?
        .to_owned();
    let (departement, count) = services["facets"]["departement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f["value"].as_str()?.to_owned(), f["count"].as_u64()?)))
        .max_by_key(|(_, n)| *n)
        .context("no département facet")?;
    let mut others = Vec::new();
    for path in [
        "/".to_owned(),
        format!("/services/{first_service}"),
        "/projets".to_owned(),
        "/indicateurs".to_owned(),
    ] {
        let (t, body) = fetch(&client, &base, &path).await?;
        others.push((path, t, body.len()));
    }
    eprintln!(
        "[portal] the directory of département {departement} ({count} services in the facet)…"
    );
    let (html_time, html) = fetch(&client, &base, &format!("/annuaire/{departement}")).await?;
    let entries = String::from_utf8_lossy(&html)
        .matches("agora-directory__entry\"")
        .count();
    let mut pdf_times = Vec::new();
    let mut pdf_size = 0;
    for _ in 0..args.pdfs {
        let (t, pdf) = fetch(&client, &base, &format!("/annuaire/{departement}.pdf")).await?;
        if !pdf.starts_with(b"%PDF-") {
            bail!("/annuaire/{departement}.pdf is not a PDF");
        }
        pdf_size = pdf.len();
        pdf_times.push(t);
    }
    let memory = server.peak_memory();
    drop(server);

    println!(
        "\nThe portal at {} listings (release build; one client on loopback)\n",
        args.size
    );
    println!("{:<34} {:>9} {:>9} {:>9}", "", "p50", "p99", "max");
    for (label, l) in [
        ("API search (baseline)", &api),
        ("/recherche, same parameters", &page),
        ("page − API, per search", &extra),
    ] {
        println!(
            "{label:<34} {:>9} {:>9} {:>9}",
            ms(l.p50()),
            ms(l.p99()),
            ms(l.max())
        );
    }
    println!(
        "({} searches of the search benchmark's mix, {} rounds each)",
        mix.len(),
        args.rounds
    );
    println!("\nPage weights (HTML only; the design system's assets are cached for a year):");
    println!(
        "  results pages: median {}, largest {}",
        kb(weights.get(weights.len() / 2).copied().unwrap_or(0)),
        kb(weights.last().copied().unwrap_or(0))
    );
    for (path, t, size) in &others {
        println!("  {:<46} {:>9}  in {}", path, kb(*size), ms(Some(*t)));
    }
    println!(
        "\nPrintable directory of département {departement}: {entries} entries, page {} in {}",
        kb(html.len()),
        ms(Some(html_time))
    );
    println!(
        "  PDF ({}): {} runs, median {}, slowest {}",
        kb(pdf_size),
        pdf_times.len(),
        ms(median(pdf_times.clone())),
        ms(pdf_times.iter().max().copied())
    );
    println!("Server peak memory: {}", mib(memory));
    if !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

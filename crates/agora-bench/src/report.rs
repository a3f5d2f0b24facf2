//! The benchmark's printed report: one table per corpus size, then a summary with the
//! targets.

use crate::corpus::BLOCK;
use crate::queries::Category;
use crate::stats::{Latencies, mib, ms, rate, ratio, secs};
use std::time::Duration;

pub struct CategoryReport {
    pub category: Category,
    pub direct: Latencies,
    pub api: Latencies,
    pub pg: Option<Latencies>,
    /// Mean share of the first page the baseline has in common with the index.
    pub overlap: Option<f64>,
}

pub struct SizeReport {
    pub size: u64,
    /// The corpus and index of an earlier run were measured again: no writing, no reindex.
    pub reused: bool,
    pub load_time: Duration,
    pub pg_time: Option<Duration>,
    pub reindex_time: Duration,
    pub reindex_memory: Option<u64>,
    pub server_memory: Option<u64>,
    pub api_matches: usize,
    pub queries: usize,
    pub categories: Vec<CategoryReport>,
}

impl SizeReport {
    fn all(&self, pick: impl Fn(&CategoryReport) -> Option<&Latencies>) -> Option<Latencies> {
        let mut all = Latencies::default();
        for c in &self.categories {
            let l = pick(c)?;
            all.elapsed += l.elapsed;
            all.extend_as_share(l.clone());
        }
        Some(all)
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

pub fn preamble(sizes: &[u64], clients: usize, baseline: bool) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!("Agora search benchmark");
    println!(
        "sizes {}, {cores} cores, {clients} concurrent clients for the HTTP API and PostgreSQL",
        sizes
            .iter()
            .map(|s| thousands(*s))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !baseline {
        println!(
            "!! no PostgreSQL given (--pg or AGORA_BENCH_DATABASE_URL): the baseline is NOT measured"
        );
    }
    println!("latencies in milliseconds; n = searches measured\n");
}

pub fn print(r: &SizeReport) {
    let structures = r.size.div_ceil(BLOCK);
    let services = (0..r.size)
        .filter(|i| (1..=4).contains(&(i % BLOCK)))
        .count();
    println!(
        "── {} listings ({} structures, {} services, {} projects) ──",
        thousands(r.size),
        thousands(structures),
        thousands(services as u64),
        thousands(r.size - structures - services as u64)
    );
    if r.reused {
        println!("corpus and index of an earlier run (--reuse): writing and reindex not measured");
    } else {
        println!(
            "writing the corpus: SQLite {}{}",
            secs(r.load_time),
            r.pg_time
                .map(|t| format!(" · PostgreSQL COPY and indexes {}", secs(t)))
                .unwrap_or_default()
        );
        println!(
            "agora reindex (whole corpus, from the database): {}, peak memory {}",
            secs(r.reindex_time),
            mib(r.reindex_memory)
        );
    }
    println!(
        "server peak memory, after the load: {}",
        mib(r.server_memory)
    );
    println!(
        "first pages of the HTTP API identical to the index crate's: {}/{}\n",
        r.api_matches, r.queries
    );
    println!(
        "{:<28} {:>15} │ {:>28} │ {:>28} │ {:>7} {:>8}",
        "",
        "index crate",
        format!("HTTP API"),
        "PostgreSQL FTS",
        "PG/API",
        "top-10"
    );
    println!(
        "{:<28} {:>7} {:>7} │ {:>7} {:>7} {:>6} {:>6} │ {:>7} {:>7} {:>6} {:>6} │ {:>7} {:>8}",
        "query mix",
        "p50",
        "p99",
        "p50",
        "p99",
        "req/s",
        "n",
        "p50",
        "p99",
        "req/s",
        "n",
        "p50",
        "overlap"
    );
    let row = |label: &str,
               direct: &Latencies,
               api: &Latencies,
               pg: Option<&Latencies>,
               overlap: Option<f64>| {
        println!(
            "{:<28} {:>7} {:>7} │ {:>7} {:>7} {:>6} {:>6} │ {:>7} {:>7} {:>6} {:>6} │ {:>7} {:>8}",
            label,
            ms(direct.p50()),
            ms(direct.p99()),
            ms(api.p50()),
            ms(api.p99()),
            rate(api.per_second()),
            api.len(),
            ms(pg.and_then(Latencies::p50)),
            ms(pg.and_then(Latencies::p99)),
            rate(pg.and_then(Latencies::per_second)),
            pg.map_or_else(|| "–".to_owned(), |l| l.len().to_string()),
            ratio(pg.and_then(Latencies::p50), api.p50()),
            overlap.map_or_else(|| "–".to_owned(), |o| format!("{:.0} %", o * 100.0)),
        );
    };
    for c in &r.categories {
        row(
            c.category.label(),
            &c.direct,
            &c.api,
            c.pg.as_ref(),
            c.overlap,
        );
    }
    let direct = r.all(|c| Some(&c.direct)).unwrap_or_default();
    let api = r.all(|c| Some(&c.api)).unwrap_or_default();
    let pg = r.all(|c| c.pg.as_ref());
    let overlaps: Vec<f64> = r.categories.iter().filter_map(|c| c.overlap).collect();
    let overlap =
        (!overlaps.is_empty()).then(|| overlaps.iter().sum::<f64>() / overlaps.len() as f64);
    row("all", &direct, &api, pg.as_ref(), overlap);
    println!();
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

pub fn summary(reports: &[SizeReport]) {
    println!("── summary ──");
    println!(
        "{:>12} │ {:>9} {:>9} {:>8} │ {:>9} │ {:>8} │ {:>10} {:>12}",
        "listings", "API p50", "API p99", "req/s", "PG p50", "PG/API", "reindex", "server peak"
    );
    for r in reports {
        let api = r.all(|c| Some(&c.api)).unwrap_or_default();
        let pg = r.all(|c| c.pg.as_ref());
        println!(
            "{:>12} │ {:>9} {:>9} {:>8} │ {:>9} │ {:>8} │ {:>10} {:>12}",
            thousands(r.size),
            ms(api.p50()),
            ms(api.p99()),
            rate(api.per_second()),
            ms(pg.as_ref().and_then(Latencies::p50)),
            ratio(pg.as_ref().and_then(Latencies::p50), api.p50()),
            if r.reused {
                "reused".to_owned()
            } else {
                secs(r.reindex_time)
            },
            mib(r.server_memory),
        );
    }
    let Some(largest) = reports.iter().max_by_key(|r| r.size) else {
        return;
    };
    let api = largest.all(|c| Some(&c.api)).unwrap_or_default();
    let pg = largest.all(|c| c.pg.as_ref());
    let ms_of = |d: Option<Duration>| d.map_or(f64::INFINITY, |d| d.as_secs_f64() * 1000.0);
    println!("\ntargets, at {} listings:", thousands(largest.size));
    println!(
        "  API search p50 ≤ 5 ms under load: {} ms, {}",
        ms(api.p50()),
        verdict(ms_of(api.p50()) <= 5.0)
    );
    println!(
        "  API search p99 ≤ 25 ms under load: {} ms, {}",
        ms(api.p99()),
        verdict(ms_of(api.p99()) <= 25.0)
    );
    match pg.as_ref().and_then(Latencies::p50) {
        Some(pg50) => {
            let times = pg50.as_secs_f64() * 1000.0 / ms_of(api.p50());
            println!(
                "  ≥ 10× faster than PostgreSQL at p50: {times:.1}×, {}",
                verdict(times >= 10.0)
            );
        }
        None => {
            println!("  ≥ 10× faster than PostgreSQL at p50: NOT MEASURED (no PostgreSQL given)")
        }
    }
    if largest.reused {
        println!("  full reindex ≤ 2 min: not measured (--reuse)");
    } else {
        println!(
            "  full reindex ≤ 2 min: {}, {}",
            secs(largest.reindex_time),
            verdict(largest.reindex_time <= Duration::from_secs(120))
        );
    }
    let peak = largest.server_memory.max(largest.reindex_memory);
    println!(
        "  peak memory ≤ 1 GiB (server under load; reindex): {} ; {}, {}",
        mib(largest.server_memory),
        mib(largest.reindex_memory),
        verdict(peak.is_some_and(|p| p <= 1 << 30))
    );
}

//! `agora-bench signin-flood`: the password work a crowd of clients can make the server do.
//! The real `agora serve --demo` on a fresh data directory; many concurrent clients send
//! sign-ins with wrong passwords (and, optionally, registrations and reset requests) while
//! a separate client probes `/health`. Prints what the flood got back, the server's peak
//! memory (VmHWM) and resident memory after the flood, and the probe's latencies.

use crate::process::{Agora, resident_memory};
use crate::stats::{Latencies, ms};
use clap::Args;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

#[derive(Args, Clone)]
pub struct FloodArgs {
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Requests in all.
    #[arg(long, default_value_t = 600)]
    requests: usize,
    /// What the flood sends: `login`, or `mixed` (sign-ins, registrations, reset requests).
    #[arg(long, default_value = "login")]
    kind: String,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
}

/// The demo's accounts: the flood aims at three of them from one address.
const TARGETS: [&str; 3] = [
    "membre@demo.example.org",
    "moderation@demo.example.org",
    "partenaires@demo.example.org",
];

fn request_for(
    client: &reqwest::Client,
    base: &str,
    kind: &str,
    n: usize,
) -> reqwest::RequestBuilder {
    let email = TARGETS[n % TARGETS.len()];
    let api = format!("{base}/api/v1");
    match (kind, n % 3) {
        ("mixed", 1) => client.post(format!("{api}/auth/register")).json(&json!({
            "email": format!("flood-{n}@flood.example.org"),
            "password": "a long flooding password",
            "display_name": "Flood",
        })),
        ("mixed", 2) => client
            .post(format!("{api}/auth/password-reset"))
            .json(&json!({ "email": email })),
        _ => client.post(format!("{api}/auth/login")).json(&json!({
            "email": email,
            "password": format!("wrong password number {n}"),
        })),
    }
}

pub async fn run(args: FloodArgs) -> anyhow::Result<()> {
    let binary = args
        .agora
        .clone()
        .unwrap_or_else(crate::process::default_binary);
    let temp = tempfile::tempdir()?;
    let agora = Agora::new(&binary, temp.path());
    agora.run(&["seed-demo"])?;
    let server = agora.serve()?;
    let base = server.base.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .timeout(Duration::from_secs(120))
        .build()?;
    let rss_before = server.pid().and_then(resident_memory);

    // The probe: one /health every 50 ms, for as long as the flood lasts.
    let done = Arc::new(tokio::sync::Notify::new());
    let probe = {
        let client = reqwest::Client::new();
        let url = format!("{base}/health");
        let done = done.clone();
        tokio::spawn(async move {
            let mut health = Latencies::default();
            let mut failures = 0usize;
            loop {
                let started = Instant::now();
                match client
                    .get(&url)
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => health.push(started.elapsed()),
                    _ => failures += 1,
                }
                tokio::select! {
                    () = done.notified() => break,
                    () = tokio::time::sleep(Duration::from_millis(50)) => {}
                }
            }
            (health, failures)
        })
    };

    let next = Arc::new(AtomicUsize::new(0));
    let statuses = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let latencies = Arc::new(Mutex::new(Latencies::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (client, base, kind) = (client.clone(), base.clone(), args.kind.clone());
        let (next, statuses, latencies) = (next.clone(), statuses.clone(), latencies.clone());
        let total = args.requests;
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                let sent = Instant::now();
                let outcome = match request_for(&client, &base, &kind, n).send().await {
                    Ok(r) => r.status().as_u16().to_string(),
                    Err(e) if e.is_timeout() => "timeout".to_owned(),
                    Err(_) => "connection error".to_owned(),
                };
                latencies.lock().await.push(sent.elapsed());
                *statuses.lock().await.entry(outcome).or_default() += 1;
            }
        }));
    }
    // Peak memory is read while the flood runs too (VmHWM only grows, but the process
    // must still be there to be read).
    let mut peak = None;
    while tasks.iter().any(|t| !t.is_finished()) {
        peak = server.peak_memory().or(peak);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = started.elapsed();
    done.notify_one();
    let (health, health_failures) = probe.await?;
    peak = server.peak_memory().or(peak);
    // What the server keeps once the flood is over.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = server.pid().and_then(resident_memory);

    let mib = |b: Option<u64>| b.map_or("?".to_owned(), |b| format!("{} MiB", b / (1024 * 1024)));
    let latencies = latencies.lock().await;
    println!(
        "sign-in flood: {} requests ({}) from {} concurrent clients, one address, {} accounts",
        args.requests,
        args.kind,
        args.clients,
        TARGETS.len()
    );
    println!("  took {:.1} s", elapsed.as_secs_f64());
    println!(
        "  answers: {}",
        statuses
            .lock()
            .await
            .iter()
            .map(|(s, n)| format!("{s} × {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  flood request latency: p50 {} ms, p99 {} ms",
        ms(latencies.p50()),
        ms(latencies.p99())
    );
    println!(
        "  server memory: before {}, peak (VmHWM) {}, resident 2 s after {}",
        mib(rss_before),
        mib(peak),
        mib(rss_after)
    );
    println!(
        "  /health during the flood: {} probes, p50 {} ms, p99 {} ms, max {} ms, {} failed",
        health.len(),
        ms(health.p50()),
        ms(health.p99()),
        ms(health.max()),
        health_failures
    );
    Ok(())
}

//! `agora-bench reliability`: Agora on a bad day, measured on the real binary. A crash in
//! the middle of writes (SQLite and PostgreSQL), PostgreSQL stopped under load, a full
//! disk, and a mixed load at 64 connections with wrk (SQLite and PostgreSQL side by side).
//! Prints the figures of each and fails when a promise is broken: an acknowledged write
//! lost, search disagreeing with the database, a 500, a mail sent twice, an error under
//! load.

pub(crate) mod api;
mod crash;
mod disk;
mod load;
mod outage;
mod rolling;

use crate::process::Agora;
use anyhow::{Context as _, bail};
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Args, Clone)]
pub struct ReliabilityArgs {
    /// The CI's short version: fewer crash cycles, shorter loads, a smaller corpus.
    #[arg(long)]
    short: bool,
    /// Only these scenarios (comma-separated): crash, outage, disk, load, rolling.
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// PostgreSQL: a role that may create databases (as the test suite uses).
    #[arg(long, env = "AGORA_BENCH_DATABASE_URL")]
    pg: String,
    /// The PostgreSQL cluster to stop and start (`pg_ctlcluster` version and name).
    #[arg(long, default_value = "15/main")]
    pg_cluster: String,
    /// Commune centroids for the load's corpus (the official CSV layout).
    #[arg(long)]
    centroids: PathBuf,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Crash cycles per database (default 50, 5 with `--short`).
    #[arg(long)]
    cycles: Option<usize>,
    #[arg(long, default_value_t = 20_261_130)]
    seed: u64,
    /// Where the data directories and the servers' logs go (kept); a temporary directory
    /// otherwise.
    #[arg(long)]
    work_dir: Option<PathBuf>,
}

/// Where a scenario runs: the binary, a work directory, a database.
pub struct Target {
    pub binary: PathBuf,
    pub work: PathBuf,
    /// `None` for SQLite (a file in the data directory).
    pub pg: Option<String>,
}

impl Target {
    fn label(&self) -> &'static str {
        if self.pg.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// A fresh data directory (and, on PostgreSQL, a fresh database) named `name`.
    pub async fn agora(&self, name: &str) -> anyhow::Result<Agora> {
        let suffix = if self.pg.is_some() { "pg" } else { "sqlite" };
        let dir = self.work.join(format!("{name}-{suffix}"));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        let agora = Agora::new(&self.binary, &dir);
        Ok(match &self.pg {
            None => agora,
            Some(admin) => {
                let url = fresh_database(admin, &format!("agora_reliability_{name}")).await?;
                agora.with_env("AGORA_DATABASE_URL", &url)
            }
        })
    }

    /// A connection to the database `agora` uses, for checking what it holds.
    pub async fn connect(&self, agora: &Agora) -> anyhow::Result<agora_store::DatabaseConnection> {
        let url = agora
            .env
            .iter()
            .find(|(k, _)| k == "AGORA_DATABASE_URL")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    agora.data_dir.join("agora.db").display()
                )
            });
        Ok(agora_store::connect(&url).await?)
    }
}

async fn fresh_database(admin_url: &str, name: &str) -> anyhow::Result<String> {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url).await?;
    // `name` is this program's own identifier, never input.
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .context("a database URL ends with /name")?;
    Ok(format!("{base}/{name}"))
}

/// `pg_ctlcluster VERSION NAME ACTION` (as root, for the machine's cluster).
pub(crate) fn pg_cluster(cluster: &str, action: &str) -> anyhow::Result<()> {
    let (version, name) = cluster
        .split_once('/')
        .context("--pg-cluster is VERSION/NAME, e.g. 15/main")?;
    let mut cmd = std::process::Command::new("pg_ctlcluster");
    cmd.args([version, name, action]);
    if action == "stop" {
        cmd.args(["-m", "fast"]);
    }
    let status = cmd.status()?;
    anyhow::ensure!(status.success(), "pg_ctlcluster {cluster} {action} failed");
    Ok(())
}

/// The `.eml` files the file transport wrote: how many, and how many repeat a Message-ID
/// already seen (a mail sent twice).
pub(crate) fn mail_files(dir: &Path) -> anyhow::Result<(usize, usize)> {
    let mut seen = std::collections::BTreeSet::new();
    let (mut files, mut twice) = (0, 0);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok((0, 0));
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path())?;
        let id = text
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            .map(|l| l.trim().to_owned())
            .unwrap_or_default();
        files += 1;
        if !seen.insert(id) {
            twice += 1;
        }
    }
    Ok((files, twice))
}

fn wanted(args: &ReliabilityArgs, scenario: &str) -> bool {
    args.only.is_empty() || args.only.iter().any(|o| o == scenario)
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

pub async fn run(args: ReliabilityArgs) -> anyhow::Result<()> {
    let binary = args
        .agora
        .clone()
        .unwrap_or_else(crate::process::default_binary);
    if !binary.exists() {
        bail!("{} not found: build it first", binary.display());
    }
    let temp = tempfile::tempdir()?;
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    let targets = [
        Target {
            binary: binary.clone(),
            work: work.clone(),
            pg: None,
        },
        Target {
            binary: binary.clone(),
            work,
            pg: Some(args.pg.clone()),
        },
    ];
    let cycles = args.cycles.unwrap_or(if args.short { 5 } else { 50 });
    let mut broken = Vec::new();
    println!(
        "Agora on a bad day ({}), binary {}",
        if args.short {
            "short version"
        } else {
            "full version"
        },
        binary.display()
    );

    if wanted(&args, "crash") {
        println!("\n── kill -9 during 8 concurrent writers, {cycles} cycles ──");
        println!(
            "{:<11} │ {:>6} │ {:>12} │ {:>4} │ {:>9} │ {:>16} │ {:>14}",
            "database",
            "cycles",
            "acknowledged",
            "lost",
            "published",
            "search disagreed",
            "slowest catch-up"
        );
        for target in &targets {
            eprintln!("[crash, {}]", target.label());
            let f = crash::run(target, cycles, 8, args.seed).await?;
            println!(
                "{:<11} │ {:>6} │ {:>12} │ {:>4} │ {:>9} │ {:>16} │ {:>14}",
                target.label(),
                f.cycles,
                f.acknowledged,
                f.lost,
                f.published,
                f.index_disagreements,
                ms(f.slowest_catch_up)
            );
            if f.lost > 0 {
                broken.push(format!(
                    "{}: {} acknowledged writes lost",
                    target.label(),
                    f.lost
                ));
            }
            if f.index_disagreements > 0 {
                broken.push(format!(
                    "{}: search disagreed with the database after {} restarts",
                    target.label(),
                    f.index_disagreements
                ));
            }
        }
    }

    if wanted(&args, "outage") {
        println!("\n── PostgreSQL stopped for 10 s under load ──");
        eprintln!("[outage]");
        let f = outage::run(&targets[1], &args.pg_cluster, Duration::from_secs(10)).await?;
        println!(
            "answers to requests sent while it was down: {:?} (the slowest waited {})",
            f.during,
            ms(f.slowest_while_down)
        );
        println!("answers before and after:  {:?}", f.around);
        println!(
            "back to work {} after it returned, without restarting Agora",
            f.recovery.map_or("never".into(), ms)
        );
        println!(
            "mail: {} sent, {} sent twice, {} neither sent nor waiting",
            f.mails_sent, f.mails_twice, f.mails_uncertain
        );
        let server_errors: usize = f
            .during
            .iter()
            .chain(&f.around)
            .filter(|(s, _)| **s == 0 || (**s >= 500 && **s != 503))
            .map(|(_, n)| n)
            .sum();
        if server_errors > 0 {
            broken.push(format!(
                "outage: {server_errors} answers were 5xx other than 503, or no answer"
            ));
        }
        if f.bad_503 > 0 {
            broken.push(format!(
                "outage: {} 503 answers were not problem+json",
                f.bad_503
            ));
        }
        if !f.during.contains_key(&503) {
            broken.push("outage: no request met the outage (no 503 while down)".into());
        }
        if f.recovery.is_none() {
            broken.push("outage: writes did not work again once PostgreSQL was back".into());
        }
        if f.mails_twice > 0 {
            broken.push(format!("outage: {} mails sent twice", f.mails_twice));
        }
    }

    if wanted(&args, "disk") {
        println!("\n── the data directory's disk fills up (SQLite, tmpfs) ──");
        eprintln!("[disk]");
        let f = disk::run(&targets[0], if args.short { 24 } else { 48 }).await?;
        println!(
            "{} MiB: {} registrations before it was full; then writes answered {:?}; {} reads failed meanwhile",
            f.size_mib, f.written, f.refused, f.reads_failed
        );
        println!("SQLite integrity check while full: {}", f.integrity);
        println!(
            "space back: writes work again {}; search agrees with the database {:?}; after a restart {:?}",
            f.writes_again, f.index_caught_up, f.index_after_restart
        );
        let five_hundreds: usize = f
            .refused
            .iter()
            .filter(|(s, _)| **s == 0 || (**s >= 500 && **s != 503))
            .map(|(_, n)| n)
            .sum();
        if five_hundreds > 0 || f.refused.is_empty() {
            broken.push(format!(
                "disk: writes once full answered {:?} (503 expected)",
                f.refused
            ));
        }
        if f.reads_failed > 0 {
            broken.push(format!("disk: {} reads failed while full", f.reads_failed));
        }
        if f.integrity != "ok" {
            broken.push(format!("disk: integrity check said {}", f.integrity));
        }
        if !f.writes_again {
            broken.push("disk: writes did not work again once space was back".into());
        }
        for (when, r) in [
            ("once space was back", &f.index_caught_up),
            ("after a restart", &f.index_after_restart),
        ] {
            if !matches!(r, Some(Ok(_))) {
                broken.push(format!(
                    "disk: search disagreed with the database {when}: {r:?}"
                ));
            }
        }
    }

    if wanted(&args, "load") {
        // The short version runs on debug binaries: a lighter load, the same promise.
        let (corpus, seconds, connections) = if args.short {
            (2_000, 10, 16)
        } else {
            (20_000, 60, 64)
        };
        println!(
            "\n── mixed load with wrk: {connections} connections, {seconds} s, {corpus} listings (80 % searches, 15 % reads, 5 % writes) ──"
        );
        println!(
            "{:<11} │ {:>9} │ {:>8} │ {:>8} │ {:>8} │ {:>6} │ {:>9}",
            "database", "requests", "req/s", "p50 ms", "p99 ms", "errors", "peak mem"
        );
        for target in &targets {
            eprintln!("[load, {}]", target.label());
            let f = load::run(target, corpus, seconds, connections, &args.centroids).await?;
            println!(
                "{:<11} │ {:>9} │ {:>8.0} │ {:>8.2} │ {:>8.2} │ {:>6} │ {:>5} MiB",
                target.label(),
                f.requests,
                f.per_second,
                f.p50_ms,
                f.p99_ms,
                f.errors,
                f.peak_mib
            );
            if f.errors > 0 {
                broken.push(format!("load: {} errors on {}", f.errors, target.label()));
            }
        }
    }

    // About three minutes on the debug build: only when asked for in the short version.
    if wanted(&args, "rolling") && !(args.short && args.only.is_empty()) {
        rolling_scenario(&targets[1], &args, &mut broken).await?;
    }

    if broken.is_empty() {
        println!("\nEvery promise held.");
        Ok(())
    } else {
        for b in &broken {
            println!("BROKEN: {b}");
        }
        bail!("{} promises broken", broken.len())
    }
}

/// Two instances behind nginx, each restarted in turn under load (see `rolling`).
async fn rolling_scenario(
    target: &Target,
    args: &ReliabilityArgs,
    broken: &mut Vec<String>,
) -> anyhow::Result<()> {
    use rolling::Restart;
    let (corpus, seconds, connections) = if args.short {
        (2_000, 20, 8)
    } else {
        (20_000, 40, 64)
    };
    println!(
        "\n── rolling restart: two instances on PostgreSQL behind nginx, wrk {connections} connections for {seconds} s each run ({corpus} listings, 80 % searches, 15 % reads, 5 % writes) ──"
    );
    eprintln!("[rolling]");
    let modes = [Restart::None, Restart::Graceful, Restart::Kill];
    let runs = rolling::run(
        target,
        corpus,
        seconds,
        connections,
        &args.centroids,
        &modes,
    )
    .await?;
    println!(
        "{:<10} │ {:>8} │ {:>6} │ {:>7} │ {:>24} │ {:>9} │ {:>17} │ {:>14}",
        "restart",
        "requests",
        "req/s",
        "non-2xx",
        "socket conn/read/wr/tmo",
        "max ms",
        "probe failed/sent",
        "max ms restart"
    );
    for f in &runs {
        println!(
            "{:<10} │ {:>8} │ {:>6.0} │ {:>7} │ {:>24} │ {:>9.1} │ {:>17} │ {:>14}",
            f.mode.label(),
            f.requests,
            f.per_second,
            f.non_2xx,
            format!("{}/{}/{}/{}", f.connect, f.read, f.write, f.timeout),
            f.max_ms,
            format!("{}/{}", f.probe_failed, f.probed),
            if f.restarts.is_empty() {
                "-".to_owned()
            } else {
                format!("{:.1}", f.max_ms_during_restarts)
            }
        );
        for r in &f.restarts {
            println!(
                "           │ instance {}: exited {} after {}, ready again {} after the signal",
                r.name,
                r.exit_code
                    .map_or("by a signal".to_owned(), |c| format!("with {c}")),
                ms(r.drain),
                ms(r.back_after)
            );
        }
    }
    for f in runs.iter().filter(|f| f.mode != Restart::Kill) {
        if f.failed() > 0 {
            broken.push(format!(
                "rolling ({}): {} requests failed",
                f.mode.label(),
                f.failed()
            ));
        }
        for r in &f.restarts {
            if r.exit_code != Some(0) {
                broken.push(format!(
                    "rolling: instance {} exited with {:?} after SIGTERM",
                    r.name, r.exit_code
                ));
            }
        }
    }
    Ok(())
}

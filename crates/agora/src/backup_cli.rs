//! `agora backup` and `agora restore` on the command line: their summaries.

use agora::backup;
use agora::config::Config;
use std::path::Path;

pub async fn backup(config: &Config, to: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // Interrupted, the backup's future is dropped, and its temporary directory with it:
    // no partial archive is left behind.
    let written = tokio::select! {
        written = backup::backup(config, to) => written?,
        () = interrupted() => anyhow::bail!("interrupted: no archive written"),
    };
    let m = &written.manifest;
    println!(
        "Backup written to {} ({:.1} MB) in {:.1} s: schema {}, {} rows in {} tables, {} files besides the database.",
        to.display(),
        written.archive_size as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        m.schema_version,
        m.tables.values().sum::<u64>(),
        m.tables.len(),
        m.members.len().saturating_sub(1)
    );
    Ok(())
}

pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let r = backup::restore(config, from).await?;
    let m = &r.manifest;
    println!(
        "Restored the backup of {} (Agora {}) into {} in {:.1} s: checksums, schema {} and {} rows in {} tables checked; {} secret files, {} mail files.",
        m.created_at.to_rfc3339(),
        m.agora_version,
        r.database.display(),
        started.elapsed().as_secs_f64(),
        m.schema_version,
        m.tables.values().sum::<u64>(),
        m.tables.len(),
        r.secrets,
        r.mail
    );
    if r.pending_migrations > 0 {
        println!(
            "The backup's schema is older: {} migrations are applied at the next start.",
            r.pending_migrations
        );
    }
    println!("The search index is rebuilt from the database at the next `agora serve`.");
    Ok(())
}

/// Operators (and scripts) read one line: the error and its causes, never a backtrace.
pub fn exit_on_error(result: anyhow::Result<()>) -> ! {
    match result {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1)
        }
    }
}

async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

//! The data directory's disk fills up (SQLite). The data directory lives on a small tmpfs;
//! writers register, submit and publish structures until the disk is full. Writes must
//! then be refused with a clear 503 problem (never a 500), reads and searches go on,
//! nothing is corrupted (SQLite's integrity check), and once space is back, writes work
//! again and the index catches up with what was published.

use super::Target;
use super::api::{self, Api, MODERATOR, WRITER};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Debug, Default, Clone)]
pub struct DiskFigures {
    pub size_mib: u64,
    /// Writes accepted before the disk was full.
    pub written: usize,
    /// Answers to writes once full, by status.
    pub refused: BTreeMap<u16, usize>,
    /// Reads and searches that failed while full.
    pub reads_failed: usize,
    pub integrity: String,
    /// Once space was back: whether writes worked again, and how long search took to agree.
    pub writes_again: bool,
    pub index_caught_up: Option<Result<Duration, String>>,
    pub index_after_restart: Option<Result<Duration, String>>,
}

fn mount(dir: &Path, size_mib: u64, remount: bool) -> anyhow::Result<()> {
    let mut options = format!("size={size_mib}m");
    if remount {
        options = format!("remount,{options}");
    }
    let status = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
        .arg(dir)
        .status()?;
    anyhow::ensure!(
        status.success(),
        "cannot mount a tmpfs on {} (the disk scenario needs root)",
        dir.display()
    );
    Ok(())
}

async fn integrity(db_path: &Path) -> anyhow::Result<String> {
    use sea_orm::ConnectionTrait;
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", db_path.display())).await?;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?;
    let verdict = row
        .map(|r| r.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    db.close().await?;
    Ok(verdict)
}

pub async fn run(target: &Target, size_mib: u64) -> anyhow::Result<DiskFigures> {
    let dir = target.work.join("disk");
    std::fs::create_dir_all(&dir)?;
    mount(&dir, size_mib, false)?;
    let result = fill_and_recover(target, &dir, size_mib).await;
    let _ = Command::new("umount").arg("-l").arg(&dir).status();
    result
}

async fn fill_and_recover(
    target: &Target,
    dir: &Path,
    size_mib: u64,
) -> anyhow::Result<DiskFigures> {
    // The logs stay off the full disk.
    let logs = target.work.join("disk-logs");
    std::fs::create_dir_all(&logs)?;
    let agora = crate::process::Agora::new(&target.binary, &dir.join("data")).with_logs(&logs);
    std::fs::create_dir_all(&agora.data_dir)?;
    api::create_accounts(&agora)?;
    let server = agora.serve()?;
    let api = Api::new(&server.base)?;
    api.wait_ready(Duration::from_secs(60)).await?;
    let writer = api.login(WRITER).await?;
    let moderator = api.login(MODERATOR).await?;
    let mut figures = DiskFigures {
        size_mib,
        ..DiskFigures::default()
    };
    // Fill: each structure carries a long description; publish every other one.
    let started = Instant::now();
    let mut consecutive_refusals = 0;
    let mut i = 0;
    while consecutive_refusals < 20 && started.elapsed() < Duration::from_secs(300) {
        i += 1;
        let created = api
            .post(
                "/api/v1/structures",
                Some(&writer),
                Some(api::structure(i, 40)),
            )
            .await;
        if created.ok() {
            consecutive_refusals = 0;
            figures.written += 1;
            if i % 2 == 0
                && let Some(id) = created.body["id"].as_str()
            {
                let submitted = api
                    .post(
                        &format!("/api/v1/structures/{id}/submit"),
                        Some(&writer),
                        None,
                    )
                    .await;
                if let Some(item) = submitted.body["review"]["revision_id"].as_str() {
                    api.post(
                        &format!("/api/v1/moderation/items/{item}/approve"),
                        Some(&moderator),
                        None,
                    )
                    .await;
                }
            }
        } else {
            consecutive_refusals += 1;
            *figures.refused.entry(created.status).or_default() += 1;
            // While full, reading goes on.
            for path in [
                "/api/v1/structures?limit=5",
                "/api/v1/search?q=association&limit=5",
            ] {
                if !api.get(path, None).await.ok() {
                    figures.reads_failed += 1;
                }
            }
        }
    }
    eprintln!(
        "  disk full after {} registrations; refusals: {:?}",
        figures.written, figures.refused
    );
    figures.integrity = integrity(&agora.data_dir.join("agora.db")).await?;
    // Space comes back.
    mount(dir, size_mib * 4, true)?;
    let db = agora_store::connect(&format!(
        "sqlite://{}?mode=rwc",
        agora.data_dir.join("agora.db").display()
    ))
    .await?;
    let again_started = Instant::now();
    while again_started.elapsed() < Duration::from_secs(30) {
        let created = api
            .post(
                "/api/v1/structures",
                Some(&writer),
                Some(api::structure(i + 1, 1)),
            )
            .await;
        if created.ok() {
            figures.writes_again = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    figures.index_caught_up = Some(api::index_agrees(&api, &db, Duration::from_secs(30)).await?);
    // And after a restart on the same data, the index opens and agrees.
    server.stop();
    let server = agora.serve()?;
    let api = Api::new(&server.base)?;
    api.wait_ready(Duration::from_secs(60)).await?;
    figures.index_after_restart =
        Some(api::index_agrees(&api, &db, Duration::from_secs(30)).await?);
    server.stop();
    db.close().await?;
    Ok(figures)
}

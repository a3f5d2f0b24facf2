//! `agora backup` of a running server under write load, `agora restore` into a new
//! directory, and a server started on it: every write acknowledged before the backup began
//! is there, every listing published by then is found by the search, and tokens issued by
//! the first server still verify. Damaged archives and occupied directories are refused.

use crate::common::served::{Served, agora, serve};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WRITERS: usize = 3;

/// A listing written through the API, with when each step was acknowledged.
#[derive(Clone)]
struct Written {
    id: String,
    word: String,
    created: Instant,
    published: Option<Instant>,
}

async fn login(client: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let tokens: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

/// A word the search finds only in this listing: letters only, one per writer and rank.
fn word(writer: usize, n: usize) -> String {
    let mut w = String::from("sauvegarde");
    for c in format!("{writer}{n:05}").chars() {
        w.push(char::from(b'a' + c.to_digit(10).unwrap() as u8));
    }
    w
}

/// Creates, submits and publishes listings until told to stop, recording each
/// acknowledged step.
async fn writer(
    base: String,
    member: String,
    moderator: String,
    w: usize,
    stop: Arc<std::sync::atomic::AtomicBool>,
    log: Arc<Mutex<Vec<Written>>>,
) {
    let client = reqwest::Client::new();
    let mut n = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        n += 1;
        let word = word(w, n);
        let res = client
            .post(format!("{base}/api/v1/structures"))
            .bearer_auth(&member)
            .json(&{
                let mut body = crate::common::fixtures::structure();
                body["name"] = json!(format!("Association {word}"));
                body
            })
            .send()
            .await
            .unwrap();
        let status = res.status();
        let created: Value = res.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_owned();
        let i = {
            let mut log = log.lock().unwrap();
            log.push(Written {
                id: id.clone(),
                word,
                created: Instant::now(),
                published: None,
            });
            log.len() - 1
        };
        let submitted: Value = client
            .post(format!("{base}/api/v1/structures/{id}/submit"))
            .bearer_auth(&member)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let item = submitted["review"]["revision_id"].as_str().unwrap();
        let res = client
            .post(format!("{base}/api/v1/moderation/items/{item}/approve"))
            .bearer_auth(&moderator)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        log.lock().unwrap()[i].published = Some(Instant::now());
    }
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    agora(dir).args(args).output().unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_owned()
}

/// Refused with one line on standard error, and a non-zero exit.
fn refused(out: &std::process::Output, saying: &str) {
    assert!(!out.status.success(), "not refused: {out:?}");
    let err = stderr(out);
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(saying), "{err:?} should say {saying:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_write_load_restores_every_acknowledged_write() {
    let first = tempfile::tempdir().unwrap();
    let served = serve(first.path());
    let client = reqwest::Client::new();
    let moderator = login(
        &client,
        &served.base,
        "moderation@demo.example.org",
        "moderatrice-demo-2026",
    )
    .await;
    let member = login(
        &client,
        &served.base,
        "membre@demo.example.org",
        "camille-demo-2026",
    )
    .await;

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let log = Arc::new(Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            tokio::spawn(writer(
                served.base.clone(),
                member.clone(),
                moderator.clone(),
                w,
                stop.clone(),
                log.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let archive = first.path().join("backup.tar.zst");
    let backup_started = Instant::now();
    let dir = first.path().to_path_buf();
    let archive_arg = archive.to_string_lossy().into_owned();
    let out = tokio::task::spawn_blocking(move || run(&dir, &["backup", "--to", &archive_arg]))
        .await
        .unwrap();
    let backup_ended = Instant::now();
    assert!(out.status.success(), "backup: {}", stderr(&out));
    // Writes went on while it ran.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let written = log.lock().unwrap().clone();
    let before: Vec<&Written> = written
        .iter()
        .filter(|w| w.created < backup_started)
        .collect();
    let during = written
        .iter()
        .filter(|w| w.created > backup_started && w.created < backup_ended)
        .count();
    assert!(before.len() >= WRITERS, "{} written before", before.len());
    eprintln!(
        "{} listings written before the backup, {during} while it ran, {} in all",
        before.len(),
        written.len()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the archive holds the secrets");
    }
    let leftovers: Vec<_> = std::fs::read_dir(first.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".agora-backup"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
    drop(served);

    // Restored into a new directory, then served.
    let second = tempfile::tempdir().unwrap();
    let data = second.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    let archive_arg = archive.to_string_lossy().into_owned();
    let out = run(
        second.path(),
        &["restore", "--from", &archive_arg, "--data-dir", &data_arg],
    );
    assert!(out.status.success(), "restore: {}", stderr(&out));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("rows in"), "{summary}");
    assert!(!data.join("search-index").exists(), "the index is rebuilt");

    let restored: Served = serve(second.path());
    let base = &restored.base;
    // The first server's tokens verify: the same key came back.
    let queue = client
        .get(format!("{base}/api/v1/moderation/queue"))
        .bearer_auth(&moderator)
        .send()
        .await
        .unwrap();
    assert_eq!(queue.status(), StatusCode::OK, "a token issued before");
    for w in &before {
        let res = client
            .get(format!("{base}/api/v1/structures/{}", w.id))
            .bearer_auth(&member)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{} was acknowledged", w.word);
    }
    let published: Vec<&&Written> = before
        .iter()
        .filter(|w| w.published.is_some_and(|p| p < backup_started))
        .collect();
    assert!(!published.is_empty());
    for w in published {
        let page: Value = client
            .get(format!("{base}/api/v1/search?q={}&limit=50", w.word))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let ids: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["id"].as_str())
            .collect();
        assert!(ids.contains(&w.id.as_str()), "{} not found: {page}", w.word);
    }
    drop(restored);

    // A second restore onto that directory is refused, and changes nothing.
    let db = std::fs::read(data.join("agora.db")).unwrap();
    let out = run(
        second.path(),
        &["restore", "--from", &archive_arg, "--data-dir", &data_arg],
    );
    refused(&out, "already holds a database");
    assert_eq!(std::fs::read(data.join("agora.db")).unwrap(), db);

    // A damaged archive is refused and leaves nothing behind.
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    let damaged = second.path().join("damaged.tar.zst");
    std::fs::write(&damaged, &bytes).unwrap();
    let truncated = second.path().join("truncated.tar.zst");
    std::fs::write(&truncated, &bytes[..middle]).unwrap();
    for file in [damaged, truncated] {
        let target = second.path().join("other");
        let out = run(
            second.path(),
            &[
                "restore",
                "--from",
                &file.to_string_lossy(),
                "--data-dir",
                &target.to_string_lossy(),
            ],
        );
        refused(&out, "is not a usable backup");
        assert!(!target.join("agora.db").exists());
        assert!(!target.join("secrets").exists());
    }

    // A backup never overwrites a file.
    let out = run(
        second.path(),
        &[
            "backup",
            "--to",
            &archive_arg,
            "--data-dir",
            &data.to_string_lossy(),
        ],
    );
    refused(&out, "already exists");
}

/// On PostgreSQL the database is backed up by pg_dump: both commands say so, and write
/// nothing.
#[tokio::test]
async fn on_postgresql_backup_and_restore_point_to_pg_dump() {
    if crate::common::postgres_opted_out() {
        return;
    }
    let url = std::env::var("AGORA_TEST_DATABASE_URL").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("backup.tar.zst");
    let out = run(
        dir.path(),
        &[
            "--database-url",
            &url,
            "backup",
            "--to",
            &archive.to_string_lossy(),
        ],
    );
    refused(&out, "pg_dump -Fc");
    assert!(stderr(&out).contains("secrets/"), "names what else to keep");
    assert!(!archive.exists());
    std::fs::write(&archive, b"anything").unwrap();
    let out = run(
        dir.path(),
        &[
            "--database-url",
            &url,
            "restore",
            "--from",
            &archive.to_string_lossy(),
        ],
    );
    refused(&out, "pg_restore");
    assert!(!dir.path().join("data").exists());
}

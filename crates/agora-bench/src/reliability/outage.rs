//! PostgreSQL stopped and started under load (security rows 18 and 22). Clients search,
//! read and write while the database goes away for a few seconds: what needs it answers
//! 503 problem+json (with `Retry-After`), never a 500 nor a dropped connection; once it is
//! back, the same server (not restarted) answers again. Mail queued around the outage is
//! all sent, none twice.

use super::Target;
use super::api::{self, Api, MODERATOR, WRITER};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

#[derive(Debug, Default, Clone)]
pub struct OutageFigures {
    /// Answers while the database was down, by status.
    pub during: BTreeMap<u16, usize>,
    /// Answers before and after, by status.
    pub around: BTreeMap<u16, usize>,
    /// 503 answers that were not problem+json with `Retry-After`.
    pub bad_503: usize,
    /// The longest a request sent during the outage waited for its answer.
    pub slowest_while_down: Duration,
    /// From the database's return to the first write that succeeded.
    pub recovery: Option<Duration>,
    pub mails_sent: usize,
    pub mails_twice: usize,
    /// Mails left neither sent nor waiting (sent at most once, maybe not at all).
    pub mails_uncertain: usize,
}

#[derive(Default)]
struct Tally {
    during: BTreeMap<u16, usize>,
    around: BTreeMap<u16, usize>,
    bad_503: usize,
    slowest_while_down: Duration,
}

pub async fn run(
    target: &Target,
    cluster: &str,
    down_for: Duration,
) -> anyhow::Result<OutageFigures> {
    // Every mail goes (no recipient's daily share), and soon: many cross the outage.
    let agora = target
        .agora("outage")
        .await?
        .with_env("AGORA_MAIL__PER_RECIPIENT_DAILY_CAP", "1000000")
        .with_env("AGORA_MAIL__DAILY_CAP", "1000000")
        .with_env("AGORA_MAIL__POLL_INTERVAL_MS", "200");
    api::create_accounts(&agora)?;
    let server = agora.serve()?;
    let api = Api::new(&server.base)?;
    api.wait_ready(Duration::from_secs(60)).await?;
    let writer = api.login(WRITER).await?;
    let moderator = api.login(MODERATOR).await?;
    let down = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let back_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    let recovered: Arc<Mutex<Option<Duration>>> = Arc::default();
    let mut tasks = Vec::new();
    for n in 0..6u64 {
        let (api, writer, moderator) = (api.clone(), writer.clone(), moderator.clone());
        let (down, stop, tally) = (down.clone(), stop.clone(), tally.clone());
        let (back_at, recovered) = (back_at.clone(), recovered.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                // Counted by when they were sent: a request sent while the database is
                // down waits for a connection (at most the pool's timeout), then gets 503.
                let was_down = down.load(Ordering::Relaxed);
                let sent = Instant::now();
                // Two clients write (registrations and their moderation send mail), two
                // search, two read.
                let answers = match n % 3 {
                    0 => {
                        let created = api
                            .post(
                                "/api/v1/structures",
                                Some(&writer),
                                Some(api::structure(n * 1_000_000 + i, 1)),
                            )
                            .await;
                        let mut answers = vec![created];
                        if let Some(id) = answers[0].body["id"].as_str().map(str::to_owned) {
                            let submitted = api
                                .post(
                                    &format!("/api/v1/structures/{id}/submit"),
                                    Some(&writer),
                                    None,
                                )
                                .await;
                            if let Some(item) = submitted.body["review"]["revision_id"].as_str() {
                                let item = item.to_owned();
                                answers.push(submitted);
                                answers.push(
                                    api.post(
                                        &format!("/api/v1/moderation/items/{item}/approve"),
                                        Some(&moderator),
                                        None,
                                    )
                                    .await,
                                );
                            } else {
                                answers.push(submitted);
                            }
                        }
                        answers
                    }
                    1 => vec![api.get("/api/v1/search?q=association&limit=10", None).await],
                    _ => vec![api.get("/api/v1/structures?limit=10", None).await],
                };
                let is_down = was_down || down.load(Ordering::Relaxed);
                let mut t = tally.lock().await;
                if is_down {
                    t.slowest_while_down = t.slowest_while_down.max(sent.elapsed());
                }
                for a in &answers {
                    let into = if is_down {
                        &mut t.during
                    } else {
                        &mut t.around
                    };
                    *into.entry(a.status).or_default() += 1;
                    if a.status == 503
                        && !(a.content_type == "application/problem+json"
                            && a.body["type"].is_string())
                    {
                        t.bad_503 += 1;
                    }
                }
                drop(t);
                if n % 3 == 0 && !is_down && answers.iter().all(|a| a.ok()) {
                    let back = *back_at.lock().await;
                    let mut r = recovered.lock().await;
                    if let (Some(at), None) = (back, *r) {
                        *r = Some(at.elapsed());
                    }
                }
                if answers.iter().any(|a| a.status == 503) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    eprintln!("  stopping PostgreSQL ({cluster}) under load…");
    down.store(true, Ordering::Relaxed);
    // Off the clients' thread, so that they keep sending while it stops and starts.
    let c = cluster.to_owned();
    tokio::task::spawn_blocking(move || super::pg_cluster(&c, "stop")).await??;
    tokio::time::sleep(down_for).await;
    let c = cluster.to_owned();
    tokio::task::spawn_blocking(move || super::pg_cluster(&c, "start")).await??;
    *back_at.lock().await = Some(Instant::now());
    down.store(false, Ordering::Relaxed);
    eprintln!("  PostgreSQL started again; the load goes on");
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await?;
    }
    // Every queued mail leaves, once.
    let db = target.connect(&agora).await?;
    let started = Instant::now();
    loop {
        let waiting: u64 = agora_store::mail_queue::count_by_state(&db)
            .await?
            .into_iter()
            .filter(|(s, _)| matches!(s.as_str(), "queued" | "sending"))
            .map(|(_, n)| n)
            .sum();
        if waiting == 0 || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let counts: BTreeMap<String, u64> = agora_store::mail_queue::count_by_state(&db)
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n))
        .collect();
    server.stop();
    db.close().await?;
    let (sent_files, twice) = super::mail_files(&agora.data_dir.join("mail"))?;
    let t = tally.lock().await;
    Ok(OutageFigures {
        during: t.during.clone(),
        around: t.around.clone(),
        bad_503: t.bad_503,
        slowest_while_down: t.slowest_while_down,
        recovery: *recovered.lock().await,
        mails_sent: sent_files,
        mails_twice: twice,
        mails_uncertain: usize::try_from(
            counts.get("uncertain").copied().unwrap_or(0)
                + counts.get("queued").copied().unwrap_or(0)
                + counts.get("sending").copied().unwrap_or(0),
        )
        .unwrap_or(0),
    })
}

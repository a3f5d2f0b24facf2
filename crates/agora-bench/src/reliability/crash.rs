//! `kill -9` during concurrent writes (security row 21). Writers register structures,
//! submit them and have them approved, as fast as the server answers; at a random moment
//! the server is killed with SIGKILL and started again on the same data. Every write that
//! was answered 2xx must be in the database; once the index has caught up, search must
//! find exactly the published structures (none that is not published).

use super::Target;
use super::api::{self, Answer, Api, MODERATOR, WRITER};
use crate::process::Agora;
use rand::{Rng, SeedableRng};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use uuid::Uuid;

#[derive(Debug, Default, Clone)]
pub struct CrashFigures {
    pub cycles: usize,
    /// Writes answered 2xx (registrations, submissions, approvals).
    pub acknowledged: usize,
    /// Acknowledged writes missing after a restart.
    pub lost: usize,
    /// Restarts after which search and the database disagreed (after 15 s of catching up).
    pub index_disagreements: usize,
    /// Slowest catch-up of the index after a restart.
    pub slowest_catch_up: Duration,
    pub published: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Registered,
    Submitted,
    Published,
}

/// The writes acknowledged so far: each structure and the furthest stage acknowledged.
type Ledger = Arc<Mutex<Vec<(Uuid, Stage)>>>;

async fn writer(api: Api, writer: String, moderator: String, ledger: Ledger, n: u64) {
    let mut i = 0;
    loop {
        i += 1;
        let created: Answer = api
            .post(
                "/api/v1/structures",
                Some(&writer),
                Some(api::structure(n * 1_000_000 + i, 1)),
            )
            .await;
        if !created.ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        let Some(id) = created.body["id"]
            .as_str()
            .and_then(|s| s.parse::<Uuid>().ok())
        else {
            continue;
        };
        let at = {
            let mut l = ledger.lock().await;
            l.push((id, Stage::Registered));
            l.len() - 1
        };
        let submitted = api
            .post(
                &format!("/api/v1/structures/{id}/submit"),
                Some(&writer),
                None,
            )
            .await;
        if !submitted.ok() {
            continue;
        }
        ledger.lock().await[at].1 = Stage::Submitted;
        let Some(item) = submitted.body["review"]["revision_id"].as_str() else {
            continue;
        };
        let approved = api
            .post(
                &format!("/api/v1/moderation/items/{item}/approve"),
                Some(&moderator),
                None,
            )
            .await;
        if approved.ok() {
            ledger.lock().await[at].1 = Stage::Published;
        }
    }
}

/// Whether each acknowledged write is in the database; returns how many are missing.
async fn missing(
    db: &agora_store::DatabaseConnection,
    ledger: &[(Uuid, Stage)],
) -> anyhow::Result<usize> {
    let mut lost = 0;
    for (id, stage) in ledger {
        let record =
            agora_store::listings::get(db, agora_domain::ListingKind::Structure, *id).await?;
        let held = match (record, stage) {
            (None, _) => false,
            (Some(_), Stage::Registered) => true,
            (Some(r), Stage::Submitted) => r.submitted_at.is_some(),
            (Some(r), Stage::Published) => r.published_revision_id.is_some(),
        };
        if !held {
            eprintln!("  lost: structure {id} acknowledged as {stage:?}");
            lost += 1;
        }
    }
    Ok(lost)
}

pub async fn run(
    target: &Target,
    cycles: usize,
    writers: usize,
    seed: u64,
) -> anyhow::Result<CrashFigures> {
    let agora: Agora = target.agora("crash").await?;
    api::create_accounts(&agora)?;
    let db = target.connect(&agora).await?;
    let ledger: Ledger = Arc::default();
    let mut checked = 0;
    let mut figures = CrashFigures::default();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for cycle in 0..=cycles {
        let server = agora.serve()?;
        let api = Api::new(&server.base)?;
        api.wait_ready(Duration::from_secs(60)).await?;
        // After each restart: what was acknowledged is there; search agrees.
        let snapshot = ledger.lock().await.clone();
        figures.lost += missing(&db, &snapshot[checked..]).await?;
        // Writes acknowledged earlier may have moved on since (submitted, then approved):
        // check them all again at the end.
        checked = snapshot.len();
        match api::index_agrees(&api, &db, Duration::from_secs(15)).await? {
            Ok(took) => figures.slowest_catch_up = figures.slowest_catch_up.max(took),
            Err(difference) => {
                eprintln!("  cycle {cycle}: search and database disagree: {difference}");
                figures.index_disagreements += 1;
            }
        }
        if cycle == cycles {
            server.stop();
            break;
        }
        let writer_token = api.login(WRITER).await?;
        let moderator_token = api.login(MODERATOR).await?;
        let tasks: Vec<_> = (0..writers)
            .map(|n| {
                tokio::spawn(writer(
                    api.clone(),
                    writer_token.clone(),
                    moderator_token.clone(),
                    ledger.clone(),
                    (cycle * writers + n) as u64,
                ))
            })
            .collect();
        let run_for = Duration::from_millis(rng.random_range(300..2000));
        let started = Instant::now();
        tokio::time::sleep(run_for).await;
        server.kill();
        for t in tasks {
            t.abort();
        }
        figures.cycles += 1;
        eprintln!(
            "  cycle {}/{cycles}: killed after {} ms, {} writes acknowledged so far",
            cycle + 1,
            started.elapsed().as_millis(),
            ledger.lock().await.len()
        );
    }
    let all = ledger.lock().await.clone();
    let lost_in_the_end = missing(&db, &all).await?;
    figures.lost = figures.lost.max(lost_in_the_end);
    figures.acknowledged = all
        .iter()
        .map(|(_, stage)| match stage {
            Stage::Registered => 1,
            Stage::Submitted => 2,
            Stage::Published => 3,
        })
        .sum();
    figures.published = api::published_structures(&db).await?.len();
    db.close().await?;
    Ok(figures)
}

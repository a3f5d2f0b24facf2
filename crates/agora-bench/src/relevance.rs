//! `agora-bench relevance`: judged questions asked of the real server, over the demo data
//! and a corpus written to look like the ecosystem (`data/relevance/`). Each question is
//! asked twice in the same run, with its words understood (the default) and with every
//! word required as typed (`match=exact`, the baseline), and optionally of another
//! `agora` binary (`--before`). Prints success@5, MRR, nDCG@10 and the zero-result rate,
//! and fails below the floors given.

use crate::process::{Agora, default_binary};
use crate::reliability::api::Api;
use anyhow::{Context as _, bail};
use clap::Args;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MODERATOR: (&str, &str) = ("moderation@demo.example.org", "moderatrice-demo-2026");
/// Results read per question.
const DEPTH: usize = 10;

#[derive(Args, Clone)]
pub struct RelevanceArgs {
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Another `agora` binary to measure on the same questions (an earlier version).
    #[arg(long)]
    before: Option<PathBuf>,
    /// The corpus and the judged questions.
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/data/relevance"))]
    data: PathBuf,
    /// Fail when success@5 of understood questions falls below this share.
    #[arg(long)]
    floor_success5: Option<f64>,
    /// Fail when more than this share of understood questions get no result.
    #[arg(long)]
    max_zero: Option<f64>,
    /// Print each question that fails at 5, with what came instead.
    #[arg(long)]
    details: bool,
}

#[derive(Deserialize)]
struct Entry {
    structure: Value,
    #[serde(default)]
    services: Vec<Value>,
    #[serde(default)]
    projects: Vec<Value>,
}

#[derive(Deserialize)]
struct Question {
    id: String,
    who: String,
    q: String,
    #[serde(default)]
    params: BTreeMap<String, Value>,
    answers: Vec<String>,
}

/// What one system answered to one question: the names of its results, in order, with the
/// words of the question each does not hold.
type Ranked = Vec<(String, Vec<String>)>;

#[derive(Default, Clone, Copy)]
struct Scores {
    questions: usize,
    success5: usize,
    reciprocal_rank: f64,
    ndcg10: f64,
    zero: usize,
}

impl Scores {
    fn add(&mut self, ranked: &Ranked, answers: &[String]) {
        self.questions += 1;
        if ranked.is_empty() {
            self.zero += 1;
        }
        let relevant = |(name, _): &(String, Vec<String>)| answers.contains(name);
        if ranked.iter().take(5).any(relevant) {
            self.success5 += 1;
        }
        if let Some(rank) = ranked.iter().take(DEPTH).position(relevant) {
            self.reciprocal_rank += 1.0 / (rank + 1) as f64;
        }
        let gain = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
        let dcg: f64 = ranked
            .iter()
            .take(DEPTH)
            .enumerate()
            .filter(|(_, hit)| relevant(hit))
            .map(|(rank, _)| gain(rank))
            .sum();
        let ideal: f64 = (0..answers.len().min(DEPTH)).map(gain).sum();
        if ideal > 0.0 {
            self.ndcg10 += dcg / ideal;
        }
    }

    fn share(&self, n: usize) -> f64 {
        n as f64 / self.questions.max(1) as f64
    }

    fn row(&self) -> [f64; 4] {
        let n = self.questions.max(1) as f64;
        [
            self.share(self.success5),
            self.reciprocal_rank / n,
            self.ndcg10 / n,
            self.share(self.zero),
        ]
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<T> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid", path.display()))
}

pub async fn run(args: RelevanceArgs) -> anyhow::Result<()> {
    let corpus: Vec<Entry> = read(&args.data.join("corpus.json"))?;
    let questions: Vec<Question> = read(&args.data.join("questions.json"))?;
    let binary = args.agora.clone().unwrap_or_else(default_binary);
    let listings = 1 + corpus
        .iter()
        .map(|e| e.services.len() + e.projects.len())
        .sum::<usize>();
    println!(
        "relevance: {} judged questions, corpus of {} structures and {} listings in all, plus the demo",
        questions.len(),
        corpus.len(),
        listings + corpus.len() - 1
    );
    let mut systems: Vec<(String, Vec<Ranked>)> = Vec::new();
    if let Some(before) = &args.before {
        let [answers] = ask_all(before, &corpus, &questions, [None]).await?;
        systems.push(("before".into(), answers));
    }
    let [exact, understood] = ask_all(&binary, &corpus, &questions, [Some("exact"), None]).await?;
    systems.push(("words as typed".into(), exact));
    systems.push(("understood".into(), understood));
    report(&questions, &systems, args.details);

    let (_, understood) = systems.last().context("no system measured")?;
    let mut scores = Scores::default();
    for (question, ranked) in questions.iter().zip(understood) {
        scores.add(ranked, &question.answers);
    }
    let [success5, _, _, zero] = scores.row();
    let mut failed = Vec::new();
    if let Some(floor) = args.floor_success5
        && success5 < floor
    {
        failed.push(format!(
            "success@5 {:.1} % is below the floor of {:.1} %",
            success5 * 100.0,
            floor * 100.0
        ));
    }
    if let Some(max) = args.max_zero
        && zero > max
    {
        failed.push(format!(
            "{:.1} % of questions got no result (at most {:.1} %)",
            zero * 100.0,
            max * 100.0
        ));
    }
    if !failed.is_empty() {
        bail!("relevance below its floor: {}", failed.join("; "));
    }
    Ok(())
}

/// Loads the corpus into a fresh server with the demo and asks every question.
async fn ask_all<const N: usize>(
    binary: &Path,
    corpus: &[Entry],
    questions: &[Question],
    modes: [Option<&str>; N],
) -> anyhow::Result<[Vec<Ranked>; N]> {
    let temp = tempfile::tempdir()?;
    let server = Agora::new(binary, temp.path()).serve_with(&["--demo"])?;
    let api = Api::new(&server.base)?;
    api.wait_ready(Duration::from_secs(60)).await?;
    let started = Instant::now();
    load(&api, corpus).await?;
    println!(
        "{}: corpus loaded and indexed in {:.1} s",
        binary.display(),
        started.elapsed().as_secs_f64()
    );
    let mut answers = Vec::with_capacity(N);
    for mode in modes {
        answers.push(ask(&api, questions, mode).await?);
    }
    server.stop();
    answers
        .try_into()
        .map_err(|_| anyhow::anyhow!("one answer set per mode"))
}

/// How many listings a search without words finds (every published one).
async fn published(api: &Api) -> anyhow::Result<u64> {
    let a = api.get("/api/v1/search?limit=1", None).await;
    if !a.ok() {
        bail!("search: {} {}", a.status, a.body);
    }
    a.body["total"].as_u64().context("no total")
}

/// Creates, submits and approves a listing (as the demo's moderator, who may).
async fn publish(
    api: &Api,
    token: &str,
    create: &str,
    kind: &str,
    body: &Value,
) -> anyhow::Result<String> {
    let created = api.post(create, Some(token), Some(body.clone())).await;
    if !created.ok() {
        bail!(
            "{create} refused {}: {} {}",
            body["name"]
                .as_str()
                .or(body["title"].as_str())
                .unwrap_or("?"),
            created.status,
            created.body
        );
    }
    let id = created.body["id"].as_str().context("no id")?.to_owned();
    let submitted = api
        .post(&format!("/api/v1/{kind}/{id}/submit"), Some(token), None)
        .await;
    let revision = submitted.body["review"]["revision_id"]
        .as_str()
        .with_context(|| {
            format!(
                "submit {kind}/{id}: {} {}",
                submitted.status, submitted.body
            )
        })?;
    let approved = api
        .post(
            &format!("/api/v1/moderation/items/{revision}/approve"),
            Some(token),
            None,
        )
        .await;
    if !approved.ok() {
        bail!("approve {kind}/{id}: {} {}", approved.status, approved.body);
    }
    Ok(id)
}

async fn load(api: &Api, corpus: &[Entry]) -> anyhow::Result<()> {
    let token = api.login(MODERATOR).await?;
    let before = published(api).await?;
    let mut added = 0u64;
    for entry in corpus {
        let structure = publish(
            api,
            &token,
            "/api/v1/structures",
            "structures",
            &entry.structure,
        )
        .await?;
        added += 1;
        for service in &entry.services {
            publish(
                api,
                &token,
                &format!("/api/v1/structures/{structure}/services"),
                "services",
                service,
            )
            .await?;
            added += 1;
        }
        for project in &entry.projects {
            publish(
                api,
                &token,
                &format!("/api/v1/structures/{structure}/projects"),
                "projects",
                project,
            )
            .await?;
            added += 1;
        }
    }
    // The index follows the database: wait until it holds everything.
    let started = Instant::now();
    while published(api).await? < before + added {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("the index did not catch up with the corpus");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn ask(api: &Api, questions: &[Question], mode: Option<&str>) -> anyhow::Result<Vec<Ranked>> {
    let mut out = Vec::with_capacity(questions.len());
    let mut refused = Vec::new();
    for question in questions {
        let mut query: Vec<(String, String)> = vec![
            ("q".into(), question.q.clone()),
            ("limit".into(), DEPTH.to_string()),
        ];
        if let Some(mode) = mode {
            query.push(("match".into(), mode.into()));
        }
        for (k, v) in &question.params {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            query.push((k.clone(), v));
        }
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&query)
            .finish();
        let a = api.get(&format!("/api/v1/search?{encoded}"), None).await;
        // A question refused (an earlier version limited the words) gets no result.
        if a.status == 400 {
            refused.push(question.id.as_str());
            out.push(Vec::new());
            continue;
        }
        if !a.ok() {
            bail!("{} ({}): {} {}", question.id, question.q, a.status, a.body);
        }
        out.push(
            a.body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| {
                    let missing = i["missing_words"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|w| w.as_str().map(str::to_owned))
                        .collect();
                    i["name"].as_str().map(|n| (n.to_owned(), missing))
                })
                .collect(),
        );
    }
    if !refused.is_empty() {
        println!(
            "{} questions refused as malformed (400){}: {}",
            refused.len(),
            mode.map(|m| format!(" with match={m}")).unwrap_or_default(),
            refused.join(" ")
        );
    }
    Ok(out)
}

fn report(questions: &[Question], systems: &[(String, Vec<Ranked>)], details: bool) {
    let mut groups: Vec<&str> = vec!["all"];
    for q in questions {
        if !groups.contains(&q.who.as_str()) {
            groups.push(&q.who);
        }
    }
    println!();
    println!(
        "{:<16} {:>9} │ {:>10} {:>7} {:>8} {:>9}",
        "system", "questions", "success@5", "MRR", "nDCG@10", "no result"
    );
    for group in &groups {
        println!("── {group} ──");
        for (name, answers) in systems {
            let mut scores = Scores::default();
            for (question, ranked) in questions.iter().zip(answers) {
                if *group == "all" || question.who == *group {
                    scores.add(ranked, &question.answers);
                }
            }
            let [s5, mrr, ndcg, zero] = scores.row();
            println!(
                "{:<16} {:>9} │ {:>9.1}% {:>7.3} {:>8.3} {:>8.1}%",
                name,
                scores.questions,
                s5 * 100.0,
                mrr,
                ndcg,
                zero * 100.0
            );
        }
    }
    if details && let Some((name, answers)) = systems.last() {
        println!();
        println!("questions {name} misses at 5:");
        for (question, ranked) in questions.iter().zip(answers) {
            if ranked
                .iter()
                .take(5)
                .any(|(n, _)| question.answers.contains(n))
            {
                continue;
            }
            println!("  {} [{}] « {} »", question.id, question.who, question.q);
            println!("      expected: {}", question.answers.join(" | "));
            println!(
                "      got:      {}",
                if ranked.is_empty() {
                    "nothing".to_owned()
                } else {
                    ranked
                        .iter()
                        .take(5)
                        .map(|(name, missing)| match missing.as_slice() {
                            [] => name.clone(),
                            _ => format!("{name} (sans {})", missing.join(", ")),
                        })
                        .collect::<Vec<_>>()
                        .join(" | ")
                }
            );
        }
    }
}

//! The API as the reliability scenarios use it: accounts, listings written and published,
//! and the two views that must agree (what the database publishes, what search finds).

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub const WRITER: (&str, &str) = (
    "ecriture@fiabilite.example.org",
    "un mot de passe de test assez long",
);
pub const MODERATOR: (&str, &str) = (
    "moderation@fiabilite.example.org",
    "un autre mot de passe assez long",
);

/// Creates the writer's and the moderator's accounts, as an operator does.
pub fn create_accounts(agora: &crate::process::Agora) -> anyhow::Result<()> {
    agora.run_with_input(
        &["user", "create", "--email", WRITER.0, "--password-stdin"],
        WRITER.1,
    )?;
    agora.run_with_input(
        &[
            "user",
            "create",
            "--email",
            MODERATOR.0,
            "--role",
            "moderator",
            "--password-stdin",
        ],
        MODERATOR.1,
    )
}

#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
    pub base: String,
}

/// An answer: its status (0 when the connection failed) and body.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A structure a writer may register (a new name each time).
pub fn structure(n: u64, padding: usize) -> Value {
    json!({
        "name": format!("Association fiabilité {n} {}", Uuid::new_v4().simple()),
        "structure_kind": "association",
        "rna": "W251000123",
        "summary": "Une association créée pendant un essai de fiabilité.",
        "description": "Soutien aux personnes malades et à leurs proches. ".repeat(padding.max(1)),
        "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"}
    })
}

impl Api {
    pub fn new(base: &str) -> anyhow::Result<Self> {
        Ok(Self {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .pool_max_idle_per_host(64)
                .build()?,
            base: base.to_owned(),
        })
    }

    async fn answer(&self, rb: reqwest::RequestBuilder) -> Answer {
        match rb.send().await {
            Ok(res) => {
                let status = res.status().as_u16();
                let content_type = res
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let text = res.text().await.unwrap_or_default();
                Answer {
                    status,
                    content_type,
                    body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
                }
            }
            Err(_) => Answer {
                status: 0,
                content_type: String::new(),
                body: Value::Null,
            },
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        let mut rb = self.client.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        self.answer(rb).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut rb = self.client.post(format!("{}{path}", self.base));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        self.answer(rb).await
    }

    /// Waits until the server says it is ready (its database answers).
    pub async fn wait_ready(&self, within: Duration) -> anyhow::Result<()> {
        let started = Instant::now();
        while started.elapsed() < within {
            if self.get("/ready", None).await.ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("{} not ready after {within:?}", self.base)
    }

    pub async fn login(&self, (email, password): (&str, &str)) -> anyhow::Result<String> {
        let a = self
            .post(
                "/api/v1/auth/login",
                None,
                Some(json!({"email": email, "password": password})),
            )
            .await;
        if !a.ok() {
            bail!("sign-in of {email}: {} {}", a.status, a.body);
        }
        a.body["access_token"]
            .as_str()
            .map(str::to_owned)
            .context("no access token")
    }

    /// Every id a search returns, page after page.
    pub async fn search_ids(&self, query: &str) -> anyhow::Result<BTreeSet<Uuid>> {
        let mut ids = BTreeSet::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/search?{query}&limit=100");
            if let Some(c) = &cursor {
                path.push_str("&cursor=");
                path.push_str(&form_urlencoded::byte_serialize(c.as_bytes()).collect::<String>());
            }
            let a = self.get(&path, None).await;
            if !a.ok() {
                bail!("search {query}: {} {}", a.status, a.body);
            }
            for item in a.body["items"].as_array().into_iter().flatten() {
                if let Some(id) = item["id"].as_str().and_then(|s| s.parse().ok()) {
                    ids.insert(id);
                }
            }
            match a.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return Ok(ids),
            }
        }
    }
}

/// What the database publishes: the ids of listed structures.
pub async fn published_structures(
    db: &agora_store::DatabaseConnection,
) -> anyhow::Result<BTreeSet<Uuid>> {
    let mut ids = BTreeSet::new();
    let mut after = None;
    loop {
        let rows = agora_store::listings::list_public(
            db,
            agora_domain::ListingKind::Structure,
            after,
            1000,
        )
        .await?;
        let Some(last) = rows.last().map(|r| r.id) else {
            return Ok(ids);
        };
        after = Some(last);
        ids.extend(rows.iter().map(|r| r.id));
    }
}

/// Waits until search finds exactly what the database publishes (the index follows the
/// change log); returns how long it took, or the difference when it does not happen.
pub async fn index_agrees(
    api: &Api,
    db: &agora_store::DatabaseConnection,
    within: Duration,
) -> anyhow::Result<Result<Duration, String>> {
    let started = Instant::now();
    loop {
        let published = published_structures(db).await?;
        let found = api.search_ids("kind=structure").await?;
        if published == found {
            return Ok(Ok(started.elapsed()));
        }
        if started.elapsed() > within {
            let missing = published.difference(&found).count();
            let extra = found.difference(&published).count();
            return Ok(Err(format!(
                "{missing} published not found, {extra} found but not published"
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

//! The harness: each test gets the real application on a random port, over a fresh SQLite
//! file or a fresh PostgreSQL database, and a client that speaks to it over HTTP.

pub mod fixtures;
pub mod served;
pub mod smtp;
pub mod world;

use agora::app::{Application, Background, prepare};
use agora::config::{AuthConfig, Config, MailTransport};
use agora_domain::{Clock, ManualClock, PlatformRole};
use agora_service::Context;
use agora_service::accounts::{self, RegisterInput};
use reqwest::{Method, RequestBuilder, StatusCode};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::sync::Arc;

/// The HMAC key of test servers, so that tests can forge tokens signed with the real key.
pub const TEST_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes-for-hs256";
pub const PASSWORD: &str = "a long enough password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each listed test body (an `async fn(Backend)`) once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if $crate::common::postgres_opted_out() {
                        return;
                    }
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// PostgreSQL tests run unless a developer explicitly opts out, and then they say so.
pub fn postgres_opted_out() -> bool {
    if std::env::var("AGORA_TEST_DATABASE_URL").is_ok() {
        return false;
    }
    if std::env::var("AGORA_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
        eprintln!(
            "\n!!! AGORA_SKIP_POSTGRES=1: this PostgreSQL test did NOT run. CI runs it. !!!\n"
        );
        return true;
    }
    panic!(
        "AGORA_TEST_DATABASE_URL is not set: run the suite with scripts/test, or set AGORA_SKIP_POSTGRES=1 to skip PostgreSQL knowingly"
    );
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub ctx: Context,
    pub clock: Arc<ManualClock>,
    clock_start: chrono::DateTime<chrono::Utc>,
    pub database_url: String,
    pub config: Config,
    /// The SMTP server this instance sends its mail to.
    pub smtp: Arc<smtp::SmtpSink>,
    running: Running,
    dir: tempfile::TempDir,
}

/// The server and the background work of a test instance, stopped when dropped.
struct Running {
    handle: actix_web::dev::ServerHandle,
    background: Background,
}

impl Drop for Running {
    fn drop(&mut self) {
        // Stops accepting and lets the runtime wind the workers down; the background
        // tasks stop with `background`.
        drop(self.handle.stop(false));
    }
}

/// A signed-in user of a test server.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh: String,
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

pub async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var("AGORA_TEST_DATABASE_URL").expect("AGORA_TEST_DATABASE_URL");
    let name = format!("agoratest{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to the test PostgreSQL");
    // The name is generated here, never taken from input.
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    admin.close().await.ok();
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("a database URL ends with /name");
    format!("{base}/{name}")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = match backend {
            Backend::Sqlite => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("agora.db").display()
            ),
            Backend::Postgres => fresh_postgres_database().await,
        };
        let smtp = Arc::new(smtp::SmtpSink::start().await);
        let mut config = Self::config_for(dir.path(), &database_url, &smtp);
        adjust(&mut config);
        let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
        Self::start(config, dir, clock, database_url, smtp).await
    }

    /// A second instance over the same database, sending to the same SMTP server, with its
    /// own data directory, search index and clock (set to this one's time).
    pub async fn spawn_beside(&self, adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut config = Self::config_for(dir.path(), &self.database_url, &self.smtp);
        adjust(&mut config);
        let clock = Arc::new(ManualClock::new(self.clock.now()));
        Self::start(
            config,
            dir,
            clock,
            self.database_url.clone(),
            self.smtp.clone(),
        )
        .await
    }

    fn config_for(dir: &std::path::Path, database_url: &str, smtp: &smtp::SmtpSink) -> Config {
        let mut config = Config {
            bind: "127.0.0.1:0".into(),
            data_dir: dir.to_path_buf(),
            database_url: Some(database_url.to_owned()),
            workers: Some(2),
            auth: AuthConfig {
                secret: Some(TEST_SECRET.into()),
                ..AuthConfig::default()
            },
            ..Config::default()
        };
        config.mail.transport = MailTransport::Smtp;
        config.mail.smtp.host = "127.0.0.1".into();
        config.mail.smtp.port = smtp.port;
        config.mail.smtp.tls = agora_mail::Tls::None;
        config.mail.smtp.timeout_secs = 5;
        config.mail.poll_interval_ms = 100;
        // Tests run the sweeps themselves, with the clock where they want it.
        config.sweep.interval_secs = 3600;
        // Every test client comes from 127.0.0.1: the limits per address would count the
        // whole suite's users as one person. Tests of those limits set them back.
        config.accounts.requests_per_address.free_failures = 100_000;
        config.accounts.sign_in.per_address.free_failures = 100_000;
        config.partners.anonymous_per_minute = 0;
        config
    }

    async fn start(
        config: Config,
        dir: tempfile::TempDir,
        clock: Arc<ManualClock>,
        database_url: String,
        smtp: Arc<smtp::SmtpSink>,
    ) -> Self {
        let (ctx, background) = prepare(&config, clock.clone())
            .await
            .expect("open the service");
        let app = Application::build(&config, ctx.clone()).expect("bind the server");
        let base = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        Self {
            base,
            client,
            ctx,
            clock_start: clock.now(),
            clock,
            database_url,
            config,
            smtp,
            running: Running { handle, background },
            dir,
        }
    }

    /// Runs the scheduled sweeps once, now (as the scheduler would).
    pub async fn sweep(&self) -> agora_service::refresh::SweepReport {
        agora_service::schedule::run_sweeps(&self.ctx, false)
            .await
            .expect("sweep")
            .expect("no other instance sweeps")
    }

    /// When this instance's clock started (its listings' first confirmation).
    pub fn clock_start(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock_start
    }

    pub fn clock_now_rfc3339(&self) -> String {
        self.clock
            .now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }

    /// Moves this instance's clock by `by`.
    pub fn advance(&self, by: chrono::Duration) {
        self.clock.advance(by);
    }

    /// Moves this instance's clock by `days`.
    pub fn advance_days(&self, days: i64) {
        self.clock.advance(chrono::Duration::days(days));
    }

    /// Stops the index from following the change log (as if this instance were down).
    pub fn stop_following(&self) {
        self.running.background.follower.abort();
    }

    /// Waits until this instance's index has applied every change in the log.
    pub async fn index_caught_up(&self) {
        let index = self.ctx.search.clone().expect("an index");
        let last = agora_store::changes::last_seq(&self.ctx.db)
            .await
            .expect("last change");
        let started = std::time::Instant::now();
        while index.state().map_or(0, |s| s.seq) < last {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "the index did not catch up"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Runs a search and returns the page.
    pub async fn search(&self, query: &str) -> Value {
        let (status, page) = self
            .call(self.get(&format!("/api/v1/search?{query}"), None))
            .await;
        assert_eq!(status, StatusCode::OK, "search {query}: {page}");
        page
    }

    /// The names a search returns.
    pub async fn found(&self, query: &str) -> Vec<String> {
        names(&self.search(query).await)
    }

    /// Waits (at most `within`) until `query` returns `names` exactly; returns how long it took.
    pub async fn eventually(
        &self,
        query: &str,
        names: &[&str],
        within: std::time::Duration,
    ) -> std::time::Duration {
        let started = std::time::Instant::now();
        loop {
            let mut found = self.found(query).await;
            found.sort();
            let mut want: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            want.sort();
            if found == want {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < within,
                "`{query}` gave {found:?}, not {want:?}, after {within:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Stops this instance and starts it again on the same data directory and database,
    /// as after a restart; `between` runs while it is down.
    pub async fn restart(self, between: impl FnOnce(&std::path::Path)) -> Self {
        let Self {
            running,
            ctx,
            config,
            dir,
            clock,
            database_url,
            smtp,
            ..
        } = self;
        running.handle.stop(true).await;
        drop(running);
        drop(ctx);
        between(dir.path());
        // The old index's writer lock goes when its last reader is dropped.
        for _ in 0..50 {
            if agora_search::SearchIndex::open_or_create(&agora::app::search_dir(&config)).is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Self::start(config, dir, clock, database_url, smtp).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn request(&self, method: Method, path: &str, user: Option<&User>) -> RequestBuilder {
        let rb = self.client.request(method, self.url(path));
        match user {
            Some(u) => rb.bearer_auth(&u.token),
            None => rb,
        }
    }

    pub fn get(&self, path: &str, user: Option<&User>) -> RequestBuilder {
        self.request(Method::GET, path, user)
    }

    pub fn post(&self, path: &str, user: Option<&User>) -> RequestBuilder {
        self.request(Method::POST, path, user)
    }

    pub fn patch(&self, path: &str, user: Option<&User>) -> RequestBuilder {
        self.request(Method::PATCH, path, user)
    }

    /// Registers a new user through the API, follows the verification link of the mail
    /// they receive, and signs them in.
    pub async fn user(&self, name: &str) -> User {
        let email = format!("{}@test.example.org", unique(name));
        self.register(&email, name).await;
        self.verify_from_mail(&email).await;
        let mut user = self.login(&email, PASSWORD, String::new()).await;
        let (status, me) = self.call(self.get("/api/v1/me", Some(&user))).await;
        assert_eq!(status, StatusCode::OK, "{me}");
        user.id = me["id"].as_str().expect("id").to_owned();
        user
    }

    /// An account made as an operator makes it (verified, no mail sent), signed in.
    pub async fn verified_user(&self, name: &str) -> User {
        let email = format!("{}@test.example.org", unique(name));
        let input = RegisterInput {
            email: email.clone(),
            password: PASSWORD.into(),
            display_name: name.into(),
        };
        let user = accounts::create_user(&self.ctx, input, None)
            .await
            .expect("create a user");
        self.login(&email, PASSWORD, user.id.to_string()).await
    }

    /// Registers `email` (with [`PASSWORD`]); the address is not verified yet.
    pub async fn register(&self, email: &str, name: &str) {
        let (status, body) = self
            .call(
                self.post("/api/v1/auth/register", None)
                    .json(&json!({"email": email, "password": PASSWORD, "display_name": name})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "register {email}: {body}");
        assert_eq!(body["status"], "check_your_mail");
    }

    /// Follows the link of the latest verification mail sent to `email`.
    pub async fn verify_from_mail(&self, email: &str) {
        let mails = self
            .smtp
            .wait_for(email, "Confirmez votre adresse", 1)
            .await;
        let token = mails
            .last()
            .and_then(|m| m.token_of("auth/verify-email"))
            .expect("a verification link");
        let (status, body) = self
            .call(
                self.post("/api/v1/auth/verify-email", None)
                    .json(&json!({ "token": token })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "verify {email}: {body}");
    }

    /// Signs `user` in again (after the clock moved past their token's lifetime).
    pub async fn relogin(&self, user: &User) -> User {
        self.login(&user.email, PASSWORD, user.id.clone()).await
    }

    pub async fn login(&self, email: &str, password: &str, id: String) -> User {
        let res = self
            .post("/api/v1/auth/login", None)
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), StatusCode::OK, "login {email}");
        let tokens: Value = res.json().await.expect("json");
        User {
            id,
            email: email.to_owned(),
            token: tokens["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            refresh: tokens["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_owned(),
        }
    }

    /// A digest of every table's rows (but the audited reads of health information,
    /// which are writes by design): two equal fingerprints mean nothing was written.
    pub async fn fingerprint(&self) -> std::collections::BTreeMap<String, String> {
        use sea_orm::{DbBackend, Statement};
        let db = &self.ctx.db;
        let backend = db.get_database_backend();
        let list = match backend {
            DbBackend::Postgres => {
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        let tables: Vec<String> = db
            .query_all_raw(Statement::from_string(backend, list))
            .await
            .expect("list tables")
            .iter()
            .map(|r| r.try_get::<String>("", "name").expect("a name"))
            .filter(|t| t != "seaql_migrations")
            .collect();
        let mut out = std::collections::BTreeMap::new();
        for table in tables {
            // Table names come from the catalogue, never from input.
            let filter = if table == "audit_log" {
                " WHERE action <> 'health_info_read'"
            } else {
                ""
            };
            let sql = match backend {
                DbBackend::Postgres => format!(
                    "SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS digest FROM (SELECT * FROM {table}{filter}) t"
                ),
                _ => {
                    let columns: Vec<String> = db
                        .query_all_raw(Statement::from_string(
                            backend,
                            format!("SELECT name FROM pragma_table_info('{table}')"),
                        ))
                        .await
                        .expect("columns")
                        .iter()
                        .map(|r| {
                            format!(
                                "quote({})",
                                r.try_get::<String>("", "name").expect("a column")
                            )
                        })
                        .collect();
                    format!(
                        "SELECT coalesce(group_concat(line, '|'), '') AS digest FROM (SELECT {} AS line FROM {table}{filter} ORDER BY 1)",
                        columns.join(" || ',' || ")
                    )
                }
            };
            let digest = db
                .query_one_raw(Statement::from_string(backend, sql))
                .await
                .expect("digest")
                .map(|r| r.try_get::<String>("", "digest").expect("a digest"))
                .unwrap_or_default();
            out.insert(table, digest);
        }
        out
    }

    /// Makes `who` a member of `structure` as people do: `owner` invites their address,
    /// they accept once signed in.
    pub async fn join(&self, structure: &str, owner: &User, who: &User, role: &str) -> String {
        let (status, invitation) = self
            .call(
                self.post(
                    &format!("/api/v1/structures/{structure}/invitations"),
                    Some(owner),
                )
                .json(&json!({"email": who.email, "role": role})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "invite: {invitation}");
        let id = invitation["id"].as_str().expect("invitation id").to_owned();
        let (status, joined) = self
            .call(self.post(&format!("/api/v1/me/invitations/{id}/accept"), Some(who)))
            .await;
        assert_eq!(status, StatusCode::OK, "accept: {joined}");
        id
    }

    /// An account with a platform role, created as the command line does, then signed in.
    pub async fn with_role(&self, name: &str, role: PlatformRole) -> User {
        let email = format!("{}@test.example.org", unique(name));
        let input = RegisterInput {
            email: email.clone(),
            password: PASSWORD.into(),
            display_name: name.into(),
        };
        let user = accounts::create_user(&self.ctx, input, Some(role))
            .await
            .expect("create a user with a role");
        self.login(&email, PASSWORD, user.id.to_string()).await
    }

    pub async fn moderator(&self) -> User {
        self.with_role("moderator", PlatformRole::Moderator).await
    }

    /// The ETag of `path` as `user` reads it, for a following `If-Match`.
    pub async fn etag(&self, path: &str, user: &User) -> String {
        let res = self.get(path, Some(user)).send().await.expect("GET");
        res.headers()
            .get("etag")
            .expect("an ETag")
            .to_str()
            .expect("ASCII")
            .to_owned()
    }

    /// Sends a JSON request and returns the status and the parsed body (Null when empty).
    pub async fn call(&self, rb: RequestBuilder) -> (StatusCode, Value) {
        let res = rb.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, body)
    }

    /// Creates a listing through the API; panics unless 201.
    pub async fn create(&self, path: &str, user: &User, body: &Value) -> Value {
        let (status, created) = self.call(self.post(path, Some(user)).json(body)).await;
        assert_eq!(status, StatusCode::CREATED, "create at {path}: {created}");
        created
    }

    /// Submits a listing and returns the moderation item (revision) id.
    pub async fn submit(&self, kind_path: &str, id: &str, user: &User) -> String {
        let (status, view) = self
            .call(self.post(&format!("/api/v1/{kind_path}/{id}/submit"), Some(user)))
            .await;
        assert_eq!(status, StatusCode::OK, "submit {kind_path}/{id}: {view}");
        view["review"]["revision_id"]
            .as_str()
            .expect("revision id")
            .to_owned()
    }

    pub async fn decide(
        &self,
        item: &str,
        decision: &str,
        moderator: &User,
        reason: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut rb = self.post(
            &format!("/api/v1/moderation/items/{item}/{decision}"),
            Some(moderator),
        );
        if let Some(r) = reason {
            rb = rb.json(&json!({ "reason": r }));
        }
        self.call(rb).await
    }

    /// Creates, submits and approves a listing; returns it as created.
    pub async fn publish(
        &self,
        create_path: &str,
        kind_path: &str,
        owner: &User,
        moderator: &User,
        body: &Value,
    ) -> Value {
        let created = self.create(create_path, owner, body).await;
        let id = created["id"].as_str().expect("id");
        let item = self.submit(kind_path, id, owner).await;
        let (status, decided) = self.decide(&item, "approve", moderator, None).await;
        assert_eq!(status, StatusCode::OK, "approve: {decided}");
        created
    }

    /// A published service of a new published structure owned by `owner`; its id.
    pub async fn published_service(&self, owner: &User, moderator: &User) -> String {
        let structure = self.published_structure(owner, moderator).await;
        let service = self
            .publish(
                &format!("/api/v1/structures/{structure}/services"),
                "services",
                owner,
                moderator,
                &fixtures::service(),
            )
            .await;
        service["id"].as_str().expect("id").to_owned()
    }

    /// A published structure owned by `owner`, with its id.
    pub async fn published_structure(&self, owner: &User, moderator: &User) -> String {
        let s = self
            .publish(
                "/api/v1/structures",
                "structures",
                owner,
                moderator,
                &fixtures::structure(),
            )
            .await;
        s["id"].as_str().expect("id").to_owned()
    }
}

/// The names of the items of a search page, in order.
pub fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Asserts an error response is problem+json with a request id, and returns its body.
pub async fn problem(res: reqwest::Response, expected: StatusCode) -> Value {
    assert_eq!(res.status(), expected, "status");
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let header_id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = res.json().await.expect("problem body");
    assert_eq!(body["status"], expected.as_u16());
    assert!(
        body["type"].is_string() && body["title"].is_string(),
        "{body}"
    );
    assert_eq!(
        body["request_id"], header_id,
        "the body's request id is the header's"
    );
    body
}

/// The pointers of a problem's field errors.
pub fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["pointer"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

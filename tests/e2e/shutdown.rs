//! SIGTERM on the real binary under load: it exits 0 within its bound, every request that
//! got an answer got a 2xx, a request in flight completes, mail is neither lost nor sent
//! twice (nor left claimed), and a write acknowledged just before the signal is
//! searchable after a restart. A second signal, or the bound running out, ends it at once
//! with a non-zero status.

use crate::common::served::agora;
use crate::common::smtp::SmtpSink;
use crate::common::{Backend, fresh_postgres_database};
use agora_store::mail_queue;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

const WRITER: &str = "a long enough password for the writer";
const MODERATOR: &str = "a long enough password for the moderator";

/// How an instance is configured: its database, the test's SMTP server, a short bound.
struct Setup {
    dir: tempfile::TempDir,
    database_url: Option<String>,
    smtp_port: u16,
    bound_secs: u64,
}

impl Setup {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = agora(self.dir.path());
        cmd.args(args)
            .env("AGORA_MAIL__TRANSPORT", "smtp")
            .env("AGORA_MAIL__SMTP__HOST", "127.0.0.1")
            .env("AGORA_MAIL__SMTP__PORT", self.smtp_port.to_string())
            .env("AGORA_MAIL__SMTP__TLS", "none")
            .env("AGORA_MAIL__POLL_INTERVAL_MS", "100")
            .env("AGORA_PARTNERS__ANONYMOUS_PER_MINUTE", "0")
            .env("AGORA_SHUTDOWN_TIMEOUT_SECS", self.bound_secs.to_string())
            .env("AGORA_WORKERS", "2");
        if let Some(url) = &self.database_url {
            cmd.env("AGORA_DATABASE_URL", url);
        }
        cmd
    }

    fn create_user(&self, email: &str, password: &str, role: Option<&str>) {
        use std::io::Write;
        let mut args = vec!["user", "create", "--email", email, "--password-stdin"];
        if let Some(r) = role {
            args.extend(["--role", r]);
        }
        let mut child = self
            .command(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "agora user create");
    }

    /// Starts `agora serve` and waits until it is ready.
    async fn serve(&self) -> Running {
        self.serve_with(&[]).await
    }

    /// Reads the child's output on this thread: the test runs on a multi-threaded runtime
    /// so that the SMTP receiver answers the start-up check meanwhile.
    async fn serve_with(&self, env: &[(&str, &str)]) -> Running {
        let mut child = self
            .command(&["serve", "--bind", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("agora stopped before listening")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Agora is listening on ") {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        let running = Running {
            child: Some(child),
            base,
        };
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let ready = client.get(running.url("/ready")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "never ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        running
    }

    async fn database(&self) -> agora_store::DatabaseConnection {
        let url = self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rw",
                self.dir.path().join("data/agora.db").display()
            )
        });
        agora_store::connect(&url).await.unwrap()
    }
}

async fn setup(backend: Backend, smtp: &SmtpSink, bound_secs: u64) -> Setup {
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres_database().await),
    };
    Setup {
        dir: tempfile::tempdir().unwrap(),
        database_url,
        smtp_port: smtp.port,
        bound_secs,
    }
}

struct Running {
    child: Option<Child>,
    base: String,
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn signal(&self, name: &str) {
        let pid = self.child.as_ref().unwrap().id();
        let status = Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the process to exit; its status and how long that took.
    async fn exit(&mut self, within: Duration) -> (ExitStatus, Duration) {
        let started = Instant::now();
        let child = self.child.as_mut().unwrap();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                self.child = None;
                return (status, started.elapsed());
            }
            assert!(
                started.elapsed() < within,
                "still running {within:?} after the signal"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
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

fn structure(name: &str) -> Value {
    json!({
        "name": name,
        "structure_kind": "association",
        "rna": "W251000123",
        "summary": "Une association créée pendant un arrêt du serveur.",
        "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"}
    })
}

/// What the clients saw: each answer's status, or 0 when no answer came.
type Seen = Arc<Mutex<Vec<u16>>>;

/// Reads and writes in a loop until `stop`.
async fn client_loop(base: String, token: String, n: usize, stop: Arc<AtomicBool>, seen: Seen) {
    let client = reqwest::Client::new();
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let res = if i % 3 == 0 {
            client
                .post(format!("{base}/api/v1/structures"))
                .bearer_auth(&token)
                .json(&structure(&format!("Association en charge {n}-{i}")))
                .send()
                .await
        } else {
            client
                .get(format!("{base}/api/v1/search?q=association&limit=20"))
                .send()
                .await
        };
        let status = match res {
            // An answer counts once its body has arrived whole.
            Ok(r) => {
                let status = r.status().as_u16();
                match r.bytes().await {
                    Ok(body) => {
                        if !(200..300).contains(&status) {
                            // Shown with the failure: what the server said.
                            eprintln!("{status}: {}", String::from_utf8_lossy(&body));
                        }
                        status
                    }
                    Err(_) => 0,
                }
            }
            Err(_) => 0,
        };
        seen.lock().await.push(status);
        if status == 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A registration whose body arrives in two halves, `pause` apart: in flight across the
/// signal. Returns the answer's status line and body.
async fn slow_registration(
    base: &str,
    token: &str,
    name: &str,
    sent_half: tokio::sync::oneshot::Sender<()>,
    pause: Duration,
) -> String {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let body = structure(name).to_string();
    let (first, second) = body.split_at(body.len() / 2);
    let head = format!(
        "POST /api/v1/structures HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(first.as_bytes()).await.unwrap();
    stream.flush().await.unwrap();
    let _ = sent_half.send(());
    tokio::time::sleep(pause).await;
    stream.write_all(second.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

async fn sigterm_under_load(backend: Backend) {
    let smtp = SmtpSink::start().await;
    let setup = setup(backend, &smtp, 10).await;
    let writer = "ecriture@arret.example.org";
    let moderator = "moderation@arret.example.org";
    setup.create_user(writer, WRITER, None);
    setup.create_user(moderator, MODERATOR, Some("moderator"));
    let mut server = setup.serve().await;
    let client = reqwest::Client::new();
    let token = login(&client, &server.base, writer, WRITER).await;
    let moderation = login(&client, &server.base, moderator, MODERATOR).await;

    // Structures waiting for a decision: approving them queues a mail each.
    let mut items = Vec::new();
    for i in 0..6 {
        let created: Value = client
            .post(server.url("/api/v1/structures"))
            .bearer_auth(&token)
            .json(&structure(&format!(
                "Association approuvée {i} avant l'arrêt"
            )))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = created["id"].as_str().unwrap();
        let submitted: Value = client
            .post(server.url(&format!("/api/v1/structures/{id}/submit")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        items.push(
            submitted["review"]["revision_id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }

    // Load: four clients reading and writing.
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Seen = Arc::default();
    let clients: Vec<_> = (0..4)
        .map(|n| {
            tokio::spawn(client_loop(
                server.base.clone(),
                token.clone(),
                n,
                stop.clone(),
                seen.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;

    // Just before the signal: the approvals (mail queued) are acknowledged, and a
    // registration is half sent.
    for item in &items {
        let approved = client
            .post(server.url(&format!("/api/v1/moderation/items/{item}/approve")))
            .bearer_auth(&moderation)
            .send()
            .await
            .unwrap();
        assert!(approved.status().is_success());
    }
    let (half_tx, half_rx) = tokio::sync::oneshot::channel();
    let slow = tokio::spawn({
        let base = server.base.clone();
        let token = token.clone();
        async move {
            slow_registration(
                &base,
                &token,
                "Association arrivée lentement",
                half_tx,
                Duration::from_millis(1500),
            )
            .await
        }
    });
    half_rx.await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    server.signal("TERM");
    let (status, took) = server.exit(Duration::from_secs(15)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    assert_eq!(status.code(), Some(0), "SIGTERM ends with 0");
    assert!(took < Duration::from_secs(10), "within the bound: {took:?}");
    // The request in flight was finished, not cut: it waited for its body and answered.
    let answer = slow.await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the slow registration: {answer}"
    );
    let seen = seen.lock().await.clone();
    let answered: Vec<u16> = seen.iter().copied().filter(|s| *s != 0).collect();
    assert!(answered.len() > 20, "the load ran: {seen:?}");
    assert!(
        answered.iter().all(|s| (200..300).contains(s)),
        "every answer is a 2xx: {answered:?}"
    );

    // Mail: nothing left claimed; each queued mail is queued or sent, sent at most once.
    let db = setup.database().await;
    let counts: std::collections::BTreeMap<&str, u64> = mail_queue::count_by_state(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|(s, n)| (s.as_str(), n))
        .collect();
    assert_eq!(counts["sending"], 0, "{counts:?}");
    assert_eq!(counts["uncertain"], 0, "{counts:?}");
    assert_eq!(counts["failed"], 0, "{counts:?}");
    let total = counts["queued"] + counts["sent"];
    assert!(total >= 6, "the approvals' mails: {counts:?}");
    let received = smtp.all();
    assert_eq!(received.len() as u64, counts["sent"], "{counts:?}");
    db.close().await.unwrap();

    // Started again: the rest of the mail leaves, each once; the approvals and the slow
    // registration's neighbours are searchable.
    let mut again = setup.serve().await;
    let started = Instant::now();
    while (smtp.all().len() as u64) < total {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{} of {total} mails sent",
            smtp.all().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ids: std::collections::BTreeSet<String> =
        smtp.all().iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len() as u64, total, "no mail sent twice");
    assert_eq!(smtp.all().len() as u64, total, "no mail sent twice");
    let found: Value = client
        .get(again.url("/api/v1/search?q=approuvée&kind=structure&limit=50"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    for i in 0..6 {
        let name = format!("Association approuvée {i} avant l'arrêt");
        assert!(names.contains(&name.as_str()), "{name} in {names:?}");
    }
    again.signal("TERM");
    let (status, _) = again.exit(Duration::from_secs(15)).await;
    assert_eq!(status.code(), Some(0));
}

crate::both_backends!(sigterm_under_load);

/// A sign-in that never finishes sending its body keeps a request in flight.
async fn stuck_request(base: &str) -> tokio::net::TcpStream {
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"email\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bound_ends_a_stuck_shutdown_with_a_failure() {
    let smtp = SmtpSink::start().await;
    let setup = setup(Backend::Sqlite, &smtp, 2).await;
    let mut server = setup.serve().await;
    let _stuck = stuck_request(&server.base).await;
    server.signal("TERM");
    let (status, took) = server.exit(Duration::from_secs(10)).await;
    assert_ne!(
        status.code(),
        Some(0),
        "the bound ran out: not a clean stop"
    );
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_secs(5),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_exits_at_once() {
    let smtp = SmtpSink::start().await;
    let setup = setup(Backend::Sqlite, &smtp, 30).await;
    let mut server = setup.serve().await;
    let _stuck = stuck_request(&server.base).await;
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ready = reqwest::Client::new()
        .get(server.url("/ready"))
        .send()
        .await;
    assert!(
        ready.is_err(),
        "the listener is closed once the signal came"
    );
    let before = Instant::now();
    server.signal("INT");
    let (status, _) = server.exit(Duration::from_secs(5)).await;
    assert_ne!(status.code(), Some(0));
    assert!(before.elapsed() < Duration::from_secs(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ready_says_503_during_the_delay_before_the_listener_closes() {
    let smtp = SmtpSink::start().await;
    let setup = setup(Backend::Sqlite, &smtp, 10).await;
    let mut server = setup
        .serve_with(&[("AGORA_SHUTDOWN_DELAY_SECS", "2")])
        .await;
    let client = reqwest::Client::new();
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ready = client.get(server.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let health = client.get(server.url("/health")).send().await.unwrap();
    assert_eq!(health.status().as_u16(), 200, "still serving meanwhile");
    let (status, took) = server.exit(Duration::from_secs(10)).await;
    assert_eq!(status.code(), Some(0));
    assert!(took >= Duration::from_millis(1500), "{took:?}");
}

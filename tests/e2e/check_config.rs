//! `agora check-config` and `agora serve` on configurations that each carry one error,
//! one that carries several, and good ones: every error is named on its own line, by
//! both commands, and a good configuration passes (against the test PostgreSQL and a
//! real SMTP server).

use crate::common::served::agora;
use crate::common::smtp::SmtpSink;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

const GOOD_SECRET: &str = "kQ9vX2mZp7Lr4Tn8Wb1Yc6Hd3Jf5Gs0Ae-check-config";

struct Outcome {
    success: bool,
    stdout: String,
    stderr: String,
}

impl Outcome {
    fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter_map(|l| l.strip_prefix("error: "))
            .collect()
    }
}

/// Runs `agora <command>` in `dir` with `config.toml` and `env`; off the runtime's
/// threads, so that the SMTP server of the test keeps answering.
async fn run(dir: &Path, command: &str, env: &[(&str, &str)]) -> Outcome {
    let mut cmd = agora(dir);
    cmd.args(["--config", "config.toml", command]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = tokio::task::spawn_blocking(move || cmd.output().expect("run agora"))
        .await
        .expect("join");
    Outcome {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A configuration that is good on SQLite in `dir` (on a free port: a `serve` that should
/// have refused does not collide), with `top` (top-level keys) and `extra` (sections).
fn write_config(dir: &Path, top: &str, extra: &str) {
    let bind = if top.contains("bind =") {
        ""
    } else {
        "bind = \"127.0.0.1:0\"\n"
    };
    let text = format!(
        "{bind}data_dir = \"{}\"\n{top}\n[auth]\nsecret = \"{GOOD_SECRET}\"\n{extra}\n",
        dir.join("data").display()
    );
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

/// A port nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Both commands refuse the configuration, each with exactly `expected` (one fragment
/// per error line, in any order).
async fn refused(dir: &Path, env: &[(&str, &str)], expected: &[&str]) {
    for command in ["check-config", "serve"] {
        let out = run(dir, command, env).await;
        assert!(!out.success, "{command} accepted it: {}", out.stdout);
        let errors = out.errors();
        assert_eq!(
            errors.len(),
            expected.len(),
            "{command}: one line per error expected, got {errors:#?}"
        );
        for fragment in expected {
            assert!(
                errors.iter().any(|e| e.contains(fragment)),
                "{command}: no line names `{fragment}`: {errors:#?}"
            );
        }
        let n = expected.len();
        assert!(
            out.stderr.contains(&format!(
                "{n} configuration error{}",
                if n == 1 { "" } else { "s" }
            )),
            "{}",
            out.stderr
        );
        assert!(
            !out.stdout.contains("listening"),
            "serve must not start: {}",
            out.stdout
        );
    }
}

/// Top-level keys, sections, environment variables, and the fragment the error names.
type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_error_alone_is_named_by_check_config_and_serve() {
    let smtp_port = closed_port().to_string();
    let repeated = "ab".repeat(24);
    let cases: Vec<Case> = vec![
        (
            "",
            "secrt = \"x\"",
            vec![],
            "unknown key `secrt` in section [auth]",
        ),
        (
            "bnid = \"0.0.0.0:80\"",
            "",
            vec![],
            "unknown key `bnid` at the top level",
        ),
        (
            "",
            "",
            vec![("AGORA_MAIL__SMTP__HOTS", "relay")],
            "unknown key `hots` in section [mail.smtp] (environment variable AGORA_MAIL__SMTP__HOTS)",
        ),
        (
            "",
            "access_ttl_secs = \"soon\"",
            vec![],
            "`auth.access_ttl_secs`: invalid type",
        ),
        (
            "",
            "",
            vec![("AGORA_AUTH__SECRET", "changeme")],
            "`auth.secret` is a weak secret",
        ),
        (
            "",
            "",
            vec![("AGORA_AUTH__SECRET", "only-twenty-bytes-ok")],
            "fewer than 32",
        ),
        (
            "",
            "",
            vec![("AGORA_AUTH__SECRET", repeated.as_str())],
            "different characters repeated",
        ),
        (
            "",
            "[mail]\nbase_url = \"http://agora.example.org\"",
            vec![],
            "mail.base_url \"http://agora.example.org\" must use https",
        ),
        (
            "",
            "[mail]\nbase_url = \"agora.example.org\"",
            vec![],
            "mail.base_url",
        ),
        (
            "bind = \"0.0.0.0:8080\"",
            "",
            vec![],
            "mail.base_url is not set, so links in mails would point to http://0.0.0.0:8080",
        ),
        (
            "trusted_proxies = [\"proxy\"]",
            "",
            vec![],
            "trusted_proxies",
        ),
        (
            "",
            "[metrics]\nallow = [\"scraper\"]",
            vec![],
            "metrics.allow",
        ),
        (
            "",
            "[metrics]\ntoken = \"short-token\"",
            vec![],
            "`metrics.token` is a weak secret",
        ),
        (
            "",
            "[refresh]\nperiod_days = 0",
            vec![],
            "refresh.period_days",
        ),
        (
            "",
            "[mail]\ntransport = \"smtp\"\n[mail.smtp]\nhost = \"127.0.0.1\"\ntls = \"none\"",
            vec![("AGORA_MAIL__SMTP__PORT", smtp_port.as_str())],
            "SMTP server 127.0.0.1:",
        ),
    ];
    for (top, extra, env, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), top, extra);
        refused(dir.path(), &env, &[expected]).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_data_directory_and_an_unreachable_sqlite_file_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // A file where a directory should be: not writable, whoever runs the test.
    std::fs::write(dir.path().join("plain-file"), "x").unwrap();
    let blocked = dir.path().join("plain-file").join("data");
    let text = format!(
        "bind = \"127.0.0.1:0\"\ndata_dir = \"{}\"\n[auth]\nsecret = \"{GOOD_SECRET}\"\n",
        blocked.display()
    );
    std::fs::write(dir.path().join("config.toml"), text).unwrap();
    // The data directory, its mail directory and the SQLite file in it.
    refused(
        dir.path(),
        &[],
        &["data_dir", "mail.dir", "database sqlite://"],
    )
    .await;

    // The data directory is fine but the database file is not.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("plain-file"), "x").unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("plain-file/agora.db").display()
    );
    write_config(dir.path(), &format!("database_url = \"{url}\""), "");
    refused(dir.path(), &[], &["is unreachable"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_postgres_is_named_without_its_password() {
    if crate::common::postgres_opted_out() {
        return;
    }
    let good = std::env::var("AGORA_TEST_DATABASE_URL").unwrap();
    let mut wrong_port = url::Url::parse(&good).unwrap();
    wrong_port.set_port(Some(closed_port())).unwrap();
    let mut wrong_password = url::Url::parse(&good).unwrap();
    wrong_password
        .set_password(Some("not-the-password-4821"))
        .unwrap();
    for (url, fragment) in [
        (wrong_port.to_string(), "Connection refused"),
        (wrong_password.to_string(), "password authentication failed"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), "", "");
        let env = [("AGORA_DATABASE_URL", url.as_str())];
        refused(dir.path(), &env, &["is unreachable"]).await;
        let out = run(dir.path(), "check-config", &env).await;
        let line = out.errors()[0].to_owned();
        assert!(line.contains(fragment), "{line}");
        assert!(line.contains(":***@"), "the URL is named: {line}");
        // (The test database's password may equal its user name: look for it in place.)
        for secret in [
            "not-the-password-4821",
            wrong_port.password().unwrap_or("-"),
        ] {
            assert!(
                !out.stderr.contains(&format!(":{secret}@")),
                "password printed: {}",
                out.stderr
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_errors_are_each_named_on_their_own_line() {
    let dir = tempfile::tempdir().unwrap();
    let smtp_port = closed_port();
    write_config(
        dir.path(),
        "bnid = \"0.0.0.0:80\"\ntrusted_proxies = [\"proxy\"]",
        &format!(
            "secrt = \"x\"\n[mail]\ntransport = \"smtp\"\nbase_url = \"http://agora.example.org\"\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {smtp_port}\ntls = \"none\""
        ),
    );
    refused(
        dir.path(),
        &[("AGORA_AUTH__SECRET", "changeme")],
        &[
            "unknown key `bnid` at the top level",
            "unknown key `secrt` in section [auth]",
            "trusted_proxies",
            "`auth.secret` is a weak secret",
            "mail.base_url \"http://agora.example.org\" must use https",
            &format!("SMTP server 127.0.0.1:{smtp_port}"),
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_configuration_passes_on_sqlite_and_postgres_with_a_real_smtp_server() {
    let smtp = SmtpSink::start().await;
    let mail = format!(
        "[mail]\ntransport = \"smtp\"\nbase_url = \"https://agora.example.org\"\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"",
        smtp.port
    );
    let mut databases = vec![String::new()];
    if !crate::common::postgres_opted_out() {
        let url = std::env::var("AGORA_TEST_DATABASE_URL").unwrap();
        databases.push(format!("database_url = \"{url}\""));
    }
    for database in databases {
        let dir = tempfile::tempdir().unwrap();
        write_config(
            dir.path(),
            &format!("{database}\ntrusted_proxies = [\"172.28.0.0/24\"]"),
            &mail,
        );
        let out = run(dir.path(), "check-config", &[]).await;
        assert!(out.success, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stdout.lines().any(|l| l == "configuration OK"),
            "{}",
            out.stdout
        );
        for fragment in ["is reachable", "SMTP server 127.0.0.1:", "data_dir"] {
            assert!(out.stdout.contains(fragment), "{fragment}: {}", out.stdout);
        }
        assert!(out.errors().is_empty(), "{}", out.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_on_a_good_configuration_and_healthcheck_sees_it_ready() {
    let smtp = SmtpSink::start().await;
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "",
        &format!(
            "[mail]\ntransport = \"smtp\"\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"",
            smtp.port
        ),
    );
    let mut child = agora(dir.path())
        .args(["--config", "config.toml", "serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let base = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        loop {
            let line = lines.next().expect("serve stopped").unwrap();
            if let Some(rest) = line.strip_prefix("Agora is listening on ") {
                let base = rest.split_whitespace().next().unwrap().to_owned();
                std::thread::spawn(move || lines.for_each(drop));
                return base;
            }
        }
    })
    .await
    .unwrap();
    let probe = |url: String| {
        let mut cmd = agora(dir.path());
        cmd.args(["--config", "config.toml", "healthcheck", "--url", &url]);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
    };
    let ready = probe(format!("{base}/ready")).await.unwrap();
    assert!(ready.status.success(), "{ready:?}");
    let closed = probe(format!("http://127.0.0.1:{}/ready", closed_port()))
        .await
        .unwrap();
    assert!(!closed.status.success());
    assert!(String::from_utf8_lossy(&closed.stderr).contains("not ready"));
    let _ = child.kill();
    let _ = child.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_left_by_a_newer_version_is_refused_and_an_up_to_date_one_passes() {
    use sea_orm::{ConnectionTrait, Database};
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), "", "");
    let migrate = {
        let mut cmd = agora(dir.path());
        cmd.args(["--config", "config.toml", "migrate"]);
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
    };
    assert!(migrate.await.unwrap().status.success());
    let out = run(dir.path(), "check-config", &[]).await;
    assert!(out.success, "{}", out.stderr);
    assert!(
        out.stdout.contains("schema is up to date"),
        "{}",
        out.stdout
    );

    let url = format!(
        "sqlite://{}?mode=rw",
        dir.path().join("data/agora.db").display()
    );
    let db = Database::connect(&url).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20990101_000001_later', 0)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    refused(dir.path(), &[], &["m20990101_000001_later"]).await;
}

//! What needs the world: the data directory, the database, the SMTP relay. Each probe is
//! bounded in time, so a check never hangs on an address that drops packets.

use super::Report;
use crate::config::{Config, MailTransport};
use std::path::Path;
use std::time::Duration;

/// How long the database or the SMTP relay has to answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(8);

pub async fn check(config: &Config) -> Report {
    let mut report = Report::default();
    let mut add = |result: Result<String, String>| match result {
        Ok(line) => report.passed.push(line),
        Err(line) => report.errors.push(line),
    };
    add(writable("data_dir", &config.data_dir));
    if config.mail.transport == MailTransport::File {
        add(writable("mail.dir", &config.mail_dir()));
    }
    if config.auth.secret.is_none()
        && let Some(line) = kept_key(&config.data_dir)
    {
        add(Err(line));
    }
    add(database(&config.database_url()).await);
    if config.mail.transport == MailTransport::Smtp {
        add(smtp(config).await);
    }
    report
}

/// Creates `dir` if needed and writes a file in it.
fn writable(name: &str, dir: &Path) -> Result<String, String> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).map_err(|e| format!("{name} {shown} cannot be created: {e}"))?;
    let probe = dir.join(format!(".agora-check-{}", std::process::id()));
    std::fs::write(&probe, b"check").map_err(|e| format!("{name} {shown} is not writable: {e}"))?;
    let _ = std::fs::remove_file(&probe);
    Ok(format!("{name} {shown} is writable"))
}

/// The key kept in the data directory, when there is one and it is too short.
fn kept_key(data_dir: &Path) -> Option<String> {
    let path = data_dir.join("secrets").join("jwt.key");
    let key = std::fs::read_to_string(&path).ok()?;
    (key.trim().len() < 32).then(|| {
        format!(
            "{} is too short to be a key (fewer than 32 bytes); remove it to have a new one made",
            path.display()
        )
    })
}

/// `url` without its password, to be printed.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// Connects, then reads which migrations were applied (without applying any).
async fn database(url: &str) -> Result<String, String> {
    let shown = redacted(url);
    // A refused port would only show as the pool's time-out: say it at once.
    if let Ok(parsed) = url::Url::parse(url)
        && parsed.scheme().starts_with("postgres")
        && let Some(host) = parsed.host_str()
    {
        let port = parsed.port().unwrap_or(5432);
        let connect = tokio::net::TcpStream::connect((host, port));
        match tokio::time::timeout(PROBE_TIMEOUT, connect).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                return Err(format!(
                    "database {shown} is unreachable: {host}:{port}: {e}"
                ));
            }
            Err(_) => {
                return Err(format!(
                    "database {shown} is unreachable: {host}:{port} does not answer within {} s",
                    PROBE_TIMEOUT.as_secs()
                ));
            }
        }
    }
    let db = match tokio::time::timeout(PROBE_TIMEOUT, agora_store::connect(url)).await {
        Ok(Ok(db)) => db,
        Ok(Err(e)) => return Err(format!("database {shown} is unreachable: {e}")),
        Err(_) => {
            return Err(format!(
                "database {shown} is unreachable: no answer within {} s",
                PROBE_TIMEOUT.as_secs()
            ));
        }
    };
    let state = tokio::time::timeout(PROBE_TIMEOUT, agora_store::db::migration_state(&db)).await;
    db.close().await.ok();
    let state = match state {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return Err(format!("database {shown}: cannot read its migrations: {e}")),
        Err(_) => {
            return Err(format!(
                "database {shown}: its migrations could not be read in time"
            ));
        }
    };
    if !state.unknown.is_empty() {
        return Err(format!(
            "database {shown} has migrations this version of Agora does not know ({}): it was used by a newer version",
            state.unknown.join(", ")
        ));
    }
    let pending = state.known - state.applied;
    Ok(if pending == 0 {
        format!(
            "database {shown} is reachable; its schema is up to date ({} migrations)",
            state.known
        )
    } else {
        format!(
            "database {shown} is reachable; {pending} of {} migrations will be applied at start",
            state.known
        )
    })
}

/// Connects to the relay (with its TLS) and says hello.
async fn smtp(config: &Config) -> Result<String, String> {
    let s = &config.mail.smtp;
    let at = format!("{}:{}", s.host, s.port);
    let mut settings = s.clone();
    settings.timeout_secs = settings.timeout_secs.clamp(1, PROBE_TIMEOUT.as_secs());
    let transport = agora_mail::Transport::smtp(&settings)
        .map_err(|e| format!("mail.smtp {at}: invalid settings: {e}"))?;
    match tokio::time::timeout(PROBE_TIMEOUT, transport.test_connection()).await {
        Ok(Ok(())) => Ok(format!("SMTP server {at} answers")),
        Ok(Err(e)) => Err(format!("SMTP server {at} (mail.smtp) is unreachable: {e}")),
        Err(_) => Err(format!(
            "SMTP server {at} (mail.smtp) is unreachable: no answer within {} s",
            PROBE_TIMEOUT.as_secs()
        )),
    }
}

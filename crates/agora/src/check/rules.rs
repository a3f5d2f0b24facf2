//! What can be judged from the values alone.

use super::Report;
use crate::config::Config;
use figment::value::Value;
use std::net::IpAddr;

/// The sections' own checks: start-up runs them too (`app::open_context`), so the two
/// never disagree. One line per problem.
pub fn sections(config: &Config) -> Vec<String> {
    let mut errors = Vec::new();
    let results = [
        config.refresh.check(),
        config.label.check(),
        config.accounts.check(),
        config.evaluations.check(),
        config.mail_settings().check(),
        config.partners.webhook_settings().map(drop),
        agora_api::client::parse_trusted(&config.trusted_proxies)
            .map(drop)
            .map_err(|e| format!("trusted_proxies: {e}")),
        // The token's strength is judged with the other secrets below.
        agora_api::telemetry::MetricsAccess::new(&config.metrics.allow, None).map(drop),
    ];
    for result in results {
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors
}

pub fn check(config: &Config, value: Option<&Value>) -> Report {
    let mut report = Report::default();
    let sections = sections(config);
    if sections.is_empty() {
        report
            .passed
            .push("settings of every section are consistent".into());
    }
    report.errors.extend(sections);
    if let Some(value) = value {
        let mut secrets = Vec::new();
        secret_values(value, &mut Vec::new(), &mut secrets);
        for (key, secret) in secrets {
            match weakness(&secret) {
                Some(why) => report.errors.push(format!(
                    "`{key}` is a weak secret: {why}; use 32 random bytes or more (e.g. `openssl rand -base64 48`)"
                )),
                None => report.passed.push(format!("`{key}` is long and varied enough")),
            }
        }
    }
    if config.auth.secret.is_none() {
        report.passed.push(
            "auth.secret unset: the key kept in <data_dir>/secrets/jwt.key is used (created at first start)"
                .into(),
        );
    }
    if !config.trusted_proxies.is_empty()
        && agora_api::client::parse_trusted(&config.trusted_proxies).is_ok()
    {
        report.passed.push(format!(
            "trusted_proxies: X-Forwarded-For believed from {}",
            config.trusted_proxies.join(", ")
        ));
    }
    if let Err(e) = std::net::ToSocketAddrs::to_socket_addrs(config.bind.as_str()) {
        report.errors.push(format!(
            "bind: {:?} is not an address to listen on: {e}",
            config.bind
        ));
    }
    let mail = config.mail_settings();
    let urls = [
        (
            "mail.base_url",
            Some(mail.base_url),
            config.mail.base_url.is_none(),
        ),
        ("mail.site_url", mail.site_url, false),
    ];
    for (name, url, derived) in urls {
        let Some(url) = url else { continue };
        // The scheme itself is the mail section's own check (in `sections`).
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            continue;
        }
        match public_url(&url) {
            Ok(()) => report.passed.push(format!("{name} {url} is a usable address")),
            Err(why) if derived => report.errors.push(format!(
                "{name} is not set, so links in mails would point to {url}, which {why}; set it to the public https address of this service"
            )),
            Err(why) => report.errors.push(format!("{name} {url:?} {why}")),
        }
    }
    report
}

/// Whether `url` can go in a mail: an absolute http(s) address, https unless it points to
/// this machine (a local try-out).
fn public_url(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("is not an absolute address ({e})"))?;
    let host = match parsed.host() {
        Some(h) => h,
        None => return Err("has no host".into()),
    };
    match parsed.scheme() {
        "https" => Ok(()),
        "http" => {
            let local = match host {
                url::Host::Domain(d) => d == "localhost" || d.ends_with(".localhost"),
                url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
                url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
            };
            if local {
                Ok(())
            } else {
                Err("must use https (plain http only for localhost)".into())
            }
        }
        other => Err(format!("must be an http(s) address, not {other}:")),
    }
}

/// Every string whose key names a secret (`secret`, `token`, `…_secret`, `…_token`), with
/// its dotted key.
fn secret_values(value: &Value, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    match value {
        Value::Dict(_, dict) => {
            for (k, v) in dict {
                path.push(k.clone());
                secret_values(v, path, out);
                path.pop();
            }
        }
        Value::String(_, s) => {
            let last = path.last().map(String::as_str).unwrap_or_default();
            let secret_like = ["secret", "token"]
                .iter()
                .any(|w| last == *w || last.ends_with(&format!("_{w}")));
            if secret_like {
                out.push((path.join("."), s.clone()));
            }
        }
        _ => {}
    }
}

/// Placeholders people leave in example files.
const PLACEHOLDERS: [&str; 12] = [
    "changeme",
    "replace-with",
    "replace_with",
    "change-me",
    "change_me",
    "replaceme",
    "replace-me",
    "replace_me",
    "placeholder",
    "your-secret",
    "your_secret",
    "example",
];

/// Why a secret is weak, if it is.
fn weakness(secret: &str) -> Option<String> {
    let lower = secret.to_ascii_lowercase();
    if let Some(p) = PLACEHOLDERS.iter().find(|p| lower.contains(*p)) {
        return Some(format!("it contains the placeholder {p:?}"));
    }
    if secret.len() < 32 {
        return Some(format!("{} bytes, fewer than 32", secret.len()));
    }
    let mut distinct: Vec<char> = secret.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 10 {
        return Some(format!(
            "only {} different characters repeated",
            distinct.len()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_secrets_are_named() {
        assert!(weakness("short").is_some());
        assert!(weakness("changeme-changeme-changeme-changeme-1234").is_some());
        assert!(weakness(&"ab".repeat(40)).is_some());
        assert!(weakness("kQ9vX2mZp7Lr4Tn8Wb1Yc6Hd3Jf5Gs0Ae").is_none());
    }

    #[test]
    fn mail_addresses_need_https_away_from_this_machine() {
        assert!(public_url("https://agora.example.org").is_ok());
        assert!(public_url("http://localhost:8080").is_ok());
        assert!(public_url("http://127.0.0.1:8080").is_ok());
        assert!(public_url("http://[::1]:8080").is_ok());
        assert!(public_url("http://agora.example.org").is_err());
        assert!(public_url("http://0.0.0.0:8080").is_err());
        assert!(public_url("agora.example.org").is_err());
        assert!(public_url("ftp://agora.example.org").is_err());
    }
}

//! Configuration: defaults that work with nothing set, overridden by a TOML file, then by
//! `AGORA_*` environment variables (nested keys with `__`, e.g. `AGORA_AUTH__ISSUER`), then
//! by command-line flags.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address the HTTP server listens on.
    pub bind: String,
    /// Where the SQLite database, secrets and (later) the search index and mail live.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; a SQLite file in `data_dir` when unset.
    pub database_url: Option<String>,
    /// HTTP worker threads; one per core when unset.
    pub workers: Option<usize>,
    /// Browser origins allowed to call the API (CORS); none by default.
    pub cors_origins: Vec<String>,
    /// Reverse proxies in front of Agora (addresses or networks): only their
    /// `Forwarded`/`X-Forwarded-For` entries are believed when limits count a client.
    pub trusted_proxies: Vec<String>,
    /// Largest JSON request body, in bytes.
    pub json_limit_bytes: usize,
    /// On SIGTERM or SIGINT: seconds requests in flight and the background work have to
    /// finish before the process gives up on them and exits non-zero.
    pub shutdown_timeout_secs: u64,
    /// Seconds between the signal and closing the listener, during which `/ready`
    /// answers 503 and requests are still served: for proxies that route by a readiness
    /// probe (Kubernetes). 0 for proxies that retry on a refused connection (nginx).
    pub shutdown_delay_secs: u64,
    pub auth: AuthConfig,
    /// When listings fall due for confirmation, turn "à actualiser", then leave results.
    pub refresh: agora_domain::RefreshSchedule,
    pub mail: MailConfig,
    pub sweep: SweepConfig,
    pub reports: ReportsConfig,
    /// The label's decision rule, rubric, panel balance and validity.
    pub label: agora_domain::label::LabelRules,
    /// Help offers: quotas, reminders, expiry, retention of health information.
    pub help: agora_service::help::HelpSettings,
    /// Verification and reset links, invitations, sign-in throttling.
    pub accounts: agora_service::accounts::AccountSettings,
    /// Partner keys' default quotas, the open reads' limit, the changes feed, webhooks.
    pub partners: PartnersConfig,
    pub log: LogConfig,
    /// Evaluations of services: rate limit, weight of new accounts, bursts held back, the
    /// minimum of answers before figures show, "contact wrong" waves.
    pub evaluations: agora_service::evaluations::EvaluationSettings,
    /// Events' speed meetings: when the six-month feedback is asked for.
    pub events: agora_service::meetings::MeetingSettings,
    /// Who may read `/metrics`.
    pub metrics: MetricsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Clients (addresses or networks) that may read `/metrics`; this machine only by
    /// default. Behind a reverse proxy, the client is the one a trusted proxy names.
    pub allow: Vec<String>,
    /// A bearer token (32 characters or more) that lets a scraper from anywhere read them.
    pub token: Option<String>,
}

impl Default for MetricsConfig {
    fn default() -> Self {
        Self {
            allow: agora_api::telemetry::MetricsAccess::LOOPBACK
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            token: None,
        }
    }
}

impl MetricsConfig {
    /// The access rule; the error names the setting.
    pub fn access(&self) -> Result<agora_api::telemetry::MetricsAccess, String> {
        agora_api::telemetry::MetricsAccess::new(&self.allow, self.token.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct PartnersConfig {
    /// Requests per minute and per day of a new key, unless given at creation.
    pub default_per_minute: u32,
    pub default_per_day: u32,
    /// Requests per minute one address may make to the API without a key or a session
    /// (0: no limit).
    pub anonymous_per_minute: u32,
    /// Days the changes feed keeps its entries; an older cursor starts from an export.
    pub changes_retention_days: u32,
    /// Networks webhooks may point to although not public (a local receiver); HTTP is
    /// accepted to them. Empty in production.
    pub webhook_allow_networks: Vec<String>,
    /// Seconds a receiver has to answer a delivery.
    pub webhook_timeout_secs: u64,
    /// Failed attempts in a row before a webhook is disabled.
    pub webhook_disable_after: u32,
}

impl Default for PartnersConfig {
    fn default() -> Self {
        let p = agora_service::partners::PartnerSettings::default();
        let w = agora_service::webhooks::WebhookSettings::default();
        Self {
            default_per_minute: p.default_per_minute,
            default_per_day: p.default_per_day,
            anonymous_per_minute: agora_api::ApiState::DEFAULT_ANONYMOUS_PER_MINUTE,
            changes_retention_days: u32::try_from(p.changes_retention.num_days()).unwrap_or(90),
            webhook_allow_networks: Vec::new(),
            webhook_timeout_secs: w.timeout.as_secs(),
            webhook_disable_after: w.disable_after,
        }
    }
}

impl PartnersConfig {
    pub fn partner_settings(&self) -> agora_service::partners::PartnerSettings {
        agora_service::partners::PartnerSettings {
            default_per_minute: self.default_per_minute.max(1),
            default_per_day: self.default_per_day.max(1),
            changes_retention: chrono::Duration::days(i64::from(
                self.changes_retention_days.max(1),
            )),
        }
    }

    pub fn webhook_settings(&self) -> Result<agora_service::webhooks::WebhookSettings, String> {
        let allow_networks = agora_api::client::parse_trusted(&self.webhook_allow_networks)
            .map_err(|e| format!("partners.webhook_allow_networks: {e}"))?;
        Ok(agora_service::webhooks::WebhookSettings {
            allow_networks,
            timeout: std::time::Duration::from_secs(self.webhook_timeout_secs.max(1)),
            disable_after: self.webhook_disable_after.max(1),
            ..agora_service::webhooks::WebhookSettings::default()
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// `.eml` files under `mail.dir`: nothing leaves the machine.
    File,
    /// The relay in `mail.smtp`.
    Smtp,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    pub transport: MailTransport,
    /// Where `file` transport writes; `<data_dir>/mail` when unset.
    pub dir: Option<PathBuf>,
    pub smtp: agora_mail::SmtpSettings,
    /// The sender, e.g. `Agora <ne-pas-repondre@agora.example.org>`.
    pub from: String,
    /// Public address of this API, for links in mail; `http://<bind>` when unset.
    pub base_url: Option<String>,
    /// Public address of the web front-end where members edit their listings; the
    /// API's own resources when unset.
    pub site_url: Option<String>,
    /// Mails sent per rolling 24 hours (all recipients together); the rest waits.
    pub daily_cap: u64,
    /// Mails one recipient may be sent per rolling 24 hours; more are held back.
    pub per_recipient_daily_cap: u64,
    /// Attempts before a mail that keeps failing temporarily is given up.
    pub max_attempts: i32,
    /// How often the dispatcher looks for mail due for a retry, in milliseconds.
    pub poll_interval_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SweepConfig {
    /// Seconds between two runs of the scheduled sweeps (reminders, freshness, expiries).
    pub interval_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsConfig {
    /// Error reports one client (account or address) may send per hour.
    pub per_client_per_hour: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        let s = agora_service::mail::MailSettings::default();
        Self {
            transport: MailTransport::File,
            dir: None,
            smtp: agora_mail::SmtpSettings::default(),
            from: s.from,
            base_url: None,
            site_url: None,
            daily_cap: s.daily_cap,
            per_recipient_daily_cap: s.per_recipient_daily_cap,
            max_attempts: s.max_attempts,
            poll_interval_ms: 5000,
        }
    }
}

impl Default for SweepConfig {
    fn default() -> Self {
        Self {
            interval_secs: 15 * 60,
        }
    }
}

impl Default for ReportsConfig {
    fn default() -> Self {
        Self {
            per_client_per_hour: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    pub issuer: String,
    pub audience: String,
    /// Access-token lifetime in seconds (at most 900).
    pub access_ttl_secs: i64,
    /// Refresh-token (session) lifetime in days.
    pub refresh_ttl_days: i64,
    /// HMAC key for access tokens (32+ bytes). When unset, a random key is generated once
    /// and kept in `<data_dir>/secrets/jwt.key`.
    pub secret: Option<String>,
    /// Threads that hash passwords (19 MiB each while they work); one per core when unset.
    pub password_workers: Option<usize>,
    /// Sign-ins and registrations waiting for a hashing thread; beyond them, 503 with
    /// `Retry-After`. Four per thread when unset.
    pub password_queue: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` for people, `json` for log collectors.
    pub format: String,
    /// A tracing filter, e.g. `info` or `agora=debug,info`; `AGORA_LOG` overrides it.
    pub level: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            workers: None,
            cors_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            json_limit_bytes: 64 * 1024,
            shutdown_timeout_secs: 30,
            shutdown_delay_secs: 0,
            auth: AuthConfig::default(),
            refresh: agora_domain::RefreshSchedule::default(),
            mail: MailConfig::default(),
            sweep: SweepConfig::default(),
            reports: ReportsConfig::default(),
            label: agora_domain::label::LabelRules::default(),
            help: agora_service::help::HelpSettings::default(),
            accounts: agora_service::accounts::AccountSettings::default(),
            partners: PartnersConfig::default(),
            log: LogConfig::default(),
            evaluations: agora_service::evaluations::EvaluationSettings::default(),
            events: agora_service::meetings::MeetingSettings::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            issuer: "agora".into(),
            audience: "agora-api".into(),
            access_ttl_secs: 900,
            refresh_ttl_days: 30,
            secret: None,
            password_workers: None,
            password_queue: None,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            format: "text".into(),
            level: "info".into(),
        }
    }
}

/// Command-line values that override every other source.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

/// Top-level keys of [`Config`], as the environment names them (lower-cased).
const SETTINGS: [&str; 22] = [
    "bind",
    "data_dir",
    "database_url",
    "workers",
    "cors_origins",
    "trusted_proxies",
    "json_limit_bytes",
    "auth",
    "refresh",
    "mail",
    "sweep",
    "reports",
    "label",
    "help",
    "accounts",
    "partners",
    "log",
    "evaluations",
    "events",
    "metrics",
    "shutdown_timeout_secs",
    "shutdown_delay_secs",
];

impl Config {
    /// Defaults, then `file` (or `./agora.toml` when present), then `AGORA_*`, then flags.
    pub fn load(file: Option<&Path>, overrides: &Overrides) -> Result<Self, Box<figment::Error>> {
        Self::sources(file, overrides).extract().map_err(Box::new)
    }

    /// The sources [`load`](Self::load) merges, in order; `check` reads them key by key.
    pub fn sources(file: Option<&Path>, overrides: &Overrides) -> Figment {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("agora.toml").exists() => {
                figment = figment.merge(Toml::file("agora.toml"))
            }
            None => {}
        }
        // Only settings are read from the environment: other AGORA_* variables (AGORA_LOG,
        // the test suite's own) are not configuration.
        let settings = Env::prefixed("AGORA_")
            .filter(|key| {
                // AGORA_LOG itself is the log filter (see logging), not the `log` table.
                let key = key.as_str().to_ascii_lowercase();
                key != "log" && SETTINGS.contains(&key.split("__").next().unwrap_or_default())
            })
            .split("__");
        figment
            .merge(settings)
            .merge(Serialized::defaults(overrides))
    }

    /// The mail settings of the use cases.
    pub fn mail_settings(&self) -> agora_service::mail::MailSettings {
        let m = &self.mail;
        agora_service::mail::MailSettings {
            from: m.from.clone(),
            base_url: m
                .base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.bind)),
            site_url: m.site_url.clone(),
            daily_cap: m.daily_cap,
            per_recipient_daily_cap: m.per_recipient_daily_cap,
            max_attempts: m.max_attempts,
        }
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.mail
            .dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("mail"))
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("agora.db").display()
            )
        })
    }
}

#[cfg(test)]
// figment's Jail dictates the closures' error type.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing() {
        let c = Config::default();
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.database_url(), "sqlite://./data/agora.db?mode=rwc");
        assert_eq!(c.auth.access_ttl_secs, 900);
    }

    #[test]
    fn file_then_environment_then_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "custom.toml",
                "bind = \"0.0.0.0:9000\"\nworkers = 3\n[auth]\nissuer = \"file\"\n",
            )?;
            jail.set_env("AGORA_AUTH__ISSUER", "env");
            jail.set_env("AGORA_DATA_DIR", "/srv/agora");
            jail.set_env("AGORA_TEST_DATABASE_URL", "postgres://not/a/setting");
            jail.set_env("AGORA_LOG", "debug");
            let flags = Overrides {
                data_dir: Some("/tmp/flag".into()),
                ..Overrides::default()
            };
            let c =
                Config::load(Some(Path::new("custom.toml")), &flags).map_err(|e| e.to_string())?;
            assert_eq!(c.bind, "0.0.0.0:9000");
            assert_eq!(c.workers, Some(3));
            assert_eq!(c.auth.issuer, "env");
            assert_eq!(c.data_dir, PathBuf::from("/tmp/flag"));
            Ok(())
        });
    }

    #[test]
    fn metrics_access_is_checked() {
        let c = Config::default();
        assert_eq!(c.metrics.allow, ["127.0.0.1/32", "::1/128"]);
        assert!(c.metrics.access().is_ok());
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "metrics.toml",
                "[metrics]\nallow = [\"10.0.0.0/8\"]\ntoken = \"too short\"\n",
            )?;
            let c = Config::load(Some(Path::new("metrics.toml")), &Overrides::default())
                .map_err(|e| e.to_string())?;
            assert_eq!(c.metrics.allow, ["10.0.0.0/8"]);
            let e = c.metrics.access().unwrap_err();
            assert!(e.starts_with("metrics.token"), "{e}");
            jail.create_file("typo.toml", "[metrics]\nallowed = [\"10.0.0.0/8\"]\n")?;
            assert!(Config::load(Some(Path::new("typo.toml")), &Overrides::default()).is_err());
            jail.set_env("AGORA_METRICS__TOKEN", "x".repeat(32));
            let c = Config::load(None, &Overrides::default()).map_err(|e| e.to_string())?;
            assert!(c.metrics.access().is_ok());
            Ok(())
        });
    }

    #[test]
    fn unknown_keys_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "bnid = \"0.0.0.0:9000\"\n")?;
            assert!(Config::load(Some(Path::new("bad.toml")), &Overrides::default()).is_err());
            Ok(())
        });
    }
}

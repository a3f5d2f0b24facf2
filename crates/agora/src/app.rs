//! Start-up: configuration in, a running server out. Shared by `agora serve` and the
//! end-to-end tests, so the tests exercise the real thing.

use crate::config::{Config, MailTransport};
use agora_api::ApiState;
use agora_domain::Clock;
use agora_service::tokens::{TokenConfig, generate_secret};
use agora_service::{Context, Settings};
use anyhow::Context as _;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

/// Opens the service as configured: data directory, database (migrated), secrets.
pub async fn open_context(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Context> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let secret = match &config.auth.secret {
        Some(s) => s.clone(),
        None => load_or_create_secret(&config.data_dir)?,
    };
    let tokens = TokenConfig {
        secret: secret.into_bytes(),
        issuer: config.auth.issuer.clone(),
        audience: config.auth.audience.clone(),
        access_ttl_secs: config.auth.access_ttl_secs,
    };
    let mail = config.mail_settings();
    let problems = crate::check::sections(config);
    anyhow::ensure!(
        problems.is_empty(),
        "invalid configuration: {}",
        problems.join("; ")
    );
    let settings = Settings {
        refresh_ttl: chrono::Duration::days(config.auth.refresh_ttl_days.max(1)),
        refresh: config.refresh.clone(),
        mail,
        reports_per_client_per_hour: config.reports.per_client_per_hour.max(1),
        label: config.label.clone(),
        help: config.help.clone(),
        passwords: password_pool(&config.auth),
        accounts: config.accounts.clone(),
        partners: config.partners.partner_settings(),
        webhooks: config
            .partners
            .webhook_settings()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?,
        evaluations: config.evaluations.clone(),
        meetings: config.events.clone(),
    };
    agora_service::bootstrap::open(&config.database_url(), tokens, settings, clock)
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database: {e}"))
}

/// The password pool's size: one thread per core and four waiting per thread unless
/// configured.
fn password_pool(auth: &crate::config::AuthConfig) -> agora_service::passwords::PoolSize {
    let default = agora_service::passwords::PoolSize::default();
    let workers = auth.password_workers.unwrap_or(default.workers).max(1);
    agora_service::passwords::PoolSize {
        workers,
        queue: auth.password_queue.unwrap_or(4 * workers),
    }
}

/// The work an instance does besides answering requests: stopped at a safe point by
/// [`Background::stop`], aborted where it stands when dropped.
pub struct Background {
    /// Keeps the search index following the change log.
    pub follower: tokio::task::JoinHandle<()>,
    /// Sends queued mail.
    pub dispatcher: tokio::task::JoinHandle<()>,
    /// Runs the scheduled sweeps.
    pub scheduler: tokio::task::JoinHandle<()>,
    /// Delivers partners' webhooks.
    pub webhooks: tokio::task::JoinHandle<()>,
    stopper: agora_service::shutdown::Stopper,
}

impl Background {
    /// Asks every task to stop at its next safe point and waits for each: the index
    /// applies what the change log holds and commits, the mail being handed to the server
    /// is finished and the rest stays queued, a sweep or a webhook delivery under way is
    /// finished. The caller bounds the wait.
    pub async fn stop(&mut self) {
        self.stopper.stop();
        for (name, task) in [
            ("search index follower", &mut self.follower),
            ("mail dispatcher", &mut self.dispatcher),
            ("scheduler", &mut self.scheduler),
            ("webhook dispatcher", &mut self.webhooks),
        ] {
            let started = std::time::Instant::now();
            match task.await {
                Ok(()) => tracing::info!(
                    task = name,
                    ms = started.elapsed().as_millis() as u64,
                    "background task stopped"
                ),
                Err(e) => tracing::warn!(task = name, error = %e, "background task ended badly"),
            }
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        self.follower.abort();
        self.dispatcher.abort();
        self.scheduler.abort();
        self.webhooks.abort();
    }
}

/// The mail transport configured.
pub fn mail_transport(config: &Config) -> anyhow::Result<agora_mail::Transport> {
    let transport = match config.mail.transport {
        MailTransport::File => agora_mail::Transport::files(&config.mail_dir()),
        MailTransport::Smtp => agora_mail::Transport::smtp(&config.mail.smtp),
    };
    transport.map_err(|e| anyhow::anyhow!("invalid mail configuration: {e}"))
}

/// Opens the service and this instance's search index (rebuilt or brought up to date),
/// and starts the background work: the index following the change log, the mail
/// dispatcher and the scheduled sweeps.
pub async fn prepare(
    config: &Config,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<(Context, Background)> {
    let mut ctx = open_context(config, clock).await?;
    let transport = mail_transport(config)?;
    let index = agora_service::search::open(&ctx, search_dir(config))
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the search index: {e}"))?;
    ctx.search = Some(index.clone());
    let (stopper, stop) = agora_service::shutdown::channel();
    let follower = tokio::spawn(agora_service::search::follow(
        ctx.clone(),
        index,
        stop.clone(),
    ));
    let dispatcher = tokio::spawn(agora_service::mail::run_dispatcher(
        ctx.clone(),
        transport,
        std::time::Duration::from_millis(config.mail.poll_interval_ms.max(50)),
        stop.clone(),
    ));
    let scheduler = tokio::spawn(agora_service::schedule::run_scheduler(
        ctx.clone(),
        std::time::Duration::from_secs(config.sweep.interval_secs.max(1)),
        stop.clone(),
    ));
    let webhooks = tokio::spawn(agora_service::webhooks::run_dispatcher(
        ctx.clone(),
        std::time::Duration::from_secs(30),
        stop,
    ));
    Ok((
        ctx,
        Background {
            follower,
            dispatcher,
            scheduler,
            webhooks,
            stopper,
        },
    ))
}

/// Where this instance keeps its search index.
pub fn search_dir(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("search-index")
}

/// The token key kept in the data directory, created on first start.
fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<String> {
    let dir = data_dir.join("secrets");
    let path = dir.join("jwt.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let key = existing.trim().to_owned();
        anyhow::ensure!(
            key.len() >= 32,
            "{} is too short to be a key",
            path.display()
        );
        return Ok(key);
    }
    std::fs::create_dir_all(&dir)?;
    let key = generate_secret();
    write_private(&path, &key).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

/// A bound, not yet running HTTP server.
pub struct Application {
    port: u16,
    server: actix_web::dev::Server,
    stopping: Arc<std::sync::atomic::AtomicBool>,
}

impl Application {
    /// Binds `config.bind` (port 0 picks a free port) and prepares the server.
    pub fn build(config: &Config, ctx: Context) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("cannot listen on {}", config.bind))?;
        let port = listener.local_addr()?.port();
        let mut state = ApiState::new(ctx);
        state.json_limit = config.json_limit_bytes;
        state.cors_origins = config.cors_origins.clone();
        state.anonymous_limit = Arc::new(agora_api::quota::AnonymousLimit::new(
            config.partners.anonymous_per_minute,
        ));
        state.trusted_proxies = agora_api::client::parse_trusted(&config.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        state.metrics = config
            .metrics
            .access()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        let workers = config
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
        let proxies = state.trusted_proxies.clone();
        let web_state = actix_web::web::Data::new(agora_web::WebState {
            ctx: state.ctx.clone(),
            client_address: std::sync::Arc::new(move |req: &actix_web::HttpRequest| {
                agora_api::client::client_address(
                    req.peer_addr().map(|a| a.ip()),
                    req.headers(),
                    &proxies,
                )
            }),
        });
        let site = agora_api::Site {
            configure: std::sync::Arc::new(agora_web::configure(web_state)),
            not_found: agora_web::not_found,
        };
        let stopping = state.stopping.clone();
        let server = agora_api::serve_with_shutdown(
            state,
            Some(site),
            listener,
            workers,
            config.shutdown_timeout_secs,
        )?;
        Ok(Self {
            port,
            server,
            stopping,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Raised when the server is asked to stop (`/ready` answers 503 from then on).
    pub fn stopping(&self) -> Arc<std::sync::atomic::AtomicBool> {
        self.stopping.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

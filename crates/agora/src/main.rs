//! The `agora` command line.

mod backup_cli;
mod partner_cli;

use agora::app::{Application, open_context, prepare, search_dir};
use agora::config::{Config, Overrides};
use agora::{demo, logging};
use agora_domain::{PlatformRole, SystemClock};
use agora_service::accounts::{self, RegisterInput};
use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

mod export;

#[derive(Parser)]
#[command(
    name = "agora",
    version,
    about = "Agora: the directory and matchmaking service of the French cancer-support ecosystem"
)]
struct Cli {
    /// TOML configuration file (default: ./agora.toml when present).
    #[arg(long, global = true, env = "AGORA_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory: SQLite database, secrets (default: ./data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL, `sqlite://…` or `postgres://…` (default: a SQLite file in the data directory).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the HTTP server (migrations are applied first).
    Serve {
        /// Address to listen on (default: 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
        /// Loads the demo data set first (once) and prints the demo accounts.
        #[arg(long)]
        demo: bool,
    },
    /// Applies pending database migrations.
    Migrate,
    /// Loads the demo data set (once).
    SeedDemo,
    /// Manages accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Rebuilds this instance's search index from the database.
    Reindex,
    /// Runs the scheduled sweeps once (refresh reminders, "à actualiser", hiding,
    /// expiries), then sends the mail they queued. `agora serve` runs them on a schedule.
    Sweep {
        /// Run as of this moment (RFC 3339, e.g. 2027-06-01T09:00:00Z) instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Only print what would be done; change nothing, send nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The mail queue.
    Mail {
        #[command(subcommand)]
        action: MailCommand,
    },
    /// Partner sites' API keys.
    Partner {
        #[command(subcommand)]
        action: partner_cli::PartnerCommand,
    },
    /// French geography.
    Geo {
        #[command(subcommand)]
        action: GeoCommand,
    },
    /// Writes the open-data files of the public directory: data·inclusion, HSDS, CSV.
    Export(export::ExportArgs),
    /// Imports a register into the moderation queue (never straight to the public).
    Import {
        #[command(subcommand)]
        action: agora::import::ImportCommand,
    },
    /// Writes a consistent copy of this installation (SQLite database, secrets, mail
    /// files) to one archive, while the server runs. On PostgreSQL: pg_dump (README).
    Backup {
        /// The archive to write (tar + zstd; never overwritten).
        #[arg(long)]
        to: PathBuf,
    },
    /// Brings a backup back into a stopped, empty data directory (--data-dir) and checks
    /// it; the search index is rebuilt at the next `agora serve`.
    Restore {
        /// The archive written by `agora backup`.
        #[arg(long)]
        from: PathBuf,
    },
    /// Prints the OpenAPI document of the API.
    Openapi {
        /// Writes it to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Checks the configuration (file, AGORA_* variables, flags) and what it points to:
    /// unknown keys, weak secrets, addresses in mails, the data directory, the database,
    /// the SMTP relay. One line per problem; exits 1 when there is any. `agora serve`
    /// runs the same checks and refuses to start on the same problems.
    CheckConfig,
    /// Asks a running instance whether it is ready (GET /ready): exits 0 when it is, 1
    /// otherwise. For container health checks, where no HTTP client is installed.
    Healthcheck {
        /// The address to ask (default: http://127.0.0.1:<port of bind>/ready).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// How many mails are queued, sent, failed…
    Status,
    /// Sends the mail that is due now (what `agora serve` does continuously).
    Send,
}

#[derive(Subcommand)]
enum GeoCommand {
    /// Imports commune centroids from the official "communes-departement-region" file
    /// (`;`-separated, with latitude and longitude), so that communes, postcodes and
    /// zones drawn as discs have a position. The search index is rebuilt at next start.
    Import {
        /// The CSV file.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates a verified account, with a platform role or a plain one; the password is
    /// read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// moderator, committee or admin; a plain account without it.
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Grants a platform role (or `none` to remove it).
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
        /// For the label committee: patient, caregiver or professional.
        #[arg(long)]
        seat: Option<String>,
    },
    /// Disables an account and ends its sessions.
    Disable {
        #[arg(long)]
        email: String,
    },
}

/// A use case's refusal, worded for the command line.
fn explain(err: agora_service::ServiceError) -> anyhow::Error {
    match err {
        agora_service::ServiceError::Validation(errors) => {
            let lines: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("  {}: {}", e.pointer.trim_start_matches('/'), e.detail))
                .collect();
            anyhow::anyhow!("invalid input:\n{}", lines.join("\n"))
        }
        other => anyhow::anyhow!("{other}"),
    }
}

fn parse_role(role: &str) -> anyhow::Result<Option<PlatformRole>> {
    if role == "none" {
        return Ok(None);
    }
    PlatformRole::parse(role)
        .map(Some)
        .with_context(|| format!("unknown role `{role}`: moderator, committee or admin"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let bind = match &cli.command {
        Command::Serve { bind, .. } => bind.clone(),
        _ => None,
    };
    let overrides = Overrides {
        bind,
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
    };
    match &cli.command {
        Command::CheckConfig => {
            let (_, report) = agora::check::run(cli.config.as_deref(), &overrides).await;
            for line in &report.passed {
                println!("ok: {line}");
            }
            if !report.is_ok() {
                report.print_errors("fix them before starting Agora");
                std::process::exit(1);
            }
            println!("configuration OK");
            return Ok(());
        }
        Command::Serve { .. } => {
            let (_, report) = agora::check::run(cli.config.as_deref(), &overrides).await;
            if !report.is_ok() {
                report.print_errors("Agora does not start (details: agora check-config)");
                std::process::exit(1);
            }
        }
        _ => {}
    }
    let config =
        Config::load(cli.config.as_deref(), &overrides).context("invalid configuration")?;
    if let Command::Healthcheck { url } = &cli.command {
        let url = url
            .clone()
            .unwrap_or_else(|| agora::healthcheck::default_url(&config.bind));
        match agora::healthcheck::probe(&url) {
            Ok(status) => println!("{status}"),
            Err(why) => {
                eprintln!("not ready: {why}");
                std::process::exit(1);
            }
        }
        return Ok(());
    }
    logging::init(&config.log);

    if let Command::Openapi { output } = &cli.command {
        let json = agora_api::openapi().to_pretty_json()?;
        match output {
            Some(path) => std::fs::write(path, json + "\n")?,
            None => println!("{json}"),
        }
        return Ok(());
    }

    match &cli.command {
        Command::Backup { to } => backup_cli::exit_on_error(backup_cli::backup(&config, to).await),
        Command::Restore { from } => {
            backup_cli::exit_on_error(backup_cli::restore(&config, from).await)
        }
        _ => {}
    }

    if let Command::Serve { demo, .. } = &cli.command {
        if *demo {
            load_demo(&open_context(&config, Arc::new(SystemClock)).await?).await?;
        }
        let (ctx, background) = prepare(&config, Arc::new(SystemClock)).await?;
        std::thread::spawn(agora_web::warm);
        let app = Application::build(&config, ctx)?;
        let port = app.port();
        let host = config.bind.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
        tracing::info!(%port, "listening");
        println!(
            "Agora is listening on http://{host}:{port}  (API: /api/v1, documentation: /docs/)"
        );
        println!("Open the portal in a browser: http://{host}:{port}/");
        let status = agora::graceful::serve(
            app,
            background,
            std::time::Duration::from_secs(config.shutdown_delay_secs),
            std::time::Duration::from_secs(config.shutdown_timeout_secs.max(1)),
        )
        .await?;
        if status != 0 {
            std::process::exit(status);
        }
        return Ok(());
    }

    let clock: Arc<dyn agora_domain::Clock> = match &cli.command {
        Command::Sweep { at: Some(at), .. } => {
            let at = chrono::DateTime::parse_from_rfc3339(at)
                .with_context(|| format!("--at {at}: not an RFC 3339 time"))?;
            Arc::new(agora_domain::ManualClock::new(
                at.with_timezone(&chrono::Utc),
            ))
        }
        _ => Arc::new(SystemClock),
    };
    let ctx = open_context(&config, clock).await?;
    match cli.command {
        Command::Sweep { dry_run, .. } => sweep(&ctx, &config, dry_run).await?,
        Command::Mail {
            action: MailCommand::Status,
        } => {
            for (state, n) in agora_service::mail::queue_counts(&ctx)
                .await
                .map_err(explain)?
            {
                println!("{state:<10} {n}");
            }
        }
        Command::Mail {
            action: MailCommand::Send,
        } => send_mail(&ctx, &config).await?,
        Command::Migrate => println!("Database schema is up to date."),
        Command::SeedDemo => load_demo(&ctx).await?,
        Command::Partner { action } => partner_cli::run(&ctx, action).await?,
        Command::User { action } => match action {
            UserCommand::Create {
                email,
                role,
                display_name,
                password_stdin,
            } => {
                if !password_stdin {
                    bail!("pass --password-stdin and give the password on standard input");
                }
                let mut password = String::new();
                std::io::stdin().read_to_string(&mut password)?;
                let password = password.trim_end_matches(['\r', '\n']).to_owned();
                let role = match role {
                    Some(r) => parse_role(&r)?,
                    None => None,
                };
                let display_name = display_name
                    .unwrap_or_else(|| email.split('@').next().unwrap_or("user").to_owned());
                let user = accounts::create_user(
                    &ctx,
                    RegisterInput {
                        email,
                        password,
                        display_name,
                    },
                    role,
                )
                .await
                .map_err(explain)?;
                match user.role {
                    Some(r) => println!(
                        "Created {} ({}) with role {}; it can sign in.",
                        user.email,
                        user.id,
                        r.as_str()
                    ),
                    None => println!(
                        "Created {} ({}), a plain account; it can sign in.",
                        user.email, user.id
                    ),
                }
            }
            UserCommand::SetRole { email, role, seat } => {
                let role = parse_role(&role)?;
                let seat = match seat.as_deref() {
                    None => None,
                    Some(s) => Some(agora_domain::label::Seat::parse(s).with_context(|| {
                        format!("unknown seat `{s}`: patient, caregiver or professional")
                    })?),
                };
                if seat.is_some() && role != Some(PlatformRole::Committee) {
                    bail!("--seat is for the committee role");
                }
                let user = accounts::set_role(&ctx, &email, role)
                    .await
                    .map_err(explain)?;
                agora_service::label::set_seat(&ctx, &email, seat)
                    .await
                    .map_err(explain)?;
                println!(
                    "{} now has role {:?}.",
                    user.email,
                    user.role.map(PlatformRole::as_str)
                );
            }
            UserCommand::Disable { email } => {
                accounts::disable(&ctx, &email).await.map_err(explain)?;
                println!("{email} is disabled; its sessions are ended.");
            }
        },
        Command::Reindex => reindex(&ctx, &config).await?,
        Command::Export(args) => export::run(&ctx, args).await?,
        Command::Import { action } => agora::import::run(&ctx, action).await?,
        Command::Geo {
            action: GeoCommand::Import { file },
        } => {
            let opened = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let report = agora_service::geography::import_centroids(&ctx, opened)
                .await
                .map_err(explain)?;
            println!(
                "{} rows read: {} matched by code or postcode and name, {} by a former commune's name, {} unmatched, {} without coordinates.",
                report.rows,
                report.matched,
                report.matched_by_former_name,
                report.unmatched,
                report.without_coordinates
            );
            println!(
                "{} of {} communes now have a position.",
                report.communes_with_centroid, report.communes_total
            );
            println!(
                "Each instance rebuilds its search index with them when it next starts (or run `agora reindex`)."
            );
        }
        // Handled before the service is opened.
        Command::Serve { .. }
        | Command::Openapi { .. }
        | Command::CheckConfig
        | Command::Healthcheck { .. }
        | Command::Backup { .. }
        | Command::Restore { .. } => {}
    }
    Ok(())
}

async fn sweep(ctx: &agora_service::Context, config: &Config, dry_run: bool) -> anyhow::Result<()> {
    let Some(report) = agora_service::schedule::run_sweeps(ctx, dry_run)
        .await
        .map_err(explain)?
    else {
        println!("Another instance is running the sweeps right now; nothing done.");
        return Ok(());
    };
    let verb = if dry_run { "would be" } else { "were" };
    println!("Sweep as of {}:", report.at.to_rfc3339());
    for step in &report.steps {
        let what = match (step.action, step.step) {
            ("remind", Some(n)) => format!("reminder {n}"),
            ("hide", _) => "hidden from public results".into(),
            ("mark_stale", _) => "marked « à actualiser »".into(),
            (other, _) => other.into(),
        };
        println!(
            "  {:<9} {}  {}: {what}",
            step.kind.as_str(),
            step.id,
            step.name
        );
    }
    println!(
        "{} listings {verb} reminded, {} marked « à actualiser », {} hidden; {} mails queued; {} expired links purged.",
        report.reminded,
        report.marked_stale,
        report.hidden,
        report.mails_queued,
        report.links_purged
    );
    if !dry_run {
        println!(
            "Labels: {} holders invited to a re-evaluation, {} labels ended.",
            report.labels_reminded, report.labels_expired
        );
        send_mail(ctx, config).await?;
    }
    Ok(())
}

async fn send_mail(ctx: &agora_service::Context, config: &Config) -> anyhow::Result<()> {
    let transport = agora::app::mail_transport(config)?;
    let r = agora_service::mail::dispatch_once(ctx, &transport)
        .await
        .map_err(explain)?;
    println!(
        "Mail: {} sent, {} to retry, {} failed{}.",
        r.sent,
        r.retried,
        r.failed,
        if r.capped { " (daily cap reached)" } else { "" }
    );
    Ok(())
}

async fn reindex(ctx: &agora_service::Context, config: &Config) -> anyhow::Result<()> {
    let (index, _) = agora_search::SearchIndex::open_or_create(&search_dir(config))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    index.set_points(ctx.geography.points.clone());
    let index = Arc::new(index);
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} indexing [{bar:40}] {pos}/{len} listings ({per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let n = agora_service::search::rebuild(ctx, &index, |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })
    .await
    .map_err(explain)?;
    bar.finish_and_clear();
    println!(
        "Indexed {n} published listings in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn load_demo(ctx: &agora_service::Context) -> anyhow::Result<()> {
    match demo::seed(ctx).await.map_err(|e| {
        anyhow::anyhow!(
            "loading the demo data failed ({e}); remove the data directory and start again"
        )
    })? {
        demo::Seeded::Loaded { published, pending } => {
            println!(
                "Demo data loaded: {published} published listings, {pending} waiting for moderation."
            );
        }
        demo::Seeded::AlreadyThere => println!("Demo data already loaded."),
    }
    println!("Demo accounts:");
    for a in demo::accounts() {
        println!("  {:<32} {:<24} {}", a.email, a.password, a.role);
    }
    println!(
        "Demo partner key (header X-API-Key, every scope): {}",
        demo::DEMO_PARTNER_KEY
    );
    Ok(())
}

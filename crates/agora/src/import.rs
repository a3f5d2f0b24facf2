//! `agora import`: registers into the moderation queue, with a progress bar on standard
//! error and the report on standard output.

use agora_service::imports::{self, ImportReport};
use anyhow::Context as _;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Associations of the RNA open-data file (rna_waldec_*.csv, Latin-1 or UTF-8): the
    /// active ones become structures waiting for moderation. Declarants' and directors'
    /// personal fields are never read.
    Rna {
        /// The CSV file.
        file: PathBuf,
        /// Only associations whose seat is in this département (repeat, or separate by
        /// commas: --dept 25,39).
        #[arg(long = "dept", value_delimiter = ',')]
        departements: Vec<String>,
        /// Only associations whose object (or name) has this word or phrase, accents and
        /// case ignored (repeat for any of several).
        #[arg(long = "objet")]
        words: Vec<String>,
        /// Read and check the file, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Structures and services in the data·inclusion schema (v1), a JSON array or JSON
    /// lines, in one file or several: they wait for moderation as Agora structures and
    /// services.
    DataInclusion {
        /// The JSON file(s).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read and check the files, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn mode(dry_run: bool) -> imports::Mode {
    if dry_run {
        imports::Mode::DryRun
    } else {
        imports::Mode::Write
    }
}

/// A refusal of the whole file, in words.
fn explain(err: agora_service::ServiceError) -> anyhow::Error {
    match err {
        agora_service::ServiceError::Validation(errors) => anyhow::anyhow!(
            "{}",
            errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.pointer.trim_start_matches('/'), e.detail))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}

fn bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

pub async fn run(ctx: &agora_service::Context, command: ImportCommand) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let report = match command {
        ImportCommand::Rna {
            file,
            departements,
            words,
            dry_run,
        } => {
            let opened = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let size = opened.metadata().map(|m| m.len()).unwrap_or(0);
            let bar = bar(size);
            let filters = imports::rna::RnaFilters {
                departements,
                words,
            };
            let report = imports::rna::import(ctx, opened, filters, mode(dry_run), &|n| {
                bar.set_position(n)
            })
            .await
            .map_err(explain)?;
            bar.finish_and_clear();
            report
        }
        ImportCommand::DataInclusion { files, dry_run } => {
            let size: u64 = files
                .iter()
                .filter_map(|f| std::fs::metadata(f).ok())
                .map(|m| m.len())
                .sum();
            // Each file is read twice: structures, then services.
            let bar = bar(size * 2);
            let report = imports::data_inclusion::import(ctx, files, mode(dry_run), &|n| {
                bar.set_position(n)
            })
            .await
            .map_err(explain)?;
            bar.finish_and_clear();
            report
        }
    };
    print!("{}", render(&report, started.elapsed()));
    Ok(())
}

/// The report as the operator reads it.
pub fn render(r: &ImportReport, took: std::time::Duration) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let secs = took.as_secs_f64();
    let _ = writeln!(
        out,
        "{} read in {secs:.1} s{}: {} kept, {} created, {} updated, {} unchanged, {} skipped, {} invalid.",
        r.read,
        r.encoding.map(|e| format!(" ({e})")).unwrap_or_default(),
        r.kept,
        r.created,
        r.updated,
        r.unchanged,
        r.skipped_total(),
        r.invalid
    );
    if r.created + r.updated > 0 {
        let _ = writeln!(
            out,
            "They wait in the moderation queue; nothing is public until a moderator approves it."
        );
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(out, "Skipped:");
        for (reason, s) in &r.skipped {
            let examples = if s.examples.is_empty() {
                String::new()
            } else {
                format!(" (e.g. {})", s.examples.join(", "))
            };
            let _ = writeln!(out, "  {:>8}  {reason}{examples}", s.count);
        }
    }
    if r.invalid > 0 {
        let listed = r.invalid_rows.len() as u64;
        let more = if r.invalid > listed {
            format!(" (the first {listed})")
        } else {
            String::new()
        };
        let _ = writeln!(out, "Invalid{more}:");
        for row in &r.invalid_rows {
            let _ = writeln!(out, "  line {}: {}", row.line, row.reason);
        }
    }
    if !r.unmapped.is_empty() {
        let _ = writeln!(out, "Not mapped to Agora (left out):");
        for (value, n) in &r.unmapped {
            let _ = writeln!(out, "  {n:>8}  {value}");
        }
    }
    out
}

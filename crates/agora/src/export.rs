//! `agora export`: the open-data files of the public directory, for a data portal.

use agora_service::Context;
use agora_service::exports::{Counts, Encoding, Exporter, Format};
use anyhow::{Context as _, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Every file below.
    All,
    /// data·inclusion schema v1: structures and services (two files).
    DataInclusion,
    DataInclusionStructures,
    DataInclusionServices,
    /// Open Referral HSDS 3.0: organizations and services (two files).
    Hsds,
    HsdsOrganizations,
    HsdsServices,
    /// One row per public listing, for French spreadsheets.
    Csv,
}

impl What {
    fn formats(self) -> Vec<Format> {
        match self {
            Self::All => Format::ALL.to_vec(),
            Self::DataInclusion => vec![
                Format::DataInclusionStructures,
                Format::DataInclusionServices,
            ],
            Self::DataInclusionStructures => vec![Format::DataInclusionStructures],
            Self::DataInclusionServices => vec![Format::DataInclusionServices],
            Self::Hsds => vec![Format::HsdsOrganizations, Format::HsdsServices],
            Self::HsdsOrganizations => vec![Format::HsdsOrganizations],
            Self::HsdsServices => vec![Format::HsdsServices],
            Self::Csv => vec![Format::Csv],
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// What to export.
    #[arg(value_enum, default_value_t = What::All)]
    what: What,
    /// Directory the files are written to, under their standard names
    /// (data-inclusion-structures.json, hsds-services.json, agora-fiches.csv…).
    #[arg(long, conflicts_with = "output")]
    to: Option<PathBuf>,
    /// The file to write, for one file only (`-` for standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// JSON lines (one item per line) instead of a JSON array.
    #[arg(long)]
    jsonl: bool,
}

/// Writes one export to `path` through a temporary file renamed at the end, so that a
/// portal serving the directory never serves half a file.
async fn to_file(exporter: Exporter, path: &Path) -> anyhow::Result<Counts> {
    let partial = path.with_extension("partial");
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut sink = std::io::BufWriter::new(file);
    let counts = exporter
        .write_to(&mut sink)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"));
    let counts = match counts {
        Ok(c) => c,
        Err(e) => {
            drop(sink);
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    drop(sink);
    std::fs::rename(&partial, path)
        .with_context(|| format!("cannot move {} to {}", partial.display(), path.display()))?;
    Ok(counts)
}

fn report(name: &str, counts: Counts, started: std::time::Instant) {
    let skipped = if counts.skipped > 0 {
        format!(
            " ({} left out: their structure is not public)",
            counts.skipped
        )
    } else {
        String::new()
    };
    eprintln!(
        "{name}: {} items{skipped}, {:.1} MB in {:.1} s",
        counts.items,
        counts.bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}

pub async fn run(ctx: &Context, args: ExportArgs) -> anyhow::Result<()> {
    let encoding = if args.jsonl {
        Encoding::JsonLines
    } else {
        Encoding::JsonArray
    };
    let formats = args.what.formats();
    if let Some(output) = &args.output {
        let [format] = formats[..] else {
            bail!("--output writes one file: name one (csv, hsds-services…), or use --to DIR");
        };
        let started = std::time::Instant::now();
        let exporter = Exporter::new(ctx, format, encoding);
        let counts = if output == Path::new("-") {
            let mut out = std::io::stdout().lock();
            let counts = exporter
                .write_to(&mut out)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            out.flush()?;
            counts
        } else {
            to_file(exporter, output).await?
        };
        report(&output.display().to_string(), counts, started);
        return Ok(());
    }
    let Some(dir) = &args.to else {
        bail!("say where: --to DIR (every file of the choice) or --output FILE (one file)");
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for format in formats {
        let started = std::time::Instant::now();
        let path = dir.join(format.file_name(encoding));
        let counts = to_file(Exporter::new(ctx, format, encoding), &path).await?;
        report(&path.display().to_string(), counts, started);
    }
    Ok(())
}

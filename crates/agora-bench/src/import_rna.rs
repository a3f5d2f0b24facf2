//! `agora-bench import-rna`: the import rate of a synthetic RNA file (the `rna_waldec`
//! layout, Latin-1) through the real `agora import rna`, beside a baseline measured in the
//! same run on the same file: `--dry-run`, which reads, decodes and checks every row and
//! writes nothing. Peak memory is the process's high-water mark.

use crate::process::{Agora, built_binary};
use anyhow::Context as _;
use clap::Args;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Clone)]
pub struct ImportRnaArgs {
    /// Rows of the generated file.
    #[arg(long, default_value_t = 100_000)]
    rows: usize,
    /// The `agora` binary (by default, the one next to this program).
    #[arg(long)]
    agora: Option<PathBuf>,
    /// Where the file and the data directory go (a temporary directory by default).
    #[arg(long)]
    work_dir: Option<PathBuf>,
    /// An empty PostgreSQL database (it is migrated and filled) to import into as well.
    #[arg(long, env = "AGORA_BENCH_IMPORT_DATABASE_URL")]
    pg: Option<String>,
    #[arg(long, default_value_t = 20_261_202)]
    seed: u64,
    /// Only the baseline (reading and checking): for files too large to import here.
    #[arg(long)]
    baseline_only: bool,
}

const HEADER: &str = "id;id_ex;siret;rup_mi;gestion;date_creat;date_decla;date_publi;date_disso;nature;groupement;titre;titre_court;objet;objet_social1;objet_social2;adrs_complement;adrs_numvoie;adrs_repetition;adrs_typevoie;adrs_libvoie;adrs_distrib;adrs_codeinsee;adrs_codepostal;adrs_libcommune;adrg_declarant;adrg_complemid;adrg_complemgeo;adrg_libvoie;adrg_distrib;adrg_codepostal;adrg_achemine;adrg_pays;dir_civilite;siteweb;publiweb;observation;position;maj_time";

const OBJETS: [&str; 6] = [
    "soutenir les personnes atteintes d'un cancer et leurs proches, organiser des groupes de parole et des ateliers de soins de support",
    "pratique du football en loisir et en compétition pour les jeunes du quartier",
    "favoriser l'entraide entre les habitants, organiser des fêtes de quartier et des sorties culturelles",
    "promouvoir l'activité physique adaptée pour les personnes malades, en lien avec les équipes soignantes",
    "défendre le patrimoine bâti de la commune et faire connaître son histoire",
    "accompagner le retour à l'emploi des personnes éloignées du travail après une longue maladie",
];

/// Writes a file of `rows` associations (one in ten dissolved), Latin-1, `\r\n` lines.
fn generate(path: &std::path::Path, rows: usize, seed: u64) -> anyhow::Result<u64> {
    let communes: Vec<&agora_geo::Commune> = agora_geo::communes()
        .iter()
        .filter(|c| c.parent_code.is_none() && !c.postcodes.is_empty())
        .collect();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(HEADER.as_bytes())?;
    out.write_all(b"\r\n")?;
    for i in 0..rows {
        let c = communes[rng.random_range(0..communes.len())];
        let dissolved = rng.random_ratio(1, 10);
        let objet = OBJETS[rng.random_range(0..OBJETS.len())];
        let line = format!(
            "W{dept}{i:07};;;;{dept}1P;2012-03-14;2019-05-02;2012-04-01;{disso};D;S;ASSOCIATION {name} N°{i};ASSO {i};{objet};007010;000000;;{num};;RUE;de la République;_;{code};{postcode};{commune};Déclarant;;;7 rue des Lilas;;{postcode};{upper};FRANCE;PM;;0;;{position};2024-05-21 10:08:40\r\n",
            dept = &c.code[..2],
            disso = if dissolved {
                "2021-03-15"
            } else {
                "0001-01-01"
            },
            position = if dissolved { "D" } else { "A" },
            name = c.name.to_uppercase(),
            num = rng.random_range(1..200),
            code = c.code,
            postcode = c.postcodes[0],
            commune = c.name,
            upper = c.name.to_uppercase(),
        );
        // Latin-1, as the register's files long were; characters outside it become '?'.
        let bytes: Vec<u8> = line
            .chars()
            .map(|ch| u8::try_from(u32::from(ch)).unwrap_or(b'?'))
            .collect();
        out.write_all(&bytes)?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(
        || "?".into(),
        |b| format!("{:.0} MiB", b as f64 / 1048576.0),
    )
}

fn line(what: &str, rows: usize, took: Duration, peak: Option<u64>, summary: &str) {
    println!(
        "  {what:<34} {:>8.1} s  {:>9.0} rows/s  peak RSS {:>8}   {summary}",
        took.as_secs_f64(),
        rows as f64 / took.as_secs_f64().max(1e-9),
        mib(peak)
    );
}

/// The first line of what `agora import` printed.
fn summary(agora: &Agora) -> String {
    std::fs::read_to_string(agora.data_dir.join("import.log"))
        .ok()
        .and_then(|t| t.lines().next().map(str::to_owned))
        .unwrap_or_default()
}

pub fn run(args: ImportRnaArgs) -> anyhow::Result<()> {
    let binary = built_binary(args.agora.clone())?;
    let temp = tempfile::tempdir()?;
    let work = args.work_dir.clone().unwrap_or_else(|| temp.path().into());
    std::fs::create_dir_all(&work)?;
    let file = work.join("rna_waldec_bench.csv");
    let size = generate(&file, args.rows, args.seed).context("generating the file")?;
    let file_arg = file.to_string_lossy().into_owned();
    println!(
        "RNA import, {} rows ({:.1} MiB, Latin-1), {}:",
        args.rows,
        size as f64 / 1048576.0,
        binary.display()
    );
    let data = work.join("data");
    let _ = std::fs::remove_dir_all(&data);
    std::fs::create_dir_all(&data)?;
    let sqlite = Agora::new(&binary, &data);
    sqlite.run(&["migrate"])?;
    let (took, peak) = sqlite.run(&["import", "rna", &file_arg, "--dry-run"])?;
    line(
        "baseline: read + check (--dry-run)",
        args.rows,
        took,
        peak,
        &summary(&sqlite),
    );
    if args.baseline_only {
        return Ok(());
    }
    let (took, peak) = sqlite.run(&["import", "rna", &file_arg])?;
    line(
        "import into SQLite",
        args.rows,
        took,
        peak,
        &summary(&sqlite),
    );
    let (took, peak) = sqlite.run(&["import", "rna", &file_arg])?;
    line(
        "same file again (SQLite)",
        args.rows,
        took,
        peak,
        &summary(&sqlite),
    );
    if let Some(pg) = &args.pg {
        let pg_dir = work.join("data-pg");
        std::fs::create_dir_all(&pg_dir)?;
        let postgres = Agora::new(&binary, &pg_dir).with_env("AGORA_DATABASE_URL", pg);
        postgres.run(&["migrate"])?;
        let (took, peak) = postgres.run(&["import", "rna", &file_arg])?;
        line(
            "import into PostgreSQL",
            args.rows,
            took,
            peak,
            &summary(&postgres),
        );
    }
    if args.work_dir.is_none() {
        drop(temp);
    }
    Ok(())
}

//! The RNA open-data file (`rna_waldec_*.csv`, "Répertoire National des Associations"):
//! `;`-separated, 39 columns from `id` to `maj_time`, in Latin-1 or UTF-8. Associations
//! still active become structures waiting for moderation, with their RNA number, name,
//! object, seat address and website — nothing else. The declarant's and directors'
//! fields (`adrg_*`, `dir_civilite`), the free `observation` and the address complements
//! (which often name a private person, "chez Mme …") are never even decoded.

use super::text::{QuoteGuard, Transcoder, field_text};
use super::{Candidate, Feed, ImportReport, Outcome, clean, describe, shorten, unreadable};
use crate::{Context, Result, ServiceError};
use agora_domain::contact::parse_web_url;
use agora_domain::content::{Address, Contact, StructureContent};
use agora_domain::identifiers::{parse_rna, parse_siret};
use agora_domain::{ListingContent, ValidationErrors, Vocabularies};
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

/// The source's name in Agora's records of imports.
pub const SOURCE: &str = "rna";

/// What to keep of the file.
#[derive(Debug, Clone, Default)]
pub struct RnaFilters {
    /// Département codes (`25`, `2A`, `974`): associations whose seat is in one of them.
    pub departements: Vec<String>,
    /// Words or phrases, one of which the object (or the name) must contain, accents and
    /// case ignored, at the start of a word (`cancer` finds "cancers", "Cancérologie" no).
    pub words: Vec<String>,
}

impl RnaFilters {
    /// Checks and normalises the filters; a département that does not exist is refused.
    pub fn checked(mut self) -> Result<Self> {
        let mut errors = Vec::new();
        for (i, d) in self.departements.iter_mut().enumerate() {
            let code = d.trim().to_ascii_uppercase();
            let code = if code.len() == 1 && code.bytes().all(|b| b.is_ascii_digit()) {
                format!("0{code}")
            } else {
                code
            };
            if agora_geo::departement(&code).is_none() {
                errors.push(agora_domain::FieldError {
                    pointer: format!("/departements/{i}"),
                    code: "unknown_departement".into(),
                    detail: format!("`{d}` is not a département code (e.g. 25, 2A, 974)"),
                });
            }
            *d = code;
        }
        self.words = self
            .words
            .iter()
            .map(|w| agora_geo::fold(w))
            .filter(|w| !w.is_empty())
            .collect();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(ServiceError::Validation(ValidationErrors(errors)))
        }
    }

    fn keeps_departement(&self, commune_code: &str, postcode: &str) -> bool {
        if self.departements.is_empty() {
            return true;
        }
        let dept = agora_geo::commune(commune_code)
            .map(|c| c.departement_code)
            .or_else(|| {
                agora_geo::communes_with_postcode(postcode)
                    .first()
                    .map(|c| c.departement_code)
            });
        dept.is_some_and(|d| self.departements.iter().any(|x| x == d))
    }

    fn keeps_text(&self, objet: &str, titre: &str) -> bool {
        if self.words.is_empty() {
            return true;
        }
        let text = format!(" {} {}", agora_geo::fold(objet), agora_geo::fold(titre));
        self.words.iter().any(|w| text.contains(&format!(" {w}")))
    }
}

/// The columns read, by name. The others — personal ones first of all — are not.
const COLUMNS: [&str; 13] = [
    "id",
    "siret",
    "date_disso",
    "titre",
    "objet",
    "adrs_numvoie",
    "adrs_repetition",
    "adrs_typevoie",
    "adrs_libvoie",
    "adrs_codeinsee",
    "adrs_codepostal",
    "adrs_libcommune",
    "siteweb",
];
const POSITION: &str = "position";

/// Where each column read sits in the file's header.
struct Layout {
    index: [usize; COLUMNS.len()],
    position: usize,
    width: usize,
}

impl Layout {
    fn from_header(header: &csv::ByteRecord) -> Result<Self> {
        let names: Vec<String> = header
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
            .collect();
        let find = |name: &str| names.iter().position(|n| n == name);
        let missing: Vec<&str> = COLUMNS
            .iter()
            .chain(std::iter::once(&POSITION))
            .copied()
            .filter(|c| find(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(unreadable(format!(
                "not an RNA file (rna_waldec layout): its first line lacks the column(s) {}",
                missing.join(", ")
            )));
        }
        let mut index = [0; COLUMNS.len()];
        for (slot, name) in index.iter_mut().zip(COLUMNS) {
            *slot = find(name).unwrap_or_default();
        }
        Ok(Self {
            index,
            position: find(POSITION).unwrap_or_default(),
            width: names.len(),
        })
    }
}

/// One row's fields that are read, decoded.
struct Row<'a> {
    f: [&'a str; COLUMNS.len()],
}

impl Row<'_> {
    fn get(&self, name: &str) -> &str {
        COLUMNS
            .iter()
            .position(|c| *c == name)
            .map_or("", |i| self.f[i].trim())
    }
}

/// RNA files write "no date" as 0001-01-01.
fn no_date(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.starts_with("0001-01-01") || v.starts_with("0000-00-00")
}

/// A value the file writes where it has none (`_`, `0`).
fn blank(value: &str) -> bool {
    value
        .chars()
        .all(|c| c == '_' || c == '0' || c.is_whitespace())
}

fn website(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    parse_web_url(raw).or_else(|| {
        raw.contains('.')
            .then(|| parse_web_url(&format!("http://{raw}")))
            .flatten()
    })
}

fn address(row: &Row) -> Option<Address> {
    let commune_code = row.get("adrs_codeinsee");
    let postcode = row.get("adrs_codepostal");
    let commune_name = clean(row.get("adrs_libcommune"))?;
    if commune_code.is_empty() || postcode.is_empty() {
        return None;
    }
    let number = format!("{}{}", row.get("adrs_numvoie"), row.get("adrs_repetition"));
    let street: Vec<&str> = [
        number.as_str(),
        row.get("adrs_typevoie"),
        row.get("adrs_libvoie"),
    ]
    .into_iter()
    .filter(|p| !blank(p))
    .collect();
    Some(Address {
        street: clean(&street.join(" ")),
        postcode: postcode.to_owned(),
        commune_code: commune_code.to_owned(),
        commune_name,
        lat: None,
        lon: None,
    })
}

const NAME_MAX: usize = 200;
const SUMMARY_MAX: usize = 300;

/// Makes one row into an outcome: a candidate, a reason to skip it, or what is wrong.
fn outcome(
    record: &csv::ByteRecord,
    line: u64,
    layout: &Layout,
    filters: &RnaFilters,
    vocab: &Vocabularies,
) -> Outcome {
    let invalid = |reason: String| Outcome::Invalid { line, reason };
    if record.len() != layout.width {
        return invalid(format!(
            "{} fields instead of {} (a `;` too many or missing?)",
            record.len(),
            layout.width
        ));
    }
    let mut f = [""; COLUMNS.len()];
    for (slot, (i, name)) in f.iter_mut().zip(layout.index.iter().zip(COLUMNS)) {
        match field_text(record.get(*i).unwrap_or_default()) {
            Ok(text) => *slot = text,
            Err(why) => return invalid(format!("{name}: {why}")),
        }
    }
    let row = Row { f };
    let position = String::from_utf8_lossy(record.get(layout.position).unwrap_or_default())
        .trim()
        .to_owned();
    let Some(rna) = parse_rna(row.get("id")) else {
        return invalid(format!("id: `{}` is not an RNA number", row.get("id")));
    };
    let skip = |reason: &'static str| Outcome::Skipped {
        reason,
        example: Some(rna.clone()),
    };
    if !no_date(row.get("date_disso")) || position == "D" {
        return skip("dissolved");
    }
    if position != "A" {
        return Outcome::Skipped {
            reason: "not active (position other than A)",
            example: Some(format!("{rna} ({position})")),
        };
    }
    if !filters.keeps_departement(row.get("adrs_codeinsee"), row.get("adrs_codepostal")) {
        return Outcome::Skipped {
            reason: "outside the chosen départements",
            example: None,
        };
    }
    if !filters.keeps_text(row.get("objet"), row.get("titre")) {
        return Outcome::Skipped {
            reason: "object without the chosen words",
            example: None,
        };
    }
    let Some(name) = clean(row.get("titre")) else {
        return invalid("titre: empty".into());
    };
    let objet = clean(row.get("objet"));
    let summary = objet.as_deref().map(|o| shorten(o, SUMMARY_MAX));
    let description = objet.filter(|o| Some(o) != summary.as_ref());
    let site = website(row.get("siteweb"));
    let mut content = ListingContent::Structure(StructureContent {
        name: shorten(&name, NAME_MAX),
        structure_kind: "association".into(),
        rna: Some(rna.clone()),
        siren: None,
        siret: parse_siret(row.get("siret")),
        summary,
        description,
        address: address(&row),
        contact: site.map(|website| Contact {
            website: Some(website),
            ..Contact::default()
        }),
        visibility: Default::default(),
    });
    if let Err(e) = content.validate(vocab) {
        return invalid(describe(&e));
    }
    Outcome::Candidate(Box::new(Candidate {
        line,
        external_id: rna,
        content,
        parent: None,
    }))
}

/// Reads the file row by row into `feed`; returns the encoding it was in.
fn read(
    file: impl Read,
    filters: &RnaFilters,
    vocab: &Vocabularies,
    feed: &mut Feed,
    bytes: Arc<AtomicU64>,
) -> Result<Option<super::Encoding>> {
    let decoded = BufReader::with_capacity(64 * 1024, Transcoder::new(file, bytes));
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(64 * 1024)
        .from_reader(QuoteGuard::new(decoded, b';'));
    let mut record = csv::ByteRecord::new();
    let io = |e: csv::Error| unreadable(format!("cannot read the file: {e}"));
    if !csv.read_byte_record(&mut record).map_err(io)? {
        return Err(unreadable("the file is empty"));
    }
    let layout = Layout::from_header(&record)?;
    loop {
        let line = csv.position().line();
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                let guard = csv.get_mut();
                guard.forget_before(line);
                let result = match guard.take_damage(line) {
                    Some(why) => Outcome::Invalid {
                        line,
                        reason: why.into(),
                    },
                    None if record.len() == 1 && record.as_slice().trim_ascii().is_empty() => {
                        continue;
                    }
                    None => outcome(&record, line, &layout, filters, vocab),
                };
                if !feed.push(result) {
                    break;
                }
            }
            // The reader goes on after a row it cannot read (it is past it).
            Err(e) => {
                let reason = match e.kind() {
                    csv::ErrorKind::Io(_) => return Err(io(e)),
                    _ => format!("unreadable row: {e}"),
                };
                if !feed.push(Outcome::Invalid { line, reason }) {
                    break;
                }
            }
        }
    }
    Ok(Some(csv.get_ref().get_ref().get_ref().encoding()))
}

/// Imports the associations of an RNA file into the moderation queue (or, in a dry run,
/// only reads it). `progress` is told how many bytes of the file have been read.
pub async fn import(
    ctx: &Context,
    file: std::fs::File,
    filters: RnaFilters,
    mode: super::Mode,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ImportReport> {
    let filters = filters.checked()?;
    let vocab = ctx.vocab.clone();
    super::run(
        ctx,
        SOURCE,
        mode,
        move |feed, bytes| read(file, &filters, &vocab, feed, bytes),
        progress,
    )
    .await
}

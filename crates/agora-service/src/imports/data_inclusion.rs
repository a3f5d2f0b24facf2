//! data·inclusion files (schema v1, the models `Structure` and `Service` of the PyPI
//! package `data-inclusion-schema` 1.0.x), a JSON array or JSON lines, structures and
//! services in one file or several: mapped back to Agora's structures and services and
//! put in the moderation queue. An item with `structure_id` is a service. Structures are
//! read in a first pass and services in a second, so that their order does not matter.
//!
//! The reverse of the export mapping (data·inclusion's `thematiques` to Agora's themes)
//! is the table [`THEMATIQUES`]; what maps to nothing is reported by value.

use super::json::JsonItems;
use super::{Candidate, Feed, ImportReport, Outcome, clean, describe, shorten, unreadable};
use crate::{Context, Result};
use agora_domain::contact::{parse_email, parse_phone_fr, parse_web_url};
use agora_domain::content::{Cost, ServiceContent, StructureContent};
use agora_domain::identifiers::{parse_rna, parse_siret};
use agora_domain::{Address, Contact, Coverage, ListingContent, Location, Vocabularies};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The source's name in Agora's records of imports.
pub const SOURCE: &str = "data-inclusion";

/// data·inclusion thématiques and the Agora theme each one meets. Reviewed one by one;
/// employment, budget, administrative help, health and caregivers meet, the rest of the
/// social-inclusion field (mobility, housing, digital skills…) has no Agora theme and is
/// reported.
pub const THEMATIQUES: &[(&str, &str)] = &[
    ("choisir-un-metier--", "travail-emploi"),
    ("preparer-sa-candidature--", "travail-emploi"),
    ("trouver-un-emploi--", "travail-emploi"),
    ("se-former--", "travail-emploi"),
    (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "aide-administrative",
    ),
    (
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "droits",
    ),
    (
        "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
        "droits",
    ),
    (
        "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
        "aide-sociale",
    ),
    ("difficultes-financieres--", "aide-financiere"),
    (
        "equipement-et-alimentation--aide-menagere",
        "vie-quotidienne",
    ),
    ("equipement-et-alimentation--", "aide-sociale"),
    ("famille--soutien-aidants", "aidants"),
    ("famille--prise-en-charge-personne-dependante", "aidants"),
    ("famille--garde-denfants", "vie-quotidienne"),
    (
        "logement-hebergement--se-maintenir-dans-le-logement",
        "vie-quotidienne",
    ),
    ("remobilisation--bien-etre-confiance-en-soi", "mieux-etre"),
    (
        "remobilisation--activites-sportives-et-culturelles",
        "mieux-etre",
    ),
    ("remobilisation--lien-social", "rencontres-pair-aidance"),
    ("sante--acces-aux-soins", "parcours-de-soin"),
    ("sante--sante-mentale", "soutien-psychologique"),
    ("sante--sante-sexuelle", "sexualite"),
    (
        "sante--constituer-un-dossier-mdph-invalidite",
        "aide-administrative",
    ),
];

/// The Agora theme of a thématique: an exact entry, else the entry of its family
/// (entries ending in `--`).
pub fn theme_of(thematique: &str) -> Option<&'static str> {
    THEMATIQUES
        .iter()
        .find(|(t, _)| *t == thematique)
        .or_else(|| {
            THEMATIQUES
                .iter()
                .find(|(t, _)| t.ends_with("--") && thematique.starts_with(t))
        })
        .map(|(_, theme)| *theme)
}

/// data·inclusion publics that have an Agora audience.
const PUBLICS: &[(&str, &str)] = &[
    ("tous-publics", "grand-public"),
    ("seniors", "seniors"),
    ("jeunes", "jeunes-adultes"),
];

/// Networks (`reseaux_porteurs`) that say what kind of structure carries them.
const RESEAUX: &[(&str, &str)] = &[
    ("caf", "protection-sociale"),
    ("cpam", "protection-sociale"),
    ("cnam", "protection-sociale"),
    ("mutualite-sociale-agricole", "protection-sociale"),
    ("communes", "collectivite"),
    ("ccas-cias", "collectivite"),
    ("departements", "collectivite"),
    ("regions", "collectivite"),
    ("maisons-des-solidarites", "collectivite"),
    ("maison-departementale-de-lautonomie", "collectivite"),
    ("mdph", "collectivite"),
    ("france-travail", "institution"),
    ("france-service", "institution"),
    ("mission-locale", "institution"),
    ("cap-emploi-reseau-cheops", "institution"),
    ("chu", "etablissement-sante"),
    ("cmp", "etablissement-sante"),
    ("cms", "etablissement-sante"),
    ("csapa", "etablissement-sante"),
    ("caarud", "etablissement-sante"),
    ("croix-rouge", "association"),
    ("restos-du-coeur", "association"),
    ("secours-populaire", "association"),
    ("emmaus", "association"),
    ("banques-alimentaires", "association"),
    ("unaf", "association"),
    ("cidff", "association"),
];

/// The fields of the schema that Agora reads; others (and unknown ones) are ignored.
#[derive(Debug, Deserialize)]
struct DiStructure {
    id: String,
    nom: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    siret: Option<String>,
    /// Not in v1, present in earlier versions of the schema.
    #[serde(default)]
    rna: Option<String>,
    #[serde(flatten)]
    place: Place,
    #[serde(default)]
    telephone: Option<String>,
    #[serde(default)]
    courriel: Option<String>,
    #[serde(default)]
    site_web: Option<String>,
    #[serde(default)]
    reseaux_porteurs: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
struct DiService {
    id: String,
    structure_id: String,
    nom: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    thematiques: Option<Vec<String>>,
    /// `gratuit` or `payant` (a list of them in earlier versions).
    #[serde(default)]
    frais: Option<Value>,
    #[serde(default)]
    frais_precisions: Option<String>,
    #[serde(default)]
    publics: Option<Vec<String>>,
    #[serde(flatten)]
    place: Place,
    #[serde(default)]
    telephone: Option<String>,
    #[serde(default)]
    courriel: Option<String>,
    #[serde(default)]
    modes_accueil: Option<Vec<String>>,
    #[serde(default)]
    zone_eligibilite: Option<Vec<String>>,
    #[serde(default)]
    lien_mobilisation: Option<String>,
    #[serde(default)]
    horaires_accueil: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Place {
    #[serde(default)]
    commune: Option<String>,
    #[serde(default)]
    code_postal: Option<String>,
    #[serde(default)]
    code_insee: Option<String>,
    #[serde(default)]
    adresse: Option<String>,
    #[serde(default)]
    complement_adresse: Option<String>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    latitude: Option<f64>,
}

impl Place {
    fn address(&self) -> Option<Address> {
        let commune_name = clean(self.commune.as_deref()?)?;
        let commune_code = clean(self.code_insee.as_deref()?)?;
        let postcode = clean(self.code_postal.as_deref()?)?;
        let street = [self.adresse.as_deref(), self.complement_adresse.as_deref()]
            .into_iter()
            .flatten()
            .filter_map(clean)
            .collect::<Vec<_>>()
            .join(", ");
        let (lat, lon) = match (self.latitude, self.longitude) {
            (Some(lat), Some(lon)) => (Some(lat), Some(lon)),
            _ => (None, None),
        };
        Some(Address {
            street: clean(&street).map(|s| shorten(&s, 300)),
            postcode,
            commune_code,
            commune_name,
            lat,
            lon,
        })
    }
}

/// Contact details, leaving out (and reporting) those Agora would refuse.
fn contact(
    feed: &mut Feed,
    phone: Option<&str>,
    email: Option<&str>,
    website: Option<&str>,
) -> Option<Contact> {
    let mut keep = |name: &str, raw: Option<&str>, parse: fn(&str) -> Option<String>| {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        let parsed = parse(raw);
        if parsed.is_none() {
            feed.unmapped(format!("{name}: not a valid value (left out)"));
        }
        parsed
    };
    let c = Contact {
        name: None,
        phone: keep("telephone", phone, parse_phone_fr),
        email: keep("courriel", email, parse_email),
        website: keep("site_web", website, parse_web_url),
    };
    (c.phone.is_some() || c.email.is_some() || c.website.is_some()).then_some(c)
}

/// A summary and a longer description out of one text.
fn texts(description: Option<&str>) -> (Option<String>, Option<String>) {
    let full = description.and_then(clean);
    let summary = full.as_deref().map(|d| shorten(d, 300));
    let description = full.filter(|d| Some(d) != summary.as_ref());
    (summary, description.map(|d| shorten(&d, 10_000)))
}

fn structure(item: DiStructure, line: u64, feed: &mut Feed, vocab: &Vocabularies) -> Outcome {
    let siret = item.siret.as_deref().and_then(parse_siret);
    let rna = item.rna.as_deref().and_then(parse_rna);
    if siret.is_none() && rna.is_none() {
        return Outcome::Skipped {
            reason: "structure without a valid SIRET (Agora needs an RNA number, SIREN or SIRET)",
            example: Some(item.id),
        };
    }
    let kind = item
        .reseaux_porteurs
        .iter()
        .flatten()
        .find_map(|r| RESEAUX.iter().find(|(k, _)| k == r).map(|(_, v)| *v))
        .unwrap_or("autre");
    let (summary, description) = texts(item.description.as_deref());
    let mut content = ListingContent::Structure(StructureContent {
        name: shorten(item.nom.trim(), 200),
        structure_kind: kind.into(),
        rna,
        siren: None,
        siret,
        summary,
        description,
        address: item.place.address(),
        contact: contact(
            feed,
            item.telephone.as_deref(),
            item.courriel.as_deref(),
            item.site_web.as_deref(),
        ),
        visibility: Default::default(),
    });
    if let Err(e) = content.validate(vocab) {
        return Outcome::Invalid {
            line,
            reason: format!("structure {}: {}", item.id, describe(&e)),
        };
    }
    Outcome::Candidate(Box::new(Candidate {
        line,
        external_id: item.id,
        content,
        parent: None,
    }))
}

/// Where a service may be used, from `zone_eligibilite` (else its commune).
fn coverage(item: &DiService, feed: &mut Feed) -> Option<Coverage> {
    let zone = item.zone_eligibilite.clone().unwrap_or_default();
    if zone.iter().any(|z| z == "france" || z == "99100") {
        return Some(Coverage::National);
    }
    let mut departements = BTreeSet::new();
    let mut communes = BTreeSet::new();
    for code in zone {
        let code = code.trim().to_ascii_uppercase();
        if agora_geo::departement(&code).is_some() {
            departements.insert(code);
        } else if agora_geo::is_known_commune_code(&code) {
            communes.insert(code);
        } else {
            feed.unmapped(format!(
                "zone_eligibilite: {} code (left out)",
                if code.len() == 9 { "EPCI" } else { "unknown" }
            ));
        }
    }
    if departements.is_empty() && communes.is_empty() {
        let own = item.place.code_insee.as_deref().map(str::trim)?;
        return agora_geo::is_known_commune_code(own).then(|| Coverage::Communes {
            codes: vec![own.to_owned()],
        });
    }
    if departements.is_empty() {
        return Some(Coverage::Communes {
            codes: communes.into_iter().collect(),
        });
    }
    // One kind of zone per service in Agora: communes count for their département.
    for c in communes {
        if let Some(d) = agora_geo::departement_of_commune(&c) {
            departements.insert(d.code.to_owned());
        }
    }
    Some(Coverage::Departements {
        codes: departements.into_iter().collect(),
    })
}

fn cost(frais: Option<&Value>) -> Option<Cost> {
    let values: Vec<&str> = match frais? {
        Value::String(s) => vec![s.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if values.is_empty() {
        None
    } else if values.iter().all(|v| *v == "gratuit") {
        Some(Cost::Free)
    } else {
        Some(Cost::Paid)
    }
}

fn service(item: DiService, line: u64, feed: &mut Feed, vocab: &Vocabularies) -> Outcome {
    let skip = |reason: &'static str, id: &str| Outcome::Skipped {
        reason,
        example: Some(id.to_owned()),
    };
    let mut themes = Vec::new();
    for t in item.thematiques.iter().flatten() {
        match theme_of(t) {
            Some(theme) if !themes.contains(&theme.to_owned()) => themes.push(theme.to_owned()),
            Some(_) => {}
            None => feed.unmapped(format!("thematique: {t}")),
        }
    }
    themes.truncate(6);
    if themes.is_empty() {
        return skip("service whose thématiques meet no Agora theme", &item.id);
    }
    let audiences: Vec<String> = item
        .publics
        .iter()
        .flatten()
        .filter_map(|p| match PUBLICS.iter().find(|(k, _)| k == p) {
            Some((_, a)) => Some((*a).to_owned()),
            None => {
                feed.unmapped(format!("publics: {p}"));
                None
            }
        })
        .collect();
    let Some(cost) = cost(item.frais.as_ref()) else {
        return skip("service without frais (free or paid)", &item.id);
    };
    let Some(coverage) = coverage(&item, feed) else {
        return skip("service without zone_eligibilite nor commune", &item.id);
    };
    let address = item.place.address();
    let mut modes = Vec::new();
    for m in item.modes_accueil.iter().flatten() {
        let mode = match m.as_str() {
            "en-presentiel" if address.is_some() => "presentiel",
            "en-presentiel" => continue,
            "a-distance" if item.telephone.is_some() => "telephone",
            "a-distance" => "en-ligne",
            other => {
                feed.unmapped(format!("modes_accueil: {other}"));
                continue;
            }
        };
        modes.push(mode.to_owned());
    }
    if modes.is_empty() {
        return skip(
            "service without modes_accueil (or on site without an address)",
            &item.id,
        );
    }
    let on_site = modes.iter().any(|m| m == "presentiel");
    let (summary, description) = texts(item.description.as_deref());
    let mut content = ListingContent::Service(ServiceContent {
        name: shorten(item.nom.trim(), 200),
        summary: summary.unwrap_or_else(|| shorten(item.nom.trim(), 300)),
        description,
        themes,
        cancer_types: Vec::new(),
        audiences,
        stages: Vec::new(),
        modes,
        cost,
        cost_details: item
            .frais_precisions
            .as_deref()
            .and_then(clean)
            .map(|s| shorten(&s, 500)),
        coverage,
        locations: address
            .filter(|_| on_site)
            .map(|address| Location {
                name: None,
                address,
            })
            .into_iter()
            .collect(),
        opening_hours: item
            .horaires_accueil
            .as_deref()
            .and_then(clean)
            .map(|s| shorten(&s, 1000)),
        contact: contact(
            feed,
            item.telephone.as_deref(),
            item.courriel.as_deref(),
            item.lien_mobilisation.as_deref(),
        ),
        visibility: Default::default(),
    });
    if let Err(e) = content.validate(vocab) {
        return Outcome::Invalid {
            line,
            reason: format!("service {}: {}", item.id, describe(&e)),
        };
    }
    Outcome::Candidate(Box::new(Candidate {
        line,
        external_id: item.id,
        content,
        parent: Some(item.structure_id),
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Structures,
    Services,
}

/// Reads one item: which kind it is, and its typed fields (errors name the field).
fn parse<T: serde::de::DeserializeOwned>(value: Value) -> std::result::Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        format!("{path}: {}", e.into_inner())
    })
}

fn read_pass(
    path: &std::path::Path,
    pass: Pass,
    vocab: &Vocabularies,
    feed: &mut Feed,
    bytes: &AtomicU64,
) -> Result<bool> {
    let file = std::fs::File::open(path)
        .map_err(|e| unreadable(format!("cannot open {}: {e}", path.display())))?;
    let counted = Counted { inner: file, bytes };
    let mut items = JsonItems::new(BufReader::with_capacity(64 * 1024, counted));
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    loop {
        let (line, item) = match items.next_item() {
            Ok(Some(next)) => next,
            Ok(None) => return Ok(true),
            Err(e) => return Err(unreadable(format!("cannot read {file_name}: {e}"))),
        };
        let invalid = |reason: String| Outcome::Invalid {
            line,
            reason: format!("{file_name}: {reason}"),
        };
        let value = item.and_then(|text| {
            serde_json::from_slice::<Value>(&text).map_err(|e| format!("not JSON: {e}"))
        });
        let is_service = matches!(&value, Ok(Value::Object(o)) if o.contains_key("structure_id"));
        let outcome = match (pass, value) {
            // Unreadable items are reported once, in the first pass.
            (Pass::Services, Err(_)) => continue,
            (Pass::Structures, Err(reason)) => invalid(reason),
            (Pass::Structures, Ok(_)) if is_service => {
                feed.seen();
                continue;
            }
            (Pass::Services, Ok(_)) if !is_service => continue,
            (Pass::Structures, Ok(v)) => match parse::<DiStructure>(v) {
                Ok(s) => structure(s, line, feed, vocab),
                Err(reason) => invalid(reason),
            },
            (Pass::Services, Ok(v)) => match parse::<DiService>(v) {
                Ok(s) => service(s, line, feed, vocab),
                Err(reason) => invalid(reason),
            },
        };
        let sent = match pass {
            Pass::Structures => feed.push(outcome),
            Pass::Services => feed.push_again(outcome),
        };
        if !sent {
            return Ok(false);
        }
    }
}

/// Counts the bytes read from a file, for progress.
struct Counted<'a, R> {
    inner: R,
    bytes: &'a AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Imports the structures and services of data·inclusion files into the moderation
/// queue. Each file is read twice (structures, then services): `progress` counts the
/// bytes of both readings, twice the files' total size.
pub async fn import(
    ctx: &Context,
    files: Vec<PathBuf>,
    mode: super::Mode,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<ImportReport> {
    for f in &files {
        std::fs::metadata(f)
            .map_err(|e| unreadable(format!("cannot open {}: {e}", f.display())))?;
    }
    let vocab: Arc<Vocabularies> = ctx.vocab.clone();
    super::run(
        ctx,
        SOURCE,
        mode,
        move |feed, bytes| {
            for pass in [Pass::Structures, Pass::Services] {
                for f in &files {
                    if !read_pass(f, pass, &vocab, feed, &bytes)? {
                        return Ok(None);
                    }
                }
                // Structures are written before any service looks for its own.
                if !feed.flush() {
                    return Ok(None);
                }
            }
            Ok(None)
        },
        progress,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thematiques_meet_themes_by_entry_or_family() {
        assert_eq!(
            theme_of("sante--sante-mentale"),
            Some("soutien-psychologique")
        );
        assert_eq!(
            theme_of("trouver-un-emploi--maintien-dans-lemploi"),
            Some("travail-emploi")
        );
        assert_eq!(theme_of("mobilite--preparer-un-permis"), None);
        assert_eq!(theme_of("sante--addictions"), None);
    }

    #[test]
    fn frais_read_in_either_form() {
        assert_eq!(cost(Some(&Value::from("gratuit"))), Some(Cost::Free));
        assert_eq!(
            cost(Some(&serde_json::json!(["gratuit", "payant"]))),
            Some(Cost::Paid)
        );
        assert_eq!(cost(None), None);
    }
}

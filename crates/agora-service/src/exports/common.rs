//! What every format needs: the vocabularies' labels, the address of the listing's page,
//! stable ids for the parts of an item, places in words.

use crate::Context;
use agora_domain::content::Address;
use agora_domain::{Coverage, ListingKind, Vocabularies, VocabularyKind};
use agora_geo::CommunePoints;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The context an item is rendered in.
pub struct Env<'a> {
    pub vocab: &'a Vocabularies,
    /// Where this server serves its public pages (`mail.base_url`), without a final `/`.
    pub site: &'a str,
    pub points: &'a CommunePoints,
}

impl<'a> Env<'a> {
    pub fn of(ctx: &'a Context) -> Self {
        Self {
            vocab: &ctx.vocab,
            site: ctx.settings.mail.base_url.trim_end_matches('/'),
            points: &ctx.geography.points,
        }
    }

    /// The listing's public page.
    pub fn page(&self, kind: ListingKind, id: Uuid) -> String {
        let path = match kind {
            ListingKind::Structure => "structures",
            ListingKind::Service => "services",
            ListingKind::Project => "projets",
        };
        format!("{}/{path}/{id}", self.site)
    }

    /// The French labels of `slugs` (a slug the vocabulary lost is shown as is).
    pub fn labels(&self, kind: VocabularyKind, slugs: &[String]) -> Vec<String> {
        slugs
            .iter()
            .map(|s| self.vocab.label(kind, s).unwrap_or(s).to_owned())
            .collect()
    }

    pub fn label(&self, kind: VocabularyKind, slug: &str) -> String {
        self.vocab.label(kind, slug).unwrap_or(slug).to_owned()
    }
}

/// A stable id for a part of an item (an address, a phone): the same listing always gives
/// the same ids, so a consumer can compare two exports.
pub fn part_id(owner: Uuid, part: &str) -> Uuid {
    let digest = Sha256::new()
        .chain_update(owner.as_bytes())
        .chain_update(part.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// `text` cut to at most `max` characters, on a word boundary when there is one, with an
/// ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > cut.len() / 2 => cut[..i].trim_end().to_owned(),
        _ => cut,
    };
    format!("{cut}…")
}

pub fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// `12 rue X, 25000 Besançon`.
pub fn postal_line(a: &Address) -> String {
    let town = format!("{} {}", a.postcode, a.commune_name);
    match a.street.as_deref().filter(|s| !s.is_empty()) {
        Some(street) => format!("{street}, {town}"),
        None => town,
    }
}

pub fn departement_name(commune_code: &str) -> Option<&'static agora_geo::Departement> {
    agora_geo::departement_of_commune(commune_code)
}

/// A coverage zone in French words: `Départements : 25 Doubs, 39 Jura`.
pub fn zone_in_words(c: &Coverage) -> String {
    let named = |codes: &[String], name: &dyn Fn(&str) -> Option<String>| {
        codes
            .iter()
            .map(|code| name(code).map_or_else(|| code.clone(), |n| format!("{code} {n}")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match c {
        Coverage::National => "France entière".to_owned(),
        Coverage::Regions { codes } => format!(
            "Régions : {}",
            named(codes, &|c| agora_geo::region(c).map(|r| r.name.to_owned()))
        ),
        Coverage::Departements { codes } => format!(
            "Départements : {}",
            named(codes, &|c| agora_geo::departement(c)
                .map(|d| d.name.to_owned()))
        ),
        Coverage::Communes { codes } => format!(
            "Communes : {}",
            named(codes, &|c| agora_geo::commune(c).map(|m| m.name.to_owned()))
        ),
        Coverage::Radius {
            lat,
            lon,
            radius_km,
        } => format!("{radius_km} km autour du point {lat:.5}, {lon:.5}"),
    }
}

/// Communes a disc reaches beyond which a zone is given by départements.
const MAX_COMMUNES: usize = 50;

/// INSEE codes of a zone, as data·inclusion's `zone_eligibilite` wants them: `france` for
/// the whole country, a région as its départements, a disc as the communes it reaches (or
/// their départements when they are many). `None` for a disc while no commune centroid is
/// imported.
pub fn zone_codes(c: &Coverage, points: &CommunePoints) -> Option<Vec<String>> {
    let codes: Vec<String> = match c {
        Coverage::National => vec!["france".to_owned()],
        Coverage::Regions { codes } => codes
            .iter()
            .flat_map(|r| agora_geo::departements_of_region(r).map(|d| d.code.to_owned()))
            .collect(),
        Coverage::Departements { codes } | Coverage::Communes { codes } => codes.clone(),
        Coverage::Radius {
            lat,
            lon,
            radius_km,
        } => {
            let communes = points.communes_within(*lat, *lon, *radius_km);
            if communes.len() <= MAX_COMMUNES {
                communes.iter().map(|c| c.code.to_owned()).collect()
            } else {
                let mut deps: Vec<String> = communes
                    .iter()
                    .map(|c| c.departement_code.to_owned())
                    .collect();
                deps.sort();
                deps.dedup();
                deps
            }
        }
    };
    let mut codes = codes;
    codes.sort();
    codes.dedup();
    (!codes.is_empty()).then_some(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_word() {
        assert_eq!(truncate("court", 10), "court");
        let cut = truncate("Groupe de parole pour les proches aidants", 20);
        assert!(cut.chars().count() <= 20, "{cut}");
        assert_eq!(cut, "Groupe de parole…");
    }

    #[test]
    fn part_ids_are_stable_and_distinct() {
        let id = Uuid::nil();
        assert_eq!(part_id(id, "phone"), part_id(id, "phone"));
        assert_ne!(part_id(id, "phone"), part_id(id, "address"));
    }
}

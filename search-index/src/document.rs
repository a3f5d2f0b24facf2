//! What the index holds for one listing, built from its public view only: the service layer
//! hands over an already redacted listing, and this module never sees anything else.

use crate::schema::Fields;
use agora_domain::{Coverage, Freshness, ListingKind};
use agora_geo::{CommunePoints, departements, departements_of_region, regions};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use tantivy::TantivyDocument;
use uuid::Uuid;

/// A published listing, as the public may see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingDoc {
    pub id: Uuid,
    pub kind: ListingKind,
    pub name: String,
    /// Public texts (summary first), searched and used for snippets.
    pub text: Vec<String>,
    /// Words that find the listing without being shown: vocabulary labels, the structure.
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    /// The cancers it serves (a service that names none serves them all: the caller
    /// lists them all, so that filters and facet counts agree).
    pub cancer_types: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub modes: Vec<String>,
    pub skills: Vec<String>,
    pub free: Option<bool>,
    pub labelled: bool,
    /// A project's format (`long_project`, `mini_mission`).
    pub format: Option<String>,
    /// A project that seeks contributors now (published, neither paused nor completed).
    pub open_to_help: bool,
    /// Where the listing is available; `None` for a structure, found where it is.
    pub coverage: Option<Coverage>,
    /// Communes the listing is located in (a structure's address, a service's places).
    pub communes: Vec<String>,
    /// Public on-site places, as (latitude, longitude).
    pub locations: Vec<(f64, f64)>,
    pub freshness: Freshness,
    pub updated_at: DateTime<Utc>,
    /// What a search returns for this listing.
    pub card: serde_json::Value,
}

/// The places a zone covers entirely, and those it reaches.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Places {
    pub everywhere: bool,
    pub regions: BTreeSet<String>,
    pub departements: BTreeSet<String>,
    pub communes: BTreeSet<String>,
    pub reached_regions: BTreeSet<String>,
    pub reached_departements: BTreeSet<String>,
}

impl Places {
    fn add_communes<'a>(&mut self, codes: impl IntoIterator<Item = &'a str>) {
        for code in codes {
            let Some(commune) = agora_geo::commune(code) else {
                continue;
            };
            self.communes.insert(commune.code.to_owned());
            // A zone holding Paris, Lyon or Marseille holds their arrondissements.
            for arrondissement in agora_geo::arrondissements_of(commune.code) {
                self.communes.insert(arrondissement.code.to_owned());
            }
            self.reached_departements
                .insert(commune.departement_code.to_owned());
            self.reached_regions.insert(commune.region_code.to_owned());
        }
    }
}

/// Expands a coverage zone into places. A disc becomes the communes whose centroid it
/// holds, so it needs commune centroids to reach anything.
pub(crate) fn places(
    coverage: Option<&Coverage>,
    located_in: &[String],
    points: &CommunePoints,
) -> Places {
    let mut p = Places::default();
    match coverage {
        Some(Coverage::National) => {
            p.everywhere = true;
            p.reached_regions
                .extend(regions().iter().map(|r| r.code.to_owned()));
            p.reached_departements
                .extend(departements().iter().map(|d| d.code.to_owned()));
        }
        Some(Coverage::Regions { codes }) => {
            for r in codes {
                p.regions.insert(r.clone());
                p.reached_regions.insert(r.clone());
                for d in departements_of_region(r) {
                    p.departements.insert(d.code.to_owned());
                    p.reached_departements.insert(d.code.to_owned());
                }
            }
        }
        Some(Coverage::Departements { codes }) => {
            for code in codes {
                if let Some(d) = agora_geo::departement(code) {
                    p.departements.insert(d.code.to_owned());
                    p.reached_departements.insert(d.code.to_owned());
                    p.reached_regions.insert(d.region_code.to_owned());
                }
            }
        }
        Some(Coverage::Communes { codes }) => p.add_communes(codes.iter().map(String::as_str)),
        Some(Coverage::Radius {
            lat,
            lon,
            radius_km,
        }) => {
            let within = points.communes_within(*lat, *lon, *radius_km);
            p.add_communes(within.iter().map(|c| c.code));
        }
        None => p.add_communes(located_in.iter().map(String::as_str)),
    }
    p
}

/// Packs a point into one number so that its latitude and longitude stay together in a
/// multi-valued column (micro-degree precision, about 10 cm).
pub(crate) fn pack(lat: f64, lon: f64) -> u64 {
    let q =
        |v: f64, offset: f64| ((v + offset) * 1e6).round().clamp(0.0, f64::from(u32::MAX)) as u64;
    (q(lat, 90.0) << 32) | q(lon, 180.0)
}

pub(crate) fn unpack(v: u64) -> (f64, f64) {
    let lat = (v >> 32) as f64 / 1e6 - 90.0;
    let lon = (v & 0xFFFF_FFFF) as f64 / 1e6 - 180.0;
    (lat, lon)
}

pub(crate) fn weight(doc: &ListingDoc) -> f64 {
    doc.freshness.rank_factor() * if doc.labelled { 1.2 } else { 1.0 }
}

/// How wide a zone is, as people sort projects and services: the whole country, a région
/// or more, or less than a région.
pub fn scope(coverage: Option<&Coverage>) -> Option<&'static str> {
    Some(match coverage? {
        Coverage::National => "national",
        Coverage::Regions { .. } => "regional",
        Coverage::Departements { .. } | Coverage::Communes { .. } | Coverage::Radius { .. } => {
            "local"
        }
    })
}

pub(crate) fn to_document(doc: &ListingDoc, f: &Fields, points: &CommunePoints) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    let (hi, lo) = doc.id.as_u64_pair();
    d.add_text(f.id, doc.id.to_string());
    d.add_u64(f.id_hi, hi);
    d.add_u64(f.id_lo, lo);
    d.add_text(f.kind, doc.kind.as_str());
    d.add_text(f.name, &doc.name);
    d.add_text(f.text, &doc.name);
    d.add_text(f.spell, &doc.name);
    for t in doc.text.iter().chain(&doc.keywords) {
        d.add_text(f.text, t);
    }
    for t in &doc.text {
        d.add_text(f.spell, t);
        d.add_text(f.body, t);
    }
    let mut add_all = |field, values: &[String]| values.iter().for_each(|v| d.add_text(field, v));
    add_all(f.theme, &doc.themes);
    add_all(f.audience, &doc.audiences);
    add_all(f.stage, &doc.stages);
    add_all(f.mode, &doc.modes);
    add_all(f.skill, &doc.skills);
    add_all(f.cancer, &doc.cancer_types);
    if doc.open_to_help {
        d.add_text(f.open, "true");
    }
    if let Some(free) = doc.free {
        d.add_text(f.free, if free { "true" } else { "false" });
    }
    d.add_text(f.labelled, if doc.labelled { "true" } else { "false" });
    if let Some(scope) = scope(doc.coverage.as_ref()) {
        d.add_text(f.scope, scope);
    }
    if let Some(format) = &doc.format {
        d.add_text(f.format, format);
    }
    let places = places(doc.coverage.as_ref(), &doc.communes, points);
    if places.everywhere {
        d.add_text(f.cover_all, "1");
    }
    places
        .regions
        .iter()
        .for_each(|v| d.add_text(f.cover_region, v));
    places
        .departements
        .iter()
        .for_each(|v| d.add_text(f.cover_departement, v));
    places
        .communes
        .iter()
        .for_each(|v| d.add_text(f.cover_commune, v));
    places
        .reached_regions
        .iter()
        .for_each(|v| d.add_text(f.region, v));
    places
        .reached_departements
        .iter()
        .for_each(|v| d.add_text(f.departement, v));
    for &(lat, lon) in &doc.locations {
        d.add_u64(f.location, pack(lat, lon));
    }
    d.add_f64(f.weight, weight(doc));
    d.add_i64(f.updated, doc.updated_at.timestamp());
    d.add_text(f.card, doc.card.to_string());
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_survive_packing() {
        for (lat, lon) in [
            (47.238, 6.0243),
            (-21.1151, 55.5364),
            (48.8566, 2.3522),
            (-90.0, -180.0),
            (90.0, 180.0),
        ] {
            let (a, b) = unpack(pack(lat, lon));
            assert!(
                (a - lat).abs() < 1e-6 && (b - lon).abs() < 1e-6,
                "{lat},{lon} → {a},{b}"
            );
        }
    }

    #[test]
    fn zones_become_places() {
        let none = CommunePoints::default();
        let p = places(
            Some(&Coverage::Regions {
                codes: vec!["27".into()],
            }),
            &[],
            &none,
        );
        assert!(
            p.regions.contains("27") && p.departements.contains("25") && p.departements.len() == 8
        );
        let p = places(
            Some(&Coverage::Departements {
                codes: vec!["25".into()],
            }),
            &[],
            &none,
        );
        assert!(
            p.departements.contains("25")
                && p.reached_regions.contains("27")
                && p.regions.is_empty()
        );
        let p = places(
            Some(&Coverage::Communes {
                codes: vec!["75056".into()],
            }),
            &[],
            &none,
        );
        assert!(
            p.communes.contains("75113"),
            "Paris holds its arrondissements"
        );
        assert!(p.reached_departements.contains("75") && p.departements.is_empty());
        let p = places(Some(&Coverage::National), &[], &none);
        assert!(p.everywhere && p.reached_departements.len() == 101);
        let p = places(None, &["25056".to_owned()], &none);
        assert_eq!(p.communes.iter().collect::<Vec<_>>(), ["25056"]);
        let points = CommunePoints::new([
            ("25056".to_owned(), 47.238, 6.024),
            ("25462".to_owned(), 46.905, 6.355),
        ]);
        let p = places(
            Some(&Coverage::Radius {
                lat: 47.24,
                lon: 6.02,
                radius_km: 10.0,
            }),
            &[],
            &points,
        );
        assert_eq!(p.communes.iter().collect::<Vec<_>>(), ["25056"]);
        assert!(
            places(
                Some(&Coverage::Radius {
                    lat: 47.24,
                    lon: 6.02,
                    radius_km: 10.0
                }),
                &[],
                &none
            )
            .communes
            .is_empty()
        );
    }
}

//! French administrative geography: régions, départements and communes (INSEE codes,
//! names, postcodes, population, hierarchy), shipped with the product (see
//! `data/SOURCE`); commune autocomplete; the import of commune centroids from the official
//! open-data file; distances.

mod centroids;
mod distance;
mod in_words;
pub mod names;
mod points;
mod reference;
mod search;

use serde::Serialize;

pub use centroids::{Centroid, ImportReport, parse_centroids};
pub use distance::{BoundingBox, distance_km};
pub use in_words::{PlaceInWords, PlaceKind, PlaceRef, place_in_words};
pub use names::fold;
pub use points::CommunePoints;
pub use search::{CommuneMatch, autocomplete};

/// A région (INSEE code, e.g. `27` for Bourgogne-Franche-Comté).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
}

/// A département (INSEE code, e.g. `25`, `2A`, `974`) and the région it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Departement {
    pub code: &'static str,
    pub name: &'static str,
    pub region_code: &'static str,
}

/// A commune (or a municipal arrondissement of Paris, Lyon or Marseille).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commune {
    pub code: &'static str,
    pub name: &'static str,
    pub departement_code: &'static str,
    pub region_code: &'static str,
    pub postcodes: Vec<&'static str>,
    pub population: u32,
    /// For a municipal arrondissement, its commune (`75056` for Paris).
    pub parent_code: Option<&'static str>,
    #[serde(skip)]
    pub(crate) key: String,
}

/// A former commune merged into a current one (a *commune déléguée* or *associée*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormerCommune {
    pub code: &'static str,
    pub name: &'static str,
    pub commune_code: &'static str,
    #[serde(skip)]
    pub(crate) key: String,
}

pub fn regions() -> &'static [Region] {
    &reference::get().regions
}

pub fn departements() -> &'static [Departement] {
    &reference::get().departements
}

pub fn communes() -> &'static [Commune] {
    &reference::get().communes
}

pub fn region(code: &str) -> Option<&'static Region> {
    regions().iter().find(|r| r.code == code)
}

pub fn departement(code: &str) -> Option<&'static Departement> {
    departements().iter().find(|d| d.code == code)
}

pub fn departements_of_region(region_code: &str) -> impl Iterator<Item = &'static Departement> {
    departements()
        .iter()
        .filter(move |d| d.region_code == region_code)
}

pub fn commune(code: &str) -> Option<&'static Commune> {
    let r = reference::get();
    r.commune_index.get(code).map(|&i| &r.communes[i])
}

/// The communes a postcode serves (several share one; one can have several).
pub fn communes_with_postcode(postcode: &str) -> Vec<&'static Commune> {
    let r = reference::get();
    r.postcode_index
        .get(postcode)
        .map(|list| list.iter().map(|&i| &r.communes[i]).collect())
        .unwrap_or_default()
}

/// The municipal arrondissements of Paris, Lyon or Marseille (none for other communes).
pub fn arrondissements_of(commune_code: &str) -> Vec<&'static Commune> {
    let r = reference::get();
    r.arrondissements
        .get(commune_code)
        .map(|list| list.iter().map(|&i| &r.communes[i]).collect())
        .unwrap_or_default()
}

/// The département of a commune code.
pub fn departement_of_commune(commune_code: &str) -> Option<&'static Departement> {
    departement(commune(commune_code)?.departement_code)
}

/// Whether `code` has the shape of a commune INSEE code: five characters, digits except
/// for Corsica's `2A`/`2B`.
pub fn is_commune_code_format(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() != 5 {
        return false;
    }
    let corsica = bytes[0] == b'2' && (bytes[1] == b'A' || bytes[1] == b'B');
    let head_ok = corsica || (bytes[0].is_ascii_digit() && bytes[1].is_ascii_digit());
    head_ok && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// A commune that exists today (a postcode such as `25000` is not one).
pub fn is_known_commune_code(code: &str) -> bool {
    commune(code).is_some()
}

/// A French postcode: five digits, not starting with `00`.
pub fn is_postcode(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with("00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_complete() {
        assert_eq!(regions().len(), 18);
        assert_eq!(departements().len(), 101);
        assert!(communes().len() > 34_000);
        for d in departements() {
            assert!(region(d.region_code).is_some(), "{} has no région", d.code);
        }
        for c in communes() {
            assert!(
                departement(c.departement_code).is_some(),
                "{} has no département",
                c.code
            );
        }
    }

    #[test]
    fn communes_and_postcodes() {
        let besancon = commune("25056").unwrap();
        assert_eq!(
            (
                besancon.name,
                besancon.departement_code,
                besancon.region_code
            ),
            ("Besançon", "25", "27")
        );
        assert!(besancon.postcodes.contains(&"25000"));
        assert!(besancon.population > 100_000);
        assert!(
            commune("25000").is_none(),
            "a postcode is not a commune code"
        );
        assert_eq!(commune("75113").unwrap().parent_code, Some("75056"));
        assert_eq!(departement_of_commune("2A004").map(|d| d.code), Some("2A"));
        assert_eq!(
            departement_of_commune("97411").map(|d| d.region_code),
            Some("04")
        );
        let names: Vec<_> = communes_with_postcode("25000")
            .iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["Besançon"]);
        assert!(communes_with_postcode("01400").len() > 3);
    }

    #[test]
    fn code_shapes() {
        assert!(is_commune_code_format("2A004") && is_commune_code_format("25056"));
        assert!(!is_commune_code_format("2C004") && !is_commune_code_format("2504"));
        assert!(is_postcode("75013") && is_postcode("01400"));
        assert!(!is_postcode("7501") && !is_postcode("00100"));
    }

    #[test]
    fn departements_of_a_region() {
        let bfc: Vec<_> = departements_of_region("27").map(|d| d.code).collect();
        assert_eq!(bfc, ["21", "25", "39", "58", "70", "71", "89", "90"]);
    }
}

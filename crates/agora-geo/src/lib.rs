//! French administrative geography: the régions and départements (INSEE codes, names,
//! hierarchy) and the format rules of commune codes and postcodes.
//!
//! The tables are the official INSEE codes (COG); they change rarely and ship with the
//! product so that validation never depends on a file being present.

mod tables;

use serde::Serialize;

pub use tables::{DEPARTEMENTS, REGIONS};

/// A région (INSEE code, e.g. `27` for Bourgogne-Franche-Comté).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: &'static str,
    pub name: &'static str,
}

/// A département (INSEE code, e.g. `25`, `2A`, `974`) and the région it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Departement {
    pub code: &'static str,
    pub name: &'static str,
    pub region_code: &'static str,
}

pub fn region(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

pub fn departement(code: &str) -> Option<&'static Departement> {
    DEPARTEMENTS.iter().find(|d| d.code == code)
}

pub fn departements_of_region(region_code: &str) -> impl Iterator<Item = &'static Departement> {
    DEPARTEMENTS
        .iter()
        .filter(move |d| d.region_code == region_code)
}

/// The département code a commune INSEE code belongs to: the first two characters, or the
/// first three overseas (`97x`). `None` when the code is not a well-formed commune code
/// of a known département.
pub fn departement_of_commune(commune_code: &str) -> Option<&'static Departement> {
    if !is_commune_code_format(commune_code) {
        return None;
    }
    let prefix_len = if commune_code.starts_with("97") { 3 } else { 2 };
    departement(commune_code.get(..prefix_len)?)
}

/// Whether `code` has the shape of a commune INSEE code: five characters, digits except
/// for Corsica's `2A`/`2B`. Existence of the commune is a matter for the commune reference.
pub fn is_commune_code_format(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() != 5 {
        return false;
    }
    let corsica = bytes[0] == b'2' && (bytes[1] == b'A' || bytes[1] == b'B');
    let head_ok = corsica || (bytes[0].is_ascii_digit() && bytes[1].is_ascii_digit());
    head_ok && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// A commune code that is well formed and falls in a known département.
pub fn is_known_commune_code(code: &str) -> bool {
    departement_of_commune(code).is_some()
}

/// A French postcode: five digits, not starting with `00`.
pub fn is_postcode(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with("00")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_departement_belongs_to_a_known_region() {
        for d in DEPARTEMENTS {
            assert!(region(d.region_code).is_some(), "{} has no région", d.code);
        }
        assert_eq!(REGIONS.len(), 18);
        assert_eq!(DEPARTEMENTS.len(), 101);
    }

    #[test]
    fn commune_codes_resolve_to_their_departement() {
        assert_eq!(departement_of_commune("25056").map(|d| d.code), Some("25"));
        assert_eq!(departement_of_commune("2A004").map(|d| d.code), Some("2A"));
        assert_eq!(departement_of_commune("97411").map(|d| d.code), Some("974"));
        assert_eq!(
            departement_of_commune("75113").map(|d| d.region_code),
            Some("11")
        );
        assert!(
            departement_of_commune("20004").is_none(),
            "20 is no longer a département"
        );
        assert!(
            departement_of_commune("97511").is_none(),
            "975 is not a département"
        );
        assert!(!is_commune_code_format("2C004"));
        assert!(!is_commune_code_format("2504"));
        assert!(!is_commune_code_format("250566"));
    }

    #[test]
    fn postcodes_are_five_digits() {
        assert!(is_postcode("75013"));
        assert!(is_postcode("01400"));
        assert!(!is_postcode("7501"));
        assert!(!is_postcode("7501A"));
        assert!(!is_postcode("00100"));
    }

    #[test]
    fn departements_of_a_region() {
        let bfc: Vec<_> = departements_of_region("27").map(|d| d.code).collect();
        assert_eq!(bfc, ["21", "25", "39", "58", "70", "71", "89", "90"]);
    }
}

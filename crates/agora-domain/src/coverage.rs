//! Coverage zones: where a service or project is available. Geographic search matches on
//! the zone ("the zone contains the user's place"), never on a centre point alone.

use crate::validation::Validator;
use serde::{Deserialize, Serialize};

/// Upper bound of a point-and-radius zone; anything wider is a région or national.
pub const MAX_RADIUS_KM: f64 = 300.0;
const MAX_CODES: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Coverage {
    /// The whole of France.
    National,
    /// A set of régions, by INSEE code (`27`).
    Regions { codes: Vec<String> },
    /// A set of départements, by INSEE code (`25`, `2A`, `974`).
    Departements { codes: Vec<String> },
    /// A set of communes, by INSEE code (`25056`).
    Communes { codes: Vec<String> },
    /// A disc around a point.
    Radius { lat: f64, lon: f64, radius_km: f64 },
}

impl Coverage {
    pub fn kind_str(&self) -> &'static str {
        match self {
            Self::National => "national",
            Self::Regions { .. } => "regions",
            Self::Departements { .. } => "departements",
            Self::Communes { .. } => "communes",
            Self::Radius { .. } => "radius",
        }
    }

    pub(crate) fn validate(&mut self, v: &mut Validator, pointer: &str) {
        let codes_pointer = format!("{pointer}/codes");
        match self {
            Self::National => {}
            Self::Regions { codes } => check_codes(v, &codes_pointer, codes, "région", |c| {
                agora_geo::region(c).is_some()
            }),
            Self::Departements { codes } => {
                check_codes(v, &codes_pointer, codes, "département", |c| {
                    agora_geo::departement(c).is_some()
                })
            }
            Self::Communes { codes } => check_codes(v, &codes_pointer, codes, "commune", |c| {
                agora_geo::is_known_commune_code(c)
            }),
            Self::Radius {
                lat,
                lon,
                radius_km,
            } => {
                check_point(v, pointer, *lat, *lon);
                v.check(
                    radius_km.is_finite() && *radius_km > 0.0 && *radius_km <= MAX_RADIUS_KM,
                    &format!("{pointer}/radius_km"),
                    "out_of_range",
                    format!("must be greater than 0 and at most {MAX_RADIUS_KM} km"),
                );
            }
        }
    }
}

fn check_codes(
    v: &mut Validator,
    pointer: &str,
    codes: &mut Vec<String>,
    what: &str,
    known: impl Fn(&str) -> bool,
) {
    for c in codes.iter_mut() {
        *c = c.trim().to_ascii_uppercase();
    }
    if codes.is_empty() {
        v.push(
            pointer,
            "required",
            format!("at least one {what} code is needed"),
        );
    }
    if codes.len() > MAX_CODES {
        v.push(pointer, "too_many", format!("at most {MAX_CODES} codes"));
    }
    // Pointers follow the order the client sent; the stored list is sorted afterwards.
    for (i, c) in codes.iter().enumerate() {
        if !known(c) {
            v.push(
                format!("{pointer}/{i}"),
                "unknown_code",
                format!("`{c}` is not a {what} INSEE code"),
            );
        }
    }
    codes.sort();
    codes.dedup();
}

/// Checks a latitude/longitude pair lies in France's extent (mainland and overseas).
pub(crate) fn check_point(v: &mut Validator, pointer: &str, lat: f64, lon: f64) {
    v.check(
        lat.is_finite() && (-90.0..=90.0).contains(&lat),
        &format!("{pointer}/lat"),
        "out_of_range",
        "latitude must be between -90 and 90",
    );
    v.check(
        lon.is_finite() && (-180.0..=180.0).contains(&lon),
        &format!("{pointer}/lon"),
        "out_of_range",
        "longitude must be between -180 and 180",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(mut c: Coverage) -> Vec<String> {
        let mut v = Validator::new();
        c.validate(&mut v, "/coverage");
        v.finish()
            .err()
            .map(|e| e.0.into_iter().map(|e| e.pointer).collect())
            .unwrap_or_default()
    }

    #[test]
    fn known_codes_pass_and_unknown_are_pointed_at() {
        assert!(errors(Coverage::National).is_empty());
        assert!(
            errors(Coverage::Regions {
                codes: vec!["27".into()]
            })
            .is_empty()
        );
        assert!(
            errors(Coverage::Departements {
                codes: vec!["2a".into(), "25".into()]
            })
            .is_empty()
        );
        assert_eq!(
            errors(Coverage::Departements {
                codes: vec!["25".into(), "20".into()]
            }),
            ["/coverage/codes/1"]
        );
        assert_eq!(
            errors(Coverage::Communes { codes: vec![] }),
            ["/coverage/codes"]
        );
        assert_eq!(
            errors(Coverage::Radius {
                lat: 47.2,
                lon: f64::NAN,
                radius_km: 0.0
            }),
            ["/coverage/lon", "/coverage/radius_km"]
        );
    }

    #[test]
    fn wire_format_is_tagged_and_strict() {
        let c: Coverage = serde_json::from_str(r#"{"kind":"regions","codes":["27"]}"#).unwrap();
        assert_eq!(
            c,
            Coverage::Regions {
                codes: vec!["27".into()]
            }
        );
        assert!(
            serde_json::from_str::<Coverage>(r#"{"kind":"regions","codes":[],"x":1}"#).is_err()
        );
        assert!(serde_json::from_str::<Coverage>(r#"{"kind":"galaxy"}"#).is_err());
    }
}

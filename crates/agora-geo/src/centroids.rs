//! Reading commune centroids from the official open-data file "communes-departement-region"
//! (La Poste's postcodes with coordinates). Rows are tied to communes by their INSEE code
//! when the file has one, else by postcode and name; rows naming a former commune give a
//! point to the commune it merged into when that commune has none of its own.

use crate::names::fold;
use crate::{communes_with_postcode, reference};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Centroid {
    pub code: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: usize,
    pub matched: usize,
    pub matched_by_former_name: usize,
    pub unmatched: usize,
    pub without_coordinates: usize,
    pub communes_with_centroid: usize,
    pub communes_total: usize,
}

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
}

/// `1` → `01`, `974` stays, `2A` stays.
fn departement_code(raw: &str) -> String {
    let raw = raw.trim();
    if raw.len() == 1 && raw.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{raw}")
    } else {
        raw.to_owned()
    }
}

fn zero_padded(raw: &str, width: usize) -> String {
    let raw = raw.trim();
    if raw.bytes().all(|b| b.is_ascii_digit()) && raw.len() < width {
        format!("{raw:0>width$}")
    } else {
        raw.to_owned()
    }
}

/// Parses a `;`-separated centroid file and averages the points of each commune.
pub fn parse_centroids(input: impl Read) -> Result<(Vec<Centroid>, ImportReport), String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| format!("unreadable header: {e}"))?
        .clone();
    let lat_at = column(&headers, &["latitude"]).ok_or("no `latitude` column")?;
    let lon_at = column(&headers, &["longitude"]).ok_or("no `longitude` column")?;
    let insee_at = column(&headers, &["code_commune_insee", "code_insee"]);
    let postcode_at = column(&headers, &["code_postal"]);
    let names_at: Vec<usize> = [
        "nom_commune_complet",
        "nom_commune",
        "nom_commune_postal",
        "libelle_acheminement",
    ]
    .iter()
    .filter_map(|n| column(&headers, &[n]))
    .collect();
    let dept_at = column(&headers, &["code_departement"]);
    if insee_at.is_none() && (postcode_at.is_none() || names_at.is_empty()) {
        return Err(
            "the file needs `code_commune_INSEE`, or `code_postal` and a commune name".into(),
        );
    }

    let reference = reference::get();
    let mut report = ImportReport {
        communes_total: reference.communes.len(),
        ..ImportReport::default()
    };
    let mut direct: HashMap<&'static str, (f64, f64, u32)> = HashMap::new();
    let mut via_former: HashMap<&'static str, (f64, f64, u32)> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("line {}: {e}", report.rows + 2))?;
        report.rows += 1;
        let get = |i: usize| record.get(i).unwrap_or_default();
        let (Ok(lat), Ok(lon)) = (
            get(lat_at).trim().parse::<f64>(),
            get(lon_at).trim().parse::<f64>(),
        ) else {
            report.without_coordinates += 1;
            continue;
        };
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            report.without_coordinates += 1;
            continue;
        }
        let names: Vec<String> = names_at
            .iter()
            .map(|&i| fold(get(i)))
            .filter(|n| !n.is_empty())
            .collect();
        let by_code = insee_at
            .and_then(|i| crate::commune(&zero_padded(get(i), 5)))
            .map(|c| c.code);
        let by_name = || {
            let postcode = zero_padded(get(postcode_at?), 5);
            communes_with_postcode(&postcode)
                .into_iter()
                .find(|c| names.contains(&c.key))
                .map(|c| c.code)
        };
        if let Some(code) = by_code.or_else(by_name) {
            let e = direct.entry(code).or_insert((0.0, 0.0, 0));
            *e = (e.0 + lat, e.1 + lon, e.2 + 1);
            report.matched += 1;
            continue;
        }
        let departement = dept_at.map(|i| departement_code(get(i)));
        let former = reference.former.iter().find(|f| {
            names.contains(&f.key)
                && crate::commune(f.commune_code).is_some_and(|c| {
                    departement
                        .as_deref()
                        .is_none_or(|d| d == c.departement_code)
                })
        });
        match former {
            Some(f) => {
                let e = via_former.entry(f.commune_code).or_insert((0.0, 0.0, 0));
                *e = (e.0 + lat, e.1 + lon, e.2 + 1);
                report.matched_by_former_name += 1;
            }
            None => report.unmatched += 1,
        }
    }
    // A commune's own rows win over those of the communes it absorbed.
    let mut points: BTreeMap<&'static str, (f64, f64, u32)> = via_former.into_iter().collect();
    points.extend(direct);
    report.communes_with_centroid = points.len();
    let centroids = points
        .into_iter()
        .map(|(code, (lat, lon, n))| Centroid {
            code: code.to_owned(),
            lat: lat / f64::from(n),
            lon: lon / f64::from(n),
        })
        .collect();
    Ok((centroids, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WITHOUT_INSEE: &str = "code_postal;libelle_acheminement;latitude;longitude;nom_commune;nom_commune_complet;code_departement;nom_departement;nom_region
25000;BESANCON;47.2553872249;6.01948696494;Besançon;Besançon;25;Doubs;Bourgogne-Franche-Comté
1400;L ABERGEMENT CLEMENCIAT;46.1534255214;4.92611354223;Abergement-Clémenciat;L'Abergement-Clémenciat;1;Ain;Auvergne-Rhône-Alpes
1200;BELLEGARDE SUR VALSERINE;46.1;5.82;Bellegarde-sur-Valserine;Bellegarde-sur-Valserine;1;Ain;Auvergne-Rhône-Alpes
99999;NOWHERE;1.0;2.0;Nulle Part;Nulle Part;99;;
75013;PARIS;;;Paris;Paris 13e Arrondissement;75;Paris;Île-de-France
";

    #[test]
    fn rows_without_insee_codes_are_matched_by_postcode_and_name() {
        let (centroids, report) = parse_centroids(WITHOUT_INSEE.as_bytes()).unwrap();
        let at = |code: &str| {
            centroids
                .iter()
                .find(|c| c.code == code)
                .map(|c| (c.lat, c.lon))
        };
        assert_eq!(at("25056"), Some((47.2553872249, 6.01948696494)));
        assert!(at("01001").is_some(), "département `1` is `01`");
        assert!(
            at("01033").is_some(),
            "Bellegarde-sur-Valserine merged into Valserhône"
        );
        assert_eq!(report.rows, 5);
        assert_eq!(report.matched, 2);
        assert_eq!(report.matched_by_former_name, 1);
        assert_eq!(report.unmatched, 1);
        assert_eq!(report.without_coordinates, 1);
    }

    #[test]
    fn insee_codes_are_used_when_present() {
        let file = "code_commune_INSEE;nom_commune_postal;code_postal;latitude;longitude\n25056;BESANCON;25000;47.25;6.02\n1001;ABERGEMENT;01400;46.15;4.92\n";
        let (centroids, report) = parse_centroids(file.as_bytes()).unwrap();
        assert_eq!(centroids.len(), 2);
        assert_eq!(report.matched, 2);
    }

    #[test]
    fn files_without_the_needed_columns_are_refused() {
        assert!(parse_centroids("a;b\n1;2\n".as_bytes()).is_err());
        assert!(parse_centroids("latitude;longitude\n1;2\n".as_bytes()).is_err());
    }
}

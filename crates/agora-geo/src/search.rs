//! Commune autocomplete: by postcode (digits) or by name, accents and case ignored;
//! larger communes first, former communes pointing to the one they merged into.

use crate::names::fold;
use crate::{Commune, reference};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommuneMatch {
    pub commune: &'static Commune,
    /// When the name typed is that of a former commune merged into this one.
    pub former_name: Option<&'static str>,
}

/// Up to `limit` communes for what someone is typing.
pub fn autocomplete(query: &str, limit: usize) -> Vec<CommuneMatch> {
    let r = reference::get();
    let q = query.trim();
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    if q.bytes().all(|b| b.is_ascii_digit()) {
        let mut found: Vec<&Commune> = r
            .communes
            .iter()
            .filter(|c| c.postcodes.iter().any(|p| p.starts_with(q)))
            .collect();
        found.sort_by(|a, b| b.population.cmp(&a.population).then(a.code.cmp(b.code)));
        return found
            .into_iter()
            .take(limit)
            .map(|commune| CommuneMatch {
                commune,
                former_name: None,
            })
            .collect();
    }
    let key = fold(q);
    if key.is_empty() {
        return Vec::new();
    }
    // Rank: exact name, name starting with the text, a word of the name starting with it.
    let rank = |name_key: &str| -> Option<u8> {
        if name_key == key {
            Some(0)
        } else if name_key.starts_with(&key) {
            Some(1)
        } else if name_key.split(' ').any(|w| w.starts_with(&key))
            || name_key.contains(&format!(" {key}"))
        {
            Some(2)
        } else {
            None
        }
    };
    let mut found: Vec<(u8, &Commune, Option<&'static str>)> = r
        .communes
        .iter()
        .filter_map(|c| rank(&c.key).map(|k| (k, c, None)))
        .collect();
    for former in &r.former {
        if let (Some(k), Some(commune)) = (rank(&former.key), crate::commune(former.commune_code))
            && commune.key != former.key
            && !found.iter().any(|(_, c, _)| c.code == commune.code)
        {
            found.push((k + 1, commune, Some(former.name)));
        }
    }
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(b.1.population.cmp(&a.1.population))
            .then(a.1.code.cmp(b.1.code))
    });
    found
        .into_iter()
        .take(limit)
        .map(|(_, commune, former_name)| CommuneMatch {
            commune,
            former_name,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(q: &str) -> Vec<&'static str> {
        autocomplete(q, 5)
            .into_iter()
            .map(|m| m.commune.name)
            .collect()
    }

    #[test]
    fn by_name_accents_and_case_ignored() {
        assert_eq!(names("besancon")[0], "Besançon");
        assert_eq!(names("BESANÇON")[0], "Besançon");
        assert_eq!(names("saint-étienne")[0], "Saint-Étienne");
        assert_eq!(names("st etienne")[0], "Saint-Étienne");
        assert_eq!(
            names("lons"),
            ["Lons", "Lons-le-Saunier"],
            "the exact name, then the largest starting so"
        );
    }

    #[test]
    fn by_postcode_prefix() {
        assert_eq!(names("25000"), ["Besançon"]);
        let found = autocomplete("750", 30);
        assert!(
            found
                .iter()
                .all(|m| m.commune.postcodes.iter().any(|p| p.starts_with("750")))
        );
        assert_eq!(found[0].commune.name, "Paris");
    }

    #[test]
    fn former_communes_lead_to_the_new_one() {
        let found = autocomplete("Bellegarde-sur-Valserine", 3);
        assert_eq!(found[0].commune.name, "Valserhône");
        assert_eq!(found[0].former_name, Some("Bellegarde-sur-Valserine"));
    }

    #[test]
    fn nothing_for_nothing() {
        assert!(autocomplete("", 5).is_empty());
        assert!(autocomplete("zzzzqqq", 5).is_empty());
        assert!(autocomplete("'-", 5).is_empty());
    }
}

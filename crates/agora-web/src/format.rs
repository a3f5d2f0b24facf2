//! Words for what listings hold: dates, areas, families of themes, modes, costs, phone
//! links. One place, so that the pages, the paper directory and the PDF say the same.

use agora_domain::{Coverage, Vocabularies, VocabularyKind};
use chrono::{DateTime, Datelike, Utc};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "12 mars 2026" (the date in France's time zone would differ only around midnight UTC;
/// a day is all a reader needs).
pub fn date(at: &DateTime<Utc>) -> String {
    let month = MONTHS
        .get(at.month0() as usize)
        .copied()
        .unwrap_or_default();
    let day = if at.day() == 1 {
        "1er".to_owned()
    } else {
        at.day().to_string()
    };
    format!("{day} {month} {}", at.year())
}

/// "mars 2026": when a day would say too much.
pub fn month(at: &DateTime<Utc>) -> String {
    let month = MONTHS
        .get(at.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{month} {}", at.year())
}

/// A family of themes: its word always goes with its colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Family {
    pub slug: String,
    pub label: &'static str,
    pub colour: String,
}

/// The families in the order the portal shows them.
pub const FAMILIES: [(&str, &str); 4] = [
    ("social", "Social"),
    ("travail", "Travail"),
    ("sante", "Santé"),
    ("institutionnel", "Institutionnel"),
];

pub fn family_label(slug: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|(s, _)| *s == slug)
        .map_or("Autre", |(_, l)| l)
}

/// The family of a theme, with its colour from the vocabulary.
pub fn family_of(vocab: &Vocabularies, theme: &str) -> Option<Family> {
    let term = vocab
        .of_kind(VocabularyKind::Theme)
        .find(|t| t.slug == theme)?;
    let slug = term.family.clone()?;
    Some(Family {
        label: family_label(&slug),
        colour: term.colour.clone().unwrap_or_else(|| "#666666".into()),
        slug,
    })
}

/// The families of a listing's themes, each once, in the portal's order.
pub fn families(vocab: &Vocabularies, themes: &[String]) -> Vec<Family> {
    let mut found: Vec<Family> = themes.iter().filter_map(|t| family_of(vocab, t)).collect();
    found.sort_by_key(|f| FAMILIES.iter().position(|(s, _)| *s == f.slug));
    found.dedup_by(|a, b| a.slug == b.slug);
    found
}

/// Every family with its colour (the first theme of each gives it).
pub fn all_families(vocab: &Vocabularies) -> Vec<Family> {
    FAMILIES
        .iter()
        .filter_map(|(slug, _)| {
            vocab
                .of_kind(VocabularyKind::Theme)
                .find(|t| t.family.as_deref() == Some(slug))
                .and_then(|t| family_of(vocab, &t.slug))
        })
        .collect()
}

/// The themes of a family, as vocabulary slugs.
pub fn themes_of_family(vocab: &Vocabularies, family: &str) -> Vec<String> {
    vocab
        .of_kind(VocabularyKind::Theme)
        .filter(|t| t.family.as_deref() == Some(family))
        .map(|t| t.slug.clone())
        .collect()
}

/// A vocabulary value's label, or the value itself when unknown.
pub fn label(vocab: &Vocabularies, kind: VocabularyKind, slug: &str) -> String {
    vocab
        .label(kind, slug)
        .map_or_else(|| slug.to_owned(), str::to_owned)
}

pub fn labels(vocab: &Vocabularies, kind: VocabularyKind, slugs: &[String]) -> Vec<String> {
    slugs.iter().map(|s| label(vocab, kind, s)).collect()
}

fn names_list(mut names: Vec<String>, max: usize) -> String {
    let total = names.len();
    if total > max {
        names.truncate(max);
        format!("{}… ({} en tout)", names.join(", "), total)
    } else {
        names.join(", ")
    }
}

/// Where a listing is available, in words: "Toute la France", "Doubs, Jura".
pub fn coverage(c: &Coverage) -> String {
    match c {
        Coverage::National => "Toute la France".into(),
        Coverage::Regions { codes } => names_list(
            codes
                .iter()
                .map(|c| agora_geo::region(c).map_or_else(|| c.clone(), |r| r.name.to_owned()))
                .collect(),
            4,
        ),
        Coverage::Departements { codes } => names_list(
            codes
                .iter()
                .map(|c| {
                    agora_geo::departement(c)
                        .map_or_else(|| c.clone(), |d| format!("{} ({})", d.name, d.code))
                })
                .collect(),
            4,
        ),
        Coverage::Communes { codes } => names_list(
            codes
                .iter()
                .map(|c| agora_geo::commune(c).map_or_else(|| c.clone(), |m| m.name.to_owned()))
                .collect(),
            4,
        ),
        Coverage::Radius { radius_km, .. } => {
            format!(
                "Dans un rayon de {} km autour du lieu d'accueil",
                radius_km.round()
            )
        }
    }
}

/// A `tel:` address for a French number as written ("03 81 47 99 99" → "tel:+33381479999").
pub fn tel(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) if digits.len() == 10 => format!("tel:+33{rest}"),
        _ => format!("tel:{digits}"),
    }
}

/// A wait, in words: "1 minute", "5 minutes", "2 heures".
pub fn wait_in_words(secs: u64) -> String {
    let minutes = secs.div_ceil(60).max(1);
    if minutes < 60 {
        return format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" });
    }
    let hours = minutes.div_ceil(60);
    format!("{hours} heure{}", if hours > 1 { "s" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_as_french_people_write_them() {
        let at = Utc.with_ymd_and_hms(2026, 3, 12, 10, 0, 0).single();
        assert_eq!(at.map(|d| date(&d)).as_deref(), Some("12 mars 2026"));
        let first = Utc.with_ymd_and_hms(2026, 8, 1, 10, 0, 0).single();
        assert_eq!(first.map(|d| date(&d)).as_deref(), Some("1er août 2026"));
    }

    #[test]
    fn areas_are_named_not_coded() {
        assert_eq!(coverage(&Coverage::National), "Toute la France");
        let d = Coverage::Departements {
            codes: vec!["25".into(), "39".into()],
        };
        assert_eq!(coverage(&d), "Doubs (25), Jura (39)");
        let many = Coverage::Departements {
            codes: ["01", "02", "03", "04", "05", "06"]
                .map(String::from)
                .to_vec(),
        };
        assert!(coverage(&many).ends_with("… (6 en tout)"));
    }

    #[test]
    fn phone_links_dial_from_abroad_too() {
        assert_eq!(tel("03 81 47 99 99"), "tel:+33381479999");
        assert_eq!(tel("0 800 400 310"), "tel:+33800400310");
        assert_eq!(tel("3919"), "tel:3919");
    }
}

//! Name comparison for duplicate detection: "Ligue contre le cancer – Doubs" and
//! "LIGUE CONTRE LE CANCER DOUBS" are the same organisation.

/// Words that carry no identity in organisation names.
const NOISE: &[&str] = &[
    "association",
    "asso",
    "l",
    "la",
    "le",
    "les",
    "de",
    "des",
    "du",
    "d",
    "et",
    "a",
    "au",
    "aux",
];

/// A comparison key: ASCII-folded, lower-cased, punctuation and noise words removed.
pub fn name_key(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !NOISE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names are near-identical: same key, or keys within a small edit distance.
pub fn similar_names(a: &str, b: &str) -> bool {
    let (ka, kb) = (name_key(a), name_key(b));
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    ka == kb || strsim::normalized_damerau_levenshtein(&ka, &kb) >= 0.88
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_accents_case_punctuation_and_noise() {
        assert_eq!(
            name_key("Association « L'Étoile du Doubs »"),
            "etoile doubs"
        );
        assert_eq!(
            name_key("Ligue contre le cancer – Doubs"),
            "ligue contre cancer doubs"
        );
    }

    #[test]
    fn near_identical_names() {
        assert!(similar_names(
            "Ligue contre le cancer – Doubs",
            "LIGUE CONTRE LE CANCER DOUBS"
        ));
        assert!(similar_names(
            "Entraide Cancer Bretagne",
            "Entr'aide Cancer Bretagne"
        ));
        assert!(similar_names("Les Amis de Rose", "Amis de Roses"));
        assert!(!similar_names(
            "Entraide Cancer Bretagne",
            "Entraide Cancer Normandie"
        ));
        assert!(!similar_names("Rose", "Lila"));
        assert!(!similar_names("", "Association"));
    }
}

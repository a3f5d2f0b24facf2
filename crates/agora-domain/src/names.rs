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

/// What a name is looked up by when duplicates are searched: the words of its key, and
/// the key's first and last four letters. Two keys close enough for [`similar_names`]
/// share at least one of these unless a single-word name has a typo both in its first
/// four letters and in its last four.
pub fn name_tokens(key: &str) -> Vec<String> {
    let mut tokens: Vec<String> = key
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let letters: Vec<char> = key.chars().filter(|c| *c != ' ').collect();
    if letters.len() >= 4 {
        tokens.push(format!("^{}", letters[..4].iter().collect::<String>()));
        tokens.push(format!(
            "${}",
            letters[letters.len() - 4..].iter().collect::<String>()
        ));
    }
    tokens.sort();
    tokens.dedup();
    tokens
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
    fn similar_names_share_a_token() {
        let pairs = [
            (
                "Ligue contre le cancer – Doubs",
                "LIGUE CONTRE LE CANCER DOUBS",
            ),
            ("Les Amis de Rose", "Amis de Roses"),
            ("Entraide Cancer Bretagne", "Entr'aide Cancer Bretagne"),
            ("Rosalinde", "Rosalinda"),
            ("Oncopluriel", "Oncopluriels"),
            ("Cancer Soutien Doubs", "Cancer Soutiens Doubs"),
        ];
        for (a, b) in pairs {
            assert!(similar_names(a, b), "{a} ~ {b}");
            let (ta, tb) = (name_tokens(&name_key(a)), name_tokens(&name_key(b)));
            assert!(ta.iter().any(|t| tb.contains(t)), "{a} {ta:?} / {b} {tb:?}");
        }
        assert_eq!(name_tokens("amis rose"), ["$rose", "^amis", "amis", "rose"]);
        assert!(name_tokens("").is_empty());
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

//! French text analysis, the same at indexing and at query time: words split on anything
//! but letters and digits (so "l'emploi" gives "l" and "emploi"), lower-cased, accents
//! folded, French stop words and elided articles dropped, words stemmed ("emplois" and
//! "emploi" meet). Queries also expand the words patients use into the words listings use.

use crate::plural::PluralFilter;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenStream,
};

pub const FRENCH: &str = "agora_fr";

/// Elided forms and short words that carry nothing, beyond the standard French list.
const EXTRA_STOP_WORDS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

pub fn french_analyzer() -> TextAnalyzer {
    // Stop words are removed after accents are folded, so the list is folded too.
    let words = stop_words()
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(words))
        .filter(PluralFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// The French stop words (folded), plus elisions.
fn stop_words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = FRENCH_STOP_WORDS.to_vec();
    words.extend_from_slice(EXTRA_STOP_WORDS);
    words
}

/// Common French function words, accent-folded (they are removed after folding).
const FRENCH_STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "meme", "mes", "moi",
    "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui",
    "sa", "se", "ses", "son", "sur", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "y", "est", "sont", "ete", "etre", "avoir", "cet", "cette", "ni", "si",
    "sans", "sous", "chez", "entre", "vers", "afin",
];

/// Words people type, and the words listings use for the same thing.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("boulot", &["emploi", "travail"]),
    ("taf", &["emploi", "travail"]),
    ("job", &["emploi", "travail"]),
    ("taff", &["emploi", "travail"]),
    ("chomage", &["emploi"]),
    ("psy", &["psychologue", "psychologique", "psychologie"]),
    ("psys", &["psychologue", "psychologique"]),
    ("chimio", &["chimiotherapie"]),
    ("radio", &["radiotherapie"]),
    ("onco", &["oncologie", "cancer"]),
    ("k", &["cancer"]),
    ("crabe", &["cancer"]),
    ("sport", &["activite", "physique"]),
    ("apa", &["activite", "physique", "adaptee"]),
    ("aja", &["adolescents", "jeunes", "adultes"]),
    ("proche", &["aidant", "aidants"]),
    ("proches", &["aidant", "aidants"]),
    ("famille", &["aidant", "aidants", "proches"]),
    ("argent", &["financiere", "financement"]),
    ("sous", &["financiere"]),
    ("mdph", &["handicap", "administrative"]),
    ("cpam", &["administrative", "droits"]),
    ("secu", &["administrative", "droits"]),
    ("assurance", &["aeras", "droits"]),
    ("pret", &["aeras", "assurance"]),
    ("beaute", &["esthetique", "socio"]),
    ("maquillage", &["esthetique", "socio"]),
    ("manger", &["nutrition", "alimentation"]),
    ("bouffe", &["nutrition", "alimentation"]),
    ("ecoute", &["soutien", "parole"]),
    ("parler", &["parole", "ecoute"]),
];

/// Analyses `text` into index terms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// One word of a query: what was typed, and its alternatives, each as index terms.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryWord {
    /// The word as typed, folded and lower-cased (before stemming).
    pub typed: String,
    /// The index terms of the word itself.
    pub terms: Vec<String>,
    /// The index terms of its synonyms.
    pub synonyms: Vec<String>,
}

/// Splits a query into words, keeping those that are not stop words.
pub fn query_words(analyzer: &mut TextAnalyzer, query: &str) -> Vec<QueryWord> {
    let mut words = Vec::new();
    for raw in query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let typed = fold(raw);
        let terms = terms(analyzer, raw);
        let synonyms: Vec<String> = SYNONYMS
            .iter()
            .find(|(word, _)| *word == typed)
            .map(|(_, alts)| {
                alts.iter()
                    .flat_map(|a| crate::analysis::terms(analyzer, a))
                    .collect()
            })
            .unwrap_or_default();
        if terms.is_empty() && synonyms.is_empty() {
            continue;
        }
        words.push(QueryWord {
            typed,
            terms,
            synonyms,
        });
    }
    words
}

fn fold(word: &str) -> String {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    terms(&mut analyzer, word).join("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Vec<String> {
        terms(&mut french_analyzer(), text)
    }

    #[test]
    fn accents_case_plurals_and_elision() {
        assert_eq!(analyse("Retour à l'EMPLOI"), analyse("retour emplois"));
        assert_eq!(analyse("Thérapies"), analyse("therapie"));
        assert_eq!(analyse("l'aidant d'un proche"), analyse("aidant proche"));
        assert!(analyse("de la et les").is_empty());
    }

    #[test]
    fn patients_words_expand() {
        let words = query_words(&mut french_analyzer(), "Boulot psy");
        assert_eq!(words.len(), 2);
        assert!(words[0].synonyms.contains(&analyse("emploi")[0]));
        assert!(words[1].synonyms.contains(&analyse("psychologue")[0]));
        assert!(query_words(&mut french_analyzer(), "le la les").is_empty());
    }
}

//! French text analysis, the same at indexing and at query time: words split on anything
//! but letters and digits (so "l'emploi" gives "l" and "emploi"), lower-cased, accents
//! folded, French stop words and elided articles dropped, words stemmed ("emplois" and
//! "emploi" meet). Queries also expand the words patients use into the words listings use
//! (see the lexicon).

use crate::lexicon::Lexicon;
use crate::plural::PluralFilter;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, TokenStream, Tokenizer,
};

pub const FRENCH: &str = "agora_fr";
/// Words as written, for spelling suggestions.
pub const SPELLING: &str = "agora_spelling";

/// Elided forms and short words that carry nothing, beyond the standard French list.
const EXTRA_STOP_WORDS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

pub fn french_analyzer() -> TextAnalyzer {
    words_folded()
        .filter(PluralFilter)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Words folded but not stemmed: a suggestion must be a word people can read.
pub fn spelling_analyzer() -> TextAnalyzer {
    words_folded().build()
}

/// Words split, lower-cased, accents folded, stop words dropped.
fn words_folded() -> TextAnalyzerBuilder<impl Tokenizer> {
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

/// Analyses `text` into index terms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// One word of a query (or several, when the lexicon knows them as one form): what was
/// typed, and its alternatives, each as index terms.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryWord {
    /// The word(s) as typed.
    pub original: String,
    /// The same, folded and lower-cased (before stemming).
    pub typed: String,
    /// The index terms of the word(s) themselves, all of which must match.
    pub terms: Vec<String>,
    /// Other forms that find the same thing (from the lexicon), each as index terms that
    /// must all match.
    pub synonyms: Vec<Vec<String>>,
}

/// A raw word of the query with its analysis.
struct Raw<'a> {
    text: &'a str,
    folded: String,
    term: Option<String>,
}

/// Splits a query into words, keeping those that are not stop words. With a lexicon,
/// question words are left out (unless nothing else is asked), and the longest forms it
/// knows are read as one word with their alternatives.
pub fn query_words(
    analyzer: &mut TextAnalyzer,
    query: &str,
    lexicon: Option<&Lexicon>,
) -> Vec<QueryWord> {
    let mut raw: Vec<Raw<'_>> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|text| Raw {
            text,
            folded: fold(text),
            term: terms(analyzer, text).into_iter().next(),
        })
        .filter(|r| r.term.is_some())
        .collect();
    if let Some(lexicon) = lexicon
        && raw.iter().any(|r| !lexicon.is_question_word(&r.folded))
    {
        raw.retain(|r| !lexicon.is_question_word(&r.folded));
    }
    let mut words = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let mut taken = 1;
        let mut synonyms = Vec::new();
        if let Some(lexicon) = lexicon {
            for len in (1..=lexicon.longest().min(raw.len() - i)).rev() {
                let form: Vec<String> = raw[i..i + len]
                    .iter()
                    .filter_map(|r| r.term.clone())
                    .collect();
                if let Some(alternatives) = lexicon.alternatives(&form) {
                    taken = len;
                    synonyms = alternatives.iter().cloned().collect();
                    break;
                }
            }
        }
        let part = &raw[i..i + taken];
        words.push(QueryWord {
            original: span(query, part),
            typed: part
                .iter()
                .map(|r| r.folded.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            terms: part.iter().filter_map(|r| r.term.clone()).collect(),
            synonyms,
        });
        i += taken;
    }
    words
}

/// The text of the query from the first word of `part` to its last, as typed.
fn span(query: &str, part: &[Raw<'_>]) -> String {
    let offset = |text: &str| text.as_ptr() as usize - query.as_ptr() as usize;
    match (part.first(), part.last()) {
        (Some(first), Some(last)) => {
            let (start, end) = (offset(first.text), offset(last.text) + last.text.len());
            query.get(start..end).unwrap_or(first.text).to_owned()
        }
        _ => String::new(),
    }
}

pub(crate) fn fold(word: &str) -> String {
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
        let lexicon = &*crate::lexicon::LEXICON;
        let words = query_words(&mut french_analyzer(), "Boulot psy", Some(lexicon));
        assert_eq!(words.len(), 2);
        assert!(words[0].synonyms.contains(&analyse("emploi")));
        assert!(words[1].synonyms.contains(&analyse("psychologue")));
        assert!(query_words(&mut french_analyzer(), "le la les", Some(lexicon)).is_empty());
        // Without the lexicon, words are taken as typed.
        let plain = query_words(&mut french_analyzer(), "Boulot psy", None);
        assert!(plain.iter().all(|w| w.synonyms.is_empty()));
    }

    #[test]
    fn forms_of_several_words_are_one_word() {
        let lexicon = &*crate::lexicon::LEXICON;
        let words = query_words(
            &mut french_analyzer(),
            "garde des enfants pendant la chimio",
            Some(lexicon),
        );
        let typed: Vec<&str> = words.iter().map(|w| w.original.as_str()).collect();
        assert_eq!(typed, ["garde des enfants", "pendant", "chimio"]);
        assert_eq!(words[0].terms, analyse("garde enfants"));
    }

    #[test]
    fn question_words_are_left_out_unless_alone() {
        let lexicon = &*crate::lexicon::LEXICON;
        let words = query_words(
            &mut french_analyzer(),
            "je cherche un psy svp",
            Some(lexicon),
        );
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].original, "psy");
        let alone = query_words(&mut french_analyzer(), "bonjour", Some(lexicon));
        assert_eq!(alone.len(), 1);
    }
}

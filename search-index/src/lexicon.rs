//! The field's vocabulary, read from `search-index/lexicon.toml` (reviewed and versioned
//! there, with a reason for each entry): the forms people type and the forms listings use
//! for the same thing, and the words of a question that say nothing of its subject.

use crate::analysis::{french_analyzer, terms};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

const SOURCE: &str = include_str!("../lexicon.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    question: Question,
    #[serde(default)]
    group: Vec<Group>,
    #[serde(default)]
    expand: Vec<Expand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    words: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    forms: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expand {
    from: Vec<String>,
    to: Vec<String>,
    reason: String,
}

/// A form as index terms, all of which a listing must hold.
pub(crate) type Form = Vec<String>;

#[derive(Debug, Default)]
pub struct Lexicon {
    pub version: u32,
    /// Entries in the file (groups and expansions).
    pub entries: usize,
    /// Each form people may type → the other forms it also finds.
    alternatives: HashMap<Form, BTreeSet<Form>>,
    /// Most terms in a form that people may type.
    longest: usize,
    /// Question words, folded as typed.
    question: HashSet<String>,
}

/// The lexicon shipped with the search.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| match Lexicon::parse(SOURCE) {
    Ok(lexicon) => lexicon,
    Err(e) => {
        // A test keeps this from shipping; searching without the lexicon beats not searching.
        tracing::error!(error = %e, "the search lexicon is invalid; searching without it");
        Lexicon::default()
    }
});

impl Lexicon {
    pub(crate) fn parse(source: &str) -> Result<Self, String> {
        let file: File = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut analyzer = french_analyzer();
        let mut form = |text: &str| -> Result<Form, String> {
            let form = terms(&mut analyzer, text);
            if form.is_empty() {
                return Err(format!("`{text}` has no searchable word"));
            }
            Ok(form)
        };
        let mut lexicon = Lexicon {
            version: file.version,
            entries: file.group.len() + file.expand.len(),
            ..Lexicon::default()
        };
        let mut reasons = vec![file.question.reason.as_str()];
        for group in &file.group {
            reasons.push(&group.reason);
            let forms = group
                .forms
                .iter()
                .map(|f| form(f))
                .collect::<Result<Vec<_>, _>>()?;
            for from in &forms {
                lexicon.add(from, forms.iter());
            }
        }
        for expand in &file.expand {
            reasons.push(&expand.reason);
            let to = expand
                .to
                .iter()
                .map(|f| form(f))
                .collect::<Result<Vec<_>, _>>()?;
            for from in &expand.from {
                lexicon.add(&form(from)?, to.iter());
            }
        }
        if reasons.iter().any(|r| r.trim().is_empty()) {
            return Err("every entry needs its reason".into());
        }
        lexicon.question = file
            .question
            .words
            .iter()
            .map(|w| crate::analysis::fold(w))
            .collect();
        Ok(lexicon)
    }

    fn add<'a>(&mut self, from: &Form, to: impl Iterator<Item = &'a Form>) {
        self.longest = self.longest.max(from.len());
        let alternatives = self.alternatives.entry(from.clone()).or_default();
        alternatives.extend(to.filter(|t| *t != from).cloned());
    }

    /// The other forms that `form` finds, if people may type it.
    pub(crate) fn alternatives(&self, form: &[String]) -> Option<&BTreeSet<Form>> {
        self.alternatives.get(form)
    }

    pub(crate) fn longest(&self) -> usize {
        self.longest
    }

    /// Whether a folded word only says that a question is asked.
    pub(crate) fn is_question_word(&self, folded: &str) -> bool {
        self.question.contains(folded)
    }

    /// Forms people may type.
    pub fn forms(&self) -> usize {
        self.alternatives.len()
    }
}

#[cfg(test)]
mod tests {
    use super::{LEXICON, Lexicon, SOURCE};
    use crate::analysis::{french_analyzer, terms};

    fn form(text: &str) -> Vec<String> {
        terms(&mut french_analyzer(), text)
    }

    #[test]
    fn the_shipped_lexicon_is_valid() {
        let lexicon = Lexicon::parse(SOURCE).expect("lexicon.toml");
        assert!(lexicon.version >= 1);
        assert!(lexicon.entries >= 60, "{} entries", lexicon.entries);
        assert_eq!(lexicon.forms(), LEXICON.forms());
    }

    #[test]
    fn groups_go_both_ways_and_expansions_one_way() {
        let socio = LEXICON
            .alternatives(&form("maquillage"))
            .expect("maquillage");
        assert!(socio.contains(&form("socio-esthétique")));
        // "socio-esthétique" is not found when someone types "maquillage" only one way…
        assert!(
            LEXICON
                .alternatives(&form("socio-esthétique"))
                .is_none_or(|alts| !alts.contains(&form("maquillage")))
        );
        // …while the names of chemotherapy find each other.
        assert!(
            LEXICON
                .alternatives(&form("chimio"))
                .expect("chimio")
                .contains(&form("chimiothérapie"))
        );
        assert!(
            LEXICON
                .alternatives(&form("chimiothérapie"))
                .expect("chimiothérapie")
                .contains(&form("chimio"))
        );
        // Forms of several words are kept whole.
        let sport = LEXICON.alternatives(&form("sport")).expect("sport");
        assert!(sport.contains(&form("activité physique adaptée")));
        assert!(LEXICON.alternatives(&form("garde d'enfants")).is_some());
    }

    #[test]
    fn entries_need_reasons_and_words() {
        let no_reason = "version = 1\n[question]\nwords = []\nreason = \"q\"\n[[group]]\nforms = [\"a\", \"b\"]\nreason = \" \"\n";
        assert!(Lexicon::parse(no_reason).is_err());
        let stop_word = "version = 1\n[question]\nwords = []\nreason = \"q\"\n[[group]]\nforms = [\"les\", \"emploi\"]\nreason = \"r\"\n";
        assert!(Lexicon::parse(stop_word).is_err());
        let unknown = "version = 1\nsynonyms = []\n[question]\nwords = []\nreason = \"q\"\n";
        assert!(Lexicon::parse(unknown).is_err());
    }
}

//! A query word's variants, looked up in the index's dictionaries before the search: the
//! terms within one or two typos of it and, for the word being typed, the terms it begins.
//! They become ordinary term queries, scored and read lazily (skipping ahead where other
//! clauses allow), instead of tantivy's fuzzy and prefix queries, which read every posting
//! of every variant into a set first. Only the most frequent variants are kept, so a short
//! prefix cannot turn into thousands of clauses.

use crate::analysis::QueryWord;
use levenshtein_automata::{DFA, Distance, LevenshteinAutomatonBuilder, SINK_STATE};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use tantivy::Searcher;
use tantivy::schema::Field;
use tantivy_fst::Automaton;

/// Most variants a word gets per field.
const MAX_VARIANTS: usize = 24;
/// A word found in this many documents is taken as meant: its typo variants, mostly other
/// words, are not looked for. Below, as for a misspelt word found nowhere, they are.
pub(crate) const KNOWN_WORD_DOCS: u64 = 20;
/// Boosts of a variant, relative to the word itself.
pub(crate) const TYPO_BOOST: f32 = 0.4;
pub(crate) const PREFIX_BOOST: f32 = 0.5;

/// Building an automaton builder is costly; they are built once, for one and two typos
/// (a transposition counting as one).
static ONE_TYPO: LazyLock<LevenshteinAutomatonBuilder> =
    LazyLock::new(|| LevenshteinAutomatonBuilder::new(1, true));
static TWO_TYPOS: LazyLock<LevenshteinAutomatonBuilder> =
    LazyLock::new(|| LevenshteinAutomatonBuilder::new(2, true));

/// Typos tolerated in a word of `len` characters: none in short words, where one typo
/// makes another word.
pub(crate) fn typos_for(len: usize) -> u8 {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

struct Typos<'a>(&'a DFA);

impl Automaton for Typos<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Terms beginning with a prefix. The state is how many bytes of the prefix were matched,
/// or `None` once a byte differs.
struct Prefix<'a>(&'a [u8]);

impl Automaton for Prefix<'_> {
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        Some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Option<usize>) -> bool {
        *state == Some(self.0.len())
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        match *state {
            Some(n) if n == self.0.len() => Some(n),
            Some(n) if self.0.get(n) == Some(&byte) => Some(n + 1),
            _ => None,
        }
    }
}

/// Adds the terms of each of `fields` that `automaton` accepts in any segment, with their
/// document frequency.
fn collect<A>(
    searcher: &Searcher,
    fields: &[Field],
    automaton: &A,
    found: &mut [BTreeMap<String, u64>],
) -> tantivy::Result<()>
where
    A: Automaton,
    A::State: Clone,
{
    for (&field, found) in fields.iter().zip(found.iter_mut()) {
        for reader in searcher.segment_readers() {
            let index = reader.inverted_index(field)?;
            let mut stream = index.terms().search(automaton).into_stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *found.entry(term.to_owned()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    Ok(())
}

/// The variants of `word` in each of `fields` other than its own terms, with their boost:
/// typos when `typos`, prefixes when the word is being typed. Each automaton is built once
/// for all the fields (a two-typo automaton costs more to build than to run).
pub(crate) fn variants(
    searcher: &Searcher,
    fields: &[Field],
    word: &QueryWord,
    typos: bool,
    typing: bool,
) -> tantivy::Result<Vec<Vec<(String, f32)>>> {
    let typed = word.typed.chars().count();
    let own: BTreeSet<&str> = word.terms.iter().map(String::as_str).collect();
    // For each field, term → (document frequency, boost).
    let mut found: Vec<BTreeMap<String, (u64, f32)>> = vec![BTreeMap::new(); fields.len()];
    let mut add = |terms: Vec<BTreeMap<String, u64>>, boost: f32| {
        for (found, terms) in found.iter_mut().zip(terms) {
            for (term, freq) in terms {
                if own.contains(term.as_str()) {
                    continue;
                }
                let entry = found.entry(term).or_insert((freq, boost));
                entry.1 = entry.1.max(boost);
            }
        }
    };
    let builder = match typos_for(typed) {
        _ if !typos => None,
        0 => None,
        1 => Some(&*ONE_TYPO),
        _ => Some(&*TWO_TYPOS),
    };
    for term in &word.terms {
        if let Some(builder) = builder {
            let mut terms = vec![BTreeMap::new(); fields.len()];
            collect(
                searcher,
                fields,
                &Typos(&builder.build_dfa(term)),
                &mut terms,
            )?;
            add(terms, TYPO_BOOST);
        }
        // A word the stemmer shortened is whole ("aidants" gives "aid"): the terms its stem
        // begins ("aident") are other words, not what is being typed.
        if typing && typed >= 3 && *term == word.typed {
            let mut terms = vec![BTreeMap::new(); fields.len()];
            collect(searcher, fields, &Prefix(term.as_bytes()), &mut terms)?;
            add(terms, PREFIX_BOOST);
        }
    }
    Ok(found
        .into_iter()
        .map(|found| {
            let mut variants: Vec<(String, (u64, f32))> = found.into_iter().collect();
            variants.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
            variants.truncate(MAX_VARIANTS);
            variants
                .into_iter()
                .map(|(term, (_, boost))| (term, boost))
                .collect()
        })
        .collect())
}

/// The word of `field` nearest to `word` (one typo up to 8 characters, two beyond; none
/// under 4), the most frequent among the nearest.
pub(crate) fn closest(
    searcher: &Searcher,
    field: Field,
    word: &str,
) -> tantivy::Result<Option<String>> {
    let builder = match word.chars().count() {
        0..=3 => return Ok(None),
        4..=8 => &*ONE_TYPO,
        _ => &*TWO_TYPOS,
    };
    let dfa = builder.build_dfa(word);
    let mut found = vec![BTreeMap::new()];
    collect(searcher, &[field], &Typos(&dfa), &mut found)?;
    Ok(found
        .into_iter()
        .flatten()
        .filter(|(term, _)| term != word)
        .filter_map(|(term, freq)| match dfa.eval(&term) {
            Distance::Exact(d) => Some((d, freq, term)),
            Distance::AtLeast(_) => None,
        })
        .min_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.cmp(&a.1))
                .then_with(|| a.2.cmp(&b.2))
        })
        .map(|(_, _, term)| term))
}

#[cfg(test)]
mod tests {
    use super::{Prefix, TWO_TYPOS, Typos, typos_for};
    use tantivy_fst::Automaton;

    fn accepts<A: Automaton>(a: &A, word: &str) -> bool {
        let mut state = a.start();
        for &b in word.as_bytes() {
            if !a.can_match(&state) {
                return false;
            }
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    #[test]
    fn a_prefix_accepts_the_words_it_begins_only() {
        let p = Prefix(b"psycho");
        assert!(accepts(&p, "psycho"));
        assert!(accepts(&p, "psychologu"));
        assert!(!accepts(&p, "psych"));
        assert!(!accepts(&p, "sophro"));
    }

    #[test]
    fn typos_are_counted_with_transpositions() {
        let dfa = TWO_TYPOS.build_dfa("accompagn");
        let t = Typos(&dfa);
        assert!(accepts(&t, "acompagn"));
        assert!(accepts(&t, "accompagn"));
        assert!(accepts(&t, "acocmpagn"));
        assert!(!accepts(&t, "compagnie"));
        assert_eq!(typos_for(4), 0);
        assert_eq!(typos_for(7), 1);
        assert_eq!(typos_for(12), 2);
    }
}

//! "Did you mean": a word no listing holds, replaced by the nearest word the listings use.

use crate::analysis::QueryWord;
use crate::expand::closest;
use crate::schema::Fields;
use tantivy::{Searcher, Term};

/// The question with each unknown word replaced by its nearest known word, if any was.
pub(crate) fn did_you_mean(
    searcher: &Searcher,
    f: &Fields,
    query: &str,
    words: &[QueryWord],
) -> tantivy::Result<Option<String>> {
    let mut suggestion = query.to_owned();
    let mut changed = false;
    for w in words {
        // Forms of several words and words the lexicon knows are not misspelt.
        let [own] = w.terms.as_slice() else {
            continue;
        };
        if !w.synonyms.is_empty() || searcher.doc_freq(&Term::from_field_text(f.text, own))? > 0 {
            continue;
        }
        let Some(near) = closest(searcher, f.spell, &w.typed)? else {
            continue;
        };
        if let Some(at) = suggestion.find(&w.original) {
            suggestion.replace_range(at..at + w.original.len(), &near);
            changed = true;
        }
    }
    Ok(changed.then_some(suggestion))
}

//! Agora's search index: tantivy with French analysis, filters and facets, coverage-zone
//! and distance matching, a ranking that weighs relevance, freshness, the label and
//! nearness, and cursor pagination. The index is derived data: the service layer fills it
//! from the database's change log and can always rebuild it.

mod analysis;
mod collector;
mod document;
mod error;
mod expand;
mod index;
mod lexicon;
mod nearby;
mod plural;
mod request;
mod schema;
mod search;
mod suggest;
mod table;
mod understand;

pub use agora_geo::{PlaceInWords, PlaceKind, PlaceRef};
pub use document::ListingDoc;
pub use error::SearchError;
pub use index::{INDEX_FORMAT, IndexState, Opened, SearchIndex};
pub use lexicon::{LEXICON, Lexicon};
pub use request::{Cursor, MAX_QUERY_CHARS, MAX_QUERY_WORDS, Place, SearchRequest, Sort};
pub use schema::FACETS;
pub use search::{SearchHit, SearchResults, Snippet};
pub use understand::Widened;

#[cfg(test)]
mod tests;

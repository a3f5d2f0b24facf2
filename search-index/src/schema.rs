//! The index schema. Text fields are analysed in French; filters and facets are raw
//! strings with fast columns; locations are numeric columns.

use crate::analysis::{FRENCH, SPELLING};
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

/// Facets computed on every search, by name (the index field names).
pub const FACETS: &[&str] = &[
    "kind",
    "theme",
    "cancer",
    "audience",
    "stage",
    "mode",
    "skill",
    "free",
    "labelled",
    "scope",
    "format",
    "region",
    "departement",
];

#[derive(Debug, Clone)]
pub struct Fields {
    pub id: Field,
    pub id_hi: Field,
    pub id_lo: Field,
    pub kind: Field,
    pub name: Field,
    /// Every word of the listing, its name included: what a query word must match.
    pub text: Field,
    /// The listing's texts as written, for snippets.
    pub body: Field,
    /// Every word as written (folded, not stemmed): the dictionary of spelling suggestions.
    pub spell: Field,
    pub theme: Field,
    pub cancer: Field,
    pub audience: Field,
    pub stage: Field,
    pub mode: Field,
    pub skill: Field,
    pub free: Field,
    pub labelled: Field,
    pub scope: Field,
    pub format: Field,
    /// Projects seeking contributors now.
    pub open: Field,
    /// Zones that cover a whole place: `all`, a région, a département, a commune.
    pub cover_all: Field,
    pub cover_region: Field,
    pub cover_departement: Field,
    pub cover_commune: Field,
    /// Régions and départements the zone reaches at least in part (also facets).
    pub region: Field,
    pub departement: Field,
    /// Each location as one packed number, so that a latitude keeps its longitude.
    pub location: Field,
    pub weight: Field,
    pub updated: Field,
    pub card: Field,
}

pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let french = |stored: bool| {
        // Frequencies for scoring; no positions, as no search asks for a phrase (snippets
        // read the stored text again).
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(FRENCH)
            .set_index_option(IndexRecordOption::WithFreqs);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let facet = || STRING | FAST;
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        id_hi: b.add_u64_field("id_hi", FAST),
        id_lo: b.add_u64_field("id_lo", FAST),
        kind: b.add_text_field("kind", facet()),
        name: b.add_text_field("name", french(false)),
        text: b.add_text_field("text", french(false)),
        body: b.add_text_field("body", STORED),
        spell: b.add_text_field(
            "spell",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(SPELLING)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
        theme: b.add_text_field("theme", facet()),
        cancer: b.add_text_field("cancer", facet()),
        audience: b.add_text_field("audience", facet()),
        stage: b.add_text_field("stage", facet()),
        mode: b.add_text_field("mode", facet()),
        skill: b.add_text_field("skill", facet()),
        free: b.add_text_field("free", facet()),
        labelled: b.add_text_field("labelled", facet()),
        scope: b.add_text_field("scope", facet()),
        format: b.add_text_field("format", facet()),
        open: b.add_text_field("open", STRING),
        cover_all: b.add_text_field("cover_all", STRING),
        cover_region: b.add_text_field("cover_region", STRING),
        cover_departement: b.add_text_field("cover_departement", STRING),
        cover_commune: b.add_text_field("cover_commune", STRING),
        region: b.add_text_field("region", facet()),
        departement: b.add_text_field("departement", facet()),
        location: b.add_u64_field("location", FAST),
        weight: b.add_f64_field("weight", FAST),
        updated: b.add_i64_field("updated", FAST),
        card: b.add_text_field("card", STORED),
    };
    (b.build(), fields)
}

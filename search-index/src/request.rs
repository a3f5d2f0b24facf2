//! A search as the index understands it, its limits, and its translation into a tantivy
//! query. User text is never parsed as query syntax: `email:x`, `-word` or parentheses
//! are plain words, so no field can be targeted and no construct can be abused.

use crate::analysis::QueryWord;
use crate::error::SearchError;
use crate::expand::{KNOWN_WORD_DOCS, variants};
use crate::schema::Fields;
use agora_domain::ListingKind;
use agora_geo::CommunePoints;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words a query may have, small words ("le", "de", "à") and question words aside
/// (beyond, it is refused rather than run).
pub const MAX_QUERY_WORDS: usize = 12;
/// Most values one filter may list.
pub const MAX_FILTER_VALUES: usize = 20;
pub const DEFAULT_RADIUS_KM: f64 = 20.0;
pub const MAX_RADIUS_KM: f64 = 200.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Region(String),
    Departement(String),
    Commune(String),
    Postcode(String),
    /// "Around me".
    Point {
        lat: f64,
        lon: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Relevance to the words, freshness, label and nearness combined.
    #[default]
    Relevance,
    Distance,
    Recent,
}

/// A position in a result list: results come by descending key, then ascending id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cursor {
    pub key: f64,
    pub id: u128,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchRequest {
    pub q: Option<String>,
    pub kinds: Vec<ListingKind>,
    pub themes: Vec<String>,
    pub cancers: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub modes: Vec<String>,
    pub skills: Vec<String>,
    /// `national`, `regional`, `local` (see [`crate::document::scope`]).
    pub scopes: Vec<String>,
    /// Project formats.
    pub formats: Vec<String>,
    pub free: Option<bool>,
    pub labelled: Option<bool>,
    /// Only projects seeking contributors now.
    pub open_to_help: bool,
    pub place: Option<Place>,
    /// With a point, or with a commune or postcode: on-site listings within this distance
    /// also match.
    pub radius_km: Option<f64>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub limit: usize,
    /// Words as typed, all required: no place read from them, no lexicon, no relaxing.
    pub exact_words: bool,
}

/// A place made concrete: the clause that says "the zone holds it", and where it is.
pub(crate) struct ResolvedPlace {
    pub zone: Box<dyn Query>,
    pub origin: Option<(f64, f64)>,
}

fn term(field: Field, value: &str) -> Term {
    Term::from_field_text(field, value)
}

fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            (
                Occur::Should,
                Box::new(TermQuery::new(term(field, v), IndexRecordOption::Basic))
                    as Box<dyn Query>,
            )
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn commune_zone(f: &Fields, code: &str) -> Result<Box<dyn Query>, SearchError> {
    let commune = agora_geo::commune(code)
        .ok_or_else(|| SearchError::invalid("code_commune", "unknown commune code"))?;
    let mut communes = vec![commune.code.to_owned()];
    if let Some(parent) = commune.parent_code {
        communes.push(parent.to_owned());
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Should,
            Box::new(TermQuery::new(
                term(f.cover_all, "1"),
                IndexRecordOption::Basic,
            )),
        ),
        (
            Occur::Should,
            Box::new(TermQuery::new(
                term(f.cover_region, commune.region_code),
                IndexRecordOption::Basic,
            )),
        ),
        (
            Occur::Should,
            Box::new(TermQuery::new(
                term(f.cover_departement, commune.departement_code),
                IndexRecordOption::Basic,
            )),
        ),
        (Occur::Should, any_of(f.cover_commune, &communes)),
    ];
    Ok(Box::new(BooleanQuery::new(clauses)))
}

pub(crate) fn resolve_place(
    place: &Place,
    f: &Fields,
    points: &CommunePoints,
) -> Result<ResolvedPlace, SearchError> {
    Ok(match place {
        Place::Region(code) => {
            agora_geo::region(code)
                .ok_or_else(|| SearchError::invalid("code_region", "unknown région code"))?;
            ResolvedPlace {
                zone: Box::new(TermQuery::new(
                    term(f.region, code),
                    IndexRecordOption::Basic,
                )),
                origin: None,
            }
        }
        Place::Departement(code) => {
            agora_geo::departement(code).ok_or_else(|| {
                SearchError::invalid("code_departement", "unknown département code")
            })?;
            ResolvedPlace {
                zone: Box::new(TermQuery::new(
                    term(f.departement, code),
                    IndexRecordOption::Basic,
                )),
                origin: None,
            }
        }
        Place::Commune(code) => ResolvedPlace {
            zone: commune_zone(f, code)?,
            origin: points.point(code),
        },
        Place::Postcode(code) => {
            let communes = agora_geo::communes_with_postcode(code);
            if communes.is_empty() {
                return Err(SearchError::invalid(
                    "postcode",
                    "no commune has this postcode",
                ));
            }
            let zones = communes
                .iter()
                .map(|c| commune_zone(f, c.code).map(|q| (Occur::Should, q)))
                .collect::<Result<Vec<_>, _>>()?;
            ResolvedPlace {
                zone: Box::new(BooleanQuery::new(zones)),
                origin: communes.iter().find_map(|c| points.point(c.code)),
            }
        }
        Place::Point { lat, lon } => {
            // Remote services are found where their zone holds the person's commune.
            let zone = match points.nearest_commune(*lat, *lon) {
                Some(c) => commune_zone(f, c.code)?,
                None => Box::new(TermQuery::new(
                    term(f.cover_all, "1"),
                    IndexRecordOption::Basic,
                )),
            };
            ResolvedPlace {
                zone,
                origin: Some((*lat, *lon)),
            }
        }
    })
}

/// A word held by more than one listing in this many is common: it is not expanded
/// through the lexicon.
const COMMON_SHARE: u64 = 50;
/// Score of a match through the lexicon, relative to the word typed.
const SYNONYM_BOOST: f32 = 0.6;
/// Score of a place's name met in a listing's name ("Ligue contre le cancer de la Gironde").
const PLACE_IN_NAME_BOOST: f32 = 1.5;

/// The words of a query as clauses.
pub(crate) struct TextQuery {
    /// Every word must match somewhere.
    pub strict: Box<dyn Query>,
    /// At least one word must match.
    pub relaxed: Box<dyn Query>,
    /// Each word's clause, wherever it matches: to tell which words a listing holds.
    pub words: Vec<Box<dyn Query>>,
    /// How rare each word is in the index (inverse document frequency).
    pub rarity: Vec<f64>,
}

fn scored(field: Field, t: &str, boost: f32) -> Box<dyn Query> {
    let query = TermQuery::new(term(field, t), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(query), boost))
}

/// A form of one or several terms: a listing must hold them all; it scores as much as
/// one word would.
fn all_of(field: Field, terms: &[String], boost: f32) -> Box<dyn Query> {
    match terms {
        [one] => scored(field, one, boost),
        several => {
            let each = boost / several.len() as f32;
            Box::new(BooleanQuery::new(
                several
                    .iter()
                    .map(|t| (Occur::Must, scored(field, t, each)))
                    .collect(),
            ))
        }
    }
}

/// Matches any of `alternatives`, scoring as the best of them.
fn best_of(mut alternatives: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if alternatives.len() == 1 {
        alternatives.remove(0)
    } else {
        Box::new(DisjunctionMaxQuery::with_tie_breaker(alternatives, 0.1))
    }
}

/// How many listings hold every term of `terms` at most (the rarest term's count).
fn least_freq(searcher: &Searcher, f: &Fields, terms: &[String]) -> Result<u64, SearchError> {
    let mut least = u64::MAX;
    for t in terms {
        least = least.min(searcher.doc_freq(&term(f.text, t))?);
    }
    Ok(if least == u64::MAX { 0 } else { least })
}

/// How rare a word is, from `own`, the count of listings holding the word itself.
fn rarity(searcher: &Searcher, f: &Fields, w: &QueryWord, own: u64) -> Result<f64, SearchError> {
    let docs = searcher.num_docs().max(1) as f64;
    // A word no listing uses, found through the lexicon, is as rare as what it finds.
    let mut df = own;
    if df == 0 {
        for synonym in &w.synonyms {
            let n = least_freq(searcher, f, synonym)?;
            if n > 0 && (df == 0 || n < df) {
                df = n;
            }
        }
    }
    let df = df as f64;
    Ok((1.0 + (docs - df + 0.5) / (df + 0.5)).ln())
}

/// The words of the query, each matching exactly, through the lexicon, with a typo (when
/// the word itself is rare in the index), or (the last one, as people type, or one no
/// listing holds) as a prefix,
/// somewhere in the listing's words (its name included). A word met in the name scores
/// more, by an optional clause: matching then intersects term postings, with skips,
/// rather than walking unions of both fields. The name of a place read from the words
/// scores in listing names the same way.
pub(crate) fn text_query(
    f: &Fields,
    words: &[QueryWord],
    place_words: &[QueryWord],
    searcher: &Searcher,
) -> Result<Option<TextQuery>, SearchError> {
    if words.is_empty() {
        return Ok(None);
    }
    let last = words.len() - 1;
    let mut word_clauses: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
    let mut in_name: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut rarities = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let fields = [(f.text, 1.0), (f.name, 3.0)];
        // How many listings hold the word itself: it decides typos, completion, synonyms
        // and rarity.
        let own = least_freq(searcher, f, &w.terms)?;
        // Typos and prefixes are looked for in single words only.
        let found = if w.terms.len() == 1 {
            // The last word may be unfinished; a word no listing holds may be cut short
            // anywhere ("sophro en 2A").
            let typing = i == last || (own == 0 && w.typed.chars().count() >= 4);
            variants(
                searcher,
                &fields.map(|(field, _)| field),
                w,
                own < KNOWN_WORD_DOCS,
                typing,
            )?
        } else {
            vec![Vec::new(), Vec::new()]
        };
        let mut alternatives = [Vec::new(), Vec::new()];
        // A word many listings use is taken as meant, as for typos: its synonyms would
        // mostly add listings that rank below a page of its own.
        let synonyms = if own < KNOWN_WORD_DOCS || own * COMMON_SHARE < searcher.num_docs() {
            w.synonyms.as_slice()
        } else {
            &[]
        };
        for (((field, boost), found), alternatives) in
            fields.into_iter().zip(found).zip(alternatives.iter_mut())
        {
            alternatives.push(all_of(field, &w.terms, boost));
            for synonym in synonyms {
                alternatives.push(all_of(field, synonym, boost * SYNONYM_BOOST));
            }
            for (t, variant_boost) in found {
                alternatives.push(scored(field, &t, boost * variant_boost));
            }
        }
        // A word scores as its best alternative: a listing using several synonyms of a word
        // does not outrank one holding the word itself.
        let [anywhere, name] = alternatives.map(best_of);
        word_clauses.push(anywhere);
        in_name.push((Occur::Should, name));
        rarities.push(rarity(searcher, f, w, own)?);
    }
    for w in place_words {
        in_name.push((Occur::Should, all_of(f.name, &w.terms, PLACE_IN_NAME_BOOST)));
    }
    let mut strict: Vec<(Occur, Box<dyn Query>)> = word_clauses
        .iter()
        .map(|q| (Occur::Must, q.box_clone()))
        .collect();
    strict.extend(in_name.iter().map(|(o, q)| (*o, q.box_clone())));
    let any_word = BooleanQuery::new(
        word_clauses
            .iter()
            .map(|q| (Occur::Should, q.box_clone()))
            .collect(),
    );
    let mut relaxed: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(any_word))];
    relaxed.extend(in_name);
    Ok(Some(TextQuery {
        strict: Box::new(BooleanQuery::new(strict)),
        relaxed: Box::new(BooleanQuery::new(relaxed)),
        words: word_clauses,
        rarity: rarities,
    }))
}

/// Checks the request's limits and returns its text, if any.
pub(crate) fn checked_text(request: &SearchRequest) -> Result<Option<&str>, SearchError> {
    let Some(q) = request
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    else {
        return Ok(None);
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::invalid(
            "q",
            &format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    Ok(Some(q))
}

/// The filters every result must pass (they do not score).
pub(crate) fn filters(f: &Fields, r: &SearchRequest) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let lists: [(&str, Field, &Vec<String>); 8] = [
        ("theme", f.theme, &r.themes),
        ("audience", f.audience, &r.audiences),
        ("stage", f.stage, &r.stages),
        ("mode", f.mode, &r.modes),
        ("skill", f.skill, &r.skills),
        ("cancer", f.cancer, &r.cancers),
        ("scope", f.scope, &r.scopes),
        ("format", f.format, &r.formats),
    ];
    for (name, field, values) in lists {
        if values.len() > MAX_FILTER_VALUES {
            return Err(SearchError::invalid(
                name,
                &format!("at most {MAX_FILTER_VALUES} values"),
            ));
        }
        if values.is_empty() {
            continue;
        }
        out.push(any_of(field, values));
    }
    if !r.kinds.is_empty() {
        let kinds: Vec<String> = r.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        out.push(any_of(f.kind, &kinds));
    }
    if r.open_to_help {
        out.push(Box::new(TermQuery::new(
            term(f.open, "true"),
            IndexRecordOption::Basic,
        )));
    }
    for (field, value) in [(f.free, r.free), (f.labelled, r.labelled)] {
        if let Some(v) = value {
            out.push(Box::new(TermQuery::new(
                term(field, if v { "true" } else { "false" }),
                IndexRecordOption::Basic,
            )));
        }
    }
    Ok(out
        .into_iter()
        .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
        .collect())
}

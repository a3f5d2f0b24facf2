//! A search as the index understands it, its limits, and its translation into a tantivy
//! query. User text is never parsed as query syntax: `email:x`, `-word` or parentheses
//! are plain words, so no field can be targeted and no construct can be abused.

use crate::analysis::{QueryWord, query_words};
use crate::error::SearchError;
use crate::expand::{KNOWN_WORD_DOCS, occurrences, variants};
use crate::schema::Fields;
use agora_domain::ListingKind;
use agora_geo::CommunePoints;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// Longest query text accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words a query may have (beyond, it is refused rather than run).
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

/// The words of the query, each matching exactly, by synonym, with a typo (when the word
/// itself is rare in the index), or (the last one, as people type) as a prefix; every
/// word must match somewhere in the listing's words (its name included). A word met in
/// the name scores more, by an optional clause: matching then intersects term postings,
/// with skips, rather than walking unions of both fields.
pub(crate) fn text_query(
    f: &Fields,
    words: &[QueryWord],
    searcher: &Searcher,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    if words.is_empty() {
        return Ok(None);
    }
    let last = words.len() - 1;
    let scored = |field: Field, t: &str, boost: f32| -> Box<dyn Query> {
        let query = TermQuery::new(term(field, t), IndexRecordOption::WithFreqs);
        Box::new(BoostQuery::new(Box::new(query), boost))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len() + 1);
    let mut in_name: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let typos = occurrences(searcher, &[f.text], w)? < KNOWN_WORD_DOCS;
        let fields = [(f.text, 1.0), (f.name, 3.0)];
        let found = variants(
            searcher,
            &fields.map(|(field, _)| field),
            w,
            typos,
            i == last,
        )?;
        let mut alternatives = [Vec::new(), Vec::new()];
        for (((field, boost), found), alternatives) in
            fields.into_iter().zip(found).zip(alternatives.iter_mut())
        {
            for t in &w.terms {
                alternatives.push(scored(field, t, boost));
            }
            for t in &w.synonyms {
                alternatives.push(scored(field, t, boost * 0.8));
            }
            for (t, variant_boost) in found {
                alternatives.push(scored(field, &t, boost * variant_boost));
            }
        }
        let [mut anywhere, name] = alternatives;
        let must: Box<dyn Query> = if anywhere.len() == 1 {
            anywhere.remove(0)
        } else {
            Box::new(BooleanQuery::new(
                anywhere.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        clauses.push((Occur::Must, must));
        in_name.extend(name.into_iter().map(|q| (Occur::Should, q)));
    }
    clauses.extend(in_name);
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// Checks the request's limits and reads its words.
pub(crate) fn words(
    analyzer: &mut TextAnalyzer,
    request: &SearchRequest,
) -> Result<Vec<QueryWord>, SearchError> {
    let Some(q) = request
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    else {
        return Ok(Vec::new());
    };
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::invalid(
            "q",
            &format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    if q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
        > MAX_QUERY_WORDS
    {
        return Err(SearchError::invalid(
            "q",
            &format!("at most {MAX_QUERY_WORDS} words"),
        ));
    }
    Ok(query_words(analyzer, q))
}

/// The filters every result must pass (they do not score).
pub(crate) fn filters(f: &Fields, r: &SearchRequest) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let lists: [(&str, Field, &Vec<String>); 6] = [
        ("theme", f.theme, &r.themes),
        ("audience", f.audience, &r.audiences),
        ("stage", f.stage, &r.stages),
        ("mode", f.mode, &r.modes),
        ("skill", f.skill, &r.skills),
        ("cancer", f.cancer, &r.cancers),
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

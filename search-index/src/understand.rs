//! What a question asks, beyond its words: a place named in them ("près de Nantes", "dans
//! le 25") becomes the place filter, the lexicon's forms are read, and, when nothing is
//! found in a place, the next wider area is tried.

use crate::analysis::{QueryWord, query_words};
use crate::error::SearchError;
use crate::lexicon::LEXICON;
use crate::request::{MAX_QUERY_WORDS, Place, SearchRequest, checked_text};
use agora_geo::{CommunePoints, PlaceInWords, PlaceKind};
use tantivy::tokenizer::TextAnalyzer;

/// A question read.
#[derive(Debug, Default)]
pub(crate) struct Understood {
    /// The words to match (a place's name taken out).
    pub words: Vec<QueryWord>,
    /// The place's name as words: they score in listing names.
    pub place_words: Vec<QueryWord>,
    /// The place read from the words, unless the request named one.
    pub place: Option<PlaceInWords>,
}

pub(crate) fn understand(
    analyzer: &mut TextAnalyzer,
    request: &SearchRequest,
) -> Result<Understood, SearchError> {
    let understood = read(analyzer, request)?;
    if understood.words.len() > MAX_QUERY_WORDS {
        return Err(SearchError::invalid(
            "q",
            &format!("at most {MAX_QUERY_WORDS} words, small words aside"),
        ));
    }
    Ok(understood)
}

fn read(analyzer: &mut TextAnalyzer, request: &SearchRequest) -> Result<Understood, SearchError> {
    let Some(q) = checked_text(request)? else {
        return Ok(Understood::default());
    };
    if request.exact_words {
        return Ok(Understood {
            words: query_words(analyzer, q, None),
            ..Understood::default()
        });
    }
    // A place given as a parameter wins: the words are then only words.
    let found = if request.place.is_none() {
        agora_geo::place_in_words(q)
    } else {
        None
    };
    let Some(found) = found else {
        return Ok(Understood {
            words: query_words(analyzer, q, Some(&LEXICON)),
            ..Understood::default()
        });
    };
    let rest = format!(
        "{} {}",
        q.get(..found.span.start).unwrap_or_default(),
        q.get(found.span.end..).unwrap_or_default()
    );
    let name = q.get(found.name_span.clone()).unwrap_or_default();
    Ok(Understood {
        words: query_words(analyzer, &rest, Some(&LEXICON)),
        place_words: query_words(analyzer, name, None),
        place: Some(found),
    })
}

/// The search place a place read from words stands for.
pub(crate) fn as_place(found: &PlaceInWords) -> Place {
    let code = found.place.code.clone();
    match found.place.kind {
        PlaceKind::Region => Place::Region(code),
        PlaceKind::Departement => Place::Departement(code),
        PlaceKind::Commune => Place::Commune(code),
        PlaceKind::Postcode => Place::Postcode(code),
    }
}

/// An area a search was widened to, when nothing was found in the place asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Widened {
    Departement(String),
    Region(String),
    National,
}

/// The areas around a place, narrowest first, up to the whole country.
pub(crate) fn wider_areas(place: &Place, points: &CommunePoints) -> Vec<Widened> {
    let commune = match place {
        Place::Commune(code) => agora_geo::commune(code),
        Place::Postcode(code) => agora_geo::communes_with_postcode(code).into_iter().next(),
        Place::Point { lat, lon } => points.nearest_commune(*lat, *lon),
        Place::Departement(_) | Place::Region(_) => None,
    };
    let (departement, region) = match (place, commune) {
        (_, Some(c)) => (
            Some(c.departement_code.to_owned()),
            Some(c.region_code.to_owned()),
        ),
        (Place::Departement(code), None) => (
            None,
            agora_geo::departement(code).map(|d| d.region_code.to_owned()),
        ),
        _ => (None, None),
    };
    let mut areas = Vec::new();
    areas.extend(departement.map(Widened::Departement));
    areas.extend(region.map(Widened::Region));
    areas.push(Widened::National);
    areas
}

impl Widened {
    pub(crate) fn as_place(&self) -> Option<Place> {
        match self {
            Self::Departement(code) => Some(Place::Departement(code.clone())),
            Self::Region(code) => Some(Place::Region(code.clone())),
            Self::National => None,
        }
    }
}

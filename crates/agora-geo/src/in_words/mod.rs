//! The place named in a patient's search words: "sophrologie près de Nantes", "aide MDPH 25",
//! "APA Paris 13e", "Ligue contre le cancer de la Gironde". The search takes it out of the
//! text and uses it as a filter.
//!
//! The words are cut into tokens (maximal runs of letters and digits, folded with [`fold`]);
//! every run of 1 to 6 tokens is looked up in a table of région, département and commune
//! names (current and former communes, Paris/Lyon/Marseille arrondissements, aliases) built
//! once; bare département numbers and known postcodes are recognised too. A name needs more
//! evidence the more it looks like an ordinary word: a marker before it ("à", "près de",
//! "dans le"…), a large population, and not being one of the ordinary words that are also
//! places (`words.rs`).
//!
//! A commune name followed by the région or département it lies in ("Saint-Denis de la
//! Réunion", "Valence (Drôme)", "Saint-Pierre en Martinique") means the commune of that name
//! in that area, and the area goes with the name. A large city is also found by the first
//! part of its name when that part is unambiguous ("Cherbourg" for Cherbourg-en-Cotentin).

use crate::names::fold;
use crate::{Commune, Departement, Region, reference};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Region,
    Departement,
    Commune,
    Postcode,
}

/// A place as the search filters on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlaceRef {
    pub kind: PlaceKind,
    /// INSEE code of the région, département or commune; the postcode itself for a postcode.
    pub code: String,
    /// The name as written officially ("Côte-d'Or", "Saint-Étienne", "Paris 13e
    /// Arrondissement"); for a postcode, the name of its commune (the most populous one when
    /// several share it, an arrondissement rather than its whole city).
    pub name: String,
}

/// The place found in a query, and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceInWords {
    pub place: PlaceRef,
    /// Other places the same words could mean, most likely first (at most 5).
    pub alternatives: Vec<PlaceRef>,
    /// Byte range in the query of the words to take out of the text: the marker ("près de",
    /// "dans le") and the name (and a département number or postcode right after it, as in
    /// "Saint-Denis 93").
    pub span: Range<usize>,
    /// Byte range of the name alone (the search still lets it score in listing names, e.g.
    /// "Ligue … de la Gironde").
    pub name_span: Range<usize>,
    /// Whether a marker introduced it ("à", "près de", …).
    pub marked: bool,
}

/// The longest name looked up, in tokens.
const MAX_NAME_TOKENS: usize = 6;
/// Alternatives kept.
const MAX_ALTERNATIVES: usize = 5;
/// An unmarked one-word commune name must have this many inhabitants to be taken as a place.
const UNMARKED_SINGLE_WORD_POPULATION: u32 = 10_000;
/// An unmarked name of several words, or a name after a weak marker ("en", "du", "sur"…),
/// must have this many.
const MIN_POPULATION: u32 = 2_000;
/// Paris, the commune, which the words "Paris" mean before the département.
const PARIS: &str = "75056";
/// A commune of this many inhabitants is also found by the first words of its name, up to
/// a linking word ("Cherbourg" for Cherbourg-en-Cotentin, "Châlons" for
/// Châlons-en-Champagne), when no other such commune starts with them and nothing else is
/// called so.
const SHORT_NAME_POPULATION: u32 = 20_000;

mod tables;
#[cfg(test)]
mod tests;
mod words;

use tables::*;
use words::*;

struct Token {
    start: usize,
    end: usize,
    key: String,
}

fn tokenize(query: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut start = None;
    let mut push = |s: usize, e: usize| {
        let text = &query[s..e];
        let key = if text.is_ascii() {
            match text.to_ascii_lowercase().as_str() {
                "saint" => "st".to_owned(),
                "sainte" => "ste".to_owned(),
                other => other.to_owned(),
            }
        } else {
            fold(text)
        };
        tokens.push(Token {
            start: s,
            end: e,
            key,
        });
    };
    for (i, c) in query.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, query.len());
    }
    tokens
}

/// One reading of the words.
#[derive(Debug, Clone, Copy)]
enum Reading {
    Place(Target),
    /// A postcode, with the commune that names it.
    Postcode(&'static str, &'static Commune),
}

impl Reading {
    fn to_ref(self) -> PlaceRef {
        match self {
            Reading::Place(target) => PlaceRef {
                kind: target.kind(),
                code: target.code().to_owned(),
                name: match target {
                    Target::Region(r) => r.name,
                    Target::Departement(d) => d.name,
                    Target::Commune { commune, .. } => commune.name,
                }
                .to_owned(),
            },
            Reading::Postcode(code, commune) => PlaceRef {
                kind: PlaceKind::Postcode,
                code: code.to_owned(),
                name: commune.name.to_owned(),
            },
        }
    }

    /// Whether it lies in département `code` (a number written after the name).
    fn in_departement(self, code: &str) -> bool {
        match self {
            Reading::Place(Target::Region(r)) => {
                crate::departement(code).is_some_and(|d| d.region_code == r.code)
            }
            Reading::Place(Target::Departement(d)) => d.code == code,
            Reading::Place(Target::Commune { commune, .. }) => commune.departement_code == code,
            Reading::Postcode(_, c) => c.departement_code == code,
        }
    }

    fn has_postcode(self, postcode: &str) -> bool {
        match self {
            Reading::Place(Target::Commune { commune, .. }) => {
                commune.postcodes.contains(&postcode)
                    || crate::arrondissements_of(commune.code)
                        .iter()
                        .any(|a| a.postcodes.contains(&postcode))
            }
            Reading::Place(Target::Departement(d)) => {
                communes_of_postcode(postcode).any(|c| c.departement_code == d.code)
            }
            Reading::Place(Target::Region(r)) => {
                communes_of_postcode(postcode).any(|c| c.region_code == r.code)
            }
            Reading::Postcode(code, _) => code == postcode,
        }
    }
}

fn communes_of_postcode(postcode: &str) -> impl Iterator<Item = &'static Commune> {
    let r = reference::get();
    r.postcode_index
        .get(postcode)
        .into_iter()
        .flatten()
        .map(|&i| &r.communes[i])
}

/// What a candidate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Name,
    /// A bare département number ("25", "2A"), with its code.
    Number(&'static str),
    Postcode(&'static str),
}

#[derive(Debug, Clone)]
struct Candidate {
    /// Name tokens `first..end`.
    first: usize,
    end: usize,
    /// One past the last token of the name and of the area written after it ("Saint-Denis
    /// de la Réunion"); `end` when there is none.
    area_end: usize,
    /// The marker's first token, and the marker.
    marker: Option<(usize, Marker)>,
    readings: Vec<Reading>,
    shape: Shape,
    /// First token of the whole span: the marker's, or a postcode's written before the name.
    span_first: usize,
    /// One past the last token of the whole span (past `end` when a number was merged in).
    span_end: usize,
}

/// Finds the place named in `query`, if any. See the module documentation.
pub fn place_in_words(query: &str) -> Option<PlaceInWords> {
    let tokens = tokenize(query);
    if tokens.is_empty() {
        return None;
    }
    let tables = &*TABLES;
    let mut candidates = Vec::new();
    let mut key = String::new();
    for i in 0..tokens.len() {
        key.clear();
        for n in 1..=MAX_NAME_TOKENS.min(tokens.len() - i) {
            if n > 1 {
                key.push(' ');
            }
            key.push_str(&tokens[i + n - 1].key);
            if let Some(targets) = tables.lookup(&key) {
                let marker = find_marker(query, &tokens, i);
                if let Some(c) = name_candidate(query, &tokens, i, n, &key, targets, marker) {
                    candidates.push(c);
                }
            }
            // "au Havre", "du Mans", "des Sables-d'Olonne": the article is in the marker.
            let article = match i.checked_sub(1).map(|p| tokens[p].key.as_str()) {
                Some("au" | "du") => "le",
                Some("aux" | "des") => "les",
                _ => continue,
            };
            let expanded = format!("{article} {key}");
            if let Some(targets) = tables.lookup(&expanded) {
                let marker = find_marker(query, &tokens, i);
                if let Some(c) = name_candidate(query, &tokens, i, n, &expanded, targets, marker) {
                    candidates.push(c);
                }
            }
        }
        if let Some(c) = number_candidate(query, &tokens, i) {
            candidates.push(c);
        }
    }
    let chosen = resolve(candidates);
    // A name with its area is as plain as a marked one ("Valence dans la Drôme").
    let best = chosen
        .iter()
        .rev()
        .find(|c| c.marker.is_some() || c.area_end > c.end)
        .or_else(|| chosen.last())?;
    let mut readings = best.readings.iter().map(|r| r.to_ref());
    let place = readings.next()?;
    let name_span = tokens[best.first].start..tokens[best.end - 1].end;
    let mut span_end = tokens[best.span_end - 1].end;
    // "Saint-Denis (974)", "Saint-Denis (Réunion)": the closing parenthesis goes with what it
    // encloses.
    if best.span_end > best.end
        && query[tokens[best.end - 1].end..tokens[best.end].start]
            .trim_end()
            .ends_with('(')
        && query[span_end..].starts_with(')')
    {
        span_end += 1;
    }
    Some(PlaceInWords {
        place,
        alternatives: readings.take(MAX_ALTERNATIVES).collect(),
        span: tokens[best.span_first].start..span_end,
        name_span,
        marked: best.marker.is_some(),
    })
}

/// The marker right before the name starting at token `i`; a marker ending with an article
/// may share it with the name ("de La Rochelle").
fn find_marker(query: &str, tokens: &[Token], i: usize) -> Option<(usize, Marker)> {
    let matches_at = |start: usize, pattern: &[&str]| {
        tokens
            .get(start..start + pattern.len())
            .is_some_and(|ts| ts.iter().zip(pattern).all(|(t, p)| t.key == *p))
    };
    let mut found = MARKERS.iter().find_map(|(pattern, marker)| {
        let start = i.checked_sub(pattern.len())?;
        matches_at(start, pattern).then_some((start, *marker))
    });
    if found.is_none() && matches!(tokens[i].key.as_str(), "le" | "la" | "les" | "l") {
        found = MARKERS.iter().find_map(|(pattern, marker)| {
            let start = (i + 1).checked_sub(pattern.len())?;
            (pattern.len() > 1 && matches_at(start, pattern)).then_some((start, *marker))
        });
    }
    let (start, marker) = found?;
    match marker {
        Marker::A { .. } => {
            let text = &query[tokens[start].start..tokens[start].end];
            Some((
                start,
                Marker::A {
                    accented: text == "à" || text == "À",
                },
            ))
        }
        // "près de la", "près du", "à côté des".
        Marker::Of { .. } => {
            let before = |back: usize, word: &str| {
                start
                    .checked_sub(back)
                    .is_some_and(|p| tokens[p].key == word)
            };
            if before(1, "pres") || before(1, "proche") || before(1, "autour") {
                Some((start - 1, Marker::Near))
            } else if before(1, "cote") && before(2, "a") {
                Some((start - 2, Marker::Near))
            } else {
                Some((start, marker))
            }
        }
        _ => Some((start, marker)),
    }
}

fn name_candidate(
    query: &str,
    tokens: &[Token],
    i: usize,
    n: usize,
    key: &str,
    targets: &[Target],
    marker: Option<(usize, Marker)>,
) -> Option<Candidate> {
    let kind = marker.map(|(_, m)| m);
    let guard = guard_of(key);
    let next = tokens.get(i + n).map(|t| t.key.as_str());
    // "Hôpital Saint-Louis", "Clinique du Saint-Esprit".
    if (key.starts_with("st ") || key.starts_with("ste ") || key.starts_with("notre "))
        && matches!(kind, None | Some(Marker::Of { .. }))
    {
        let before = marker.map_or(i, |(m, _)| m);
        if before
            .checked_sub(1)
            .is_some_and(|p| NAMING_WORDS.contains(&tokens[p].key.as_str()))
        {
            return None;
        }
    }
    let accepts = |target: Target| -> bool {
        let is_commune = matches!(target, Target::Commune { .. });
        match guard {
            Some(Guard::Never) => return false,
            Some(Guard::Explicit) => {
                let explicit = matches!(
                    kind,
                    Some(
                        Marker::A { accented: true }
                            | Marker::Near
                            | Marker::Departement
                            | Marker::Region
                            | Marker::Secteur
                    )
                );
                if !explicit || next.is_some_and(|w| COMPLEMENTS.contains(&w)) {
                    return false;
                }
            }
            Some(Guard::Marker) => {
                let ok = match kind {
                    None | Some(Marker::A { accented: false }) => false,
                    Some(m) if is_commune => m.locates_a_commune(),
                    Some(m) => !matches!(m, Marker::Au | Marker::On | Marker::In),
                };
                if !ok {
                    return false;
                }
            }
            None => {}
        }
        match target {
            Target::Region(_) | Target::Departement(_) => true,
            Target::Commune { commune, former } => match kind {
                Some(m) if m.locates_a_commune() => true,
                Some(_) => commune.population >= MIN_POPULATION,
                None if n == 1 => !former && commune.population >= UNMARKED_SINGLE_WORD_POPULATION,
                None => commune.population >= MIN_POPULATION,
            },
        }
    };
    let accepted = targets.iter().any(|&t| accepts(t));
    // "Saint-Denis de la Réunion": the communes of that name in that area. The area is
    // evidence enough for a name not taken alone when it is written as a name ("Villeneuve
    // en Gironde", "Tours en Indre-et-Loire") or, if not an everyday word, of a real town;
    // not for one in lower case that may be an everyday word ("soins du corps en Isère" is
    // not about Corps, Isère).
    let area = area_after(query, tokens, i + n, targets).and_then(|(area_end, areas)| {
        let inside: Vec<Target> = targets
            .iter()
            .copied()
            .filter(|&t| match t {
                Target::Commune { commune, .. } => areas.iter().any(|&a| contains(a, commune)),
                _ => false,
            })
            .collect();
        let written_as_name = capitalized(&query[tokens[i].start..tokens[i + n - 1].end]);
        let enough = accepted
            || match guard {
                None => inside.iter().any(|&t| match t {
                    Target::Commune { commune, .. } => {
                        written_as_name || commune.population >= MIN_POPULATION
                    }
                    _ => false,
                }),
                Some(Guard::Marker) => written_as_name,
                Some(Guard::Explicit | Guard::Never) => false,
            };
        (enough && !inside.is_empty()).then_some((area_end, inside))
    });
    let (area_end, readings) = match area {
        Some((area_end, inside)) => (area_end, rank(&inside, kind)),
        None if accepted => (i + n, rank(targets, kind)),
        None => return None,
    };
    Some(Candidate {
        first: i,
        end: i + n,
        area_end,
        marker,
        readings,
        shape: Shape::Name,
        span_first: marker.map_or(i, |(m, _)| m),
        span_end: area_end,
    })
}

/// Whether `commune` lies in `area`, a région or a département.
fn contains(area: Target, commune: &Commune) -> bool {
    match area {
        Target::Region(r) => commune.region_code == r.code,
        Target::Departement(d) => commune.departement_code == d.code,
        Target::Commune { .. } => false,
    }
}

/// Whether the words are written as a name: a capital first, and not all in capitals.
fn capitalized(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase) && text.chars().any(char::is_lowercase)
}

/// The région or département written right after a name ending before token `end` that
/// holds one of its communes (`targets`): with a marker or in parentheses ("de la Réunion",
/// "dans la Drôme", "(Réunion)", "en Martinique", "dans le 26") or bare ("Valence Drôme").
/// Returns one past its last token and the areas it may mean (those holding a commune).
fn area_after(
    query: &str,
    tokens: &[Token],
    end: usize,
    targets: &[Target],
) -> Option<(usize, Vec<Target>)> {
    let communes: Vec<&Commune> = targets
        .iter()
        .filter_map(|t| match *t {
            Target::Commune { commune, .. } => Some(commune),
            _ => None,
        })
        .collect();
    if communes.is_empty() || end == 0 || end >= tokens.len() {
        return None;
    }
    let gap = |j: usize| &query[tokens[j - 1].end..tokens[j].start];
    // Between the name and what follows: a space, a comma, a dash or an opening parenthesis.
    let first_gap = gap(end);
    if !first_gap
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '(' | ',' | '-' | '–' | '/'))
    {
        return None;
    }
    let parenthesis = first_gap.contains('(');
    // Inside the marker and the area's name: spaces, hyphens, apostrophes.
    let joined = |from: usize, to: usize| {
        (from + 1..to).all(|j| {
            gap(j)
                .chars()
                .all(|c| c.is_whitespace() || matches!(c, '-' | '\'' | '’'))
        })
    };
    let mut best: Option<(usize, Vec<Target>)> = None;
    for pattern in AREA_MARKERS {
        let j = end + pattern.len();
        let matches = tokens
            .get(end..j)
            .is_some_and(|ts| ts.iter().zip(pattern.iter()).all(|(t, p)| t.key == *p));
        if !matches || j >= tokens.len() || !joined(end, j + 1) {
            continue;
        }
        let mut found: Option<(usize, Vec<Target>)> = None;
        // "Saint-Denis dans le 93", "Valence du 26" (a bare number is merged later).
        if !pattern.is_empty()
            && let Some(c) = number_candidate(query, tokens, j)
            && c.marker.is_some_and(|(m, _)| m == end)
            && let Shape::Number(code) = c.shape
            && let Some(departement) = crate::departement(code)
        {
            let area = Target::Departement(departement);
            if communes.iter().any(|c| contains(area, c)) {
                found = Some((j + 1, vec![area]));
            }
        }
        let mut key = String::new();
        for n in 1..=MAX_NAME_TOKENS.min(tokens.len() - j) {
            if n > 1 {
                if !joined(j + n - 2, j + n) {
                    break;
                }
                key.push(' ');
            }
            key.push_str(&tokens[j + n - 1].key);
            let Some(places) = TABLES.names.get(key.as_str()) else {
                continue;
            };
            let areas: Vec<Target> = places
                .iter()
                .copied()
                .filter(|&a| communes.iter().any(|c| contains(a, c)))
                .collect();
            if areas.is_empty() {
                continue;
            }
            // An ordinary word needs a marker, a parenthesis or a capital: "Saint-Denis
            // (Réunion)", "Saint-Denis à la Réunion", "Lille Nord", not "Saint-Denis réunion
            // d'information".
            let introduced = || {
                !pattern.is_empty()
                    || parenthesis
                    || capitalized(&query[tokens[j].start..tokens[j + n - 1].end])
            };
            let ok = match guard_of(&key) {
                Some(Guard::Never) => false,
                Some(Guard::Explicit) => {
                    let next = tokens.get(j + n).map(|t| t.key.as_str());
                    introduced() && !next.is_some_and(|w| COMPLEMENTS.contains(&w))
                }
                Some(Guard::Marker) => introduced(),
                None => true,
            };
            if ok && found.as_ref().is_none_or(|(e, _)| *e < j + n) {
                found = Some((j + n, areas));
            }
        }
        if let Some((e, areas)) = found
            && best.as_ref().is_none_or(|(b, _)| *b < e)
        {
            best = Some((e, areas));
        }
    }
    best
}

/// The places a name may mean, most likely first.
fn rank(targets: &[Target], marker: Option<Marker>) -> Vec<Reading> {
    let commune_first = marker.is_some_and(Marker::hints_commune);
    let area_first = marker.is_some_and(Marker::hints_area);
    // Overseas homonyms count half: the directory's users and listings are overwhelmingly in
    // metropolitan France, so Saint-Denis (93) goes before Saint-Denis (974) though smaller.
    let weight = |c: &Commune| {
        if c.departement_code.len() == 3 {
            c.population / 2
        } else {
            c.population
        }
    };
    let order = |t: &Target| -> (u8, u8, std::cmp::Reverse<u32>) {
        match *t {
            Target::Region(_) => (1, 0, std::cmp::Reverse(0)),
            Target::Departement(_) => (1, 1, std::cmp::Reverse(0)),
            Target::Commune { commune, former } => {
                // Paris the commune rather than Paris the département, unless the marker
                // asks for an area; a commune before an area after "à" only if it is a real
                // town ("à la Réunion" is the island, not the village in Lot-et-Garonne).
                let first = (commune.code == PARIS && !area_first)
                    || (commune_first && commune.population >= MIN_POPULATION);
                let group = if first { 0 } else { 2 };
                (group, u8::from(former), std::cmp::Reverse(weight(commune)))
            }
        }
    };
    let mut sorted: Vec<Target> = targets.to_vec();
    sorted.sort_by_key(order);
    let mut readings: Vec<Reading> = Vec::with_capacity(sorted.len());
    for target in sorted {
        let duplicate = readings.iter().any(|r| match r {
            Reading::Place(t) => t.kind() == target.kind() && t.code() == target.code(),
            Reading::Postcode(..) => false,
        });
        if !duplicate {
            readings.push(Reading::Place(target));
        }
    }
    readings
}

/// A bare département number or a known postcode at token `i`.
fn number_candidate(query: &str, tokens: &[Token], i: usize) -> Option<Candidate> {
    let token = &tokens[i];
    let text = token.key.as_str();
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if text.len() == 5 && is_digits(text) {
        let (&postcode, list) = reference::get().postcode_index.get_key_value(text)?;
        let r = reference::get();
        let communes: Vec<&'static Commune> = list.iter().map(|&j| &r.communes[j]).collect();
        // An arrondissement rather than its whole city (75013 is Paris 13e).
        let pick = communes
            .iter()
            .filter(|c| !r.arrondissements.contains_key(c.code))
            .max_by_key(|c| c.population)
            .or_else(|| communes.iter().max_by_key(|c| c.population))?;
        return Some(Candidate {
            first: i,
            end: i + 1,
            area_end: i + 1,
            marker: None,
            readings: vec![Reading::Postcode(postcode, pick)],
            shape: Shape::Postcode(postcode),
            span_first: i,
            span_end: i + 1,
        });
    }
    let code = match text {
        "2a" => "2A",
        "2b" => "2B",
        t if (t.len() == 2 || t.len() == 3) && is_digits(t) => t,
        _ => return None,
    };
    let departement = crate::departement(code)?;
    let key_at = |j: Option<usize>| j.and_then(|j| tokens.get(j)).map(|t| t.key.as_str());
    let is_number = |w: Option<&str>| w.is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()));
    let next = key_at(Some(i + 1));
    let prev = key_at(i.checked_sub(1));
    // Quantities, ranges, lists, decimals, times, dates.
    if next.is_some_and(|w| NUMBER_UNITS.contains(&w)) || is_number(next) || is_number(prev) {
        return None;
    }
    if next.is_some_and(|w| NUMBER_LINKS.contains(&w)) && is_number(key_at(Some(i + 2))) {
        return None;
    }
    if prev.is_some_and(|w| NUMBER_LINKS.contains(&w)) && is_number(key_at(i.checked_sub(2))) {
        return None;
    }
    let after = query[token.end..].trim_start();
    if after.starts_with(['%', '€', '$', '£', '°', '+']) {
        return None;
    }
    let marker = find_marker(query, tokens, i);
    match marker {
        Some((
            _,
            Marker::Inside | Marker::Of { du: true } | Marker::Departement | Marker::Secteur,
        )) => {}
        // "en 2A": Corsica's codes, with their letter, cannot be a quantity.
        Some((_, Marker::In)) if !is_digits(code) => {}
        Some(_) => return None,
        None => {
            if prev.is_some_and(|w| NUMBER_BLOCKERS.contains(&w)) {
                return None;
            }
        }
    }
    Some(Candidate {
        first: i,
        end: i + 1,
        area_end: i + 1,
        marker,
        readings: vec![Reading::Place(Target::Departement(departement))],
        shape: Shape::Number(departement.code),
        span_first: marker.map_or(i, |(m, _)| m),
        span_end: i + 1,
    })
}

/// Keeps the readings of a name that lie in the département or have the postcode written
/// next to it (a postcode of an arrondissement leads to the arrondissement: "Paris 75013"),
/// if any does.
fn narrow(readings: &mut Vec<Reading>, number: Shape) -> bool {
    let fits = |r: &Reading| match number {
        Shape::Number(code) => r.in_departement(code),
        Shape::Postcode(postcode) => r.has_postcode(postcode),
        Shape::Name => false,
    };
    if !readings.iter().any(fits) {
        return false;
    }
    readings.retain(fits);
    if let Shape::Postcode(postcode) = number {
        for reading in readings.iter_mut() {
            if let Reading::Place(Target::Commune { commune, .. }) = *reading
                && let Some(arrondissement) = crate::arrondissements_of(commune.code)
                    .into_iter()
                    .find(|a| a.postcodes.contains(&postcode))
            {
                *reading = Reading::Place(Target::Commune {
                    commune: arrondissement,
                    former: false,
                });
            }
        }
    }
    true
}

/// Keeps the longest of overlapping candidates (a name with its area counting whole, but
/// after a name as long), in query order, and merges a département number or postcode
/// written right after a name into it ("Saint-Denis 93", "Valence (82)").
fn resolve(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by_key(|c| {
        (
            std::cmp::Reverse(c.area_end - c.first),
            c.area_end > c.end,
            std::cmp::Reverse(c.marker.is_some()),
            c.first,
        )
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in candidates {
        if chosen
            .iter()
            .all(|k| c.area_end <= k.first || k.area_end <= c.first)
        {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.first);
    let mut merged: Vec<Candidate> = Vec::with_capacity(chosen.len());
    for mut c in chosen {
        if let Some(last) = merged.last_mut()
            && last.area_end == c.first
            && c.marker.is_none()
        {
            // "Saint-Denis 93", "Montpellier 34000".
            if last.shape == Shape::Name && narrow(&mut last.readings, c.shape) {
                last.span_end = c.end;
                continue;
            }
            // "34000 Montpellier".
            if matches!(last.shape, Shape::Postcode(_))
                && last.marker.is_none()
                && c.shape == Shape::Name
                && narrow(&mut c.readings, last.shape)
            {
                c.span_first = last.span_first;
                *last = c;
                continue;
            }
        }
        merged.push(c);
    }
    merged
}

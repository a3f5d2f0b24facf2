//! A search: the question read (place, lexicon), every word required first, then, when
//! that fills less than a page, listings holding fewer words, ranked by how many and how
//! rare; when nothing is found in the place, wider areas; a spelling suggestion for words
//! no listing holds.

use crate::analysis::french_analyzer;
use crate::collector::{Harvest, Hit, SearchCollector};
use crate::error::SearchError;
use crate::index::SearchIndex;
use crate::nearby::NearbyQuery;
use crate::request::{
    Cursor, DEFAULT_RADIUS_KM, MAX_RADIUS_KM, Place, SearchRequest, Sort, TextQuery, checked_text,
    filters, resolve_place, text_query,
};
use crate::suggest::did_you_mean;
use crate::understand::{Widened, as_place, understand, wider_areas};
use agora_geo::PlaceInWords;
use std::collections::BTreeMap;
use tantivy::query::{AllQuery, BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Value as _;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    pub text: String,
    /// Byte ranges of `text` that match the query.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub card: serde_json::Value,
    pub snippet: Option<Snippet>,
    pub distance_km: Option<f64>,
    /// Words of the question this listing does not hold (relaxed matching only).
    pub missing_words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// For each facet, its values with their counts, most frequent first.
    pub facets: BTreeMap<&'static str, Vec<(String, u32)>>,
    pub total: usize,
    pub next: Option<Cursor>,
    /// Words of the question left out by some results of the page, in the question's order.
    pub relaxed: Vec<String>,
    /// The place read from the words, when the request named none.
    pub place: Option<PlaceInWords>,
    /// The wider area searched, when nothing was found in the place asked.
    pub widened_to: Option<Widened>,
    /// The question with its unknown words respelt as listings write them.
    pub did_you_mean: Option<String>,
}

/// One search over one place.
struct Pass {
    harvest: Harvest,
    relaxed: bool,
}

impl SearchIndex {
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let f = &self.fields;
        let mut analyzer = french_analyzer();
        let understood = understand(&mut analyzer, request)?;
        // One searcher for the whole search: variants, matches and documents agree.
        let searcher = self.reader.searcher();
        let text = text_query(f, &understood.words, &understood.place_words, &searcher)?;
        let place = request
            .place
            .clone()
            .or_else(|| understood.place.as_ref().map(as_place));
        let limit = request.limit.clamp(1, 100);
        let relax = !request.exact_words && understood.words.len() >= 2;
        let mut pass = self.pass(
            &searcher,
            request,
            text.as_ref(),
            place.as_ref(),
            relax,
            limit,
        )?;
        let mut widened_to = None;
        if pass.harvest.total == 0
            && !request.exact_words
            && let Some(asked) = &place
        {
            for area in wider_areas(asked, &self.points()) {
                let wider = self.pass(
                    &searcher,
                    request,
                    text.as_ref(),
                    area.as_place().as_ref(),
                    relax,
                    limit,
                )?;
                if wider.harvest.total > 0 {
                    pass = wider;
                    widened_to = Some(area);
                    break;
                }
            }
        }
        // Spelling is offered when the words found too little to fill a page.
        let did_you_mean = match checked_text(request)? {
            Some(q) if pass.relaxed || pass.harvest.total < limit => {
                did_you_mean(&searcher, f, q, &understood.words)?
            }
            _ => None,
        };

        let Pass {
            mut harvest,
            relaxed,
        } = pass;
        let more = harvest.hits.len() > limit;
        harvest.hits.truncate(limit);
        let next = if more {
            harvest.hits.last().map(|h: &Hit| Cursor {
                key: h.key,
                id: h.id,
            })
        } else {
            None
        };
        let snippets = match &text {
            Some(t) => {
                let query = if relaxed { &t.relaxed } else { &t.strict };
                Some(SnippetGenerator::create(&searcher, &**query, f.text)?)
            }
            None => None,
        };
        let missing = |mask: u32| -> Vec<String> {
            understood
                .words
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, w)| w.original.clone())
                .collect()
        };
        let mut left_out = 0u32;
        let mut hits = Vec::with_capacity(harvest.hits.len());
        for hit in &harvest.hits {
            let doc: TantivyDocument = searcher.doc(hit.address)?;
            let card = doc
                .get_first(f.card)
                .and_then(|v| v.as_str())
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or(serde_json::Value::Null);
            let snippet = snippets.as_ref().map(|generator| {
                let texts: Vec<&str> = doc.get_all(f.body).filter_map(|v| v.as_str()).collect();
                let s = generator.snippet(&texts.join(" — "));
                Snippet {
                    text: s.fragment().to_owned(),
                    highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                }
            });
            left_out |= hit.missing;
            hits.push(SearchHit {
                card,
                snippet,
                distance_km: hit.distance_km.map(|d| (d * 10.0).round() / 10.0),
                missing_words: missing(hit.missing),
            });
        }
        let facets = harvest
            .facets
            .into_iter()
            .map(|(name, counts)| {
                let mut values: Vec<(String, u32)> = counts.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                (name, values)
            })
            .collect();
        Ok(SearchResults {
            hits,
            facets,
            total: harvest.total,
            next,
            relaxed: missing(left_out),
            place: understood.place,
            widened_to,
            did_you_mean,
        })
    }

    /// Every word required; then, if that fills less than a page, at least one.
    fn pass(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        text: Option<&TextQuery>,
        place: Option<&Place>,
        relax: bool,
        limit: usize,
    ) -> Result<Pass, SearchError> {
        let strict = self.run(searcher, request, text, false, place, limit)?;
        if !relax || text.is_none() || strict.total >= limit {
            return Ok(Pass {
                harvest: strict,
                relaxed: false,
            });
        }
        Ok(Pass {
            harvest: self.run(searcher, request, text, true, place, limit)?,
            relaxed: true,
        })
    }

    fn run(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        text: Option<&TextQuery>,
        relaxed: bool,
        place: Option<&Place>,
        limit: usize,
    ) -> Result<Harvest, SearchError> {
        let f = &self.fields;
        let mut must: Vec<Box<dyn Query>> = filters(f, request)?;
        let points = self.points();
        let resolved = place.map(|p| resolve_place(p, f, &points)).transpose()?;
        let origin = resolved.as_ref().and_then(|p| p.origin);
        // With a point, on-site listings near it match as well; with a commune or postcode,
        // only when a radius is asked for.
        let radius = match (place, request.radius_km) {
            (Some(Place::Point { .. }), r) => Some(r.unwrap_or(DEFAULT_RADIUS_KM)),
            (_, Some(r)) if origin.is_some() => Some(r),
            _ => None,
        }
        .map(|r| r.clamp(0.1, MAX_RADIUS_KM));
        let mut zone_weight = None;
        if let Some(p) = resolved {
            match (origin, radius) {
                (Some(o), Some(r)) => {
                    zone_weight = Some(
                        p.zone
                            .weight(EnableScoring::disabled_from_searcher(searcher))?,
                    );
                    let either = BooleanQuery::new(vec![
                        (Occur::Should, p.zone),
                        (
                            Occur::Should,
                            Box::new(NearbyQuery::new(self.tables.clone(), o, r)),
                        ),
                    ]);
                    must.push(Box::new(either));
                }
                _ => must.push(p.zone),
            }
        }
        let mut words = Vec::new();
        let mut rarity = Vec::new();
        if let Some(t) = text {
            if relaxed {
                must.push(t.relaxed.box_clone());
                for w in &t.words {
                    words.push(w.weight(EnableScoring::disabled_from_searcher(searcher))?);
                }
                rarity.clone_from(&t.rarity);
            } else {
                must.push(t.strict.box_clone());
            }
        }
        let query: Box<dyn Query> = if must.is_empty() {
            Box::new(AllQuery)
        } else {
            Box::new(BooleanQuery::new(
                must.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))
        };
        let sort = match request.sort {
            Sort::Distance if origin.is_none() => Sort::Relevance,
            s => s,
        };
        let national = match place {
            Some(_) => Some(
                TermQuery::new(
                    Term::from_field_text(f.cover_all, "1"),
                    IndexRecordOption::Basic,
                )
                .weight(EnableScoring::disabled_from_searcher(searcher))?,
            ),
            None => None,
        };
        let collector = SearchCollector {
            tables: self.tables.clone(),
            limit: limit + 1,
            after: request.after,
            sort,
            scored: text.is_some(),
            origin,
            radius_km: radius,
            zone: zone_weight,
            words,
            rarity,
            national,
        };
        Ok(searcher.search(&*query, &collector)?)
    }
}

//! One pass over the matching documents: their rank (relevance × freshness and label ×
//! nearness, or distance, or recency), the page after the cursor, the exact distance test
//! of "around me", and the count of each facet value.

use crate::request::{Cursor, Sort};
use crate::table::{DocBits, SegmentTable, Tables};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Distance at which nearness stops helping much (km).
const NEARNESS_SCALE_KM: f64 = 20.0;
/// Where a place is searched, how much more a listing made for it weighs than one
/// available everywhere.
const LOCAL_BOOST: f64 = 1.5;
/// With relaxed matching, listings rank by the words they hold, each weighing as much as
/// it is rare (a listing holding every word weighs most; a frequent word left out costs
/// less than a rare one), then as usual. The key has two bands: the weight of the words
/// held, in tenths (below 10⁴ for twelve words), times this, plus the usual key brought
/// within ±half of it (a recency key counted in days).
const RARITY_BAND: f64 = 1e6;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub key: f64,
    pub id: u128,
    pub address: DocAddress,
    pub distance_km: Option<f64>,
    /// With relaxed matching, the words (by position) the listing does not hold.
    pub missing: u32,
}

impl Hit {
    /// Results come by descending key, then ascending id.
    fn rank(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then_with(|| other.id.cmp(&self.id))
    }

    fn comes_after(&self, cursor: &Cursor) -> bool {
        self.key < cursor.key || (self.key == cursor.key && self.id > cursor.id)
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Self) -> bool {
        self.rank(other) == Ordering::Equal
    }
}
impl Eq for Hit {}
impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Hit {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Harvest {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub facets: HashMap<&'static str, HashMap<String, u32>>,
}

pub(crate) struct SearchCollector {
    pub tables: Arc<Tables>,
    pub limit: usize,
    pub after: Option<Cursor>,
    pub sort: Sort,
    /// Whether the query has words (else its scores mean nothing).
    pub scored: bool,
    pub origin: Option<(f64, f64)>,
    /// On-site matches must lie within this distance of `origin`, unless `zone` matches.
    pub radius_km: Option<f64>,
    pub zone: Option<Box<dyn Weight>>,
    /// Relaxed matching: each word's clause, to tell which words a listing holds, and
    /// how rare each is.
    pub words: Vec<Box<dyn Weight>>,
    pub rarity: Vec<f64>,
    /// With a place, the listings available everywhere: those made for the place rank
    /// above them.
    pub national: Option<Box<dyn Weight>>,
}

pub(crate) struct SearchSegmentCollector {
    segment: SegmentOrdinal,
    table: Arc<SegmentTable>,
    limit: usize,
    after: Option<Cursor>,
    sort: Sort,
    scored: bool,
    origin: Option<(f64, f64)>,
    radius_km: Option<f64>,
    zone: Option<Box<dyn Scorer>>,
    words: Vec<Box<dyn Scorer>>,
    rarity: Vec<f64>,
    national: Option<Box<dyn Scorer>>,
    /// Without words nor place, a document's rank is its weight alone: matches are only
    /// counted as they come, and the page is read off the table's order at the end.
    by_weight: bool,
    matched: DocBits,
    /// Matching documents per geography combination.
    combinations: Vec<u32>,
    best: BinaryHeap<Reverse<Hit>>,
    total: usize,
}

impl Collector for SearchCollector {
    type Fruit = Harvest;
    type Child = SearchSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let zone = match &self.zone {
            Some(weight) => Some(weight.scorer(reader, 1.0)?),
            None => None,
        };
        let national = match &self.national {
            Some(weight) => Some(weight.scorer(reader, 1.0)?),
            None => None,
        };
        let words = self
            .words
            .iter()
            .map(|w| w.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let table = self.tables.of(reader)?;
        let by_weight = !self.scored
            && self.origin.is_none()
            && self.radius_km.is_none()
            && self.sort == Sort::Relevance;
        Ok(SearchSegmentCollector {
            by_weight,
            segment,
            combinations: vec![0; table.combinations.len()],
            table,
            limit: self.limit,
            after: self.after,
            sort: self.sort,
            scored: self.scored,
            origin: self.origin,
            radius_km: self.radius_km,
            zone,
            words,
            rarity: self.rarity.clone(),
            national,
            matched: DocBits::new(reader.max_doc()),
            best: BinaryHeap::with_capacity(self.limit + 1),
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<Harvest>) -> tantivy::Result<Harvest> {
        let mut merged = Harvest::default();
        for fruit in fruits {
            merged.total += fruit.total;
            merged.hits.extend(fruit.hits);
            for (facet, counts) in fruit.facets {
                let into = merged.facets.entry(facet).or_default();
                for (value, n) in counts {
                    *into.entry(value).or_default() += n;
                }
            }
        }
        merged.hits.sort_by(|a, b| b.cmp(a));
        merged.hits.truncate(self.limit);
        Ok(merged)
    }
}

/// Whether `scorer` matches `doc`, documents being asked in increasing order.
fn holds(scorer: &mut Box<dyn Scorer>, doc: DocId) -> bool {
    if scorer.doc() != TERMINATED && scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
}

impl SearchSegmentCollector {
    fn distance_km(&self, doc: DocId) -> Option<f64> {
        let origin = self.origin?;
        self.table
            .places(doc)
            .iter()
            .map(|&place| agora_geo::distance_km(origin, place))
            .min_by(f64::total_cmp)
    }

    fn in_zone(&mut self, doc: DocId) -> bool {
        self.zone.as_mut().is_some_and(|zone| holds(zone, doc))
    }

    /// Whether `doc` is available everywhere (when a place is searched).
    fn is_national(&mut self, doc: DocId) -> bool {
        self.national
            .as_mut()
            .is_some_and(|national| holds(national, doc))
    }

    /// Which words `doc` does not hold (bit i for word i), and the rarity of those it holds.
    fn words_held(&mut self, doc: DocId) -> (u32, f64) {
        let (mut missing, mut rarity) = (0u32, 0.0);
        for (i, scorer) in self.words.iter_mut().enumerate() {
            if holds(scorer, doc) {
                rarity += self.rarity.get(i).copied().unwrap_or(0.0);
            } else {
                missing |= 1 << i;
            }
        }
        (missing, rarity)
    }

    /// Counts a match: the total, the facets (by bitmaps, at the end) and the geography.
    #[inline]
    fn count(&mut self, doc: DocId) {
        self.total += 1;
        self.matched.insert(doc);
        if let Some(n) = self
            .table
            .geography
            .get(doc as usize)
            .and_then(|&c| self.combinations.get_mut(c as usize))
        {
            *n += 1;
        }
    }

    /// Keeps the hit if it belongs on the page.
    fn consider(&mut self, doc: DocId, key: f64, distance_km: Option<f64>, missing: u32) {
        // Most documents rank below a full page: they are set aside before anything else.
        if self.threshold().is_some_and(|lowest| key < lowest.key) {
            return;
        }
        let hit = Hit {
            key,
            id: self.table.ids.get(doc as usize).copied().unwrap_or(0),
            address: DocAddress::new(self.segment, doc),
            distance_km,
            missing,
        };
        if self.after.is_some_and(|c| !hit.comes_after(&c)) {
            return;
        }
        if self.threshold().is_some_and(|lowest| hit < *lowest) {
            return;
        }
        self.best.push(Reverse(hit));
        if self.best.len() > self.limit {
            self.best.pop();
        }
    }

    /// The page of a search ranked by weight alone: few matches are ranked one by one;
    /// many are met early in the table's order, where the page ends.
    fn page_by_weight(&mut self) {
        let weight = |table: &SegmentTable, doc: DocId| {
            table.weights.get(doc as usize).copied().unwrap_or(1.0)
        };
        let table = self.table.clone();
        if self.total * 32 < table.by_weight.len() {
            let matched = std::mem::take(&mut self.matched);
            for doc in matched.iter() {
                self.consider(doc, weight(&table, doc), None, 0);
            }
            self.matched = matched;
            return;
        }
        for &doc in &table.by_weight {
            if self.best.len() >= self.limit {
                break;
            }
            if self.matched.contains(doc) {
                self.consider(doc, weight(&table, doc), None, 0);
            }
        }
    }

    /// The lowest-ranked hit kept so far, once the page is full.
    fn threshold(&self) -> Option<&Hit> {
        if self.best.len() < self.limit {
            return None;
        }
        self.best.peek().map(|Reverse(h)| h)
    }
}

impl SegmentCollector for SearchSegmentCollector {
    type Fruit = Harvest;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.by_weight {
            self.count(doc);
            return;
        }
        let distance_km = self.distance_km(doc);
        if let Some(radius) = self.radius_km {
            // The box prefilter let in the corners: beyond the radius, only the zone keeps it.
            let near = distance_km.is_some_and(|d| d <= radius);
            if !near && !self.in_zone(doc) {
                return;
            }
        }
        self.count(doc);
        let d = doc as usize;
        let key = match self.sort {
            Sort::Relevance => {
                let relevance = if self.scored { f64::from(score) } else { 1.0 };
                let nearness =
                    distance_km.map_or(1.0, |d| 1.0 + 0.5 * (-d / NEARNESS_SCALE_KM).exp());
                let local = if self.national.is_some() && !self.is_national(doc) {
                    LOCAL_BOOST
                } else {
                    1.0
                };
                relevance * self.table.weights.get(d).copied().unwrap_or(1.0) * nearness * local
            }
            Sort::Distance => distance_km.map_or(-1e9, |d| -d),
            Sort::Recent => self.table.updated.get(d).copied().unwrap_or(0) as f64,
        };
        let (key, missing) = if self.words.is_empty() {
            (key, 0)
        } else {
            let (missing, rarity) = self.words_held(doc);
            let within = match self.sort {
                Sort::Relevance => key.clamp(0.0, RARITY_BAND / 2.0),
                Sort::Distance => key.clamp(-RARITY_BAND / 2.0, 0.0),
                // Seconds since 1970, to the day.
                Sort::Recent => (key / 86_400.0).clamp(0.0, RARITY_BAND / 2.0),
            };
            ((rarity * 10.0).round() * RARITY_BAND + within, missing)
        };
        self.consider(doc, key, distance_km, missing);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if self.by_weight {
            for &doc in docs {
                self.count(doc);
            }
        } else {
            for &doc in docs {
                self.collect(doc, 0.0);
            }
        }
    }

    fn harvest(mut self) -> Harvest {
        if self.by_weight {
            self.page_by_weight();
        }
        let occupied = self.matched.occupied();
        let mut facets: HashMap<&'static str, HashMap<String, u32>> = HashMap::new();
        for value in &self.table.facets {
            let n = self.matched.count_common(&occupied, &value.docs);
            if n > 0 {
                facets
                    .entry(value.facet)
                    .or_default()
                    .insert(value.value.clone(), n);
            }
        }
        let mut geography = vec![0u32; self.table.geography_values.len()];
        for (combination, &n) in self.table.combinations.iter().zip(&self.combinations) {
            if n > 0 {
                for &value in combination {
                    if let Some(count) = geography.get_mut(value as usize) {
                        *count += n;
                    }
                }
            }
        }
        for ((facet, value), n) in self.table.geography_values.iter().zip(geography) {
            if n > 0 {
                facets.entry(facet).or_default().insert(value.clone(), n);
            }
        }
        Harvest {
            hits: self.best.into_iter().map(|Reverse(h)| h).collect(),
            total: self.total,
            facets,
        }
    }
}

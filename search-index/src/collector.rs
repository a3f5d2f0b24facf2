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

#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub key: f64,
    pub id: u128,
    pub address: DocAddress,
    pub distance_km: Option<f64>,
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
        let Some(zone) = self.zone.as_mut() else {
            return false;
        };
        if zone.doc() != TERMINATED && zone.doc() < doc {
            zone.seek(doc);
        }
        zone.doc() == doc
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
    fn consider(&mut self, doc: DocId, key: f64, distance_km: Option<f64>) {
        // Most documents rank below a full page: they are set aside before anything else.
        if self.threshold().is_some_and(|lowest| key < lowest.key) {
            return;
        }
        let hit = Hit {
            key,
            id: self.table.ids.get(doc as usize).copied().unwrap_or(0),
            address: DocAddress::new(self.segment, doc),
            distance_km,
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
                self.consider(doc, weight(&table, doc), None);
            }
            self.matched = matched;
            return;
        }
        for &doc in &table.by_weight {
            if self.best.len() >= self.limit {
                break;
            }
            if self.matched.contains(doc) {
                self.consider(doc, weight(&table, doc), None);
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
                relevance * self.table.weights.get(d).copied().unwrap_or(1.0) * nearness
            }
            Sort::Distance => distance_km.map_or(-1e9, |d| -d),
            Sort::Recent => self.table.updated.get(d).copied().unwrap_or(0) as f64,
        };
        self.consider(doc, key, distance_km);
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

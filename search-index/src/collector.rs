//! One pass over the matching documents: their rank (relevance × freshness and label ×
//! nearness, or distance, or recency), the page after the cursor, the exact distance test
//! of "around me", and the count of each facet value.

use crate::document::unpack;
use crate::request::{Cursor, Sort};
use crate::schema::FACETS;
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
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
    limit: usize,
    after: Option<Cursor>,
    sort: Sort,
    scored: bool,
    origin: Option<(f64, f64)>,
    radius_km: Option<f64>,
    zone: Option<Box<dyn Scorer>>,
    weight: Column<f64>,
    updated: Column<i64>,
    id_hi: Column<u64>,
    id_lo: Column<u64>,
    location: Column<u64>,
    facets: Vec<(&'static str, Option<StrColumn>, Vec<u32>)>,
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
        let fast = reader.fast_fields();
        let facets = FACETS
            .iter()
            .map(|name| {
                let column = fast.str(name)?;
                let counts = vec![0; column.as_ref().map_or(0, |c| c.dictionary().num_terms())];
                Ok((*name, column, counts))
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let zone = match &self.zone {
            Some(weight) => Some(weight.scorer(reader, 1.0)?),
            None => None,
        };
        Ok(SearchSegmentCollector {
            segment,
            limit: self.limit,
            after: self.after,
            sort: self.sort,
            scored: self.scored,
            origin: self.origin,
            radius_km: self.radius_km,
            zone,
            weight: fast.f64("weight")?,
            updated: fast.i64("updated")?,
            id_hi: fast.u64("id_hi")?,
            id_lo: fast.u64("id_lo")?,
            location: fast.u64("location")?,
            facets,
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
        self.location
            .values_for_doc(doc)
            .map(|packed| agora_geo::distance_km(origin, unpack(packed)))
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
}

impl SegmentCollector for SearchSegmentCollector {
    type Fruit = Harvest;

    fn collect(&mut self, doc: DocId, score: Score) {
        let distance_km = self.distance_km(doc);
        if let Some(radius) = self.radius_km {
            // The box prefilter let in the corners: beyond the radius, only the zone keeps it.
            let near = distance_km.is_some_and(|d| d <= radius);
            if !near && !self.in_zone(doc) {
                return;
            }
        }
        self.total += 1;
        for (_, column, counts) in &mut self.facets {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(n) = counts.get_mut(ord as usize) {
                        *n += 1;
                    }
                }
            }
        }
        let weight = self.weight.first(doc).unwrap_or(1.0);
        let key = match self.sort {
            Sort::Relevance => {
                let relevance = if self.scored { f64::from(score) } else { 1.0 };
                let nearness =
                    distance_km.map_or(1.0, |d| 1.0 + 0.5 * (-d / NEARNESS_SCALE_KM).exp());
                relevance * weight * nearness
            }
            Sort::Distance => distance_km.map_or(-1e9, |d| -d),
            Sort::Recent => self.updated.first(doc).unwrap_or(0) as f64,
        };
        let id = (u128::from(self.id_hi.first(doc).unwrap_or(0)) << 64)
            | u128::from(self.id_lo.first(doc).unwrap_or(0));
        let hit = Hit {
            key,
            id,
            address: DocAddress::new(self.segment, doc),
            distance_km,
        };
        if self.after.is_some_and(|c| !hit.comes_after(&c)) {
            return;
        }
        self.best.push(Reverse(hit));
        if self.best.len() > self.limit {
            self.best.pop();
        }
    }

    fn harvest(self) -> Harvest {
        let mut facets = HashMap::new();
        for (name, column, counts) in self.facets {
            let Some(column) = column else { continue };
            let mut values = HashMap::new();
            let mut text = String::new();
            for (ord, n) in counts.into_iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    values.insert(std::mem::take(&mut text), n);
                }
            }
            facets.insert(name, values);
        }
        Harvest {
            hits: self.best.into_iter().map(|Reverse(h)| h).collect(),
            total: self.total,
            facets,
        }
    }
}

//! "Around me": the on-site listings with a place near a point, read from the grid of
//! places each segment's table holds rather than by two range scans of the latitude and
//! longitude columns. The grid gives the cells around the box; the collector keeps the
//! places within the radius.

use crate::table::Tables;
use agora_geo::BoundingBox;
use std::sync::Arc;
use tantivy::BitSet;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError};

#[derive(Clone)]
pub(crate) struct NearbyQuery {
    tables: Arc<Tables>,
    area: BoundingBox,
}

impl NearbyQuery {
    pub fn new(tables: Arc<Tables>, origin: (f64, f64), radius_km: f64) -> Self {
        Self {
            tables,
            area: BoundingBox::around(origin.0, origin.1, radius_km),
        }
    }
}

impl std::fmt::Debug for NearbyQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NearbyQuery")
            .field("area", &self.area)
            .finish_non_exhaustive()
    }
}

impl Query for NearbyQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for NearbyQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        self.tables.of(reader)?.grid.each_within(&self.area, |doc| {
            docs.insert(doc);
        });
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} has no place near the point"
            )));
        }
        Ok(Explanation::new("NearbyQuery", scorer.score()))
    }
}

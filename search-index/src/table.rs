//! Per-segment tables that searches read instead of tantivy's columns: each document's id,
//! rank weight, update time and places as plain arrays; one bitmap of documents per facet
//! value; and, for the régions and départements a zone reaches, the document's place
//! among the few combinations of them that zones make. A segment's table is built once,
//! when a reader first sees the segment (tantivy calls this warming, and does it before
//! the new segments become searchable), so a search only touches arrays: it counts a facet
//! value by intersecting bitmaps, and the geography (a national listing reaches 119 places)
//! with one increment per matching document.

use crate::document::unpack;
use crate::schema::FACETS;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Warmer};

/// A set of documents of one segment, one bit each.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocBits {
    words: Vec<u64>,
}

impl DocBits {
    pub fn new(max_doc: DocId) -> Self {
        Self {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    #[inline]
    pub fn insert(&mut self, doc: DocId) {
        if let Some(word) = self.words.get_mut((doc >> 6) as usize) {
            *word |= 1 << (doc & 63);
        }
    }

    #[inline]
    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get((doc >> 6) as usize)
            .is_some_and(|word| word & (1 << (doc & 63)) != 0)
    }

    /// The documents of the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = DocId> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                Some(((i as u32) << 6) | bit)
            })
        })
    }

    /// Indexes of the words holding at least one document.
    pub fn occupied(&self) -> Vec<u32> {
        (0..self.words.len() as u32)
            .filter(|&i| self.words[i as usize] != 0)
            .collect()
    }

    /// How many documents both sets hold, looking only at the `occupied` words of `self`
    /// when they are few (a plain pass over every word is faster otherwise).
    pub fn count_common(&self, occupied: &[u32], other: &DocBits) -> u32 {
        if occupied.len() * 4 > self.words.len() {
            return self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| (a & b).count_ones())
                .sum();
        }
        occupied
            .iter()
            .map(|&i| {
                let i = i as usize;
                match (self.words.get(i), other.words.get(i)) {
                    (Some(a), Some(b)) => (a & b).count_ones(),
                    _ => 0,
                }
            })
            .sum()
    }
}

/// Facets counted by combination rather than by bitmaps.
const GEOGRAPHY: [&str; 2] = ["region", "departement"];

/// The documents of one segment having one facet value.
#[derive(Debug)]
pub(crate) struct FacetValue {
    pub facet: &'static str,
    pub value: String,
    pub docs: DocBits,
}

#[derive(Debug, Default)]
pub(crate) struct SegmentTable {
    pub ids: Vec<u128>,
    pub weights: Vec<f64>,
    /// The documents by descending weight, then ascending id: the order of a search
    /// without words nor place, which can then stop at its first page of matches.
    pub by_weight: Vec<DocId>,
    pub updated: Vec<i64>,
    /// The places of document `d` are `places[place_start[d]..place_start[d + 1]]`.
    place_start: Vec<u32>,
    places: Vec<(f64, f64)>,
    /// Where the places are: a grid of cells, read a few cells at a time for "around me".
    pub grid: PlaceGrid,
    pub facets: Vec<FacetValue>,
    /// Each document's combination of geography values (an index into `combinations`).
    pub geography: Vec<u32>,
    /// Each combination, as indexes into `geography_values`.
    pub combinations: Vec<Vec<u32>>,
    pub geography_values: Vec<(&'static str, String)>,
}

impl SegmentTable {
    pub fn build(reader: &SegmentReader) -> tantivy::Result<Self> {
        let fast = reader.fast_fields();
        let max_doc = reader.max_doc();
        let n = max_doc as usize;
        let (id_hi, id_lo) = (fast.u64("id_hi")?, fast.u64("id_lo")?);
        let (weight, updated) = (fast.f64("weight")?, fast.i64("updated")?);
        let location = fast.u64("location")?;
        let mut table = SegmentTable {
            ids: Vec::with_capacity(n),
            weights: Vec::with_capacity(n),
            by_weight: Vec::new(),
            updated: Vec::with_capacity(n),
            place_start: Vec::with_capacity(n + 1),
            places: Vec::new(),
            grid: PlaceGrid::default(),
            facets: Vec::new(),
            geography: Vec::with_capacity(n),
            combinations: Vec::new(),
            geography_values: Vec::new(),
        };
        for doc in 0..max_doc {
            let hi = u128::from(id_hi.first(doc).unwrap_or(0));
            let lo = u128::from(id_lo.first(doc).unwrap_or(0));
            table.ids.push((hi << 64) | lo);
            table.weights.push(weight.first(doc).unwrap_or(1.0));
            table.updated.push(updated.first(doc).unwrap_or(0));
            table.place_start.push(table.places.len() as u32);
            table
                .places
                .extend(location.values_for_doc(doc).map(unpack));
        }
        table.place_start.push(table.places.len() as u32);
        table.grid = PlaceGrid::new(&table);
        table.by_weight = (0..max_doc).collect();
        let (weights, ids) = (&table.weights, &table.ids);
        table.by_weight.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            weights[b]
                .total_cmp(&weights[a])
                .then_with(|| ids[a].cmp(&ids[b]))
        });

        table.build_geography(reader)?;
        for facet in FACETS.iter().filter(|f| !GEOGRAPHY.contains(f)) {
            let Some(column) = fast.str(facet)? else {
                continue;
            };
            let first = table.facets.len();
            let mut text = String::new();
            for ord in 0..column.dictionary().num_terms() as u64 {
                text.clear();
                column.ord_to_str(ord, &mut text)?;
                table.facets.push(FacetValue {
                    facet,
                    value: text.clone(),
                    docs: DocBits::new(max_doc),
                });
            }
            for doc in 0..max_doc {
                for ord in column.term_ords(doc) {
                    if let Some(v) = table.facets.get_mut(first + ord as usize) {
                        v.docs.insert(doc);
                    }
                }
            }
        }
        Ok(table)
    }

    fn build_geography(&mut self, reader: &SegmentReader) -> tantivy::Result<()> {
        let fast = reader.fast_fields();
        let mut columns = Vec::new();
        for facet in GEOGRAPHY {
            let Some(column) = fast.str(facet)? else {
                continue;
            };
            // The column's term ordinals, as indexes into `geography_values`.
            let first = self.geography_values.len() as u32;
            let mut text = String::new();
            for ord in 0..column.dictionary().num_terms() as u64 {
                text.clear();
                column.ord_to_str(ord, &mut text)?;
                self.geography_values.push((facet, text.clone()));
            }
            columns.push((first, column));
        }
        let mut known: HashMap<Vec<u32>, u32> = HashMap::new();
        let mut values = Vec::new();
        for doc in 0..reader.max_doc() {
            values.clear();
            for (first, column) in &columns {
                values.extend(column.term_ords(doc).map(|ord| first + ord as u32));
            }
            let next = known.len() as u32;
            let combination = *known.entry(values.clone()).or_insert(next);
            if combination == next {
                self.combinations.push(values.clone());
            }
            self.geography.push(combination);
        }
        Ok(())
    }

    pub fn places(&self, doc: DocId) -> &[(f64, f64)] {
        let d = doc as usize;
        match (self.place_start.get(d), self.place_start.get(d + 1)) {
            (Some(&from), Some(&to)) => self.places.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Cell side, in degrees: about 11 km of latitude, so that a 20 km search reads some
/// twenty cells.
const CELL_DEGREES: f64 = 0.1;
const CELL_COLUMNS: u32 = (360.0 / CELL_DEGREES) as u32 + 1;

/// The documents of a segment by the grid cell of each of their places, sorted by cell
/// then document: the documents of a row of cells are one slice.
#[derive(Debug, Default)]
pub(crate) struct PlaceGrid {
    entries: Vec<(u32, DocId)>,
}

fn cell_row(lat: f64) -> u32 {
    ((lat.clamp(-90.0, 90.0) + 90.0) / CELL_DEGREES) as u32
}

fn cell_column(lon: f64) -> u32 {
    ((lon.clamp(-180.0, 180.0) + 180.0) / CELL_DEGREES) as u32
}

impl PlaceGrid {
    fn new(table: &SegmentTable) -> Self {
        let mut entries = Vec::with_capacity(table.places.len());
        for doc in 0..table.place_start.len().saturating_sub(1) as DocId {
            for &(lat, lon) in table.places(doc) {
                entries.push((cell_row(lat) * CELL_COLUMNS + cell_column(lon), doc));
            }
        }
        entries.sort_unstable();
        entries.dedup();
        Self { entries }
    }

    /// Calls `found` with each document that has a place in the cells the box touches
    /// (once per such place).
    pub fn each_within(&self, b: &agora_geo::BoundingBox, mut found: impl FnMut(DocId)) {
        let (first, last) = (cell_column(b.min_lon), cell_column(b.max_lon));
        for row in cell_row(b.min_lat)..=cell_row(b.max_lat) {
            let (from, to) = (row * CELL_COLUMNS + first, row * CELL_COLUMNS + last);
            let start = self.entries.partition_point(|&(cell, _)| cell < from);
            let end = self.entries.partition_point(|&(cell, _)| cell <= to);
            for &(_, doc) in self.entries.get(start..end).unwrap_or(&[]) {
                found(doc);
            }
        }
    }
}

/// The tables of the segments that live searchers use.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    by_segment: RwLock<HashMap<SegmentId, Arc<SegmentTable>>>,
}

impl Tables {
    /// The table of a segment, built now if warming has not (it always has, unless a
    /// reader was opened without these tables as its warmer).
    pub fn of(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentTable>> {
        let id = reader.segment_id();
        if let Some(table) = self
            .by_segment
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
        {
            return Ok(table.clone());
        }
        let table = Arc::new(SegmentTable::build(reader)?);
        self.by_segment
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, table.clone());
        Ok(table)
    }
}

impl Warmer for Tables {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for reader in searcher.segment_readers() {
            self.of(reader)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live_generations: &[&SearcherGeneration]) {
        self.by_segment
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|id, _| {
                live_generations
                    .iter()
                    .any(|generation| generation.segments().contains_key(id))
            });
    }
}

#[cfg(test)]
mod tests {
    use super::DocBits;

    #[test]
    fn common_documents_are_counted_over_occupied_words_only() {
        let mut matched = DocBits::new(300);
        let mut value = DocBits::new(300);
        for doc in [0, 5, 64, 200, 299] {
            matched.insert(doc);
        }
        for doc in [5, 6, 64, 65, 299] {
            value.insert(doc);
        }
        let occupied = matched.occupied();
        assert_eq!(occupied, vec![0, 1, 3, 4]);
        assert_eq!(matched.count_common(&occupied, &value), 3);
        assert_eq!(matched.iter().collect::<Vec<_>>(), vec![0, 5, 64, 200, 299]);
        assert!(matched.contains(64) && !matched.contains(65));
        // Beyond the segment: ignored, never a panic.
        matched.insert(10_000);
        assert_eq!(matched.count_common(&matched.occupied(), &value), 3);
    }
}

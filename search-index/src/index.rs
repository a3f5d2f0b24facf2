//! The search index of one server instance: one writer, readers reloaded on each commit,
//! and the position in the change log it has applied, stored with each commit.

use crate::analysis::{FRENCH, french_analyzer};
use crate::collector::{Hit, SearchCollector};
use crate::document::{ListingDoc, to_document};
use crate::error::SearchError;
use crate::nearby::NearbyQuery;
use crate::request::{
    Cursor, DEFAULT_RADIUS_KM, MAX_RADIUS_KM, Place, SearchRequest, Sort, filters, resolve_place,
    text_query, words,
};
use crate::schema::{Fields, build};
use crate::table::Tables;
use agora_domain::Freshness;
use agora_geo::CommunePoints;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, Weak};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{AllQuery, BooleanQuery, EnableScoring, Occur, Query};
use tantivy::schema::Value as _;
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term, Warmer,
};
use uuid::Uuid;

/// Indexing memory, shared by the threads (tantivy wants at least 15 MB each): a segment is
/// written when a thread's share is full, so more memory makes fewer, larger segments. It
/// is taken as documents arrive and given back when the segment is written.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
const WRITER_THREADS: usize = 2;

/// The way documents are built; an index built another way is rebuilt. (2: a service that
/// names no cancer lists them all; projects say whether they seek contributors.)
pub const INDEX_FORMAT: u32 = 2;

/// What the index has applied, saved with each commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexState {
    /// Last change-log sequence number applied.
    pub seq: i64,
    /// The commune centroids the coverage zones were expanded with.
    pub geography: Option<String>,
    /// [`INDEX_FORMAT`] when the index was built (0 before formats were recorded).
    #[serde(default)]
    pub format: u32,
}

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
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// For each facet, its values with their counts, most frequent first.
    pub facets: BTreeMap<&'static str, Vec<(String, u32)>>,
    pub total: usize,
    pub next: Option<Cursor>,
}

/// How an index directory was found when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Existing,
    /// Missing, unreadable or of another schema: created empty, to be rebuilt.
    Created,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    points: RwLock<Arc<CommunePoints>>,
    /// Held here: the reader only keeps a weak reference to its warmer.
    tables: Arc<Tables>,
    /// The state of the last commit, kept so that the change-log follower does not read
    /// it back from disk on each poll.
    committed: RwLock<Option<IndexState>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.num_docs())
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        index.tokenizers().register(FRENCH, french_analyzer());
        let tables = Arc::new(Tables::default());
        let warmer: Weak<dyn Warmer> = Arc::downgrade(&tables) as Weak<dyn Warmer>;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![warmer])
            .try_into()?;
        let writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
        let committed = index
            .load_metas()
            .ok()
            .and_then(|metas| metas.payload)
            .and_then(|payload| serde_json::from_str(&payload).ok());
        Ok(Self {
            committed: RwLock::new(committed),
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            points: RwLock::new(Arc::default()),
            tables,
        })
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = build();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    /// Opens the index in `dir`, or creates it when it is missing, unreadable or of
    /// another schema (the caller then rebuilds it from the database).
    pub fn open_or_create(dir: &Path) -> Result<(Self, Opened), SearchError> {
        let (schema, fields) = build();
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Other(format!("{}: {e}", dir.display())))?;
        if let Ok(index) = Index::open_in_dir(dir) {
            if index.schema() == schema {
                match Self::with_index(index, fields.clone()) {
                    Ok(opened) => return Ok((opened, Opened::Existing)),
                    // Another process writes to it: never wipe an index in use.
                    Err(SearchError::Index(TantivyError::LockFailure(..))) => {
                        return Err(SearchError::Other(format!(
                            "{} is in use by another process",
                            dir.display()
                        )));
                    }
                    Err(e) => tracing::warn!(error = %e, "search index unreadable; rebuilding it"),
                }
            } else {
                tracing::warn!("search index of another schema; rebuilding it");
            }
        }
        // Whatever was there is derived data: start afresh.
        for entry in std::fs::read_dir(dir)
            .map_err(|e| SearchError::Other(e.to_string()))?
            .flatten()
        {
            let path = entry.path();
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(|e| SearchError::Other(format!("{}: {e}", path.display())))?;
        }
        let index = Index::create_in_dir(dir, schema)?;
        Ok((Self::with_index(index, fields)?, Opened::Created))
    }

    /// Where communes are, for "around me" and for zones drawn as discs.
    pub fn set_points(&self, points: Arc<CommunePoints>) {
        *self.points.write().unwrap_or_else(|p| p.into_inner()) = points;
    }

    fn points(&self) -> Arc<CommunePoints> {
        self.points
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds or replaces listings (hidden ones are removed instead).
    pub fn upsert(&self, docs: &[ListingDoc]) -> Result<(), SearchError> {
        let points = self.points();
        let added = {
            let writer = self.writer();
            docs.iter().try_for_each(|doc| {
                writer.delete_term(Term::from_field_text(self.fields.id, &doc.id.to_string()));
                if doc.freshness != Freshness::Hidden {
                    writer.add_document(to_document(doc, &self.fields, &points))?;
                }
                Ok(())
            })
        };
        self.or_roll_back(added)
    }

    /// On an error, forgets every change since the last commit (a delete must never
    /// outlive the add that was to follow it), so that the caller can apply them again.
    fn or_roll_back<T>(&self, result: Result<T, SearchError>) -> Result<T, SearchError> {
        if result.is_err()
            && let Err(e) = self.writer().rollback()
        {
            tracing::warn!(error = %e, "search index changes could not be rolled back");
        }
        result
    }

    /// Adds listings to an index known not to hold them (a rebuild after [`clear`]), without
    /// the deletions an upsert records.
    ///
    /// [`clear`]: Self::clear
    pub fn add(&self, docs: &[ListingDoc]) -> Result<(), SearchError> {
        let points = self.points();
        let added = {
            let writer = self.writer();
            docs.iter()
                .filter(|d| d.freshness != Freshness::Hidden)
                .try_for_each(|doc| {
                    writer.add_document(to_document(doc, &self.fields, &points))?;
                    Ok(())
                })
        };
        self.or_roll_back(added)
    }

    pub fn delete(&self, ids: &[Uuid]) {
        let writer = self.writer();
        for id in ids {
            writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        }
    }

    /// Removes every document (before a rebuild). Segments are not merged until
    /// [`compact`](Self::compact) merges them all at once.
    pub fn clear(&self) -> Result<(), SearchError> {
        let writer = self.writer();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        writer.delete_all_documents()?;
        Ok(())
    }

    /// Merges every segment into one (after a rebuild): a search then walks one dictionary
    /// and one set of postings instead of one per segment. Merging as documents come back
    /// in resumes afterwards.
    pub fn compact(&self) -> Result<(), SearchError> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            let merging = self.writer().merge(&segments);
            if let Err(e) = merging.wait() {
                // The index is whole either way, only slower to search.
                tracing::warn!(error = %e, "search index segments could not be merged");
            }
        }
        self.writer()
            .set_merge_policy(Box::new(LogMergePolicy::default()));
        self.reader.reload()?;
        Ok(())
    }

    /// Makes the writes so far durable and visible, with the state they bring the index to.
    pub fn commit(&self, state: &IndexState) -> Result<(), SearchError> {
        let payload =
            serde_json::to_string(state).map_err(|e| SearchError::Other(e.to_string()))?;
        let committed = {
            let mut writer = self.writer();
            writer.prepare_commit().and_then(|mut prepared| {
                prepared.set_payload(&payload);
                prepared.commit()
            })
        };
        // A commit that failed (a full disk) leaves nothing half-applied: the change log
        // is read again from the last state that was committed.
        self.or_roll_back(committed.map_err(SearchError::from))?;
        // Searchable first, then recorded as applied: whoever waits for the state finds
        // the documents.
        self.reader.reload()?;
        *self.committed.write().unwrap_or_else(|p| p.into_inner()) = Some(state.clone());
        Ok(())
    }

    /// The state of the last commit, if any.
    pub fn state(&self) -> Option<IndexState> {
        self.committed
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Segments searched (tests).
    #[cfg(test)]
    pub(crate) fn segments(&self) -> usize {
        self.reader.searcher().segment_readers().len()
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The ids of every document the index holds (to reconcile it with the database).
    pub fn ids(&self) -> Result<std::collections::HashSet<Uuid>, SearchError> {
        let searcher = self.reader.searcher();
        let mut ids = std::collections::HashSet::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let (hi, lo) = (fast.u64("id_hi")?, fast.u64("id_lo")?);
            for doc in segment.doc_ids_alive() {
                let id = (u128::from(hi.first(doc).unwrap_or(0)) << 64)
                    | u128::from(lo.first(doc).unwrap_or(0));
                ids.insert(Uuid::from_u128(id));
            }
        }
        Ok(ids)
    }

    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let f = &self.fields;
        let mut analyzer = french_analyzer();
        let words = words(&mut analyzer, request)?;
        // One searcher for the whole search: variants, matches and documents agree.
        let searcher = self.reader.searcher();
        let text = text_query(f, &words, &searcher)?;
        let mut must: Vec<Box<dyn Query>> = filters(f, request)?;
        let points = self.points();
        let place = request
            .place
            .as_ref()
            .map(|p| resolve_place(p, f, &points))
            .transpose()?;
        let origin = place.as_ref().and_then(|p| p.origin);
        // With a point, on-site listings near it match as well; with a commune or postcode,
        // only when a radius is asked for.
        let radius = match (&request.place, request.radius_km) {
            (Some(Place::Point { .. }), r) => Some(r.unwrap_or(DEFAULT_RADIUS_KM)),
            (_, Some(r)) if origin.is_some() => Some(r),
            _ => None,
        }
        .map(|r| r.clamp(0.1, MAX_RADIUS_KM));
        let mut zone_weight = None;
        if let Some(p) = place {
            match (origin, radius) {
                (Some(o), Some(r)) => {
                    zone_weight = Some(
                        p.zone
                            .weight(EnableScoring::disabled_from_searcher(&searcher))?,
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
        if let Some(t) = &text {
            must.push(t.box_clone());
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
        let limit = request.limit.clamp(1, 100);
        let collector = SearchCollector {
            tables: self.tables.clone(),
            limit: limit + 1,
            after: request.after,
            sort,
            scored: text.is_some(),
            origin,
            radius_km: radius,
            zone: zone_weight,
        };
        let mut harvest = searcher.search(&*query, &collector)?;
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
            Some(t) => Some(SnippetGenerator::create(&searcher, &**t, f.text)?),
            None => None,
        };
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
            hits.push(SearchHit {
                card,
                snippet,
                distance_km: hit.distance_km.map(|d| (d * 10.0).round() / 10.0),
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
        })
    }
}

//! The search index of one server instance: one writer, readers reloaded on each commit,
//! and the position in the change log it has applied, stored with each commit.

use crate::analysis::{FRENCH, SPELLING, french_analyzer, spelling_analyzer};
use crate::document::{ListingDoc, to_document};
use crate::error::SearchError;
use crate::schema::{Fields, build};
use crate::table::Tables;
use agora_domain::Freshness;
use agora_geo::CommunePoints;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, Weak};
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term, Warmer};
use uuid::Uuid;

/// Indexing memory, shared by the threads (tantivy wants at least 15 MB each): a segment is
/// written when a thread's share is full, so more memory makes fewer, larger segments. It
/// is taken as documents arrive and given back when the segment is written.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
const WRITER_THREADS: usize = 2;

/// The way documents are built; an index built another way is rebuilt. (2: a service that
/// names no cancer lists them all; projects say whether they seek contributors. 3: words
/// as written, for spelling suggestions. 4: how wide a zone is, a project's format.)
pub const INDEX_FORMAT: u32 = 4;

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

/// How an index directory was found when opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    Existing,
    /// Missing, unreadable or of another schema: created empty, to be rebuilt.
    Created,
}

pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    pub(crate) points: RwLock<Arc<CommunePoints>>,
    /// Held here: the reader only keeps a weak reference to its warmer.
    pub(crate) tables: Arc<Tables>,
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
        index.tokenizers().register(SPELLING, spelling_analyzer());
        let tables = Arc::new(Tables::default());
        let warmer: Weak<dyn Warmer> = Arc::downgrade(&tables) as Weak<dyn Warmer>;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![warmer])
            .try_into()?;
        let writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY)?;
        // The place names and the lexicon are read once, on first use: read them now rather
        // than during someone's search.
        std::thread::spawn(|| {
            let _ = agora_geo::place_in_words("à Paris");
            let _ = crate::lexicon::LEXICON.version;
        });
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

    pub(crate) fn points(&self) -> Arc<CommunePoints> {
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
}

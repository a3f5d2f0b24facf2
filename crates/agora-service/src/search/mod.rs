//! Search: index documents built from the public view of each published listing (so the
//! index can hold nothing the public may not read), the index kept in step with the
//! change log, rebuilt when needed, and queried.

use crate::pagination::{decode_opt, encode};
use crate::render::listing_views;
use crate::views::{AnyListingView, StructureRef};
use crate::{Context, Result, ServiceError};
use agora_domain::{
    Access, Coverage, Freshness, ListingContent, ListingKind, ListingStatus, ValidationErrors,
    VocabularyKind,
};
use agora_search::{
    Cursor, INDEX_FORMAT, IndexState, ListingDoc, Opened, Place, PlaceKind, SearchError,
    SearchIndex, SearchRequest, Sort, Widened,
};
use agora_store::changes;
use agora_store::listings::{self, ListingRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

mod params;
mod sync;

pub use params::{MatchParam, SearchParams, SearchQuery, SortParam, list};
use params::{SearchCursor, malformed};
pub use sync::*;

/// How often an instance looks for changes made by others (its own wake it at once).
const POLL: Duration = Duration::from_millis(400);
const BATCH: u64 = 500;

/// What a search returns for one listing: its public card.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchCard {
    pub kind: ListingKind,
    pub id: Uuid,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<String>,
    /// Services and projects: where they are available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    /// The structure behind it, unless anonymous.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<StructureRef>,
    pub status: ListingStatus,
    /// `stale` listings are shown as "à actualiser".
    pub freshness: Freshness,
    pub labelled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SnippetView {
    /// An excerpt of the listing's text around the words searched.
    pub text: String,
    /// Byte ranges of `text` that match the words, as `[start, end]`.
    pub highlights: Vec<[usize; 2]>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchItem {
    #[serde(flatten)]
    pub card: SearchCard,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<SnippetView>,
    /// From the place searched to the listing's nearest on-site location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Words of the question this listing does not hold (when `relaxed` is not empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_words: Vec<String>,
}

/// A place, as named officially.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceView {
    /// `region`, `departement`, `commune` or `postcode`; `national` for the whole country.
    pub kind: String,
    /// INSEE code (or the postcode); absent for `national`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub name: String,
}

/// The place read from the question's words.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlaceReadView {
    #[serde(flatten)]
    pub place: PlaceView,
    /// Other places the same words name, most populous first: the search took `place`.
    pub alternatives: Vec<PlaceView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchPage {
    pub items: Vec<SearchItem>,
    /// For each facet (kind, theme, cancer, audience, stage, mode, skill, free, labelled,
    /// region, departement), its values among all the results, most frequent first.
    pub facets: BTreeMap<String, Vec<FacetCount>>,
    /// How many listings match.
    pub total: usize,
    pub next_cursor: Option<String>,
    /// Words of the question that some results of this page do not hold: listings holding
    /// every word were fewer than a page, so listings holding fewer follow them (each says
    /// which in `missing_words`). Empty when every result holds every word.
    pub relaxed: Vec<String>,
    /// The place read from the words of `q` and searched (absent when a place parameter
    /// is given or none is named).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceReadView>,
    /// When nothing was found in the place asked, the wider area whose results these are
    /// (`departement`, `region` or `national`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub widened_to: Option<PlaceView>,
    /// The question with the words no listing holds respelt as listings write them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

impl PlaceView {
    fn of(place: &agora_search::PlaceRef) -> Self {
        let kind = match place.kind {
            PlaceKind::Region => "region",
            PlaceKind::Departement => "departement",
            PlaceKind::Commune => "commune",
            PlaceKind::Postcode => "postcode",
        };
        Self {
            kind: kind.into(),
            code: Some(place.code.clone()),
            name: place.name.clone(),
        }
    }

    fn widened(area: &Widened) -> Self {
        let (kind, code, name) = match area {
            Widened::Departement(code) => (
                "departement",
                Some(code.clone()),
                agora_geo::departement(code).map_or_else(|| code.clone(), |d| d.name.to_owned()),
            ),
            Widened::Region(code) => (
                "region",
                Some(code.clone()),
                agora_geo::region(code).map_or_else(|| code.clone(), |r| r.name.to_owned()),
            ),
            Widened::National => ("national", None, "France entière".to_owned()),
        };
        Self {
            kind: kind.into(),
            code,
            name,
        }
    }
}

fn index_error(e: SearchError) -> ServiceError {
    match e {
        SearchError::Invalid { field, detail } => malformed(field, &detail),
        other => ServiceError::Internal(other.to_string()),
    }
}

/// Runs blocking index work off the async executor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, SearchError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(index_error)
}

async fn joined<T>(task: tokio::task::JoinHandle<Result<T>>) -> Result<T> {
    task.await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
}

pub async fn search(ctx: &Context, params: SearchParams) -> Result<SearchPage> {
    let index = ctx.search.clone().ok_or(ServiceError::Unavailable)?;
    let request = params.into_request(ctx)?;
    let started = std::time::Instant::now();
    let results = blocking(move || index.search(&request)).await?;
    // Every search, from the API or the portal's pages, for the metrics endpoint.
    metrics::histogram!("agora_search_duration_seconds").record(started.elapsed().as_secs_f64());
    metrics::histogram!("agora_search_results").record(results.total as f64);
    let items = results
        .hits
        .into_iter()
        .filter_map(|hit| {
            let card: SearchCard = serde_json::from_value(hit.card).ok()?;
            let snippet = hit.snippet.map(|s| SnippetView {
                text: s.text,
                highlights: s.highlights.into_iter().map(|(a, b)| [a, b]).collect(),
            });
            Some(SearchItem {
                card,
                snippet,
                distance_km: hit.distance_km,
                missing_words: hit.missing_words,
            })
        })
        .collect();
    let facets = results
        .facets
        .into_iter()
        .map(|(name, values)| {
            (
                name.to_owned(),
                values
                    .into_iter()
                    .map(|(value, count)| FacetCount { value, count })
                    .collect(),
            )
        })
        .collect();
    let next_cursor = results.next.map(|c| {
        encode(&SearchCursor {
            k: c.key,
            i: Uuid::from_u128(c.id),
        })
    });
    Ok(SearchPage {
        items,
        facets,
        total: results.total,
        next_cursor,
        relaxed: results.relaxed,
        place: results.place.map(|read| PlaceReadView {
            place: PlaceView::of(&read.place),
            alternatives: read.alternatives.iter().map(PlaceView::of).collect(),
        }),
        widened_to: results.widened_to.as_ref().map(PlaceView::widened),
        did_you_mean: results.did_you_mean,
    })
}

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

/// How the words are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchParam {
    /// As people ask: places in the words, the field's vocabulary, fewer words when every
    /// word finds too little, wider areas when the place has nothing.
    #[default]
    Understood,
    /// Every word as typed is required.
    Exact,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    #[default]
    Relevance,
    Distance,
    Recent,
}

/// A search as the query string of `GET /api/v1/search` (and of the portal's
/// `/recherche`) names it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// Words to find (at most 200 characters, and 12 words besides small ones such as
    /// "le", "de", "à"), as people ask: accents, case,
    /// plurals and small typos do not matter; the last word may be unfinished; the field's
    /// vocabulary is understood ("sport" finds activité physique adaptée); a place in the
    /// words ("près de Nantes", "dans le 25") is the place searched, unless a place
    /// parameter is given. Listings holding every word come first; when they fill less
    /// than a page, listings holding fewer follow (see `relaxed`). Never query syntax.
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub q: Option<String>,
    /// `understood` (default) or `exact`: every word as typed is required, no place is
    /// read from the words, no vocabulary, no wider area.
    #[serde(rename = "match")]
    #[cfg_attr(feature = "openapi", param(rename = "match", inline))]
    pub match_mode: Option<MatchParam>,
    /// Comma-separated kinds: `structure`, `service`, `project`.
    pub kind: Option<String>,
    /// Comma-separated theme slugs (any of them).
    pub theme: Option<String>,
    /// Comma-separated cancer-type slugs; services naming none are for every cancer.
    pub cancer: Option<String>,
    /// Comma-separated audience slugs.
    pub audience: Option<String>,
    /// Comma-separated pathway-stage slugs.
    pub stage: Option<String>,
    /// Comma-separated mode slugs (`presentiel`, `visio`, `telephone`, `en-ligne`).
    pub mode: Option<String>,
    /// Comma-separated skill slugs (projects).
    pub skill: Option<String>,
    /// Comma-separated: how wide the area of a service or project is: `national` (the
    /// whole country), `regional` (one or more régions), `local` (less than a région).
    pub scope: Option<String>,
    /// Comma-separated project formats: `long_project`, `mini_mission`.
    pub format: Option<String>,
    /// Free services only (`true`) or paid only (`false`).
    pub free: Option<bool>,
    /// Labelled structures' listings only.
    pub labelled: Option<bool>,
    /// A région (INSEE code): listings whose zone reaches it.
    pub code_region: Option<String>,
    /// A département (INSEE code): listings whose zone reaches it.
    pub code_departement: Option<String>,
    /// A commune (INSEE code): listings whose zone holds it.
    pub code_commune: Option<String>,
    /// A postcode: listings whose zone holds one of its communes.
    pub postcode: Option<String>,
    /// "Around me", with `lon`: listings whose zone holds the place, and on-site ones
    /// within `radius_km`.
    #[cfg_attr(feature = "openapi", param(minimum = -90, maximum = 90 ))]
    pub lat: Option<f64>,
    #[cfg_attr(feature = "openapi", param(minimum = -180, maximum = 180 ))]
    pub lon: Option<f64>,
    /// Distance for on-site listings, in km (20 by default with `lat`/`lon`).
    #[cfg_attr(feature = "openapi", param(exclusive_minimum = 0, maximum = 200))]
    pub radius_km: Option<f64>,
    /// `relevance` (default), `distance` (with a place), `recent`.
    #[cfg_attr(feature = "openapi", param(inline))]
    pub sort: Option<SortParam>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[cfg_attr(feature = "openapi", param(minimum = 1))]
    pub limit: Option<i64>,
}

pub fn list(values: Option<String>) -> Vec<String> {
    values
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

impl SearchQuery {
    /// The search these parameters ask for, `limit` results a page.
    pub fn into_params(self, limit: u64) -> SearchParams {
        SearchParams {
            q: self.q,
            kinds: list(self.kind),
            themes: list(self.theme),
            cancers: list(self.cancer),
            audiences: list(self.audience),
            stages: list(self.stage),
            modes: list(self.mode),
            skills: list(self.skill),
            scopes: list(self.scope),
            formats: list(self.format),
            free: self.free,
            labelled: self.labelled,
            open_to_help: false,
            code_region: self.code_region,
            code_departement: self.code_departement,
            code_commune: self.code_commune,
            postcode: self.postcode,
            lat: self.lat,
            lon: self.lon,
            radius_km: self.radius_km,
            sort: self.sort.unwrap_or_default(),
            match_mode: self.match_mode.unwrap_or_default(),
            cursor: self.cursor,
            limit,
        }
    }
}

/// A search as callers ask it.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub kinds: Vec<String>,
    pub themes: Vec<String>,
    pub cancers: Vec<String>,
    pub audiences: Vec<String>,
    pub stages: Vec<String>,
    pub modes: Vec<String>,
    pub skills: Vec<String>,
    pub scopes: Vec<String>,
    pub formats: Vec<String>,
    pub free: Option<bool>,
    pub labelled: Option<bool>,
    /// Only projects seeking contributors now (suggestions to contributors).
    pub open_to_help: bool,
    pub code_region: Option<String>,
    pub code_departement: Option<String>,
    pub code_commune: Option<String>,
    pub postcode: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: Option<f64>,
    pub sort: SortParam,
    pub match_mode: MatchParam,
    pub cursor: Option<String>,
    pub limit: u64,
}

#[derive(Serialize, Deserialize)]
struct SearchCursor {
    /// The sort key of the last result (exact: JSON round-trips f64).
    k: f64,
    /// Its id.
    i: Uuid,
}

fn malformed(field: &str, detail: &str) -> ServiceError {
    ServiceError::Malformed(ValidationErrors::single(
        format!("/{field}"),
        "invalid",
        detail,
    ))
}

impl SearchParams {
    fn into_request(self, ctx: &Context) -> Result<SearchRequest> {
        for (name, values, known) in [
            (
                "scope",
                &self.scopes,
                &["national", "regional", "local"][..],
            ),
            (
                "format",
                &self.formats,
                &["long_project", "mini_mission"][..],
            ),
        ] {
            if let Some(unknown) = values.iter().find(|v| !known.contains(&v.as_str())) {
                return Err(ServiceError::Validation(ValidationErrors::single(
                    format!("/{name}"),
                    "unknown_value",
                    format!("`{unknown}` is not one of {}", known.join(", ")),
                )));
            }
        }
        let kinds = self
            .kinds
            .iter()
            .map(|k| {
                ListingKind::parse(k)
                    .ok_or_else(|| malformed("kind", "structure, service or project"))
            })
            .collect::<Result<Vec<_>>>()?;
        for (name, kind, values) in [
            ("theme", VocabularyKind::Theme, &self.themes),
            ("cancer", VocabularyKind::CancerType, &self.cancers),
            ("audience", VocabularyKind::Audience, &self.audiences),
            ("stage", VocabularyKind::Stage, &self.stages),
            ("mode", VocabularyKind::Mode, &self.modes),
            ("skill", VocabularyKind::Skill, &self.skills),
        ] {
            if let Some(unknown) = values.iter().find(|v| !ctx.vocab.contains(kind, v)) {
                return Err(ServiceError::Validation(ValidationErrors::single(
                    format!("/{name}"),
                    "unknown_term",
                    format!(
                        "`{unknown}` is not in the {} vocabulary (see /api/v1/vocabularies)",
                        kind.as_str()
                    ),
                )));
            }
        }
        let point = match (self.lat, self.lon) {
            (Some(lat), Some(lon))
                if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
            {
                Some(Place::Point { lat, lon })
            }
            (Some(_), Some(_)) => {
                return Err(malformed("lat", "latitude and longitude out of range"));
            }
            (None, None) => None,
            _ => return Err(malformed("lat", "give both lat and lon")),
        };
        let places: Vec<Place> = [
            self.code_region.map(Place::Region),
            self.code_departement.map(Place::Departement),
            self.code_commune.map(Place::Commune),
            self.postcode.map(Place::Postcode),
            point,
        ]
        .into_iter()
        .flatten()
        .collect();
        if places.len() > 1 {
            return Err(malformed(
                "code_region",
                "give one place: a région, a département, a commune, a postcode or lat/lon",
            ));
        }
        if let Some(r) = self.radius_km
            && !(r > 0.0 && r <= 200.0)
        {
            return Err(malformed("radius_km", "between 0 and 200 km"));
        }
        let after = decode_opt::<SearchCursor>(self.cursor.as_deref())?.map(|c| Cursor {
            key: c.k,
            id: c.i.as_u128(),
        });
        Ok(SearchRequest {
            q: self.q,
            kinds,
            themes: self.themes,
            cancers: self.cancers,
            audiences: self.audiences,
            stages: self.stages,
            modes: self.modes,
            skills: self.skills,
            scopes: self.scopes,
            formats: self.formats,
            free: self.free,
            labelled: self.labelled,
            open_to_help: self.open_to_help,
            place: places.into_iter().next(),
            radius_km: self.radius_km,
            sort: match self.sort {
                SortParam::Relevance => Sort::Relevance,
                SortParam::Distance => Sort::Distance,
                SortParam::Recent => Sort::Recent,
            },
            after,
            limit: self.limit as usize,
            exact_words: self.match_mode == MatchParam::Exact,
        })
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
    let results = blocking(move || index.search(&request)).await?;
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

fn labels(ctx: &Context, kind: VocabularyKind, slugs: &[String]) -> Vec<String> {
    slugs
        .iter()
        .filter_map(|s| ctx.vocab.label(kind, s).map(str::to_owned))
        .collect()
}

/// The index document of a listing, from its public view.
fn listing_doc(ctx: &Context, view: &AnyListingView) -> ListingDoc {
    let points = &ctx.geography.points;
    let place = |commune: &str, lat: Option<f64>, lon: Option<f64>| match (lat, lon) {
        (Some(lat), Some(lon)) => Some((lat, lon)),
        _ => points.point(commune),
    };
    let mut doc = ListingDoc {
        id: view.id,
        kind: view.kind,
        name: view.content.name().to_owned(),
        text: Vec::new(),
        keywords: view.structure.iter().map(|s| s.name.clone()).collect(),
        themes: Vec::new(),
        cancer_types: Vec::new(),
        audiences: Vec::new(),
        stages: Vec::new(),
        modes: Vec::new(),
        skills: Vec::new(),
        free: None,
        labelled: view.labelled,
        format: None,
        open_to_help: view.kind == ListingKind::Project && view.status == ListingStatus::Published,
        coverage: view.content.coverage().cloned(),
        communes: Vec::new(),
        locations: Vec::new(),
        freshness: view.freshness,
        updated_at: view.updated_at,
        card: serde_json::Value::Null,
    };
    let summary = match &view.content {
        ListingContent::Structure(c) => {
            doc.text
                .extend(c.summary.iter().chain(&c.description).cloned());
            doc.keywords.extend(
                ctx.vocab
                    .label(VocabularyKind::StructureKind, &c.structure_kind)
                    .map(str::to_owned),
            );
            if let Some(a) = &c.address {
                doc.communes.push(a.commune_code.clone());
                doc.locations.extend(place(&a.commune_code, a.lat, a.lon));
            }
            c.summary.clone()
        }
        ListingContent::Service(c) => {
            doc.text.push(c.summary.clone());
            doc.text.extend(
                c.description
                    .iter()
                    .chain(&c.cost_details)
                    .chain(&c.opening_hours)
                    .cloned(),
            );
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Theme, &c.themes));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::CancerType, &c.cancer_types));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Audience, &c.audiences));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Stage, &c.stages));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Mode, &c.modes));
            doc.themes = c.themes.clone();
            // A service that names no cancer serves them all: it is found, and counted, under
            // each of them.
            doc.cancer_types = if c.cancer_types.is_empty() {
                ctx.vocab
                    .of_kind(VocabularyKind::CancerType)
                    .map(|t| t.slug.clone())
                    .collect()
            } else {
                c.cancer_types.clone()
            };
            doc.audiences = c.audiences.clone();
            doc.stages = c.stages.clone();
            doc.modes = c.modes.clone();
            doc.free = Some(c.cost == agora_domain::content::Cost::Free);
            for l in &c.locations {
                doc.communes.push(l.address.commune_code.clone());
                doc.locations
                    .extend(place(&l.address.commune_code, l.address.lat, l.address.lon));
            }
            Some(c.summary.clone())
        }
        ListingContent::Project(c) => {
            doc.text.push(c.summary.clone());
            doc.text
                .extend(c.need.iter().chain(&c.description).cloned());
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Theme, &c.themes));
            doc.keywords
                .extend(labels(ctx, VocabularyKind::Skill, &c.skills));
            doc.themes = c.themes.clone();
            doc.skills = c.skills.clone();
            doc.format = Some(
                match c.project_kind {
                    agora_domain::content::ProjectKind::LongProject => "long_project",
                    agora_domain::content::ProjectKind::MiniMission => "mini_mission",
                }
                .to_owned(),
            );
            Some(c.summary.clone())
        }
    };
    let card = SearchCard {
        kind: view.kind,
        id: view.id,
        name: doc.name.clone(),
        summary,
        themes: doc.themes.clone(),
        coverage: doc.coverage.clone(),
        structure: view.structure.clone(),
        status: view.status,
        freshness: doc.freshness,
        labelled: doc.labelled,
        verified_at: view.verified_at,
        updated_at: view.updated_at,
    };
    doc.card = serde_json::to_value(card).unwrap_or_default();
    doc
}

/// The index documents of public listings among `subjects`, and the ids to remove.
async fn documents(
    ctx: &Context,
    subjects: &BTreeSet<(ListingKind, Uuid)>,
) -> Result<(Vec<ListingDoc>, Vec<Uuid>)> {
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    for kind in ListingKind::ALL {
        let ids: Vec<Uuid> = subjects
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let records = listings::by_ids(&ctx.db, kind, ids.clone()).await?;
        let public: Vec<_> = records.into_iter().filter(|r| r.is_listed()).collect();
        gone.extend(ids.iter().filter(|id| !public.iter().any(|r| r.id == **id)));
        docs.extend(documents_of(ctx, public).await?);
    }
    Ok((docs, gone))
}

/// The index documents of listings known to be public.
async fn documents_of(ctx: &Context, public: Vec<ListingRecord>) -> Result<Vec<ListingDoc>> {
    let views = listing_views(
        &ctx.db,
        public.into_iter().map(|r| (r, Access::Public)).collect(),
    )
    .await?;
    Ok(views.iter().map(|v| listing_doc(ctx, v)).collect())
}

async fn apply(
    index: &Arc<SearchIndex>,
    docs: Vec<ListingDoc>,
    gone: Vec<Uuid>,
    state: IndexState,
) -> Result<()> {
    let index = index.clone();
    blocking(move || {
        index.delete(&gone);
        index.upsert(&docs)?;
        index.commit(&state)
    })
    .await
}

fn state_of(index: &Arc<SearchIndex>) -> IndexState {
    index.state().unwrap_or_default()
}

/// Applies the change-log entries the index has not seen yet; returns how many.
pub async fn catch_up(ctx: &Context, index: &Arc<SearchIndex>) -> Result<usize> {
    let mut applied = 0;
    loop {
        let from = state_of(index).seq;
        let batch = changes::since(&ctx.db, from, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.seq) else {
            return Ok(applied);
        };
        let mut subjects = BTreeSet::new();
        for change in &batch {
            let Some(kind) = change.subject_type.listing_kind() else {
                continue;
            };
            subjects.insert((kind, change.subject_id));
            // Services and projects show their structure's name.
            if kind == ListingKind::Structure {
                for child in [ListingKind::Service, ListingKind::Project] {
                    for r in listings::of_structure(&ctx.db, child, change.subject_id).await? {
                        subjects.insert((child, r.id));
                    }
                }
            }
        }
        let (docs, gone) = documents(ctx, &subjects).await?;
        apply(
            index,
            docs,
            gone,
            IndexState {
                seq: last,
                geography: ctx.geography.version.clone(),
                format: INDEX_FORMAT,
            },
        )
        .await?;
        applied += batch.len();
    }
}

/// Rebuilds the index from the database; `progress(done, total)` after each batch.
pub async fn rebuild(
    ctx: &Context,
    index: &Arc<SearchIndex>,
    progress: impl Fn(u64, u64),
) -> Result<u64> {
    // Changes after this point are applied again by the next catch-up: applying is idempotent.
    let seq = changes::last_seq(&ctx.db).await?;
    let mut total = 0;
    for kind in ListingKind::ALL {
        total += listings::count_public(&ctx.db, kind).await?;
    }
    let idx = index.clone();
    blocking(move || idx.clear()).await?;
    let mut done = 0;
    progress(0, total);
    // A batch is indexed while the next one is read from the database.
    let mut indexing: Option<tokio::task::JoinHandle<Result<()>>> = None;
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let rows = listings::list_public(&ctx.db, kind, after, BATCH).await?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            after = Some(last);
            let n = rows.len() as u64;
            let docs = documents_of(ctx, rows).await?;
            if let Some(previous) = indexing.take() {
                joined(previous).await?;
            }
            let idx = index.clone();
            indexing = Some(tokio::spawn(blocking(move || idx.add(&docs))));
            done += n;
            progress(done, total);
        }
    }
    if let Some(last) = indexing {
        joined(last).await?;
    }
    let idx = index.clone();
    let state = IndexState {
        seq,
        geography: ctx.geography.version.clone(),
        format: INDEX_FORMAT,
    };
    blocking(move || {
        idx.commit(&state)?;
        idx.compact()
    })
    .await?;
    Ok(done)
}

/// Opens this instance's index in `dir`: rebuilt when missing, unreadable, built with
/// other commune centroids or documents of another format; otherwise brought up to date
/// from the change log.
pub async fn open(ctx: &Context, dir: PathBuf) -> Result<Arc<SearchIndex>> {
    let (index, opened) = blocking(move || SearchIndex::open_or_create(&dir)).await?;
    index.set_points(ctx.geography.points.clone());
    let index = Arc::new(index);
    let state = index.state();
    let outdated = state
        .as_ref()
        .is_none_or(|s| s.geography != ctx.geography.version || s.format != INDEX_FORMAT);
    if opened == Opened::Created || outdated {
        let n = rebuild(ctx, &index, |_, _| {}).await?;
        tracing::info!(listings = n, "search index rebuilt");
    } else {
        let n = catch_up(ctx, &index).await?;
        let (added, removed) = reconcile(ctx, &index).await?;
        tracing::info!(changes = n, added, removed, "search index up to date");
    }
    Ok(index)
}

/// Makes the index hold exactly the public listings of the database: adds those it
/// lacks, removes those it should not have. Run at start and after the index failed to
/// write (a full disk): what a failed write lost is found again. Returns (added, removed).
pub async fn reconcile(ctx: &Context, index: &Arc<SearchIndex>) -> Result<(usize, usize)> {
    let idx = index.clone();
    let in_index = blocking(move || idx.ids()).await?;
    let mut in_db = std::collections::HashSet::with_capacity(in_index.len());
    let mut missing = Vec::new();
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let ids = listings::public_ids(&ctx.db, kind, after, 10_000).await?;
            let Some(last) = ids.last().copied() else {
                break;
            };
            after = Some(last);
            for id in ids {
                if !in_index.contains(&id) {
                    missing.push((kind, id));
                }
                in_db.insert(id);
            }
        }
    }
    let extra: Vec<Uuid> = in_index.difference(&in_db).copied().collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok((0, 0));
    }
    tracing::warn!(
        missing = missing.len(),
        extra = extra.len(),
        "search index out of step with the database; reconciled"
    );
    let mut added = 0;
    for chunk in missing.chunks(BATCH as usize) {
        let subjects: BTreeSet<(ListingKind, Uuid)> = chunk.iter().copied().collect();
        let (docs, gone) = documents(ctx, &subjects).await?;
        added += docs.len();
        apply(index, docs, gone, state_of(index)).await?;
    }
    let removed = extra.len();
    apply(index, Vec::new(), extra, state_of(index)).await?;
    Ok((added, removed))
}

/// Keeps the index in step with the change log, for as long as the server runs.
pub async fn follow(ctx: Context, index: Arc<SearchIndex>) {
    let mut failed = false;
    loop {
        match catch_up(&ctx, &index).await {
            Err(e) => {
                tracing::warn!(error = %e, "search index not updated; retrying");
                failed = true;
            }
            // A write that failed may have lost documents even where a later commit
            // succeeded: check everything once the index writes again.
            Ok(_) if failed => match reconcile(&ctx, &index).await {
                Ok(_) => failed = false,
                Err(e) => tracing::warn!(error = %e, "search index not reconciled; retrying"),
            },
            Ok(_) => {}
        }
        tokio::select! {
            () = ctx.changed.notified() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

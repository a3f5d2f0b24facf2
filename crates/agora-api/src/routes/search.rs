//! Search over published listings.

use super::json_with_next;
use crate::extract::QueryParams;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_service::pagination::page_size;
use agora_service::search::{self, MatchParam, SearchPage, SearchParams, SortParam};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(search_listings);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to find (at most 200 characters, and 12 words besides small ones such as
    /// "le", "de", "à"), as people ask: accents, case,
    /// plurals and small typos do not matter; the last word may be unfinished; the field's
    /// vocabulary is understood ("sport" finds activité physique adaptée); a place in the
    /// words ("près de Nantes", "dans le 25") is the place searched, unless a place
    /// parameter is given. Listings holding every word come first; when they fill less
    /// than a page, listings holding fewer follow (see `relaxed`). Never query syntax.
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// `understood` (default) or `exact`: every word as typed is required, no place is
    /// read from the words, no vocabulary, no wider area.
    #[serde(rename = "match")]
    #[param(rename = "match", inline)]
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
    #[param(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[param(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
    /// Distance for on-site listings, in km (20 by default with `lat`/`lon`).
    #[param(exclusive_minimum = 0, maximum = 200)]
    pub radius_km: Option<f64>,
    /// `relevance` (default), `distance` (with a place), `recent`.
    #[param(inline)]
    pub sort: Option<SortParam>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

fn list(values: Option<String>) -> Vec<String> {
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

/// Published structures, services and projects, by words, filters and place; with facet
/// counts, highlights, distances, and a ranking that weighs relevance, freshness, the label
/// and nearness.
#[utoipa::path(
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, body = SearchPage, headers(("Link" = String, description = "`<…>; rel=\"next\"` when more pages follow"))),
        (status = 400, description = "A parameter out of its limits", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown vocabulary value", body = Problem, content_type = "application/problem+json"),
    ),
    extensions(("x-access" = json!("public")))
)]
#[get("/search")]
pub async fn search_listings(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let params = SearchParams {
        q: q.q,
        kinds: list(q.kind),
        themes: list(q.theme),
        cancers: list(q.cancer),
        audiences: list(q.audience),
        stages: list(q.stage),
        modes: list(q.mode),
        skills: list(q.skill),
        free: q.free,
        labelled: q.labelled,
        open_to_help: false,
        code_region: q.code_region,
        code_departement: q.code_departement,
        code_commune: q.code_commune,
        postcode: q.postcode,
        lat: q.lat,
        lon: q.lon,
        radius_km: q.radius_km,
        sort: q.sort.unwrap_or_default(),
        match_mode: q.match_mode.unwrap_or_default(),
        cursor: q.cursor,
        limit,
    };
    let page = search::search(&state.ctx, params).await?;
    json_with_next(&req, &page, page.next_cursor.as_deref(), limit)
}

//! Search over published listings.

use super::json_with_next;
use crate::extract::QueryParams;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_service::pagination::page_size;
use agora_service::search::{self, SearchPage, SearchQuery};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(search_listings);
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
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/search")]
pub async fn search_listings(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let limit = page_size(q.0.limit)?;
    let params = q.0.into_params(limit);
    let page = search::search(&state.ctx, params).await?;
    json_with_next(&req, &page, page.next_cursor.as_deref(), limit)
}

//! What the three kinds of listing share (read, partial update, submission), and the
//! routes of services.

use super::{PageQuery, page_response};
use crate::etag::{json_with_etag, require_if_match};
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::openapi::ServicePatch;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use agora_domain::ListingKind;
use agora_domain::content::ServiceContent;
use agora_service::Actor;
use agora_service::pagination::page_size;
use agora_service::registry;
use agora_service::views::{AnyListingView, ListingView};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_services)
        .service(get_service)
        .service(patch_service)
        .service(submit_service);
}

fn path_of(kind: ListingKind, id: Uuid) -> String {
    format!("/api/v1/{}s/{id}", kind.as_str())
}

pub(crate) async fn read(
    state: &ApiState,
    req: &HttpRequest,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> ApiResult<HttpResponse> {
    let (view, _) = registry::get(&state.ctx, actor, kind, id).await?;
    json_with_etag(req, &view)
}

pub(crate) async fn list(
    state: &ApiState,
    req: &HttpRequest,
    kind: ListingKind,
    q: PageQuery,
) -> ApiResult<HttpResponse> {
    let limit = page_size(q.limit)?;
    let page = registry::list_public(&state.ctx, kind, q.cursor.as_deref(), limit).await?;
    page_response(req, &page, limit)
}

/// Creation answers 201 with the new listing, its address and its ETag.
pub(crate) fn created(kind: ListingKind, view: &AnyListingView) -> ApiResult<HttpResponse> {
    let body = serde_json::to_vec(view).map_err(|_| crate::problem::ApiError::internal())?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, path_of(kind, view.id)))
        .insert_header((header::ETAG, crate::etag::etag_of(&body)))
        .content_type("application/json")
        .body(body))
}

pub(crate) async fn update(
    state: &ApiState,
    req: &HttpRequest,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
    patch: Map<String, Value>,
) -> ApiResult<HttpResponse> {
    let (current, lock) = registry::get_for_edit(&state.ctx, actor, kind, id).await?;
    require_if_match(req, &current)?;
    let view = registry::update(&state.ctx, actor, kind, id, patch, lock).await?;
    let body = serde_json::to_vec(&view).map_err(|_| crate::problem::ApiError::internal())?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, crate::etag::etag_of(&body)))
        .content_type("application/json")
        .body(body))
}

pub(crate) async fn submit(
    state: &ApiState,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(registry::submit(&state.ctx, actor, kind, id).await?))
}

/// Published services, oldest first.
#[utoipa::path(
    tag = "services",
    params(PageQuery),
    responses((status = 200, body = agora_service::pagination::Page<ListingView<ServiceContent>>, headers(("Link" = String, description = "`<…>; rel=\"next\"` when more pages follow")))),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/services")]
pub async fn list_services(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    list(&state, &req, ListingKind::Service, q.0).await
}

/// A service: the published version for the public; the version being edited, with its
/// review state, for the structure's members and moderators. Drafts are 404 to others.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Service id")),
    responses(
        (status = 200, body = ListingView<ServiceContent>, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such service, or not visible to you", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/services/{id}")]
pub async fn get_service(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    read(&state, &req, &caller.0, ListingKind::Service, *id).await
}

/// Changes the service's fields named in the body (others are kept; `null` clears an
/// optional field). Needs `If-Match`. A published service stays as published until
/// moderators approve the change.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Service id"), ("If-Match" = String, Header, description = "ETag of the version you edited")),
    request_body = ServicePatch,
    responses(
        (status = 200, body = ListingView<ServiceContent>, headers(("ETag" = String))),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[patch("/services/{id}")]
pub async fn patch_service(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    update(&state, &req, &caller.0, ListingKind::Service, *id, body.0).await
}

/// Sends the version being edited to moderation. The structure must be in review or
/// published.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Service id")),
    responses(
        (status = 200, body = ListingView<ServiceContent>),
        (status = 409, description = "Nothing to submit, or structure not submitted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/services/{id}/submit")]
pub async fn submit_service(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    submit(&state, &caller.0, ListingKind::Service, *id).await
}

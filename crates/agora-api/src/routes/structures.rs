//! Structures, their services and projects, and their members.

use super::PageQuery;
use super::listings::{created, list, read, submit, update};
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::openapi::StructurePatch;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use agora_domain::ListingKind;
use agora_domain::content::{ProjectContent, ServiceContent, StructureContent};
use agora_service::members;
use agora_service::registry;
use agora_service::views::{ListingView, MemberView};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_structures)
        .service(create_structure)
        .service(get_structure)
        .service(patch_structure)
        .service(submit_structure)
        .service(list_structure_services)
        .service(create_service)
        .service(list_structure_projects)
        .service(create_project)
        .service(list_members)
        .service(remove_member);
}

/// Published structures, oldest first.
#[utoipa::path(
    tag = "structures",
    params(PageQuery),
    responses((status = 200, body = agora_service::pagination::Page<ListingView<StructureContent>>, headers(("Link" = String, description = "`<…>; rel=\"next\"` when more pages follow")))),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/structures")]
pub async fn list_structures(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    list(&state, &req, ListingKind::Structure, q.0).await
}

/// Registers a structure as a draft; the caller becomes its owner. Nothing is public
/// before moderators approve it.
#[utoipa::path(
    tag = "structures",
    request_body = StructureContent,
    responses(
        (status = 201, body = ListingView<StructureContent>, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[post("/structures")]
pub async fn create_structure(
    state: web::Data<ApiState>,
    caller: SignedIn,
    body: JsonBody<Value>,
) -> ApiResult<HttpResponse> {
    let view =
        registry::create(&state.ctx, &caller.0, ListingKind::Structure, None, body.0).await?;
    created(ListingKind::Structure, &view)
}

/// A structure: the published version for the public; the version being edited, with its
/// review state, for its members and moderators. Drafts are 404 to others.
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses(
        (status = 200, body = ListingView<StructureContent>, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such structure, or not visible to you", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/structures/{id}")]
pub async fn get_structure(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    read(&state, &req, &caller.0, ListingKind::Structure, *id).await
}

/// Changes the structure's fields named in the body (others are kept; `null` clears an
/// optional field). Needs `If-Match`. A published structure stays as published until
/// moderators approve the change.
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id"), ("If-Match" = String, Header, description = "ETag of the version you edited")),
    request_body = StructurePatch,
    responses(
        (status = 200, body = ListingView<StructureContent>, headers(("ETag" = String))),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[patch("/structures/{id}")]
pub async fn patch_structure(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    update(&state, &req, &caller.0, ListingKind::Structure, *id, body.0).await
}

/// Sends the version being edited to moderation.
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses(
        (status = 200, body = ListingView<StructureContent>),
        (status = 409, description = "Nothing to submit in this state", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/structures/{id}/submit")]
pub async fn submit_structure(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    submit(&state, &caller.0, ListingKind::Structure, *id).await
}

/// The structure's services: published ones for the public, all for members and moderators.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses((status = 200, body = [ListingView<ServiceContent>])),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/structures/{id}/services")]
pub async fn list_structure_services(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(registry::list_children(&state.ctx, &caller.0, *id, ListingKind::Service).await?))
}

/// Adds a draft service to the structure.
#[utoipa::path(
    tag = "services",
    params(("id" = Uuid, Path, description = "Structure id")),
    request_body = ServiceContent,
    responses(
        (status = 201, body = ListingView<ServiceContent>, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/structures/{id}/services")]
pub async fn create_service(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Value>,
) -> ApiResult<HttpResponse> {
    let view = registry::create(
        &state.ctx,
        &caller.0,
        ListingKind::Service,
        Some(*id),
        body.0,
    )
    .await?;
    created(ListingKind::Service, &view)
}

/// The structure's projects: published, non-anonymous ones for the public; all for members
/// and moderators.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses((status = 200, body = [ListingView<ProjectContent>])),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/structures/{id}/projects")]
pub async fn list_structure_projects(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .json(registry::list_children(&state.ctx, &caller.0, *id, ListingKind::Project).await?))
}

/// Adds a draft project to the structure.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Structure id")),
    request_body = ProjectContent,
    responses(
        (status = 201, body = ListingView<ProjectContent>, headers(("Location" = String), ("ETag" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/structures/{id}/projects")]
pub async fn create_project(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Value>,
) -> ApiResult<HttpResponse> {
    let view = registry::create(
        &state.ctx,
        &caller.0,
        ListingKind::Project,
        Some(*id),
        body.0,
    )
    .await?;
    created(ListingKind::Project, &view)
}

/// The structure's members (members and moderators only).
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses((status = 200, body = Vec<MemberView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member_or_moderator")))
)]
#[get("/structures/{id}/members")]
pub async fn list_members(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(members::list(&state.ctx, &caller.0, *id).await?))
}

/// Removes a member (owners remove anyone; members may leave). A structure keeps one owner.
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id"), ("user_id" = Uuid, Path, description = "Member's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The last owner cannot leave", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner_or_self")))
)]
#[delete("/structures/{id}/members/{user_id}")]
pub async fn remove_member(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = path.into_inner();
    members::remove(&state.ctx, &caller.0, id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

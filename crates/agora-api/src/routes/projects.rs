//! Projects: reading, editing, their public life (pause, resume, complete, archive) and
//! their progress updates.

use super::PageQuery;
use super::listings::{list, read, submit, update};
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::openapi::ProjectPatch;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use agora_domain::ListingKind;
use agora_domain::content::ProjectContent;
use agora_service::Actor;
use agora_service::registry::{self, ProjectAction, ProjectUpdateInput};
use agora_service::views::{ListingView, ProjectUpdateView};
use serde_json::{Map, Value};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_projects)
        .service(get_project)
        .service(patch_project)
        .service(submit_project)
        .service(pause)
        .service(resume)
        .service(complete)
        .service(archive)
        .service(list_updates)
        .service(add_update)
        .service(add_success_story);
}

/// Published projects, oldest first. Anonymous projects carry no structure.
#[utoipa::path(
    tag = "projects",
    params(PageQuery),
    responses((status = 200, body = agora_service::pagination::Page<ListingView<ProjectContent>>, headers(("Link" = String, description = "`<…>; rel=\"next\"` when more pages follow")))),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/projects")]
pub async fn list_projects(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    list(&state, &req, ListingKind::Project, q.0).await
}

/// A project: the published version for the public (without its structure when
/// anonymous); the version being edited for members and moderators.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such project, or not visible to you", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/projects/{id}")]
pub async fn get_project(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    read(&state, &req, &caller.0, ListingKind::Project, *id).await
}

/// Changes the project's fields named in the body. Needs `If-Match`.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id"), ("If-Match" = String, Header, description = "ETag of the version you edited")),
    request_body = ProjectPatch,
    responses(
        (status = 200, body = ListingView<ProjectContent>, headers(("ETag" = String))),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[patch("/projects/{id}")]
pub async fn patch_project(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    update(&state, &req, &caller.0, ListingKind::Project, *id, body.0).await
}

/// Sends the version being edited to moderation.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Nothing to submit, or structure not submitted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/submit")]
pub async fn submit_project(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    submit(&state, &caller.0, ListingKind::Project, *id).await
}

async fn act(
    state: &ApiState,
    actor: &Actor,
    id: Uuid,
    action: ProjectAction,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(registry::project_action(&state.ctx, actor, id, action).await?))
}

/// Pauses a published project: it stays visible but does not look for contributors.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Not possible in the project's status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/pause")]
pub async fn pause(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, &caller.0, *id, ProjectAction::Pause).await
}

/// Resumes a paused project.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Not possible in the project's status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/resume")]
pub async fn resume(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, &caller.0, *id, ProjectAction::Resume).await
}

/// Marks a project completed; it stays visible.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Not possible in the project's status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/complete")]
pub async fn complete(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, &caller.0, *id, ProjectAction::Complete).await
}

/// Withdraws a project from public view.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Not possible in the project's status", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/archive")]
pub async fn archive(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    act(&state, &caller.0, *id, ProjectAction::Archive).await
}

/// Progress updates: published ones for the public, all for members and moderators.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Vec<ProjectUpdateView>)),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/projects/{id}/updates")]
pub async fn list_updates(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(registry::list_project_updates(&state.ctx, &caller.0, *id).await?))
}

/// Shares progress on a published project; public once moderators approve it.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = ProjectUpdateInput,
    responses(
        (status = 201, body = ProjectUpdateView),
        (status = 409, description = "The project is not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/updates")]
pub async fn add_update(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ProjectUpdateInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(registry::add_project_update(&state.ctx, &caller.0, *id, body.0).await?))
}

/// Tells what a completed project achieved with the help it found through Agora (an offer
/// closed as successful). One per project; public once moderators approve it.
#[utoipa::path(
    tag = "projects",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = ProjectUpdateInput,
    responses(
        (status = 201, body = ProjectUpdateView),
        (status = 409, description = "Not completed, no successful help offer, or already told", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/success-story")]
pub async fn add_success_story(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ProjectUpdateInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Created()
        .json(registry::add_success_story(&state.ctx, &caller.0, *id, body.0).await?))
}

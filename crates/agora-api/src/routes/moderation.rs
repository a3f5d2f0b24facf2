//! Moderators' routes: the queue, decisions, and the audit trail.

use super::page_response;
use crate::extract::{OptionalJsonBody, QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_domain::{Decision, RevisionState, SubjectType};
use agora_service::Actor;
use agora_service::moderation::{self, DecisionInput};
use agora_service::pagination::{Page, page_size};
use agora_service::views::{AuditView, ModerationItemView, QueueItem};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(queue)
        .service(item)
        .service(approve)
        .service(reject)
        .service(request_changes)
        .service(audit);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// What kind of subject: structure, service, project, project_update.
    pub kind: Option<SubjectType>,
    /// Review state; `pending` by default.
    pub state: Option<RevisionState>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// The moderation queue, oldest submission first.
#[utoipa::path(
    tag = "moderation",
    params(QueueQuery),
    responses(
        (status = 200, body = Page<QueueItem>),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/queue")]
pub async fn queue(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<QueueQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = moderation::queue(
        &state.ctx,
        &caller.0,
        q.kind,
        q.state,
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    page_response(&req, &page, limit)
}

/// One item: the submission, what changed from the published version, likely duplicates.
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Item (revision) id")),
    responses(
        (status = 200, body = ModerationItemView),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/items/{id}")]
pub async fn item(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(moderation::item(&state.ctx, &caller.0, *id).await?))
}

async fn decide(
    state: &ApiState,
    actor: &Actor,
    id: Uuid,
    decision: Decision,
    input: DecisionInput,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(moderation::decide(&state.ctx, actor, id, decision, input).await?))
}

/// Publishes the item (a structure's services and projects after the structure).
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Item (revision) id")),
    request_body(content = Option<DecisionInput>, description = "Optional note"),
    responses(
        (status = 200, body = ModerationItemView),
        (status = 409, description = "Not pending, or its structure is not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/moderation/items/{id}/approve")]
pub async fn approve(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: OptionalJsonBody<DecisionInput>,
) -> ApiResult<HttpResponse> {
    decide(&state, &caller.0, *id, Decision::Approve, body.0).await
}

/// Refuses the item, with a reason sent to the submitter.
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Item (revision) id")),
    request_body = DecisionInput,
    responses(
        (status = 200, body = ModerationItemView),
        (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/moderation/items/{id}/reject")]
pub async fn reject(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: OptionalJsonBody<DecisionInput>,
) -> ApiResult<HttpResponse> {
    decide(&state, &caller.0, *id, Decision::Reject, body.0).await
}

/// Sends the item back to its submitter with what to change.
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Item (revision) id")),
    request_body = DecisionInput,
    responses(
        (status = 200, body = ModerationItemView),
        (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/moderation/items/{id}/request-changes")]
pub async fn request_changes(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: OptionalJsonBody<DecisionInput>,
) -> ApiResult<HttpResponse> {
    decide(&state, &caller.0, *id, Decision::RequestChanges, body.0).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub subject_type: Option<SubjectType>,
    pub subject_id: Option<Uuid>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// The audit trail: who did what, when and why, oldest first.
#[utoipa::path(
    tag = "moderation",
    params(AuditQuery),
    responses(
        (status = 200, body = Page<AuditView>),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/audit")]
pub async fn audit(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<AuditQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = agora_service::audit::list(
        &state.ctx,
        &caller.0,
        q.subject_type,
        q.subject_id,
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    page_response(&req, &page, limit)
}

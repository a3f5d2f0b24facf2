//! Evaluations of services on objective criteria: people who used a service answer a short
//! questionnaire; the public reads the figures per criterion (never below a minimum of
//! answers) and the structure's public answer; the comments reach the structure's members
//! and moderators only.

use super::{PageQuery, page_response};
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use agora_service::evaluations::{
    self, EvaluationComment, EvaluationInput, EvaluationResponse, EvaluationResponseInput,
    MyEvaluation, ServiceEvaluations,
};
use agora_service::pagination::{Page, page_size};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(evaluate_service)
        .service(service_evaluations)
        .service(evaluation_comments)
        .service(put_evaluation_response)
        .service(delete_evaluation_response)
        .service(my_evaluations);
}

/// Evaluates a published service the caller used. Every criterion is optional, at least
/// one is answered; the comment goes to the structure and moderators only. One evaluation
/// per account and service per rolling year (a second one within the year is refused with
/// 409, it does not replace the first); a few evaluations per account a day (429). The
/// structure's own members cannot evaluate it (403). An evaluation counts at once, unless
/// the service is receiving a burst of them: it is then `held` and counts after a delay.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = Uuid, Path, description = "Service id")),
    request_body = EvaluationInput,
    responses(
        (status = 201, body = MyEvaluation),
        (status = 403, description = "The caller belongs to the service's structure", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such published service", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The caller evaluated this service less than a year ago", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No criterion answered, or a value out of range", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many evaluations from this account today", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[post("/services/{id}/evaluations")]
pub async fn evaluate_service(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<EvaluationInput>,
) -> ApiResult<HttpResponse> {
    let made = evaluations::evaluate(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Created().json(made))
}

/// What the people who used a published service say, criterion by criterion, and the
/// structure's public answer. A criterion with fewer answers than `min_answers` says
/// `not_enough_answers` and gives no number at all, not even how many answered.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = Uuid, Path, description = "Service id")),
    responses(
        (status = 200, body = ServiceEvaluations),
        (status = 404, description = "No such published service", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/services/{id}/evaluations")]
pub async fn service_evaluations(
    state: web::Data<ApiState>,
    _caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(evaluations::public(&state.ctx, *id).await?))
}

/// The comments left with the service's evaluations, newest first, without their authors
/// and dated by month only. The structure's members and moderators only.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = Uuid, Path, description = "Service id"), PageQuery),
    responses(
        (status = 200, body = Page<EvaluationComment>, headers(("Link" = String, description = "`<…>; rel=\"next\"` when more pages follow"))),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member_or_moderator")))
)]
#[get("/services/{id}/evaluations/comments")]
pub async fn evaluation_comments(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = page_size(q.0.limit)?;
    let page =
        evaluations::comments(&state.ctx, &caller.0, *id, q.0.cursor.as_deref(), limit).await?;
    page_response(&req, &page, limit)
}

/// Writes the structure's public answer to the evaluations of its service (replacing the
/// previous one), shown under the figures. The structure's members only.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = Uuid, Path, description = "Service id")),
    request_body = EvaluationResponseInput,
    responses(
        (status = 200, body = EvaluationResponse),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[put("/services/{id}/evaluations/response")]
pub async fn put_evaluation_response(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<EvaluationResponseInput>,
) -> ApiResult<HttpResponse> {
    let response = evaluations::put_response(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Ok().json(response))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RemovalQuery {
    /// Why it is removed (a moderator's note for the audit trail), up to 2000 characters.
    pub reason: Option<String>,
}

/// Removes the structure's public answer: its members, or a moderator.
#[utoipa::path(
    tag = "evaluations",
    params(("id" = Uuid, Path, description = "Service id"), RemovalQuery),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such service, or no answer to remove", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is too long", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member_or_moderator")))
)]
#[delete("/services/{id}/evaluations/response")]
pub async fn delete_evaluation_response(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    q: QueryParams<RemovalQuery>,
) -> ApiResult<HttpResponse> {
    evaluations::delete_response(&state.ctx, &caller.0, *id, q.0.reason).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's evaluations, newest first, with when each service may be evaluated again.
#[utoipa::path(
    tag = "evaluations",
    responses((status = 200, body = Vec<MyEvaluation>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/evaluations")]
pub async fn my_evaluations(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(evaluations::mine(&state.ctx, &caller.0).await?))
}

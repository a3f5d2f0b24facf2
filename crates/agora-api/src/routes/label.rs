//! The label: the charter, applications, the committee's reviews, decisions.

use super::page_response;
use crate::etag::require_if_match;
use crate::extract::{JsonBody, QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use agora_domain::label::{ApplicationContent, ApplicationState};
use agora_service::label::{
    self, ApplicationView, AssignInput, CharterView, DecideInput, LabelReviewView, PiecesInput,
    ReviewInput,
};
use agora_service::pagination::{Page, page_size};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_charter)
        .service(create_label_application)
        .service(get_label_application)
        .service(patch_label_application)
        .service(submit_label_application)
        .service(list_label_applications)
        .service(request_pieces)
        .service(assign_reviewers)
        .service(post_review)
        .service(get_reviews)
        .service(decide_label)
        .service(my_label_reviews);
}

/// The current charter, the categories, the rubric (0–4 per criterion) and the decision
/// rule.
#[utoipa::path(
    tag = "label",
    responses((status = 200, body = CharterView)),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/label/charter")]
pub async fn get_charter(state: web::Data<ApiState>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::charter(&state.ctx)))
}

/// Starts the structure's application (owners only; the structure must be published).
/// One application on its way per structure; one made while a label holds is its
/// re-evaluation.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Structure id")),
    request_body = ApplicationContent,
    responses(
        (status = 201, body = ApplicationView),
        (status = 409, description = "An application is already on its way, or the structure is not published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner")))
)]
#[post("/structures/{id}/label-applications")]
pub async fn create_label_application(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ApplicationContent>,
) -> ApiResult<HttpResponse> {
    let view = label::create(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Created().json(view))
}

/// An application: its content, state, and decision with reasons for the applicant; its
/// reviews and the rule's proposal for moderators; their own review for a reviewer.
/// Unknown to anyone else (404).
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationView, headers(("ETag" = String))),
        (status = 404, description = "No such application, or not yours to see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("label_party")))
)]
#[get("/label-applications/{id}")]
pub async fn get_label_application(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let view = label::get(&state.ctx, &caller.0, *id).await?;
    crate::etag::json_with_etag(&req, &view)
}

/// Changes the fields named in the body (`null` clears one) while the application is a
/// draft or incomplete. Needs `If-Match`.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id"), ("If-Match" = String, Header, description = "ETag of the version you edited")),
    request_body = ApplicationContent,
    responses(
        (status = 200, body = ApplicationView),
        (status = 409, description = "With the moderators or the committee", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner")))
)]
#[patch("/label-applications/{id}")]
pub async fn patch_label_application(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let current = label::get(&state.ctx, &caller.0, *id).await?;
    require_if_match(&req, &current)?;
    let view = label::update(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sends the application to the moderators: every piece must be there, the current
/// charter signed, and the registration number the structure's own.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, body = ApplicationView),
        (status = 409, description = "Already submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Pieces missing", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner")))
)]
#[post("/label-applications/{id}/submit")]
pub async fn submit_label_application(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::submit(&state.ctx, &caller.0, *id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationsQuery {
    /// `submitted` by default.
    pub state: Option<ApplicationState>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// Label applications in one state, oldest first.
#[utoipa::path(
    tag = "moderation",
    params(ApplicationsQuery),
    responses(
        (status = 200, body = Page<ApplicationView>),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/label-applications")]
pub async fn list_label_applications(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<ApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = label::list(
        &state.ctx,
        &caller.0,
        q.state.unwrap_or(ApplicationState::Submitted),
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    page_response(&req, &page, limit)
}

/// Sends a submitted application back to the structure for missing pieces.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = PiecesInput,
    responses(
        (status = 200, body = ApplicationView),
        (status = 409, description = "Not submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/label-applications/{id}/request-pieces")]
pub async fn request_pieces(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<PiecesInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::request_pieces(&state.ctx, &caller.0, *id, body.0).await?))
}

/// Adds committee members to the panel: seated, not members of the applying structure,
/// the panel balanced (a patient or caregiver, and a professional).
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AssignInput,
    responses(
        (status = 200, body = ApplicationView),
        (status = 409, description = "Not ready for review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A reviewer who may not review it, or an unbalanced panel", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/label-applications/{id}/assign")]
pub async fn assign_reviewers(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<AssignInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::assign(&state.ctx, &caller.0, *id, body.0).await?))
}

/// An assigned reviewer declares a conflict of interest (and withdraws), or scores every
/// criterion with a comment and a recommendation. Once.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = ReviewInput,
    responses(
        (status = 200, body = LabelReviewView),
        (status = 404, description = "Not assigned to you", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already reviewed, or not under review", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("reviewer")))
)]
#[post("/label-applications/{id}/reviews")]
pub async fn post_review(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ReviewInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::review(&state.ctx, &caller.0, *id, body.0).await?))
}

/// The review space: all reviews with their reviewers for moderators; for a reviewer,
/// their own, and the others' (unnamed) once theirs is in.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, body = Vec<LabelReviewView>),
        (status = 403, description = "Applicants see the decision, not the reviews", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not yours to see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("reviewer_or_moderator")))
)]
#[get("/label-applications/{id}/reviews")]
pub async fn get_reviews(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::reviews(&state.ctx, &caller.0, *id).await?))
}

/// Records the decision (granted after review; refused with reasons, also when
/// incomplete). The applicant is told, with the reasons.
#[utoipa::path(
    tag = "label",
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = DecideInput,
    responses(
        (status = 200, body = ApplicationView),
        (status = 409, description = "Not at a stage where this decision can be made", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/label-applications/{id}/decide")]
pub async fn decide_label(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<DecideInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::decide(&state.ctx, &caller.0, *id, body.0).await?))
}

/// The applications the caller reviews for the label committee (with their own review).
#[utoipa::path(
    tag = "label",
    responses((status = 200, body = Vec<ApplicationView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/label-reviews")]
pub async fn my_label_reviews(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(label::assigned_to_me(&state.ctx, &caller.0).await?))
}

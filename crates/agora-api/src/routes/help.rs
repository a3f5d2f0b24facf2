//! "Je propose mon aide": contributor profiles, offers, screening, answers, outcomes,
//! suggestions and indicators.

use super::page_response;
use crate::extract::{JsonBody, OptionalJsonBody, QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use agora_domain::help::OfferState;
use agora_service::help::{
    self, CloseInput, OfferInput, OfferView, ProfileInput, ScreenInput, Stats,
};
use agora_service::pagination::{Page, page_size};
use agora_service::search::SearchPage;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(get_contributor_profile)
        .service(put_contributor_profile)
        .service(offer_help)
        .service(my_help_offers)
        .service(suggested_projects)
        .service(moderation_help_offers)
        .service(forward_offer)
        .service(decline_offer)
        .service(project_help_offers)
        .service(accept_offer)
        .service(refuse_offer)
        .service(close_offer)
        .service(stats);
}

/// The caller's contributor profile (theirs only; never public).
#[utoipa::path(
    tag = "help",
    responses(
        (status = 200, body = ProfileInput),
        (status = 404, description = "No profile yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/contributor-profile")]
pub async fn get_contributor_profile(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::get_profile(&state.ctx, &caller.0).await?))
}

/// Writes the caller's contributor profile: skills, lived experience (with consent),
/// région, availability, preferred contact channel.
#[utoipa::path(
    tag = "help",
    request_body = ProfileInput,
    responses(
        (status = 200, body = ProfileInput),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[put("/me/contributor-profile")]
pub async fn put_contributor_profile(
    state: web::Data<ApiState>,
    caller: SignedIn,
    body: JsonBody<ProfileInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::put_profile(&state.ctx, &caller.0, body.0).await?))
}

/// Offers help to a published project. The offer goes to moderators first; the project's
/// owners get the contributor's contact details only if they accept.
#[utoipa::path(
    tag = "help",
    params(("id" = Uuid, Path, description = "Project id")),
    request_body = OfferInput,
    responses(
        (status = 201, body = OfferView),
        (status = 404, description = "No such published project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An offer of yours is already open, or the project does not look for contributors", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Daily quota reached", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[post("/projects/{id}/help-offers")]
pub async fn offer_help(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<OfferInput>,
) -> ApiResult<HttpResponse> {
    let view = help::offer(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Created().json(view))
}

/// The caller's offers, newest first; the project's contact appears once connected.
#[utoipa::path(
    tag = "help",
    responses((status = 200, body = Vec<OfferView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/help-offers")]
pub async fn my_help_offers(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::mine(&state.ctx, &caller.0).await?))
}

/// Published projects that need the caller's skills, in or covering their région (from
/// their contributor profile).
#[utoipa::path(
    tag = "help",
    responses(
        (status = 200, body = SearchPage),
        (status = 409, description = "No contributor profile yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/suggested-projects")]
pub async fn suggested_projects(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::suggestions(&state.ctx, &caller.0).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OffersQuery {
    /// `submitted` (waiting for screening) by default.
    pub state: Option<OfferState>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// The screening queue, oldest first: the offer, the project, the contributor's history
/// and the moderators' notes. Reading health information is recorded in the audit trail.
#[utoipa::path(
    tag = "moderation",
    params(OffersQuery),
    responses(
        (status = 200, body = Page<OfferView>),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/help-offers")]
pub async fn moderation_help_offers(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<OffersQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = help::queue(&state.ctx, &caller.0, q.state, q.cursor.as_deref(), limit).await?;
    page_response(&req, &page, limit)
}

/// Passes an offer on to the project's owners (without the contributor's contact).
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Offer id")),
    request_body(content = Option<ScreenInput>, description = "Optional note for moderators"),
    responses(
        (status = 200, body = OfferView),
        (status = 409, description = "Not waiting for screening", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/help-offers/{id}/forward")]
pub async fn forward_offer(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: OptionalJsonBody<ScreenInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::screen(&state.ctx, &caller.0, *id, true, body.0).await?))
}

/// Declines an offer, with a reason for the contributor.
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Offer id")),
    request_body = ScreenInput,
    responses(
        (status = 200, body = OfferView),
        (status = 409, description = "Not waiting for screening", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/help-offers/{id}/decline")]
pub async fn decline_offer(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ScreenInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::screen(&state.ctx, &caller.0, *id, false, body.0).await?))
}

/// The offers moderators passed on to this project, for its structure's members; the
/// contributor is named, with their contact, only once connected.
#[utoipa::path(
    tag = "help",
    params(("id" = Uuid, Path, description = "Project id")),
    responses((status = 200, body = Vec<OfferView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[get("/projects/{id}/help-offers")]
pub async fn project_help_offers(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::of_project(&state.ctx, &caller.0, *id).await?))
}

/// Accepts a forwarded offer: contact details are exchanged by mail (connected).
#[utoipa::path(
    tag = "help",
    params(("id" = Uuid, Path, description = "Offer id")),
    responses(
        (status = 200, body = OfferView),
        (status = 404, description = "Not an offer to your project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("offer_owner")))
)]
#[post("/help-offers/{id}/accept")]
pub async fn accept_offer(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::answer(&state.ctx, &caller.0, *id, true).await?))
}

/// Refuses a forwarded offer; the contributor is told, without learning who refused.
#[utoipa::path(
    tag = "help",
    params(("id" = Uuid, Path, description = "Offer id")),
    responses(
        (status = 200, body = OfferView),
        (status = 404, description = "Not an offer to your project", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("offer_owner")))
)]
#[post("/help-offers/{id}/refuse")]
pub async fn refuse_offer(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::answer(&state.ctx, &caller.0, *id, false).await?))
}

/// Closes a connected offer with its outcome (either side, or a moderator).
#[utoipa::path(
    tag = "help",
    params(("id" = Uuid, Path, description = "Offer id")),
    request_body = CloseInput,
    responses(
        (status = 200, body = OfferView),
        (status = 409, description = "Not connected", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("offer_party")))
)]
#[post("/help-offers/{id}/close")]
pub async fn close_offer(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<CloseInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::close(&state.ctx, &caller.0, *id, body.0).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatsQuery {
    /// Only offers of contributors from this région (INSEE code).
    pub code_region: Option<String>,
}

/// Indicators: offers by state, median hours to a first answer, projects that found
/// contributors. No one is named.
#[utoipa::path(
    tag = "help",
    params(StatsQuery),
    responses(
        (status = 200, body = Stats),
        (status = 422, description = "Not a région code", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/stats")]
pub async fn stats(
    state: web::Data<ApiState>,
    q: QueryParams<StatsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(help::stats(&state.ctx, q.0.code_region).await?))
}

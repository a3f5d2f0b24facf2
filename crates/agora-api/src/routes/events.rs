//! Community events: the Cancerthon, regional editions, the "mois de l'innovation",
//! speed-meeting sessions; their moderation, their organising committee, the applications
//! of structures to take part and the public list of participants.

use super::page_response;
use crate::etag::require_if_match;
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::openapi::EventPatch;
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use agora_domain::events::{EventKind, EventStatus, ParticipationState};
use agora_service::events::{
    self, CommitteeInvite, CommitteeSeatView, EventApplicationDecisionInput, EventApplicationInput,
    EventApplicationView, EventDecisionInput, EventFilterInput, EventInput, EventPeriod, EventView,
    InviteReceipt, ParticipantsView,
};
use agora_service::pagination::{Page, page_size};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_events)
        .service(create_event)
        .service(get_event)
        .service(patch_event)
        .service(submit_event)
        .service(archive_event)
        .service(decide_event)
        .service(moderation_events)
        .service(my_events)
        .service(get_committee)
        .service(invite_to_committee)
        .service(accept_committee_invitation)
        .service(decline_committee_invitation)
        .service(remove_from_committee)
        .service(apply_to_event)
        .service(list_event_applications)
        .service(get_event_application)
        .service(decide_event_application)
        .service(withdraw_event_application)
        .service(event_participants)
        .service(my_event_applications);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// `upcoming` (not over yet, soonest first; the default), `past` (latest first) or `all`.
    #[param(inline)]
    pub when: Option<EventPeriod>,
    /// A région's INSEE code, or `national` for national events only.
    pub region: Option<String>,
    pub kind: Option<EventKind>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// Published events (archived ones among the past), filtered by time, région and kind.
#[utoipa::path(
    tag = "events",
    params(EventsQuery),
    responses(
        (status = 200, body = Page<EventView>),
        (status = 422, description = "An unknown région", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    q: QueryParams<EventsQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let filter = EventFilterInput {
        when: q.when.unwrap_or_default(),
        region: q.region,
        kind: q.kind,
    };
    let page = events::list(&state.ctx, &caller.0, filter, q.cursor.as_deref(), limit).await?;
    page_response(&req, &page, limit)
}

/// Creates a draft event; the caller chairs its organising committee. For accounts with a
/// platform role and members of a published structure (the collective of associations).
#[utoipa::path(
    tag = "events",
    request_body = EventInput,
    responses(
        (status = 201, body = EventView),
        (status = 403, description = "Not a member of a published structure, nor of the platform's teams", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (dates in the wrong order, an unknown région or commune…)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_organiser")))
)]
#[post("/events")]
pub async fn create_event(
    state: web::Data<ApiState>,
    caller: SignedIn,
    body: JsonBody<EventInput>,
) -> ApiResult<HttpResponse> {
    let view = events::create(&state.ctx, &caller.0, body.0).await?;
    Ok(HttpResponse::Created().json(view))
}

/// An event. Drafts, pending and rejected events are known only to their committee and
/// moderators (404 to anyone else).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = EventView, headers(("ETag" = String))),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 404, description = "No such event, or not visible to you", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/events/{id}")]
pub async fn get_event(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let view = events::get(&state.ctx, &caller.0, *id).await?;
    crate::etag::json_with_etag(&req, &view)
}

/// Changes the fields named in the body (`null` clears an optional one). A published
/// event stays published; each change is audited. Needs `If-Match`.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ("If-Match" = String, Header, description = "ETag of the version you edited")),
    request_body = EventPatch,
    responses(
        (status = 200, body = EventView),
        (status = 409, description = "Archived", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[patch("/events/{id}")]
pub async fn patch_event(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<Map<String, Value>>,
) -> ApiResult<HttpResponse> {
    let current = events::get(&state.ctx, &caller.0, *id).await?;
    require_if_match(&req, &current)?;
    let view = events::update(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Sends a draft (or a rejected event, edited) to the moderators.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = EventView),
        (status = 409, description = "Already with the moderators, or published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/submit")]
pub async fn submit_event(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::submit(&state.ctx, &caller.0, *id).await?))
}

/// Archives a published event once it is over: its page stays, unchanged.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = EventView),
        (status = 409, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/archive")]
pub async fn archive_event(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::archive(&state.ctx, &caller.0, *id).await?))
}

/// A moderator publishes a pending event or rejects it with a reason; its creator is told
/// by mail.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = EventDecisionInput,
    responses(
        (status = 200, body = EventView),
        (status = 409, description = "Not waiting for moderation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rejection without a reason", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/events/{id}/decision")]
pub async fn decide_event(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<EventDecisionInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::decide_event(&state.ctx, &caller.0, *id, body.0).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ModerationEventsQuery {
    /// `pending` by default.
    pub status: Option<EventStatus>,
}

/// Events in one status (those waiting for moderation by default), oldest submission first.
#[utoipa::path(
    tag = "moderation",
    params(ModerationEventsQuery),
    responses((status = 200, body = Vec<EventView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/events")]
pub async fn moderation_events(
    state: web::Data<ApiState>,
    caller: SignedIn,
    q: QueryParams<ModerationEventsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::pending(&state.ctx, &caller.0, q.0.status).await?))
}

/// The events where the caller sits on the committee, or is invited to (`my_role`).
#[utoipa::path(
    tag = "events",
    responses((status = 200, body = Vec<EventView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/events")]
pub async fn my_events(state: web::Data<ApiState>, caller: SignedIn) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::mine(&state.ctx, &caller.0).await?))
}

/// The organising committee (those who accepted), chair first: for the committee only.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses((status = 200, body = Vec<CommitteeSeatView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[get("/events/{id}/committee")]
pub async fn get_committee(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::committee(&state.ctx, &caller.0, *id).await?))
}

/// The chair invites the holder of an account by its address; they join once they accept.
/// The answer is the same whether the address has an account or not.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = CommitteeInvite,
    responses(
        (status = 202, body = InviteReceipt),
        (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_chair")))
)]
#[post("/events/{id}/committee")]
pub async fn invite_to_committee(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<CommitteeInvite>,
) -> ApiResult<HttpResponse> {
    let receipt = events::invite(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Accepted().json(receipt))
}

/// The invited person joins the committee.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = EventView),
        (status = 410, description = "The invitation expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_invitee")))
)]
#[post("/events/{id}/invitation/accept")]
pub async fn accept_committee_invitation(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::answer_invitation(&state.ctx, &caller.0, *id, true).await?))
}

/// The invited person declines.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = EventView),
        (status = 410, description = "The invitation expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_invitee")))
)]
#[post("/events/{id}/invitation/decline")]
pub async fn decline_committee_invitation(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(
        HttpResponse::Ok()
            .json(events::answer_invitation(&state.ctx, &caller.0, *id, false).await?),
    )
}

/// The chair removes a member of the committee (or withdraws an invitation).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ("user_id" = Uuid, Path, description = "The member's user id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "The chair stays", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_chair")))
)]
#[delete("/events/{id}/committee/{user_id}")]
pub async fn remove_from_committee(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = path.into_inner();
    events::remove_member(&state.ctx, &caller.0, id, user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Applies for one of the caller's published structures (201), or changes its pending
/// application (200): its own published projects, the skills it offers and looks for,
/// its themes, and the event's charter signed. One application per structure and event.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    request_body = EventApplicationInput,
    responses(
        (status = 201, body = EventApplicationView),
        (status = 200, description = "The pending application, changed", body = EventApplicationView),
        (status = 403, description = "Not a member of that structure", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Applications closed, the structure not published, or its application already decided or withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields: another charter version, another structure's project, an unknown skill…", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("structure_member")))
)]
#[post("/events/{id}/applications")]
pub async fn apply_to_event(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<EventApplicationInput>,
) -> ApiResult<HttpResponse> {
    let (view, created) = events::apply(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApplicationsQuery {
    /// Only the applications in this state.
    pub state: Option<ParticipationState>,
}

/// Every application with all its details, oldest first: for the committee only.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ApplicationsQuery),
    responses((status = 200, body = Vec<EventApplicationView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[get("/events/{id}/applications")]
pub async fn list_event_applications(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    q: QueryParams<ApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::applications(&state.ctx, &caller.0, *id, q.0.state).await?))
}

/// One application: for the committee, the applying structure's members and moderators.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ("application_id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, body = EventApplicationView),
        (status = 404, description = "No such application, or not yours to see", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_application_party")))
)]
#[get("/events/{id}/applications/{application_id}")]
pub async fn get_event_application(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, app) = path.into_inner();
    Ok(HttpResponse::Ok().json(events::get_application(&state.ctx, &caller.0, id, app).await?))
}

/// The committee accepts or declines a pending application (a reason is required to
/// decline); the applicant is told by mail, with the reason.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ("application_id" = Uuid, Path, description = "Application id")),
    request_body = EventApplicationDecisionInput,
    responses(
        (status = 200, body = EventApplicationView),
        (status = 409, description = "Already decided or withdrawn", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A decline without a reason", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/applications/{application_id}/decision")]
pub async fn decide_event_application(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<EventApplicationDecisionInput>,
) -> ApiResult<HttpResponse> {
    let (id, app) = path.into_inner();
    Ok(HttpResponse::Ok().json(events::decide(&state.ctx, &caller.0, id, app, body.0).await?))
}

/// The applying structure's members take the application back (pending or accepted).
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id"), ("application_id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, body = EventApplicationView),
        (status = 409, description = "Already declined or withdrawn", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_applicant")))
)]
#[post("/events/{id}/applications/{application_id}/withdraw")]
pub async fn withdraw_event_application(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, app) = path.into_inner();
    Ok(HttpResponse::Ok().json(events::withdraw(&state.ctx, &caller.0, id, app).await?))
}

/// The participants: accepted structures that agreed to be named, with their published
/// projects and région; the others are only counted.
#[utoipa::path(
    tag = "events",
    params(("id" = Uuid, Path, description = "Event id")),
    responses(
        (status = 200, body = ParticipantsView),
        (status = 404, description = "No such event, or not visible to you", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[get("/events/{id}/participants")]
pub async fn event_participants(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::participants(&state.ctx, &caller.0, *id).await?))
}

/// The applications of the structures the caller belongs to, newest first.
#[utoipa::path(
    tag = "events",
    responses((status = 200, body = Vec<EventApplicationView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/event-applications")]
pub async fn my_event_applications(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(events::my_applications(&state.ctx, &caller.0).await?))
}

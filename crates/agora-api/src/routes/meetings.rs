//! Speed meetings at an event: participants' preferences, the committee's pins and bans,
//! running and publishing the schedule, personal schedules and the whole plan, follow-ups,
//! the six-month feedback, and the indicators.
//!
//! Access: the event's organising committee (`event_committee`, administrators too) or its
//! accepted participants (`event_participant`: members of an accepted structure); the
//! indicators are public.

use crate::extract::{Caller, JsonBody, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpResponse, delete, get, post, put, web};
use agora_service::meetings::{
    self, ConstraintInput, ConstraintView, EventIndicators, FeedbackInput, FeedbackView,
    FollowUpInput, IndicatorsOverview, MyMeeting, MySchedule, PlanView, PreferencesInput,
    PreferencesView, ScheduleReport,
};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(my_meeting_preferences)
        .service(put_meeting_preferences)
        .service(list_meeting_constraints)
        .service(add_meeting_constraint)
        .service(remove_meeting_constraint)
        .service(schedule_meetings)
        .service(publish_meetings)
        .service(meeting_plan)
        .service(my_meetings)
        .service(follow_up_meeting)
        .service(answer_meeting_feedback)
        .service(meeting_indicators)
        .service(meetings_overview);
}

/// The caller's preferences for the event's speed meetings, one per participation (a
/// member of several participating structures has several): their ranked wishes, their
/// unavailable rounds, and the other participants they may wish to meet.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = Vec<PreferencesView>),
        (status = 403, description = "Not an accepted participant of the event", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event holds no speed meetings", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_participant")))
)]
#[get("/events/{id}/meetings/preferences")]
pub async fn my_meeting_preferences(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::preferences(&state.ctx, &caller.0, *id).await?))
}

/// Replaces the caller's wishes (other accepted participants, most wanted first, at most
/// 15) and unavailable rounds, until the schedule is published.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    request_body = PreferencesInput,
    responses(
        (status = 200, body = PreferencesView),
        (status = 403, description = "Not an accepted participant of the event (or not for this application)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The schedule is published (frozen), or the event holds no speed meetings", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid wishes or rounds; `errors` points at each", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_participant")))
)]
#[put("/events/{id}/meetings/preferences")]
pub async fn put_meeting_preferences(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<PreferencesInput>,
) -> ApiResult<HttpResponse> {
    let view = meetings::set_preferences(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The pairs the committee pinned (must meet) or banned (must not meet).
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = Vec<ConstraintView>),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[get("/events/{id}/meetings/constraints")]
pub async fn list_meeting_constraints(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::constraints(&state.ctx, &caller.0, *id).await?))
}

/// Pins or bans a pair of accepted participants (the committee, until the schedule is
/// published). 201 when added, 200 when it was there already.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    request_body = ConstraintInput,
    responses(
        (status = 201, body = ConstraintView),
        (status = 200, description = "The same constraint was there already", body = ConstraintView),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The pair has the other kind of constraint, a participant is pinned in every round, or the schedule is published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not accepted participants of the event, or twice the same", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/meetings/constraints")]
pub async fn add_meeting_constraint(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ConstraintInput>,
) -> ApiResult<HttpResponse> {
    let (created, view) = meetings::add_constraint(&state.ctx, &caller.0, *id, body.0).await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// Removes the pin or ban of a pair (the committee, until the schedule is published).
#[utoipa::path(
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT)),
        ("first" = Uuid, Path, description = "One participant of the pair (application id)", example = json!(crate::examples::meetings::FIRST)),
        ("second" = Uuid, Path, description = "The other one", example = json!(crate::examples::meetings::SECOND)),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or no constraint on this pair", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The schedule is published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[delete("/events/{id}/meetings/constraints/{first}/{second}")]
pub async fn remove_meeting_constraint(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, first, second) = path.into_inner();
    meetings::remove_constraint(&state.ctx, &caller.0, id, first, second).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Runs the scheduler over the accepted participants (the committee) and replaces the
/// schedule; again as often as wanted until it is published. The answer says how good it
/// is: the objective against a proven upper bound, who is idle when, unmet pins.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = ScheduleReport),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Published already, no speed meetings, fewer than two participants, or pins that cannot all be kept", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/meetings/schedule")]
pub async fn schedule_meetings(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::run(&state.ctx, &caller.0, *id).await?))
}

/// Publishes the schedule (the committee): it is frozen, and every participant's members
/// get their own meetings by mail.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = ScheduleReport),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not computed yet, or published already", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[post("/events/{id}/meetings/publish")]
pub async fn publish_meetings(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::publish(&state.ctx, &caller.0, *id).await?))
}

/// The whole plan by round and table, with the schedule's quality, follow-ups and the
/// feedback (private notes included): the organising committee only.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = PlanView),
        (status = 403, description = "Not on the event's organising committee", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_committee")))
)]
#[get("/events/{id}/meetings")]
pub async fn meeting_plan(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::plan(&state.ctx, &caller.0, *id).await?))
}

/// The caller's own meetings, one schedule per participation: round, time, table, whom
/// they meet and why. Empty until the schedule is published.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = Vec<MySchedule>),
        (status = 403, description = "Not an accepted participant of the event", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event, or not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_participant")))
)]
#[get("/events/{id}/meetings/mine")]
pub async fn my_meetings(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::mine(&state.ctx, &caller.0, *id).await?))
}

/// Says whether your side wants to follow a meeting up (after the event). Once both sides
/// do, feedback is asked six months after the event.
#[utoipa::path(
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT)),
        ("meeting" = Uuid, Path, description = "Meeting id", example = json!(crate::examples::meetings::MEETING)),
    ),
    request_body = FollowUpInput,
    responses(
        (status = 200, body = MyMeeting),
        (status = 404, description = "No such meeting of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The event is not over, or the feedback request went out", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "You belong to both sides: say which one answers", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_participant")))
)]
#[post("/events/{id}/meetings/{meeting}/follow-up")]
pub async fn follow_up_meeting(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<FollowUpInput>,
) -> ApiResult<HttpResponse> {
    let (id, meeting) = path.into_inner();
    let view = meetings::follow_up(&state.ctx, &caller.0, id, meeting, body.0).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Your side's answer six months later: did the meeting lead to a collaboration, a
/// project, an offer of help? The note goes to the committee and moderators only. It may
/// be changed.
#[utoipa::path(
    tag = "meetings",
    params(
        ("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT)),
        ("meeting" = Uuid, Path, description = "Meeting id", example = json!(crate::examples::meetings::MEETING)),
    ),
    request_body = FeedbackInput,
    responses(
        (status = 200, body = FeedbackView),
        (status = 404, description = "No such meeting of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not asked (yet) for this meeting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("event_participant")))
)]
#[put("/events/{id}/meetings/{meeting}/feedback")]
pub async fn answer_meeting_feedback(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
    body: JsonBody<FeedbackInput>,
) -> ApiResult<HttpResponse> {
    let (id, meeting) = path.into_inner();
    let view = meetings::answer_feedback(&state.ctx, &caller.0, id, meeting, body.0).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// What the event's speed meetings came to: pairs met, meetings followed up by both
/// sides, feedback answered, collaborations, projects, help offers. Counts only.
#[utoipa::path(
    tag = "meetings",
    params(("id" = Uuid, Path, description = "Event id", example = json!(crate::examples::meetings::EVENT))),
    responses(
        (status = 200, body = EventIndicators),
        (status = 404, description = "No such published event", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/events/{id}/meetings/indicators")]
pub async fn meeting_indicators(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::indicators(&state.ctx, &caller.0, *id).await?))
}

/// The speed meetings' indicators of every published event, and their totals.
#[utoipa::path(
    tag = "meetings",
    responses((status = 200, body = IndicatorsOverview)),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/stats/meetings")]
pub async fn meetings_overview(state: web::Data<ApiState>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(meetings::overview(&state.ctx).await?))
}

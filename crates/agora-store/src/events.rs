//! Community events, their organising committees and the applications of structures to
//! take part. Plain records: who may read which of their fields is decided in
//! agora-service. The speed-meeting columns of `events` are read here but written by the
//! meetings' own repository; an application's `unavailable_rounds` likewise.

use crate::Result;
use crate::entities::{event_applications, event_committee, events};
use crate::error::parse_stored;
use agora_domain::events::{EventKind, EventMode, EventRole, EventStatus, ParticipationState};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: Uuid,
    pub kind: EventKind,
    pub title: String,
    pub summary: String,
    pub charter_version: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// INSEE région code; none for a national event.
    pub region: Option<String>,
    pub mode: EventMode,
    pub venue: Option<String>,
    pub commune_code: Option<String>,
    pub orientations: Vec<String>,
    pub applications_close_at: Option<DateTime<Utc>>,
    pub status: EventStatus,
    pub reject_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub published_at: Option<DateTime<Utc>>,
    pub speed_rounds: i32,
    pub round_minutes: i32,
    pub tables: i32,
    pub speed_starts_at: Option<DateTime<Utc>>,
    /// Written by the meetings' repository; kept as read.
    pub schedule_computed_at: Option<DateTime<Utc>>,
    pub schedule_objective: Option<i64>,
    pub schedule_bound: Option<i64>,
    pub schedule_published_at: Option<DateTime<Utc>>,
}

fn event(m: events::Model) -> Result<EventRecord> {
    Ok(EventRecord {
        id: m.id,
        kind: parse_stored("events.kind", &m.kind, EventKind::parse)?,
        title: m.title,
        summary: m.summary,
        charter_version: m.charter_version,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        region: m.region,
        mode: parse_stored("events.mode", &m.mode, EventMode::parse)?,
        venue: m.venue,
        commune_code: m.commune_code,
        orientations: serde_json::from_value(m.orientations).unwrap_or_default(),
        applications_close_at: m.applications_close_at,
        status: parse_stored("events.status", &m.status, EventStatus::parse)?,
        reject_reason: m.reject_reason,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
        published_at: m.published_at,
        speed_rounds: m.speed_rounds,
        round_minutes: m.round_minutes,
        tables: m.tables,
        speed_starts_at: m.speed_starts_at,
        schedule_computed_at: m.schedule_computed_at,
        schedule_objective: m.schedule_objective,
        schedule_bound: m.schedule_bound,
        schedule_published_at: m.schedule_published_at,
    })
}

/// The columns this module writes: everything but the computed schedule's.
fn event_active(r: &EventRecord) -> events::ActiveModel {
    events::ActiveModel {
        id: Set(r.id),
        kind: Set(r.kind.as_str().to_owned()),
        title: Set(r.title.clone()),
        summary: Set(r.summary.clone()),
        charter_version: Set(r.charter_version.clone()),
        starts_at: Set(r.starts_at),
        ends_at: Set(r.ends_at),
        region: Set(r.region.clone()),
        mode: Set(r.mode.as_str().to_owned()),
        venue: Set(r.venue.clone()),
        commune_code: Set(r.commune_code.clone()),
        orientations: Set(serde_json::json!(r.orientations)),
        applications_close_at: Set(r.applications_close_at),
        status: Set(r.status.as_str().to_owned()),
        reject_reason: Set(r.reject_reason.clone()),
        created_by: Set(r.created_by),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        submitted_at: Set(r.submitted_at),
        published_at: Set(r.published_at),
        speed_rounds: Set(r.speed_rounds),
        round_minutes: Set(r.round_minutes),
        tables: Set(r.tables),
        speed_starts_at: Set(r.speed_starts_at),
        ..Default::default()
    }
}

pub async fn insert_event(db: &impl ConnectionTrait, r: &EventRecord) -> Result<()> {
    let mut active = event_active(r);
    active.schedule_computed_at = Set(None);
    active.schedule_objective = Set(None);
    active.schedule_bound = Set(None);
    active.schedule_published_at = Set(None);
    active.insert(db).await?;
    Ok(())
}

pub async fn get_event(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<EventRecord>> {
    events::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(event)
        .transpose()
}

/// Writes `r` if its stored status is still `expected`: false when someone moved it first.
pub async fn save_event_if(
    db: &impl ConnectionTrait,
    r: &EventRecord,
    expected: EventStatus,
) -> Result<bool> {
    let res = events::Entity::update_many()
        .set(event_active(r))
        .filter(events::Column::Id.eq(r.id))
        .filter(events::Column::Status.eq(expected.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Which published events a list shows.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// `Some(true)`: not over yet, soonest first; `Some(false)`: over, latest first;
    /// `None`: all, soonest first.
    pub upcoming: Option<bool>,
    /// A région's events (national ones are not included).
    pub region: Option<String>,
    pub national_only: bool,
    pub kind: Option<EventKind>,
}

/// Position of a list's last row: its start and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventKey {
    pub starts_at: DateTime<Utc>,
    pub id: Uuid,
}

/// Published (and archived) events, `limit` of them after `after`.
pub async fn list_public(
    db: &impl ConnectionTrait,
    filter: &EventFilter,
    now: DateTime<Utc>,
    after: Option<EventKey>,
    limit: u64,
) -> Result<Vec<EventRecord>> {
    // An archived event is over: it shows among the past ones only.
    let statuses: &[EventStatus] = if filter.upcoming == Some(true) {
        &[EventStatus::Published]
    } else {
        &[EventStatus::Published, EventStatus::Archived]
    };
    let mut q = events::Entity::find()
        .filter(events::Column::Status.is_in(statuses.iter().map(|s| s.as_str())));
    let newest_first = filter.upcoming == Some(false);
    match filter.upcoming {
        Some(true) => q = q.filter(events::Column::EndsAt.gte(now)),
        Some(false) => q = q.filter(events::Column::EndsAt.lt(now)),
        None => {}
    }
    if let Some(r) = &filter.region {
        q = q.filter(events::Column::Region.eq(r.as_str()));
    }
    if filter.national_only {
        q = q.filter(events::Column::Region.is_null());
    }
    if let Some(k) = filter.kind {
        q = q.filter(events::Column::Kind.eq(k.as_str()));
    }
    if let Some(a) = after {
        let (at, id) = (events::Column::StartsAt, events::Column::Id);
        q = q.filter(if newest_first {
            Condition::any()
                .add(at.lt(a.starts_at))
                .add(Condition::all().add(at.eq(a.starts_at)).add(id.lt(a.id)))
        } else {
            Condition::any()
                .add(at.gt(a.starts_at))
                .add(Condition::all().add(at.eq(a.starts_at)).add(id.gt(a.id)))
        });
    }
    q = if newest_first {
        q.order_by_desc(events::Column::StartsAt)
            .order_by_desc(events::Column::Id)
    } else {
        q.order_by_asc(events::Column::StartsAt)
            .order_by_asc(events::Column::Id)
    };
    q.limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(event)
        .collect()
}

/// Events in `status`, oldest submission first (the moderators' list).
pub async fn in_status(
    db: &impl ConnectionTrait,
    status: EventStatus,
    limit: u64,
) -> Result<Vec<EventRecord>> {
    events::Entity::find()
        .filter(events::Column::Status.eq(status.as_str()))
        .order_by_asc(events::Column::SubmittedAt)
        .order_by_asc(events::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(event)
        .collect()
}

pub async fn events_by_ids(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<EventRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    events::Entity::find()
        .filter(events::Column::Id.is_in(ids))
        .order_by_asc(events::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .map(event)
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    pub event_id: Uuid,
    pub user_id: Uuid,
    pub role: EventRole,
    pub added_by: Uuid,
    pub added_at: DateTime<Utc>,
}

fn seat(m: event_committee::Model) -> Result<Seat> {
    Ok(Seat {
        event_id: m.event_id,
        user_id: m.user_id,
        role: parse_stored("event_committee.role", &m.role, EventRole::parse)?,
        added_by: m.added_by,
        added_at: m.added_at,
    })
}

pub async fn insert_seat(db: &impl ConnectionTrait, s: &Seat) -> Result<()> {
    event_committee::ActiveModel {
        event_id: Set(s.event_id),
        user_id: Set(s.user_id),
        role: Set(s.role.as_str().to_owned()),
        added_by: Set(s.added_by),
        added_at: Set(s.added_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn seat_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Option<Seat>> {
    event_committee::Entity::find_by_id((event_id, user_id))
        .one(db)
        .await?
        .map(seat)
        .transpose()
}

/// The seats of an event, the chair first, then by when they were given.
pub async fn seats(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<Seat>> {
    let mut all: Vec<Seat> = event_committee::Entity::find()
        .filter(event_committee::Column::EventId.eq(event_id))
        .order_by_asc(event_committee::Column::AddedAt)
        .order_by_asc(event_committee::Column::UserId)
        .all(db)
        .await?
        .into_iter()
        .map(seat)
        .collect::<Result<_>>()?;
    all.sort_by_key(|s| s.role != EventRole::Chair);
    Ok(all)
}

/// The seats a person holds (or is invited to), on any event.
pub async fn seats_of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Seat>> {
    event_committee::Entity::find()
        .filter(event_committee::Column::UserId.eq(user_id))
        .order_by_desc(event_committee::Column::AddedAt)
        .all(db)
        .await?
        .into_iter()
        .map(seat)
        .collect()
}

/// Changes a seat's role if it is still `expected`.
pub async fn set_role_if(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
    expected: EventRole,
    role: EventRole,
    at: DateTime<Utc>,
) -> Result<bool> {
    let res = event_committee::Entity::update_many()
        .col_expr(event_committee::Column::Role, Expr::value(role.as_str()))
        .col_expr(event_committee::Column::AddedAt, Expr::value(at))
        .filter(event_committee::Column::EventId.eq(event_id))
        .filter(event_committee::Column::UserId.eq(user_id))
        .filter(event_committee::Column::Role.eq(expected.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn remove_seat(db: &impl ConnectionTrait, event_id: Uuid, user_id: Uuid) -> Result<bool> {
    let res = event_committee::Entity::delete_by_id((event_id, user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub event_id: Uuid,
    pub structure_id: Uuid,
    pub applicant_id: Uuid,
    pub project_ids: Vec<Uuid>,
    /// Skill codes offered and looked for, theme codes.
    pub offers: Vec<String>,
    pub needs: Vec<String>,
    pub themes: Vec<String>,
    pub region: Option<String>,
    pub message: String,
    pub charter_version: String,
    pub charter_signed_at: DateTime<Utc>,
    pub public_consent: bool,
    pub state: ParticipationState,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Speed-meeting rounds the participant cannot attend (the meetings' to write).
    pub unavailable_rounds: Vec<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn application(m: event_applications::Model) -> Result<ApplicationRecord> {
    Ok(ApplicationRecord {
        id: m.id,
        event_id: m.event_id,
        structure_id: m.structure_id,
        applicant_id: m.applicant_id,
        project_ids: serde_json::from_value(m.project_ids).unwrap_or_default(),
        offers: serde_json::from_value(m.offers).unwrap_or_default(),
        needs: serde_json::from_value(m.needs).unwrap_or_default(),
        themes: serde_json::from_value(m.themes).unwrap_or_default(),
        region: m.region,
        message: m.message,
        charter_version: m.charter_version,
        charter_signed_at: m.charter_signed_at,
        public_consent: m.public_consent,
        state: parse_stored(
            "event_applications.state",
            &m.state,
            ParticipationState::parse,
        )?,
        decision_reason: m.decision_reason,
        decided_by: m.decided_by,
        decided_at: m.decided_at,
        unavailable_rounds: serde_json::from_value(m.unavailable_rounds).unwrap_or_default(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn application_active(r: &ApplicationRecord) -> event_applications::ActiveModel {
    event_applications::ActiveModel {
        id: Set(r.id),
        event_id: Set(r.event_id),
        structure_id: Set(r.structure_id),
        applicant_id: Set(r.applicant_id),
        project_ids: Set(serde_json::json!(r.project_ids)),
        offers: Set(serde_json::json!(r.offers)),
        needs: Set(serde_json::json!(r.needs)),
        themes: Set(serde_json::json!(r.themes)),
        region: Set(r.region.clone()),
        message: Set(r.message.clone()),
        charter_version: Set(r.charter_version.clone()),
        charter_signed_at: Set(r.charter_signed_at),
        public_consent: Set(r.public_consent),
        state: Set(r.state.as_str().to_owned()),
        decision_reason: Set(r.decision_reason.clone()),
        decided_by: Set(r.decided_by),
        decided_at: Set(r.decided_at),
        unavailable_rounds: Set(serde_json::json!(r.unavailable_rounds)),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
    }
}

pub async fn insert_application(db: &impl ConnectionTrait, r: &ApplicationRecord) -> Result<()> {
    application_active(r).insert(db).await?;
    Ok(())
}

pub async fn get_application(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ApplicationRecord>> {
    event_applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(application)
        .transpose()
}

/// The structure's application to the event, if it made one.
pub async fn application_of_structure(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    structure_id: Uuid,
) -> Result<Option<ApplicationRecord>> {
    event_applications::Entity::find()
        .filter(event_applications::Column::EventId.eq(event_id))
        .filter(event_applications::Column::StructureId.eq(structure_id))
        .one(db)
        .await?
        .map(application)
        .transpose()
}

/// Writes `r` if its stored state is still `expected`: false when someone moved it first.
/// The meetings' column (`unavailable_rounds`) is left as stored.
pub async fn save_application_if(
    db: &impl ConnectionTrait,
    r: &ApplicationRecord,
    expected: ParticipationState,
) -> Result<bool> {
    let mut active = application_active(r);
    active.unavailable_rounds = sea_orm::ActiveValue::NotSet;
    let res = event_applications::Entity::update_many()
        .set(active)
        .filter(event_applications::Column::Id.eq(r.id))
        .filter(event_applications::Column::State.eq(expected.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// An event's applications (in `state`, if given), oldest first.
pub async fn applications_of_event(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    state: Option<ParticipationState>,
) -> Result<Vec<ApplicationRecord>> {
    let mut q =
        event_applications::Entity::find().filter(event_applications::Column::EventId.eq(event_id));
    if let Some(s) = state {
        q = q.filter(event_applications::Column::State.eq(s.as_str()));
    }
    q.order_by_asc(event_applications::Column::CreatedAt)
        .order_by_asc(event_applications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// The applications of these structures, to any event, newest first.
pub async fn applications_of_structures(
    db: &impl ConnectionTrait,
    structure_ids: Vec<Uuid>,
) -> Result<Vec<ApplicationRecord>> {
    if structure_ids.is_empty() {
        return Ok(Vec::new());
    }
    event_applications::Entity::find()
        .filter(event_applications::Column::StructureId.is_in(structure_ids))
        .order_by_desc(event_applications::Column::CreatedAt)
        .order_by_desc(event_applications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// How many of an event's applications are in each state.
pub async fn count_by_state(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<(ParticipationState, u64)>> {
    let rows = event_applications::Entity::find()
        .select_only()
        .column(event_applications::Column::State)
        .column_as(Expr::col(event_applications::Column::Id).count(), "n")
        .filter(event_applications::Column::EventId.eq(event_id))
        .group_by(event_applications::Column::State)
        .into_tuple::<(String, i64)>()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(s, n)| {
            Ok((
                parse_stored("event_applications.state", &s, ParticipationState::parse)?,
                u64::try_from(n).unwrap_or(0),
            ))
        })
        .collect()
}

//! Speed meetings inside an event: the participants' wishes and unavailable rounds, the
//! committee's pins and bans, the computed meetings with each side's wish to follow up,
//! and the six-month feedback. Plain records; who may read or change what is decided in
//! agora-service.
//!
//! The event, its committee and its applications belong to the events' repository; the
//! few reads this one needs of them are kept here, private to what speed meetings need.

use crate::Result;
use crate::entities::{
    event_applications, event_committee, events, meeting_constraints, meeting_feedback,
    meeting_wishes, meetings,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// What speed meetings need of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    pub id: Uuid,
    pub title: String,
    /// `draft`, `pending`, `published`, `rejected`, `archived`.
    pub status: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub speed_rounds: i32,
    pub round_minutes: i32,
    pub tables: i32,
    pub speed_starts_at: Option<DateTime<Utc>>,
    pub schedule_computed_at: Option<DateTime<Utc>>,
    pub schedule_objective: Option<i64>,
    pub schedule_bound: Option<i64>,
    pub schedule_published_at: Option<DateTime<Utc>>,
}

impl EventRecord {
    /// Whether the public may know the event (its page is published, or was).
    pub fn is_public(&self) -> bool {
        matches!(self.status.as_str(), "published" | "archived")
    }
}

fn event_record(m: events::Model) -> EventRecord {
    EventRecord {
        id: m.id,
        title: m.title,
        status: m.status,
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        venue: m.venue,
        speed_rounds: m.speed_rounds,
        round_minutes: m.round_minutes,
        tables: m.tables,
        speed_starts_at: m.speed_starts_at,
        schedule_computed_at: m.schedule_computed_at,
        schedule_objective: m.schedule_objective,
        schedule_bound: m.schedule_bound,
        schedule_published_at: m.schedule_published_at,
    }
}

pub async fn event(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<EventRecord>> {
    Ok(events::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(event_record))
}

/// Events the public may know, with a published schedule: the indicators' events.
pub async fn public_events_with_schedule(db: &impl ConnectionTrait) -> Result<Vec<EventRecord>> {
    Ok(events::Entity::find()
        .filter(events::Column::Status.is_in(["published", "archived"]))
        .filter(events::Column::SchedulePublishedAt.is_not_null())
        .order_by_desc(events::Column::StartsAt)
        .order_by_asc(events::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(event_record)
        .collect())
}

/// Committee roles that carry its rights (an invitation not yet accepted does not).
const SEATED: [&str; 2] = ["chair", "member"];

/// Whether `user_id` sits on the event's organising committee.
pub async fn on_committee(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<bool> {
    Ok(event_committee::Entity::find_by_id((event_id, user_id))
        .one(db)
        .await?
        .is_some_and(|m| SEATED.contains(&m.role.as_str())))
}

/// The accounts seated on the event's organising committee.
pub async fn committee_of(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<Uuid>> {
    Ok(event_committee::Entity::find()
        .filter(event_committee::Column::EventId.eq(event_id))
        .filter(event_committee::Column::Role.is_in(SEATED))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect())
}

/// An accepted application: a participant of the speed meetings.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantRecord {
    /// The application's id: the participant's id in wishes, constraints and meetings.
    pub id: Uuid,
    pub structure_id: Uuid,
    pub offers: Vec<String>,
    pub needs: Vec<String>,
    pub themes: Vec<String>,
    pub region: Option<String>,
    pub unavailable_rounds: Vec<u32>,
}

fn strings(v: serde_json::Value) -> Vec<String> {
    serde_json::from_value(v).unwrap_or_default()
}

fn participant(m: event_applications::Model) -> ParticipantRecord {
    ParticipantRecord {
        id: m.id,
        structure_id: m.structure_id,
        offers: strings(m.offers),
        needs: strings(m.needs),
        themes: strings(m.themes),
        region: m.region,
        unavailable_rounds: serde_json::from_value(m.unavailable_rounds).unwrap_or_default(),
    }
}

/// The event's accepted applications, in a stable order (by id).
pub async fn participants(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<ParticipantRecord>> {
    Ok(event_applications::Entity::find()
        .filter(event_applications::Column::EventId.eq(event_id))
        .filter(event_applications::Column::State.eq("accepted"))
        .order_by_asc(event_applications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(participant)
        .collect())
}

/// One accepted application of the event, if `id` is one.
pub async fn participant_by_id(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    id: Uuid,
) -> Result<Option<ParticipantRecord>> {
    Ok(event_applications::Entity::find_by_id(id)
        .filter(event_applications::Column::EventId.eq(event_id))
        .filter(event_applications::Column::State.eq("accepted"))
        .one(db)
        .await?
        .map(participant))
}

/// The event's accepted applications of the structures in `structure_ids`.
pub async fn participants_of_structures(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    structure_ids: Vec<Uuid>,
) -> Result<Vec<ParticipantRecord>> {
    if structure_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(event_applications::Entity::find()
        .filter(event_applications::Column::EventId.eq(event_id))
        .filter(event_applications::Column::State.eq("accepted"))
        .filter(event_applications::Column::StructureId.is_in(structure_ids))
        .order_by_asc(event_applications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(participant)
        .collect())
}

pub async fn set_unavailable_rounds(
    db: &impl ConnectionTrait,
    application_id: Uuid,
    rounds: &BTreeSet<u32>,
    now: DateTime<Utc>,
) -> Result<()> {
    event_applications::Entity::update_many()
        .col_expr(
            event_applications::Column::UnavailableRounds,
            Expr::value(serde_json::json!(rounds)),
        )
        .col_expr(event_applications::Column::UpdatedAt, Expr::value(now))
        .filter(event_applications::Column::Id.eq(application_id))
        .exec(db)
        .await?;
    Ok(())
}

/// One participant's wish: whom they want to meet, 1 the most wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WishRecord {
    pub application_id: Uuid,
    pub wanted_application_id: Uuid,
    pub rank: i32,
}

fn wish(m: meeting_wishes::Model) -> WishRecord {
    WishRecord {
        application_id: m.application_id,
        wanted_application_id: m.wanted_application_id,
        rank: m.rank,
    }
}

/// A participant's wishes, most wanted first.
pub async fn wishes_of(db: &impl ConnectionTrait, application_id: Uuid) -> Result<Vec<WishRecord>> {
    Ok(meeting_wishes::Entity::find()
        .filter(meeting_wishes::Column::ApplicationId.eq(application_id))
        .order_by_asc(meeting_wishes::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(wish)
        .collect())
}

/// Every wish of the event's participants.
pub async fn wishes_of_event(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<WishRecord>> {
    Ok(meeting_wishes::Entity::find()
        .filter(meeting_wishes::Column::EventId.eq(event_id))
        .order_by_asc(meeting_wishes::Column::ApplicationId)
        .order_by_asc(meeting_wishes::Column::Rank)
        .all(db)
        .await?
        .into_iter()
        .map(wish)
        .collect())
}

/// Replaces a participant's wishes with `wanted`, in rank order.
pub async fn replace_wishes(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    application_id: Uuid,
    wanted: &[Uuid],
) -> Result<()> {
    meeting_wishes::Entity::delete_many()
        .filter(meeting_wishes::Column::ApplicationId.eq(application_id))
        .exec(db)
        .await?;
    for (i, w) in wanted.iter().enumerate() {
        meeting_wishes::ActiveModel {
            event_id: Set(event_id),
            application_id: Set(application_id),
            wanted_application_id: Set(*w),
            rank: Set(i32::try_from(i + 1).unwrap_or(i32::MAX)),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// A pair the committee pinned (must meet) or banned (must not meet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintRecord {
    pub event_id: Uuid,
    /// The pair, smaller id first.
    pub first: Uuid,
    pub second: Uuid,
    /// `pin` or `ban`.
    pub kind: String,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

fn constraint(m: meeting_constraints::Model) -> ConstraintRecord {
    ConstraintRecord {
        event_id: m.event_id,
        first: m.first_application_id,
        second: m.second_application_id,
        kind: m.kind,
        created_by: m.created_by,
        created_at: m.created_at,
    }
}

/// The pair in stored order: smaller id first.
pub fn ordered(a: Uuid, b: Uuid) -> (Uuid, Uuid) {
    if a <= b { (a, b) } else { (b, a) }
}

pub async fn constraints(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<ConstraintRecord>> {
    Ok(meeting_constraints::Entity::find()
        .filter(meeting_constraints::Column::EventId.eq(event_id))
        .order_by_asc(meeting_constraints::Column::CreatedAt)
        .order_by_asc(meeting_constraints::Column::FirstApplicationId)
        .order_by_asc(meeting_constraints::Column::SecondApplicationId)
        .all(db)
        .await?
        .into_iter()
        .map(constraint)
        .collect())
}

pub async fn constraint_of(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    a: Uuid,
    b: Uuid,
) -> Result<Option<ConstraintRecord>> {
    let (first, second) = ordered(a, b);
    Ok(
        meeting_constraints::Entity::find_by_id((event_id, first, second))
            .one(db)
            .await?
            .map(constraint),
    )
}

/// Inserts a constraint (its pair in stored order); a second one on the pair is a conflict.
pub async fn insert_constraint(db: &impl ConnectionTrait, c: &ConstraintRecord) -> Result<()> {
    let (first, second) = ordered(c.first, c.second);
    meeting_constraints::ActiveModel {
        event_id: Set(c.event_id),
        first_application_id: Set(first),
        second_application_id: Set(second),
        kind: Set(c.kind.clone()),
        created_by: Set(c.created_by),
        created_at: Set(c.created_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn delete_constraint(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    a: Uuid,
    b: Uuid,
) -> Result<bool> {
    let (first, second) = ordered(a, b);
    let res = meeting_constraints::Entity::delete_by_id((event_id, first, second))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// One meeting of the schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRecord {
    pub id: Uuid,
    pub event_id: Uuid,
    /// From 0.
    pub round: i32,
    /// From 1, as printed on the tables.
    pub table_no: i32,
    pub first: Uuid,
    pub second: Uuid,
    pub score: i64,
    pub first_follow_up: Option<bool>,
    pub second_follow_up: Option<bool>,
    pub feedback_due_at: Option<DateTime<Utc>>,
    pub feedback_requested_at: Option<DateTime<Utc>>,
}

impl MeetingRecord {
    /// The other side of the meeting, if `application_id` is one side.
    pub fn other(&self, application_id: Uuid) -> Option<Uuid> {
        if self.first == application_id {
            Some(self.second)
        } else if self.second == application_id {
            Some(self.first)
        } else {
            None
        }
    }

    pub fn follow_up_of(&self, application_id: Uuid) -> Option<bool> {
        if self.first == application_id {
            self.first_follow_up
        } else if self.second == application_id {
            self.second_follow_up
        } else {
            None
        }
    }
}

fn meeting(m: meetings::Model) -> MeetingRecord {
    MeetingRecord {
        id: m.id,
        event_id: m.event_id,
        round: m.round,
        table_no: m.table_no,
        first: m.first_application_id,
        second: m.second_application_id,
        score: m.score,
        first_follow_up: m.first_follow_up,
        second_follow_up: m.second_follow_up,
        feedback_due_at: m.feedback_due_at,
        feedback_requested_at: m.feedback_requested_at,
    }
}

fn active(r: &MeetingRecord) -> meetings::ActiveModel {
    meetings::ActiveModel {
        id: Set(r.id),
        event_id: Set(r.event_id),
        round: Set(r.round),
        table_no: Set(r.table_no),
        first_application_id: Set(r.first),
        second_application_id: Set(r.second),
        score: Set(r.score),
        first_follow_up: Set(r.first_follow_up),
        second_follow_up: Set(r.second_follow_up),
        feedback_due_at: Set(r.feedback_due_at),
        feedback_requested_at: Set(r.feedback_requested_at),
    }
}

/// Replaces the event's meetings with `rows` (in the caller's transaction).
pub async fn replace_meetings(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    rows: &[MeetingRecord],
) -> Result<()> {
    meetings::Entity::delete_many()
        .filter(meetings::Column::EventId.eq(event_id))
        .exec(db)
        .await?;
    // In batches: one statement per meeting would be slow for hundreds of them.
    for chunk in rows.chunks(200) {
        meetings::Entity::insert_many(chunk.iter().map(active))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The event's meetings, by round then table.
pub async fn meetings_of_event(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<MeetingRecord>> {
    Ok(meetings::Entity::find()
        .filter(meetings::Column::EventId.eq(event_id))
        .order_by_asc(meetings::Column::Round)
        .order_by_asc(meetings::Column::TableNo)
        .all(db)
        .await?
        .into_iter()
        .map(meeting)
        .collect())
}

/// The meetings of one participant, by round.
pub async fn meetings_of_participant(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    application_id: Uuid,
) -> Result<Vec<MeetingRecord>> {
    Ok(meetings::Entity::find()
        .filter(meetings::Column::EventId.eq(event_id))
        .filter(
            sea_orm::Condition::any()
                .add(meetings::Column::FirstApplicationId.eq(application_id))
                .add(meetings::Column::SecondApplicationId.eq(application_id)),
        )
        .order_by_asc(meetings::Column::Round)
        .all(db)
        .await?
        .into_iter()
        .map(meeting)
        .collect())
}

pub async fn meeting_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<MeetingRecord>> {
    Ok(meetings::Entity::find_by_id(id).one(db).await?.map(meeting))
}

/// Writes one side's wish to follow up and the feedback's due date they lead to.
pub async fn set_follow_up(
    db: &impl ConnectionTrait,
    id: Uuid,
    first_side: bool,
    value: bool,
    due: Option<DateTime<Utc>>,
) -> Result<()> {
    let column = if first_side {
        meetings::Column::FirstFollowUp
    } else {
        meetings::Column::SecondFollowUp
    };
    meetings::Entity::update_many()
        .col_expr(column, Expr::value(Some(value)))
        .col_expr(meetings::Column::FeedbackDueAt, Expr::value(due))
        .filter(meetings::Column::Id.eq(id))
        // Once the request went out, the due date is history.
        .filter(meetings::Column::FeedbackRequestedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Meetings whose feedback request is due and not yet sent, after `after`, by id.
pub async fn feedback_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<MeetingRecord>> {
    let mut q = meetings::Entity::find()
        .filter(meetings::Column::FeedbackDueAt.lte(now))
        .filter(meetings::Column::FeedbackRequestedAt.is_null());
    if let Some(after) = after {
        q = q.filter(meetings::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(meetings::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(meeting)
        .collect())
}

/// Claims the sending of a meeting's feedback request: true for exactly one caller, the
/// one whose conditional update found it unclaimed.
pub async fn claim_feedback_request(
    db: &impl ConnectionTrait,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = meetings::Entity::update_many()
        .col_expr(meetings::Column::FeedbackRequestedAt, Expr::value(now))
        .filter(meetings::Column::Id.eq(id))
        .filter(meetings::Column::FeedbackRequestedAt.is_null())
        .filter(meetings::Column::FeedbackDueAt.lte(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Records the schedule's quality once computed; false if it was published meanwhile.
pub async fn set_schedule_computed(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    objective: i64,
    bound: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = events::Entity::update_many()
        .col_expr(
            events::Column::ScheduleObjective,
            Expr::value(Some(objective)),
        )
        .col_expr(events::Column::ScheduleBound, Expr::value(Some(bound)))
        .col_expr(events::Column::ScheduleComputedAt, Expr::value(Some(now)))
        .filter(events::Column::Id.eq(event_id))
        .filter(events::Column::SchedulePublishedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Freezes the schedule; false if it was already published (or never computed).
pub async fn publish_schedule(
    db: &impl ConnectionTrait,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = events::Entity::update_many()
        .col_expr(events::Column::SchedulePublishedAt, Expr::value(Some(now)))
        .filter(events::Column::Id.eq(event_id))
        .filter(events::Column::SchedulePublishedAt.is_null())
        .filter(events::Column::ScheduleComputedAt.is_not_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// One side's answer, six months after a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRecord {
    pub meeting_id: Uuid,
    pub application_id: Uuid,
    pub answered_by: Uuid,
    pub answered_at: DateTime<Utc>,
    pub collaboration: bool,
    pub project: bool,
    pub help_offer: bool,
    /// Private to the committee and moderators.
    pub note: Option<String>,
}

fn feedback(m: meeting_feedback::Model) -> FeedbackRecord {
    FeedbackRecord {
        meeting_id: m.meeting_id,
        application_id: m.application_id,
        answered_by: m.answered_by,
        answered_at: m.answered_at,
        collaboration: m.collaboration,
        project: m.project,
        help_offer: m.help_offer,
        note: m.note,
    }
}

/// Writes a side's answer, replacing an earlier one.
pub async fn put_feedback(db: &impl ConnectionTrait, f: &FeedbackRecord) -> Result<()> {
    meeting_feedback::Entity::delete_by_id((f.meeting_id, f.application_id))
        .exec(db)
        .await?;
    meeting_feedback::ActiveModel {
        meeting_id: Set(f.meeting_id),
        application_id: Set(f.application_id),
        answered_by: Set(f.answered_by),
        answered_at: Set(f.answered_at),
        collaboration: Set(f.collaboration),
        project: Set(f.project),
        help_offer: Set(f.help_offer),
        note: Set(f.note.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The answers given about the meetings `meeting_ids`.
pub async fn feedback_of(
    db: &impl ConnectionTrait,
    meeting_ids: Vec<Uuid>,
) -> Result<Vec<FeedbackRecord>> {
    let mut out = Vec::new();
    // Bounded `IN` lists: PostgreSQL and SQLite both cap a statement's parameters.
    for chunk in meeting_ids.chunks(500) {
        out.extend(
            meeting_feedback::Entity::find()
                .filter(meeting_feedback::Column::MeetingId.is_in(chunk.to_vec()))
                .all(db)
                .await?
                .into_iter()
                .map(feedback),
        );
    }
    Ok(out)
}

/// What an event's speed meetings came to: counts only, nobody named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub pairs_met: u64,
    pub follow_ups: u64,
    pub feedback_answered: u64,
    pub collaborations: u64,
    pub projects: u64,
    pub help_offers: u64,
}

/// Counts of the event's meetings and the answers about them. A meeting counts once for
/// an outcome if either side reports it.
pub async fn counts(db: &impl ConnectionTrait, event_id: Uuid) -> Result<Counts> {
    let rows: Vec<(Uuid, Option<bool>, Option<bool>)> = meetings::Entity::find()
        .select_only()
        .column(meetings::Column::Id)
        .column(meetings::Column::FirstFollowUp)
        .column(meetings::Column::SecondFollowUp)
        .filter(meetings::Column::EventId.eq(event_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut c = Counts {
        pairs_met: rows.len() as u64,
        follow_ups: rows
            .iter()
            .filter(|(_, a, b)| *a == Some(true) && *b == Some(true))
            .count() as u64,
        ..Counts::default()
    };
    let answers = feedback_of(db, rows.iter().map(|(id, ..)| *id).collect()).await?;
    c.feedback_answered = answers.len() as u64;
    let meetings_with = |pick: fn(&FeedbackRecord) -> bool| {
        answers
            .iter()
            .filter(|f| pick(f))
            .map(|f| f.meeting_id)
            .collect::<BTreeSet<_>>()
            .len() as u64
    };
    c.collaborations = meetings_with(|f| f.collaboration);
    c.projects = meetings_with(|f| f.project);
    c.help_offers = meetings_with(|f| f.help_offer);
    Ok(c)
}

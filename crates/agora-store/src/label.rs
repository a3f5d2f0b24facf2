//! The label: committee seats, applications and their reviews.

use crate::Result;
use crate::entities::{committee_seats, label_applications, label_reviews};
use crate::error::parse_stored;
use agora_domain::label::{ApplicationState, Seat};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

/// Seats a committee member (or, with `None`, unseats them).
pub async fn set_seat(db: &impl ConnectionTrait, user_id: Uuid, seat: Option<Seat>) -> Result<()> {
    committee_seats::Entity::delete_by_id(user_id)
        .exec(db)
        .await?;
    if let Some(seat) = seat {
        committee_seats::ActiveModel {
            user_id: Set(user_id),
            seat: Set(seat.as_str().to_owned()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Every seat of the committee.
pub async fn all_seats(db: &impl ConnectionTrait) -> Result<Vec<(Uuid, Seat)>> {
    committee_seats::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok((
                m.user_id,
                parse_stored("committee_seats.seat", &m.seat, Seat::parse)?,
            ))
        })
        .collect()
}

pub async fn seats_of(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<(Uuid, Seat)>> {
    committee_seats::Entity::find()
        .filter(committee_seats::Column::UserId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok((
                m.user_id,
                parse_stored("committee_seats.seat", &m.seat, Seat::parse)?,
            ))
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub structure_id: Uuid,
    pub state: ApplicationState,
    pub content: serde_json::Value,
    /// The application this one re-evaluates.
    pub previous_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// What moderators asked for when it was incomplete.
    pub missing: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<Uuid>,
    pub reasons: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Expiry reminders sent.
    pub reminders_sent: i32,
}

fn application(m: label_applications::Model) -> Result<ApplicationRecord> {
    Ok(ApplicationRecord {
        id: m.id,
        structure_id: m.structure_id,
        state: parse_stored(
            "label_applications.state",
            &m.state,
            ApplicationState::parse,
        )?,
        content: m.content,
        previous_id: m.previous_id,
        created_by: m.created_by,
        created_at: m.created_at,
        updated_at: m.updated_at,
        submitted_at: m.submitted_at,
        missing: m.missing,
        decided_at: m.decided_at,
        decided_by: m.decided_by,
        reasons: m.reasons,
        expires_at: m.expires_at,
        reminders_sent: m.reminders_sent,
    })
}

fn application_active(r: &ApplicationRecord) -> label_applications::ActiveModel {
    label_applications::ActiveModel {
        id: Set(r.id),
        structure_id: Set(r.structure_id),
        state: Set(r.state.as_str().to_owned()),
        content: Set(r.content.clone()),
        previous_id: Set(r.previous_id),
        created_by: Set(r.created_by),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        submitted_at: Set(r.submitted_at),
        missing: Set(r.missing.clone()),
        decided_at: Set(r.decided_at),
        decided_by: Set(r.decided_by),
        reasons: Set(r.reasons.clone()),
        expires_at: Set(r.expires_at),
        reminders_sent: Set(r.reminders_sent),
    }
}

pub async fn insert_application(db: &impl ConnectionTrait, r: &ApplicationRecord) -> Result<()> {
    application_active(r).insert(db).await?;
    Ok(())
}

pub async fn application_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<ApplicationRecord>> {
    label_applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(application)
        .transpose()
}

/// Writes `r` if its stored state is still `expected`: false when someone moved it first.
pub async fn save_application_if(
    db: &impl ConnectionTrait,
    r: &ApplicationRecord,
    expected: ApplicationState,
) -> Result<bool> {
    let res = label_applications::Entity::update_many()
        .set(application_active(r))
        .filter(label_applications::Column::Id.eq(r.id))
        .filter(label_applications::Column::State.eq(expected.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Writes `r` (a granted label's reminder count) if no other sweep sent that reminder.
pub async fn save_application_if_reminders(
    db: &impl ConnectionTrait,
    r: &ApplicationRecord,
    expected_reminders: i32,
) -> Result<bool> {
    let res = label_applications::Entity::update_many()
        .set(application_active(r))
        .filter(label_applications::Column::Id.eq(r.id))
        .filter(label_applications::Column::State.eq(ApplicationState::Granted.as_str()))
        .filter(label_applications::Column::RemindersSent.eq(expected_reminders))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A structure's applications, newest first.
pub async fn applications_of(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
) -> Result<Vec<ApplicationRecord>> {
    label_applications::Entity::find()
        .filter(label_applications::Column::StructureId.eq(structure_id))
        .order_by_desc(label_applications::Column::CreatedAt)
        .order_by_desc(label_applications::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// Applications in `state`, oldest first, after `after`.
pub async fn applications_in(
    db: &impl ConnectionTrait,
    state: ApplicationState,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ApplicationRecord>> {
    let mut q = label_applications::Entity::find()
        .filter(label_applications::Column::State.eq(state.as_str()));
    if let Some(after) = after {
        q = q.filter(label_applications::Column::Id.gt(after));
    }
    q.order_by_asc(label_applications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// Granted labels that end at or before `by`.
pub async fn granted_ending_by(
    db: &impl ConnectionTrait,
    by: DateTime<Utc>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ApplicationRecord>> {
    let mut q = label_applications::Entity::find()
        .filter(label_applications::Column::State.eq(ApplicationState::Granted.as_str()))
        .filter(label_applications::Column::ExpiresAt.lte(by));
    if let Some(after) = after {
        q = q.filter(label_applications::Column::Id.gt(after));
    }
    q.order_by_asc(label_applications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(application)
        .collect()
}

/// A reviewer's place on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    Assigned,
    /// Withdrawn after declaring a conflict of interest.
    Withdrawn,
    Submitted,
}

impl ReviewState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Assigned => "assigned",
            Self::Withdrawn => "withdrawn",
            Self::Submitted => "submitted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Assigned, Self::Withdrawn, Self::Submitted]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub application_id: Uuid,
    pub reviewer_id: Uuid,
    pub state: ReviewState,
    pub assigned_at: DateTime<Utc>,
    pub assigned_by: Option<Uuid>,
    pub conflict_reason: Option<String>,
    /// Criterion slug → score 0–4.
    pub scores: Option<serde_json::Value>,
    pub comment: Option<String>,
    pub recommendation: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
}

fn review(m: label_reviews::Model) -> Result<ReviewRecord> {
    Ok(ReviewRecord {
        application_id: m.application_id,
        reviewer_id: m.reviewer_id,
        state: parse_stored("label_reviews.state", &m.state, ReviewState::parse)?,
        assigned_at: m.assigned_at,
        assigned_by: m.assigned_by,
        conflict_reason: m.conflict_reason,
        scores: m.scores,
        comment: m.comment,
        recommendation: m.recommendation,
        submitted_at: m.submitted_at,
    })
}

fn review_active(r: &ReviewRecord) -> label_reviews::ActiveModel {
    label_reviews::ActiveModel {
        application_id: Set(r.application_id),
        reviewer_id: Set(r.reviewer_id),
        state: Set(r.state.as_str().to_owned()),
        assigned_at: Set(r.assigned_at),
        assigned_by: Set(r.assigned_by),
        conflict_reason: Set(r.conflict_reason.clone()),
        scores: Set(r.scores.clone()),
        comment: Set(r.comment.clone()),
        recommendation: Set(r.recommendation.clone()),
        submitted_at: Set(r.submitted_at),
    }
}

pub async fn insert_review(db: &impl ConnectionTrait, r: &ReviewRecord) -> Result<()> {
    review_active(r).insert(db).await?;
    Ok(())
}

/// The reviews of an application, in order of assignment.
pub async fn reviews_of(
    db: &impl ConnectionTrait,
    application_id: Uuid,
) -> Result<Vec<ReviewRecord>> {
    label_reviews::Entity::find()
        .filter(label_reviews::Column::ApplicationId.eq(application_id))
        .order_by_asc(label_reviews::Column::AssignedAt)
        .order_by_asc(label_reviews::Column::ReviewerId)
        .all(db)
        .await?
        .into_iter()
        .map(review)
        .collect()
}

/// The reviewer's places, newest first.
pub async fn reviews_by(db: &impl ConnectionTrait, reviewer_id: Uuid) -> Result<Vec<ReviewRecord>> {
    label_reviews::Entity::find()
        .filter(label_reviews::Column::ReviewerId.eq(reviewer_id))
        .order_by_desc(label_reviews::Column::AssignedAt)
        .all(db)
        .await?
        .into_iter()
        .map(review)
        .collect()
}

/// Writes `r` if the reviewer's place is still `assigned`: false otherwise.
pub async fn save_review_if_assigned(db: &impl ConnectionTrait, r: &ReviewRecord) -> Result<bool> {
    let res = label_reviews::Entity::update_many()
        .set(review_active(r))
        .filter(label_reviews::Column::ApplicationId.eq(r.application_id))
        .filter(label_reviews::Column::ReviewerId.eq(r.reviewer_id))
        .filter(label_reviews::Column::State.eq(ReviewState::Assigned.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

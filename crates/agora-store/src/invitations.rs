//! Invitations to join a structure, sent to an e-mail address whether or not it has an
//! account; the person who holds the address accepts or declines once signed in.

use crate::Result;
use crate::entities::invitations;
use crate::error::parse_stored;
use agora_domain::MemberRole;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    Pending,
    Accepted,
    Declined,
    Revoked,
}

impl InvitationState {
    pub const ALL: [Self; 4] = [Self::Pending, Self::Accepted, Self::Declined, Self::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Revoked => "revoked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: Uuid,
    pub structure_id: Uuid,
    pub email: String,
    pub role: MemberRole,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub state: InvitationState,
    pub answered_at: Option<DateTime<Utc>>,
}

fn record(m: invitations::Model) -> Result<Invitation> {
    Ok(Invitation {
        id: m.id,
        structure_id: m.structure_id,
        email: m.email,
        role: parse_stored("invitations.role", &m.role, MemberRole::parse)?,
        invited_by: m.invited_by,
        created_at: m.created_at,
        expires_at: m.expires_at,
        state: parse_stored("invitations.state", &m.state, InvitationState::parse)?,
        answered_at: m.answered_at,
    })
}

pub async fn insert(db: &impl ConnectionTrait, i: &Invitation) -> Result<()> {
    invitations::ActiveModel {
        id: Set(i.id),
        structure_id: Set(i.structure_id),
        email: Set(i.email.clone()),
        role: Set(i.role.as_str().to_owned()),
        invited_by: Set(i.invited_by),
        created_at: Set(i.created_at),
        expires_at: Set(i.expires_at),
        state: Set(i.state.as_str().to_owned()),
        answered_at: Set(i.answered_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Invitation>> {
    invitations::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Pending, unexpired invitations to `email`, oldest first.
pub async fn pending_for_email(
    db: &impl ConnectionTrait,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>> {
    invitations::Entity::find()
        .filter(invitations::Column::Email.eq(email))
        .filter(invitations::Column::State.eq(InvitationState::Pending.as_str()))
        .filter(invitations::Column::ExpiresAt.gt(now))
        .order_by_asc(invitations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// A structure's invitations still waiting for an answer, oldest first.
pub async fn pending_of_structure(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Vec<Invitation>> {
    invitations::Entity::find()
        .filter(invitations::Column::StructureId.eq(structure_id))
        .filter(invitations::Column::State.eq(InvitationState::Pending.as_str()))
        .filter(invitations::Column::ExpiresAt.gt(now))
        .order_by_asc(invitations::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Moves a pending invitation to `to`; false when it was no longer pending.
pub async fn answer(
    db: &impl ConnectionTrait,
    id: Uuid,
    to: InvitationState,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = invitations::Entity::update_many()
        .col_expr(invitations::Column::State, Expr::value(to.as_str()))
        .col_expr(invitations::Column::AnsweredAt, Expr::value(now))
        .filter(invitations::Column::Id.eq(id))
        .filter(invitations::Column::State.eq(InvitationState::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Invitations to an address that is being erased.
pub async fn forget_email(db: &impl ConnectionTrait, email: &str) -> Result<u64> {
    let res = invitations::Entity::delete_many()
        .filter(invitations::Column::Email.eq(email))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets invitations answered or expired before `before`.
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let res = invitations::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(invitations::Column::ExpiresAt.lt(before))
                .add(invitations::Column::AnsweredAt.lt(before)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

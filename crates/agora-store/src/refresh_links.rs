//! One-click confirmation links sent with refresh reminders. The link itself is a signed
//! token (agora-service); this table makes each one single-use and lets a confirmation
//! retire the others of the same listing.

use crate::Result;
use crate::entities::refresh_links;
use crate::error::parse_stored;
use agora_domain::SubjectType;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshLink {
    pub id: Uuid,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    /// The member it was sent to (who confirms when it is used).
    pub user_id: Uuid,
    /// The confirmation it asks to renew: a link from an earlier cycle is void.
    pub cycle_verified_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, link: &RefreshLink) -> Result<()> {
    refresh_links::ActiveModel {
        id: Set(link.id),
        subject_type: Set(link.subject_type.as_str().to_owned()),
        subject_id: Set(link.subject_id),
        user_id: Set(link.user_id),
        cycle_verified_at: Set(link.cycle_verified_at),
        created_at: Set(link.created_at),
        expires_at: Set(link.expires_at),
        used_at: Set(link.used_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<RefreshLink>> {
    refresh_links::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|m| {
            Ok(RefreshLink {
                id: m.id,
                subject_type: parse_stored(
                    "refresh_links.subject_type",
                    &m.subject_type,
                    SubjectType::parse,
                )?,
                subject_id: m.subject_id,
                user_id: m.user_id,
                cycle_verified_at: m.cycle_verified_at,
                created_at: m.created_at,
                expires_at: m.expires_at,
                used_at: m.used_at,
            })
        })
        .transpose()
}

/// Marks the link used if it is unused and unexpired; false otherwise (so of two
/// concurrent clicks, one wins).
pub async fn use_once(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let res = refresh_links::Entity::update_many()
        .col_expr(refresh_links::Column::UsedAt, Expr::value(now))
        .filter(refresh_links::Column::Id.eq(id))
        .filter(refresh_links::Column::UsedAt.is_null())
        .filter(refresh_links::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Retires every unused link of a listing (it has just been confirmed).
pub async fn retire_for(
    db: &impl ConnectionTrait,
    subject_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64> {
    let res = refresh_links::Entity::update_many()
        .col_expr(refresh_links::Column::UsedAt, Expr::value(now))
        .filter(refresh_links::Column::SubjectId.eq(subject_id))
        .filter(refresh_links::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets the links sent to `user_id` (erasure of their account).
pub async fn forget_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64> {
    let res = refresh_links::Entity::delete_many()
        .filter(refresh_links::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets links that expired before `before`.
pub async fn purge_expired(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let res = refresh_links::Entity::delete_many()
        .filter(refresh_links::Column::ExpiresAt.lt(before))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

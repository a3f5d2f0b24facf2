//! Who belongs to which structure, and as what.

use crate::Result;
use crate::entities::memberships;
use crate::error::parse_stored;
use agora_domain::MemberRole;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub structure_id: Uuid,
    pub user_id: Uuid,
    pub role: MemberRole,
    pub created_at: DateTime<Utc>,
}

fn record(m: memberships::Model) -> Result<Membership> {
    Ok(Membership {
        structure_id: m.structure_id,
        user_id: m.user_id,
        role: parse_stored("memberships.role", &m.role, MemberRole::parse)?,
        created_at: m.created_at,
    })
}

pub async fn add(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    user_id: Uuid,
    role: MemberRole,
    now: DateTime<Utc>,
) -> Result<()> {
    memberships::ActiveModel {
        structure_id: Set(structure_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn role_of(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
    user_id: Uuid,
) -> Result<Option<MemberRole>> {
    memberships::Entity::find_by_id((structure_id, user_id))
        .one(db)
        .await?
        .map(|m| parse_stored("memberships.role", &m.role, MemberRole::parse))
        .transpose()
}

pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<Membership>> {
    memberships::Entity::find()
        .filter(memberships::Column::UserId.eq(user_id))
        .order_by_asc(memberships::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

pub async fn of_structure(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
) -> Result<Vec<Membership>> {
    memberships::Entity::find()
        .filter(memberships::Column::StructureId.eq(structure_id))
        .order_by_asc(memberships::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

pub async fn remove(db: &impl ConnectionTrait, structure_id: Uuid, user_id: Uuid) -> Result<bool> {
    let res = memberships::Entity::delete_by_id((structure_id, user_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

pub async fn count_owners(db: &impl ConnectionTrait, structure_id: Uuid) -> Result<u64> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::StructureId.eq(structure_id))
        .filter(memberships::Column::Role.eq(MemberRole::Owner.as_str()))
        .count(db)
        .await?)
}

//! Partners' API keys (stored as a hash, with a short prefix to recognise them) and the
//! requests each key made: per minute for its quota, per day for its usage. The counts
//! live in the database, so that every instance shares them.

use crate::Result;
use crate::db::transaction_lock;
use crate::entities::{partner_minutes, partner_usage, partners};
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRecord {
    pub id: Uuid,
    pub name: String,
    pub contact_email: Option<String>,
    /// The key's first characters, shown to recognise it (never enough to use it).
    pub key_prefix: String,
    pub key_hash: String,
    /// Comma-separated scope names.
    pub scopes: String,
    pub quota_per_minute: u32,
    pub quota_per_day: u32,
    pub created_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<partners::Model> for PartnerRecord {
    fn from(m: partners::Model) -> Self {
        Self {
            id: m.id,
            name: m.name,
            contact_email: m.contact_email,
            key_prefix: m.key_prefix,
            key_hash: m.key_hash,
            scopes: m.scopes,
            quota_per_minute: u32::try_from(m.quota_per_minute).unwrap_or(0),
            quota_per_day: u32::try_from(m.quota_per_day).unwrap_or(0),
            created_at: m.created_at,
            rotated_at: m.rotated_at,
            revoked_at: m.revoked_at,
        }
    }
}

fn clamp(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub async fn insert(db: &impl ConnectionTrait, p: &PartnerRecord) -> Result<()> {
    partners::ActiveModel {
        id: Set(p.id),
        name: Set(p.name.clone()),
        contact_email: Set(p.contact_email.clone()),
        key_prefix: Set(p.key_prefix.clone()),
        key_hash: Set(p.key_hash.clone()),
        scopes: Set(p.scopes.clone()),
        quota_per_minute: Set(clamp(p.quota_per_minute)),
        quota_per_day: Set(clamp(p.quota_per_day)),
        created_at: Set(p.created_at),
        rotated_at: Set(p.rotated_at),
        revoked_at: Set(p.revoked_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<PartnerRecord>> {
    Ok(partners::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

/// The partner whose current key hashes to `key_hash`, revoked or not.
pub async fn by_key_hash(
    db: &impl ConnectionTrait,
    key_hash: &str,
) -> Result<Option<PartnerRecord>> {
    Ok(partners::Entity::find()
        .filter(partners::Column::KeyHash.eq(key_hash))
        .one(db)
        .await?
        .map(Into::into))
}

/// Every partner, by name.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<PartnerRecord>> {
    Ok(partners::Entity::find()
        .order_by_asc(partners::Column::Name)
        .order_by_asc(partners::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Replaces the key (the old one stops working at once); false when there is no such
/// partner or it is revoked.
pub async fn replace_key(
    db: &impl ConnectionTrait,
    id: Uuid,
    key_prefix: &str,
    key_hash: &str,
    at: DateTime<Utc>,
) -> Result<bool> {
    let res = partners::Entity::update_many()
        .col_expr(partners::Column::KeyPrefix, Expr::value(key_prefix))
        .col_expr(partners::Column::KeyHash, Expr::value(key_hash))
        .col_expr(partners::Column::RotatedAt, Expr::value(Some(at)))
        .filter(partners::Column::Id.eq(id))
        .filter(partners::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Revokes the key for good; false when there is no such partner or it was revoked.
pub async fn revoke(db: &impl ConnectionTrait, id: Uuid, at: DateTime<Utc>) -> Result<bool> {
    let res = partners::Entity::update_many()
        .col_expr(partners::Column::RevokedAt, Expr::value(Some(at)))
        .filter(partners::Column::Id.eq(id))
        .filter(partners::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Changes the quotas and scopes of a key.
pub async fn set_limits(
    db: &impl ConnectionTrait,
    id: Uuid,
    scopes: &str,
    per_minute: u32,
    per_day: u32,
) -> Result<bool> {
    let res = partners::Entity::update_many()
        .col_expr(partners::Column::Scopes, Expr::value(scopes))
        .col_expr(
            partners::Column::QuotaPerMinute,
            Expr::value(clamp(per_minute)),
        )
        .col_expr(partners::Column::QuotaPerDay, Expr::value(clamp(per_day)))
        .filter(partners::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// What one request did to a key's counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Requests in this minute, this one included.
    pub this_minute: u32,
    /// Requests served today before this one.
    pub served_today: u64,
}

/// Counts a request of `partner` in `minute` (minutes since the epoch); the caller then
/// decides whether it is served, and records the answer with [`record_answer`] in the
/// same transaction. The key's lock makes concurrent requests count one after the other.
pub async fn count_request(
    txn: &DatabaseTransaction,
    partner: Uuid,
    minute: i64,
    day: &str,
) -> Result<Counted> {
    transaction_lock(txn, &format!("partner:{partner}")).await?;
    partner_minutes::Entity::insert(partner_minutes::ActiveModel {
        partner_id: Set(partner),
        minute: Set(minute),
        requests: Set(1),
    })
    .on_conflict(
        OnConflict::columns([
            partner_minutes::Column::PartnerId,
            partner_minutes::Column::Minute,
        ])
        .value(
            partner_minutes::Column::Requests,
            Expr::col((partner_minutes::Entity, partner_minutes::Column::Requests)).add(1),
        )
        .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let this_minute = partner_minutes::Entity::find_by_id((partner, minute))
        .one(txn)
        .await?
        .map_or(1, |m| u32::try_from(m.requests).unwrap_or(u32::MAX));
    let served_today = partner_usage::Entity::find_by_id((partner, day.to_owned()))
        .one(txn)
        .await?
        .map_or(0, |m| u64::try_from(m.requests).unwrap_or(0));
    Ok(Counted {
        this_minute,
        served_today,
    })
}

/// Adds the request to the day's usage, served or refused.
pub async fn record_answer(
    txn: &DatabaseTransaction,
    partner: Uuid,
    day: &str,
    served: bool,
) -> Result<()> {
    let (requests, refused) = if served { (1, 0) } else { (0, 1) };
    let column = if served {
        partner_usage::Column::Requests
    } else {
        partner_usage::Column::Refused
    };
    partner_usage::Entity::insert(partner_usage::ActiveModel {
        partner_id: Set(partner),
        day: Set(day.to_owned()),
        requests: Set(requests),
        refused: Set(refused),
    })
    .on_conflict(
        OnConflict::columns([partner_usage::Column::PartnerId, partner_usage::Column::Day])
            .value(column, Expr::col((partner_usage::Entity, column)).add(1))
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// A key's usage on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayUsage {
    pub day: String,
    pub requests: u64,
    pub refused: u64,
}

/// A key's usage from `from` to `to` (days as `YYYY-MM-DD`, both included), by day.
pub async fn usage(
    db: &impl ConnectionTrait,
    partner: Uuid,
    from: &str,
    to: &str,
) -> Result<Vec<DayUsage>> {
    Ok(partner_usage::Entity::find()
        .filter(partner_usage::Column::PartnerId.eq(partner))
        .filter(partner_usage::Column::Day.gte(from))
        .filter(partner_usage::Column::Day.lte(to))
        .order_by_asc(partner_usage::Column::Day)
        .all(db)
        .await?
        .into_iter()
        .map(|m| DayUsage {
            day: m.day,
            requests: u64::try_from(m.requests).unwrap_or(0),
            refused: u64::try_from(m.refused).unwrap_or(0),
        })
        .collect())
}

/// Forgets the per-minute counts before `minute` (they only serve the current minute).
pub async fn prune_minutes(db: &impl ConnectionTrait, before_minute: i64) -> Result<u64> {
    Ok(partner_minutes::Entity::delete_many()
        .filter(partner_minutes::Column::Minute.lt(before_minute))
        .exec(db)
        .await?
        .rows_affected)
}

//! The cookies of signed-in browsers, stored hashed, each tied to an account session.

use crate::Result;
use crate::entities::browser_sessions;
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct BrowserSessionRecord {
    pub token_hash: String,
    pub session_id: Uuid,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl From<browser_sessions::Model> for BrowserSessionRecord {
    fn from(m: browser_sessions::Model) -> Self {
        Self {
            token_hash: m.token_hash,
            session_id: m.session_id,
            csrf_token: m.csrf_token,
            created_at: m.created_at,
            last_seen_at: m.last_seen_at,
        }
    }
}

pub async fn insert(db: &impl ConnectionTrait, record: &BrowserSessionRecord) -> Result<()> {
    browser_sessions::ActiveModel {
        token_hash: Set(record.token_hash.clone()),
        session_id: Set(record.session_id),
        csrf_token: Set(record.csrf_token.clone()),
        created_at: Set(record.created_at),
        last_seen_at: Set(record.last_seen_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<BrowserSessionRecord>> {
    Ok(browser_sessions::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn touch(db: &impl ConnectionTrait, token_hash: &str, now: DateTime<Utc>) -> Result<()> {
    browser_sessions::Entity::update_many()
        .col_expr(browser_sessions::Column::LastSeenAt, Expr::value(now))
        .filter(browser_sessions::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, token_hash: &str) -> Result<()> {
    browser_sessions::Entity::delete_by_id(token_hash.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

//! Links sent by mail about an account: the one that verifies an address (carrying the
//! password chosen at registration until then) and the one that resets a password. The
//! link itself is a signed token naming a row here; the row makes it single-use.

use crate::Result;
use crate::entities::account_links;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    VerifyEmail,
    ResetPassword,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLink {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: String,
    /// For a verification: the password chosen with the registration it verifies.
    pub password_hash: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

pub async fn insert(db: &impl ConnectionTrait, link: &AccountLink) -> Result<()> {
    account_links::ActiveModel {
        id: Set(link.id),
        user_id: Set(link.user_id),
        purpose: Set(link.purpose.clone()),
        password_hash: Set(link.password_hash.clone()),
        created_at: Set(link.created_at),
        expires_at: Set(link.expires_at),
        used_at: Set(link.used_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<AccountLink>> {
    Ok(account_links::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|m| AccountLink {
            id: m.id,
            user_id: m.user_id,
            purpose: m.purpose,
            password_hash: m.password_hash,
            created_at: m.created_at,
            expires_at: m.expires_at,
            used_at: m.used_at,
        }))
}

/// Marks the link used if it is unused and unexpired; false otherwise (of two concurrent
/// uses, one wins). Its stored password goes with it.
pub async fn use_once(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let res = account_links::Entity::update_many()
        .col_expr(account_links::Column::UsedAt, Expr::value(now))
        .col_expr(
            account_links::Column::PasswordHash,
            Expr::value(Option::<String>::None),
        )
        .filter(account_links::Column::Id.eq(id))
        .filter(account_links::Column::UsedAt.is_null())
        .filter(account_links::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Retires the unused links of an account for `purpose` (a newer one supersedes them, or
/// the password changed).
pub async fn retire(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<u64> {
    let res = account_links::Entity::update_many()
        .col_expr(account_links::Column::UsedAt, Expr::value(now))
        .col_expr(
            account_links::Column::PasswordHash,
            Expr::value(Option::<String>::None),
        )
        .filter(account_links::Column::UserId.eq(user_id))
        .filter(account_links::Column::Purpose.eq(purpose.as_str()))
        .filter(account_links::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets links that expired before `before`, or were used before it.
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let res = account_links::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(account_links::Column::ExpiresAt.lt(before))
                .add(account_links::Column::UsedAt.lt(before)),
        )
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

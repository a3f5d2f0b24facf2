//! Users, sessions and refresh tokens.

use crate::entities::{refresh_tokens, sessions, users};
use crate::error::parse_stored;
use crate::{Result, StoreError};
use agora_domain::PlatformRole;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: Uuid,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Option<PlatformRole>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the person proved the address is theirs (a link sent to it was followed);
    /// an account signs in only once verified.
    pub email_verified_at: Option<DateTime<Utc>>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<users::Model> for UserRecord {
    type Error = StoreError;
    fn try_from(m: users::Model) -> Result<Self> {
        let role = match m.role.as_deref() {
            Some(r) => Some(parse_stored("users.role", r, PlatformRole::parse)?),
            None => None,
        };
        Ok(Self {
            id: m.id,
            email: m.email,
            password_hash: m.password_hash,
            display_name: m.display_name,
            role,
            disabled_at: m.disabled_at,
            email_verified_at: m.email_verified_at,
            password_changed_at: m.password_changed_at,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Option<PlatformRole>,
    /// Made by an operator (command line, demo): the address counts as verified.
    pub verified: bool,
}

/// Inserts a user; a taken e-mail address is a `Conflict`.
pub async fn insert_user(
    db: &impl ConnectionTrait,
    new: NewUser,
    now: DateTime<Utc>,
) -> Result<UserRecord> {
    let model = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(new.email),
        password_hash: Set(new.password_hash),
        display_name: Set(new.display_name),
        role: Set(new.role.map(|r| r.as_str().to_owned())),
        disabled_at: Set(None),
        email_verified_at: Set(new.verified.then_some(now)),
        password_changed_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    model.try_into()
}

pub async fn user_by_email(db: &impl ConnectionTrait, email: &str) -> Result<Option<UserRecord>> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn user_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<UserRecord>> {
    users::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(TryInto::try_into)
        .transpose()
}

pub async fn users_by_ids(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Vec<UserRecord>> {
    users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(TryInto::try_into)
        .collect()
}

/// Active accounts holding one of `roles` (for instance, moderators to notify).
pub async fn users_with_roles(
    db: &impl ConnectionTrait,
    roles: &[PlatformRole],
) -> Result<Vec<UserRecord>> {
    users::Entity::find()
        .filter(users::Column::Role.is_in(roles.iter().map(|r| r.as_str())))
        .filter(users::Column::DisabledAt.is_null())
        .order_by_asc(users::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(UserRecord::try_from)
        .collect()
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    id: Uuid,
    hash: String,
    now: DateTime<Utc>,
) -> Result<()> {
    users::Entity::update_many()
        .col_expr(users::Column::PasswordHash, Expr::value(hash))
        .col_expr(users::Column::PasswordChangedAt, Expr::value(now))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks the address verified (a link sent to it was followed).
pub async fn set_verified(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    users::Entity::update_many()
        .col_expr(users::Column::EmailVerifiedAt, Expr::value(now))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .filter(users::Column::EmailVerifiedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// A registration that was never verified, written again: its name follows the latest.
pub async fn set_display_name(
    db: &impl ConnectionTrait,
    id: Uuid,
    display_name: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    users::Entity::update_many()
        .col_expr(users::Column::DisplayName, Expr::value(display_name))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_role(
    db: &impl ConnectionTrait,
    id: Uuid,
    role: Option<PlatformRole>,
    now: DateTime<Utc>,
) -> Result<()> {
    users::Entity::update_many()
        .col_expr(
            users::Column::Role,
            Expr::value(role.map(|r| r.as_str().to_owned())),
        )
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_disabled(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    users::Entity::update_many()
        .col_expr(users::Column::DisabledAt, Expr::value(at))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete_user(db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    users::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_refreshed_at: Option<DateTime<Utc>>,
}

impl From<sessions::Model> for SessionRecord {
    fn from(m: sessions::Model) -> Self {
        Self {
            id: m.id,
            user_id: m.user_id,
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            last_refreshed_at: m.last_refreshed_at,
        }
    }
}

impl SessionRecord {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

pub async fn create_session(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<SessionRecord> {
    let m = sessions::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_refreshed_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(m.into())
}

pub async fn session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<SessionRecord>> {
    Ok(sessions::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn sessions_of_user(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<SessionRecord>> {
    Ok(sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn touch_session(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastRefreshedAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_session(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .filter(sessions::Column::Id.eq(id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

pub async fn revoke_user_sessions(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64> {
    let res = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(now))
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

#[derive(Debug, Clone)]
pub struct RefreshTokenRecord {
    pub token_hash: String,
    pub session_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl From<refresh_tokens::Model> for RefreshTokenRecord {
    fn from(m: refresh_tokens::Model) -> Self {
        Self {
            token_hash: m.token_hash,
            session_id: m.session_id,
            created_at: m.created_at,
            expires_at: m.expires_at,
            used_at: m.used_at,
        }
    }
}

pub async fn insert_refresh_token(
    db: &impl ConnectionTrait,
    token_hash: String,
    session_id: Uuid,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<()> {
    refresh_tokens::ActiveModel {
        token_hash: Set(token_hash),
        session_id: Set(session_id),
        created_at: Set(now),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn refresh_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<RefreshTokenRecord>> {
    Ok(refresh_tokens::Entity::find_by_id(token_hash.to_owned())
        .one(db)
        .await?
        .map(Into::into))
}

/// Marks a refresh token used, once: `false` when it already was (a replay).
pub async fn consume_refresh_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(now))
        .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

//! Accounts: registration, sign-in, token refresh and revocation, password change, and a
//! person's own data (export, erasure).

use crate::tokens::{TokenError, hash_refresh_token, new_refresh_token};
use crate::views::{MeView, MembershipView, StructureRef, TokenPair, UserView};
use crate::{Actor, Context, Result, ServiceError, UserActor, passwords};
use agora_domain::contact::parse_email;
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, PlatformRole, SubjectType, ValidationErrors};
use agora_store::accounts::{self, NewUser, UserRecord};
use agora_store::audit::{self, AuditEntry};
use agora_store::{ConnectionTrait, StoreError, listings, memberships};
use serde::Deserialize;
use uuid::Uuid;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
const INVALID_CREDENTIALS: &str = "invalid e-mail or password";

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterInput {
    pub email: String,
    /// 12 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub display_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshInput {
    pub refresh_token: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeInput {
    pub current_password: String,
    /// 12 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub new_password: String,
}

fn check_password(v: &mut Validator, pointer: &str, password: &str, email: &str) {
    let n = password.chars().count();
    v.check(
        (PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&n),
        pointer,
        "weak_password",
        format!("must be {PASSWORD_MIN_CHARS} to {PASSWORD_MAX_CHARS} characters"),
    );
    let local = email.split('@').next().unwrap_or_default();
    v.check(
        local.len() < 4 || !password.to_lowercase().contains(&local.to_lowercase()),
        pointer,
        "weak_password",
        "must not contain your e-mail address",
    );
}

pub(crate) fn user_view(u: &UserRecord) -> UserView {
    UserView {
        id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        role: u.role,
    }
}

/// Creates an account without any platform role.
pub async fn register(ctx: &Context, input: RegisterInput) -> Result<UserView> {
    create_user(ctx, input, None).await
}

/// Creates an account, with a platform role when given (command line only).
pub async fn create_user(
    ctx: &Context,
    input: RegisterInput,
    role: Option<PlatformRole>,
) -> Result<UserView> {
    let mut v = Validator::new();
    let email = parse_email(&input.email);
    v.check(
        email.is_some(),
        "/email",
        "invalid_email",
        "must be an e-mail address",
    );
    let mut display_name = input.display_name;
    v.text("/display_name", &mut display_name, 1, 100);
    check_password(&mut v, "/password", &input.password, &input.email);
    v.finish()?;
    let email = email.ok_or_else(|| ServiceError::Internal("validated e-mail vanished".into()))?;
    let password_hash = passwords::hash(input.password).await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let user = accounts::insert_user(
        &txn,
        NewUser {
            email,
            password_hash,
            display_name,
            role,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Conflict(_) => {
            ServiceError::Conflict("an account already uses this e-mail address".into())
        }
        other => other.into(),
    })?;
    audit::append(
        &txn,
        AuditEntry {
            at: now,
            actor_id: Some(user.id),
            action: "account_created".into(),
            subject_type: SubjectType::User,
            subject_id: user.id,
            revision_id: None,
            reason: None,
            details: role.map(|r| serde_json::json!({ "role": r.as_str() })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(user_view(&user))
}

/// Grants or removes a platform role (command line only).
pub async fn set_role(ctx: &Context, email: &str, role: Option<PlatformRole>) -> Result<UserView> {
    let email = parse_email(email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    let txn = ctx.begin().await?;
    let user = accounts::user_by_email(&txn, &email)
        .await?
        .ok_or(ServiceError::NotFound("user"))?;
    accounts::set_role(&txn, user.id, role, ctx.now()).await?;
    txn.commit().await?;
    Ok(UserView {
        role,
        ..user_view(&user)
    })
}

async fn open_session(ctx: &Context, user_id: Uuid) -> Result<TokenPair> {
    let now = ctx.now();
    let expires = now + ctx.settings.refresh_ttl;
    let (refresh_token, refresh_hash) = new_refresh_token();
    let txn = ctx.begin().await?;
    let session = accounts::create_session(&txn, user_id, now, expires).await?;
    accounts::insert_refresh_token(&txn, refresh_hash, session.id, now, expires).await?;
    txn.commit().await?;
    token_pair(ctx, user_id, session.id, refresh_token)
}

fn token_pair(
    ctx: &Context,
    user_id: Uuid,
    session_id: Uuid,
    refresh_token: String,
) -> Result<TokenPair> {
    let access_token = ctx
        .tokens
        .issue_access(user_id, session_id, ctx.now())
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: ctx.tokens.access_ttl_secs(),
    })
}

/// Signs in. Unknown address, wrong password and disabled account get the same answer in
/// the same time.
pub async fn login(ctx: &Context, input: LoginInput) -> Result<TokenPair> {
    let user = match parse_email(&input.email) {
        Some(email) => accounts::user_by_email(&ctx.db, &email).await?,
        None => None,
    };
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => passwords::decoy_hash().await?,
    };
    let matches = passwords::verify(input.password, hash).await?;
    match user {
        Some(u) if matches && u.disabled_at.is_none() => open_session(ctx, u.id).await,
        _ => Err(ServiceError::Unauthenticated(INVALID_CREDENTIALS)),
    }
}

/// Exchanges a refresh token for a new pair. Each refresh token works once: presenting a
/// used one means it was copied, so the whole session is revoked.
pub async fn refresh(ctx: &Context, input: RefreshInput) -> Result<TokenPair> {
    let refused = ServiceError::Unauthenticated("invalid or expired refresh token");
    let now = ctx.now();
    let hash = hash_refresh_token(&input.refresh_token);
    let txn = ctx.begin().await?;
    let Some(token) = accounts::refresh_token(&txn, &hash).await? else {
        return Err(refused);
    };
    let session = accounts::session(&txn, token.session_id)
        .await?
        .ok_or(ServiceError::Internal("token without session".into()))?;
    if token.used_at.is_some() || !accounts::consume_refresh_token(&txn, &hash, now).await? {
        accounts::revoke_session(&txn, session.id, now).await?;
        txn.commit().await?;
        tracing::warn!(session = %session.id, "refresh token replayed; session revoked");
        return Err(refused);
    }
    let user = accounts::user_by_id(&txn, session.user_id).await?;
    let active_user = user.is_some_and(|u| u.disabled_at.is_none());
    if token.expires_at <= now || !session.is_active(now) || !active_user {
        return Err(refused);
    }
    let (refresh_token, refresh_hash) = new_refresh_token();
    accounts::insert_refresh_token(&txn, refresh_hash, session.id, now, session.expires_at).await?;
    accounts::touch_session(&txn, session.id, now).await?;
    txn.commit().await?;
    token_pair(ctx, session.user_id, session.id, refresh_token)
}

/// Ends the caller's session: its refresh token and its access tokens stop working at once.
pub async fn logout(ctx: &Context, actor: &Actor) -> Result<()> {
    let user = actor.require_user()?;
    accounts::revoke_session(&ctx.db, user.session_id, ctx.now()).await?;
    Ok(())
}

/// Changes the password and ends every session of the account, this one included.
pub async fn change_password(
    ctx: &Context,
    actor: &Actor,
    input: PasswordChangeInput,
) -> Result<()> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    let mut v = Validator::new();
    check_password(&mut v, "/new_password", &input.new_password, &user.email);
    v.finish()?;
    if !passwords::verify(input.current_password, user.password_hash.clone()).await? {
        return Err(ValidationErrors::single(
            "/current_password",
            "wrong_password",
            "the current password is not right",
        )
        .into());
    }
    let hash = passwords::hash(input.new_password).await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    accounts::set_password(&txn, user.id, hash, now).await?;
    accounts::revoke_user_sessions(&txn, user.id, now).await?;
    audit::append(
        &txn,
        AuditEntry {
            at: now,
            actor_id: Some(user.id),
            action: "password_changed".into(),
            subject_type: SubjectType::User,
            subject_id: user.id,
            revision_id: None,
            reason: None,
            details: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Establishes who presents an access token: the token must verify, its session must be
/// live and its account enabled.
pub async fn authenticate(ctx: &Context, token: &str) -> Result<Actor> {
    let claims = ctx.tokens.verify(token, ctx.now()).map_err(|e| {
        ServiceError::Unauthenticated(match e {
            TokenError::Expired => "access token expired",
            _ => "invalid access token",
        })
    })?;
    let session = accounts::session(&ctx.db, claims.sid).await?;
    let live = session.is_some_and(|s| s.user_id == claims.sub && s.is_active(ctx.now()));
    if !live {
        return Err(ServiceError::Unauthenticated("session ended"));
    }
    let user = accounts::user_by_id(&ctx.db, claims.sub).await?;
    match user {
        Some(u) if u.disabled_at.is_none() => Ok(Actor::User(UserActor {
            id: u.id,
            role: u.role,
            session_id: claims.sid,
        })),
        _ => Err(ServiceError::Unauthenticated("account disabled")),
    }
}

/// The structures a person belongs to, with their role in each.
pub(crate) async fn memberships_of(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<MembershipView>> {
    let links = memberships::of_user(db, user_id).await?;
    let structures = listings::by_ids(
        db,
        ListingKind::Structure,
        links.iter().map(|m| m.structure_id).collect(),
    )
    .await?;
    Ok(links
        .iter()
        .filter_map(|m| {
            let s = structures.iter().find(|s| s.id == m.structure_id)?;
            Some(MembershipView {
                structure: StructureRef {
                    id: s.id,
                    name: s.name.clone(),
                },
                role: m.role,
            })
        })
        .collect())
}

pub async fn me(ctx: &Context, actor: &Actor) -> Result<MeView> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    let memberships = memberships_of(&ctx.db, me.id).await?;
    Ok(MeView {
        user: user_view(&user),
        memberships,
    })
}

/// Disables an account and ends its sessions (command line, for moderators' tools).
pub async fn disable(ctx: &Context, email: &str) -> Result<()> {
    let email = parse_email(email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let user = accounts::user_by_email(&txn, &email)
        .await?
        .ok_or(ServiceError::NotFound("user"))?;
    accounts::set_disabled(&txn, user.id, Some(now), now).await?;
    accounts::revoke_user_sessions(&txn, user.id, now).await?;
    txn.commit().await?;
    Ok(())
}

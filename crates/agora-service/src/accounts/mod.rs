//! Accounts: registration with a verified address, sign-in (throttled), token refresh and
//! revocation, password change and reset, and who a token belongs to.

mod browser;
mod links;
mod sign_in;

pub use agora_store::account_links::LinkPurpose;
pub use browser::{BrowserSession, resume_browser_session, sign_in_browser, sign_out_browser};
pub use links::{
    LinkPage, NewPasswordInput, ResetReceipt, ResetRequest, TokenInput, VerifiedAddress, link_page,
    request_password_reset, reset_password, verify_email,
};
pub(crate) use sign_in::confirm_password;
pub use sign_in::{change_password, login, logout, refresh};

use crate::mail;
use crate::tokens::TokenError;
use crate::views::{MeView, MembershipView, StructureRef, UserView};
use crate::{Actor, Context, Result, ServiceError, UserActor};
use agora_domain::contact::parse_email;
use agora_domain::throttle::{SignInThrottle, ThrottleRule};
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, PlatformRole, SubjectType, ValidationErrors};
use agora_mail::messages::accounts as account_messages;
use agora_store::accounts::{self, NewUser, UserRecord};
use agora_store::audit::{self, AuditEntry};
use agora_store::{ConnectionTrait, StoreError, listings, memberships};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use uuid::Uuid;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Links, invitations and throttling of accounts (configuration `[accounts]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccountSettings {
    /// How long the link that verifies an address works, in hours.
    pub verification_link_hours: i64,
    /// How long a password-reset link works, in minutes.
    pub reset_link_minutes: i64,
    /// How long an invitation to join a structure waits for an answer, in days.
    pub invitation_days: i64,
    /// Sign-in failures: per account and address, per address, per account.
    pub sign_in: SignInThrottle,
    /// Registrations and password-reset requests from one address (each sends a mail).
    pub requests_per_address: ThrottleRule,
    /// A browser left unused this long is signed out, in minutes.
    pub browser_idle_minutes: i64,
    /// A browser is signed out this long after signing in, however busy, in hours.
    pub browser_session_hours: i64,
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            verification_link_hours: 48,
            reset_link_minutes: 60,
            invitation_days: 14,
            sign_in: SignInThrottle::default(),
            requests_per_address: ThrottleRule {
                free_failures: 10,
                first_delay_secs: 60,
                max_delay_secs: 3600,
            },
            browser_idle_minutes: 120,
            browser_session_hours: 12,
        }
    }
}

impl AccountSettings {
    /// Checks the settings; the message names the setting.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.verification_link_hours < 1 {
            return Err("accounts.verification_link_hours must be at least 1".into());
        }
        if self.reset_link_minutes < 5 {
            return Err("accounts.reset_link_minutes must be at least 5".into());
        }
        if self.invitation_days < 1 {
            return Err("accounts.invitation_days must be at least 1".into());
        }
        if self.browser_idle_minutes < 5 {
            return Err("accounts.browser_idle_minutes must be at least 5".into());
        }
        if self.browser_session_hours < 1 {
            return Err("accounts.browser_session_hours must be at least 1".into());
        }
        self.sign_in.check()
    }
}

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

pub(crate) fn check_password(v: &mut Validator, pointer: &str, password: &str, email: &str) {
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

/// What registering answers, whatever the address: the same words, known or not.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationReceipt {
    /// The address, as it will be written to.
    pub email: String,
    /// Always `check_your_mail`: a message went to the address (a link that activates the
    /// account, or, for an address that has one already, a notice saying so).
    pub status: String,
}

/// Validated registration fields.
struct NewAccount {
    email: String,
    display_name: String,
    password: String,
}

fn validate(input: RegisterInput) -> Result<NewAccount> {
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
    Ok(NewAccount {
        email,
        display_name,
        password: input.password,
    })
}

fn account_audit(now: DateTime<Utc>, user_id: Uuid, action: &str) -> AuditEntry {
    AuditEntry {
        at: now,
        actor_id: Some(user_id),
        action: action.into(),
        subject_type: SubjectType::User,
        subject_id: user_id,
        revision_id: None,
        reason: None,
        details: None,
    }
}

/// Registers an address. The answer and its timing are the same whether the address has
/// an account or not (the password is hashed either way); what differs is the mail the
/// address receives: a link that activates the new account once followed, or a notice
/// that an account exists (with a way to reset its password). A registration written again
/// before its address is verified sends a new link carrying the new password; following
/// any of them activates the account with the password of that registration.
pub async fn register(
    ctx: &Context,
    client: IpAddr,
    input: RegisterInput,
) -> Result<RegistrationReceipt> {
    let new = validate(input)?;
    links::count_request(ctx, "register", client).await?;
    let password_hash = ctx.passwords.hash(new.password).await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    match accounts::user_by_email(&txn, &new.email).await? {
        None => {
            let user = accounts::insert_user(
                &txn,
                NewUser {
                    email: new.email.clone(),
                    password_hash: password_hash.clone(),
                    display_name: new.display_name,
                    role: None,
                    verified: false,
                },
                now,
            )
            .await?;
            audit::append(&txn, account_audit(now, user.id, "account_created")).await?;
            links::send_verification(ctx, &txn, &user, password_hash).await?;
        }
        Some(user) if user.email_verified_at.is_none() => {
            accounts::set_display_name(&txn, user.id, &new.display_name, now).await?;
            links::send_verification(ctx, &txn, &user, password_hash).await?;
        }
        Some(user) => {
            let reset = links::reset_request_url(ctx);
            mail::enqueue(
                &txn,
                ctx,
                &mail::Addressee {
                    email: user.email.clone(),
                    name: user.display_name.clone(),
                },
                &account_messages::already_registered(&reset),
            )
            .await?;
        }
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(RegistrationReceipt {
        email: new.email,
        status: "check_your_mail".into(),
    })
}

/// Creates an account as an operator does (command line, demo data): verified at once,
/// with a platform role when given, or a plain account without.
pub async fn create_user(
    ctx: &Context,
    input: RegisterInput,
    role: Option<PlatformRole>,
) -> Result<UserView> {
    let new = validate(input)?;
    let password_hash = ctx.passwords.hash(new.password).await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let user = accounts::insert_user(
        &txn,
        NewUser {
            email: new.email,
            password_hash,
            display_name: new.display_name,
            role,
            verified: true,
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
            details: role.map(|r| serde_json::json!({ "role": r.as_str() })),
            ..account_audit(now, user.id, "account_created")
        },
    )
    .await?;
    txn.commit().await?;
    Ok(user_view(&user))
}

/// What accounts leave behind, forgotten once it serves no more: sign-in counters quiet for
/// longer than they are remembered, links used or expired a month ago, invitations answered
/// or expired a month ago.
pub async fn sweep(ctx: &Context) -> Result<u64> {
    let now = ctx.now();
    let quiet = chrono::Duration::seconds(
        i64::try_from(ctx.settings.accounts.sign_in.forget_after_secs)
            .unwrap_or(i64::MAX / 2)
            .max(3600),
    );
    let month = chrono::Duration::days(30);
    Ok(agora_store::throttle::purge(&ctx.db, now - quiet).await?
        + agora_store::account_links::purge(&ctx.db, now - month).await?
        + agora_store::invitations::purge(&ctx.db, now - month).await?)
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

/// Changes the name the signed-in person is shown by (1–100 characters).
pub async fn rename(ctx: &Context, actor: &Actor, display_name: String) -> Result<UserView> {
    let me = actor.require_user()?;
    let mut name = display_name;
    let mut v = Validator::new();
    v.text("/display_name", &mut name, 1, 100);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    accounts::set_display_name(&txn, me.id, &name, now).await?;
    audit::append(&txn, account_audit(now, me.id, "renamed")).await?;
    txn.commit().await?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    Ok(user_view(&user))
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

//! Links sent by mail about an account: verifying an address, resetting a password. Each
//! is a signed token naming a stored, single-use, expiring row. Opening a link only reads
//! (a page says what it will do); the change happens when the person presses the button,
//! which posts the token back.

use super::{account_audit, check_password};
use crate::mail::{self, Addressee, api_url};
use crate::{Context, Result, ServiceError};
use agora_domain::ValidationErrors;
use agora_domain::contact::parse_email;
use agora_domain::validation::Validator;
use agora_mail::messages::accounts as account_messages;
use agora_store::account_links::{self, AccountLink, LinkPurpose};
use agora_store::accounts::{self, UserRecord};
use agora_store::{DatabaseTransaction, audit, throttle};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// The token of the link received by mail.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2048))]
    pub token: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPasswordInput {
    /// The token of the reset link received by mail.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2048))]
    pub token: String,
    /// 12 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 12, max_length = 128))]
    pub new_password: String,
}

/// What a link's page shows before anything is done: whether the link still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPage {
    /// It works: the page offers the button.
    Ready,
    /// It was used, superseded or has expired.
    Spent,
    /// It is not a link Agora sent (or it was cut when copied).
    Invalid,
}

fn purpose_claim(purpose: LinkPurpose) -> &'static str {
    match purpose {
        LinkPurpose::VerifyEmail => "verify-email",
        LinkPurpose::ResetPassword => "reset-password",
    }
}

fn signed_url(
    ctx: &Context,
    path: &str,
    purpose: LinkPurpose,
    link: &AccountLink,
) -> Result<String> {
    let token = ctx
        .tokens
        .sign_link(
            purpose_claim(purpose),
            link.id,
            link.created_at,
            link.expires_at,
        )
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    Ok(api_url(ctx, &format!("{path}?token={token}")))
}

/// Where someone who forgot their password asks for a link (a page with a form).
pub(crate) fn reset_request_url(ctx: &Context) -> String {
    crate::mail::site_url(ctx, "/mot-de-passe-oublie")
}

/// Counts a request that sends a mail (a registration, a reset request) against the
/// client's address: past a few an hour, 429.
pub(crate) async fn count_request(ctx: &Context, what: &str, client: IpAddr) -> Result<()> {
    let key = format!("{what}:{client}");
    let now = ctx.now();
    let blocked = throttle::get_many(&ctx.db, std::slice::from_ref(&key))
        .await?
        .into_iter()
        .filter_map(|c| c.blocked_until)
        .find(|until| *until > now);
    if let Some(until) = blocked {
        return Err(ServiceError::TooManyRequests {
            retry_after_secs: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
        });
    }
    let rule = ctx.settings.accounts.requests_per_address;
    let forget_before = now - Duration::hours(1);
    let txn = ctx.begin().await?;
    throttle::record_failure(&txn, &key, now, forget_before, |n| {
        rule.delay_after(n)
            .map(|s| Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 2)))
    })
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Queues the mail with a new verification link; the link carries the registration's
/// password, which becomes the account's when it is followed.
pub(crate) async fn send_verification(
    ctx: &Context,
    txn: &DatabaseTransaction,
    user: &UserRecord,
    password_hash: String,
) -> Result<()> {
    let now = ctx.now();
    let link = AccountLink {
        id: Uuid::now_v7(),
        user_id: user.id,
        purpose: LinkPurpose::VerifyEmail.as_str().to_owned(),
        password_hash: Some(password_hash),
        created_at: now,
        expires_at: now + Duration::hours(ctx.settings.accounts.verification_link_hours),
        used_at: None,
    };
    account_links::insert(txn, &link).await?;
    let url = signed_url(ctx, "/auth/verify-email", LinkPurpose::VerifyEmail, &link)?;
    mail::enqueue(
        txn,
        ctx,
        &addressee(user),
        &account_messages::verify_email(&url, link.expires_at),
    )
    .await
}

fn addressee(user: &UserRecord) -> Addressee {
    Addressee {
        email: user.email.clone(),
        name: user.display_name.clone(),
    }
}

/// The stored link a token names, if the token is one of `purpose`'s and still signed
/// as valid.
fn link_id(ctx: &Context, purpose: LinkPurpose, token: &str) -> Result<Uuid> {
    ctx.tokens
        .verify_link(purpose_claim(purpose), token, ctx.now())
        .map_err(|e| match e {
            crate::tokens::TokenError::Expired => {
                ServiceError::Gone("this link has expired: ask for a new one".into())
            }
            _ => ServiceError::Malformed(ValidationErrors::single(
                "/token",
                "invalid",
                "this is not a link Agora sent (was it copied whole?)",
            )),
        })
}

/// Whether a link still works, without using it (its page, opened by a person or by a
/// mail scanner).
pub async fn link_page(ctx: &Context, purpose: LinkPurpose, token: &str) -> Result<LinkPage> {
    let id = match link_id(ctx, purpose, token) {
        Ok(id) => id,
        Err(ServiceError::Gone(_)) => return Ok(LinkPage::Spent),
        Err(_) => return Ok(LinkPage::Invalid),
    };
    Ok(match account_links::get(&ctx.db, id).await? {
        Some(l)
            if l.purpose == purpose.as_str() && l.used_at.is_none() && l.expires_at > ctx.now() =>
        {
            LinkPage::Ready
        }
        Some(l) if l.purpose == purpose.as_str() => LinkPage::Spent,
        _ => LinkPage::Invalid,
    })
}

/// What verifying an address did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedAddress {
    pub email: String,
    /// Always `true`.
    pub verified: bool,
}

/// Follows a verification link: the account signs in from now on, with the password of
/// the registration the link was sent for. Following it again changes nothing.
pub async fn verify_email(ctx: &Context, token: &str) -> Result<VerifiedAddress> {
    let id = link_id(ctx, LinkPurpose::VerifyEmail, token)?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let spent =
        || ServiceError::Gone("this link was already used, or a newer one replaced it".into());
    let link = account_links::get(&txn, id)
        .await?
        .filter(|l| l.purpose == LinkPurpose::VerifyEmail.as_str())
        .ok_or_else(spent)?;
    let user = accounts::user_by_id(&txn, link.user_id)
        .await?
        .ok_or_else(spent)?;
    let done = VerifiedAddress {
        email: user.email.clone(),
        verified: true,
    };
    if !account_links::use_once(&txn, id, now).await? {
        // A second press of the button, a reload: harmless when the address is verified.
        return if link.used_at.is_some() && user.email_verified_at.is_some() {
            Ok(done)
        } else {
            Err(spent())
        };
    }
    if user.email_verified_at.is_some() {
        // Verified meanwhile through another link: this one's password must not replace
        // the one now in use.
        txn.commit().await?;
        return Ok(done);
    }
    if let Some(hash) = link.password_hash {
        accounts::set_password(&txn, user.id, hash, now).await?;
    }
    accounts::set_verified(&txn, user.id, now).await?;
    // The other registrations' links would set their own passwords: they go.
    account_links::retire(&txn, user.id, LinkPurpose::VerifyEmail, now).await?;
    audit::append(&txn, account_audit(now, user.id, "email_verified")).await?;
    txn.commit().await?;
    Ok(done)
}

/// What asking for a reset answers, whatever the address.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetReceipt {
    /// Always `check_your_mail`: if the address has an account, a link was sent to it.
    pub status: String,
}

/// Sends a single-use, expiring reset link to the address if it has an account; the
/// answer is the same for every address.
pub async fn request_password_reset(
    ctx: &Context,
    client: IpAddr,
    input: ResetRequest,
) -> Result<ResetReceipt> {
    let email = parse_email(&input.email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    count_request(ctx, "password-reset", client).await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    if let Some(user) = accounts::user_by_email(&txn, &email).await?
        && user.disabled_at.is_none()
    {
        // One link works at a time: the newest.
        account_links::retire(&txn, user.id, LinkPurpose::ResetPassword, now).await?;
        let link = AccountLink {
            id: Uuid::now_v7(),
            user_id: user.id,
            purpose: LinkPurpose::ResetPassword.as_str().to_owned(),
            password_hash: None,
            created_at: now,
            expires_at: now + Duration::minutes(ctx.settings.accounts.reset_link_minutes),
            used_at: None,
        };
        account_links::insert(&txn, &link).await?;
        let url = signed_url(ctx, "/auth/new-password", LinkPurpose::ResetPassword, &link)?;
        mail::enqueue(
            &txn,
            ctx,
            &addressee(&user),
            &account_messages::password_reset(&url, link.expires_at),
        )
        .await?;
        audit::append(
            &txn,
            account_audit(now, user.id, "password_reset_requested"),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(ResetReceipt {
        status: "check_your_mail".into(),
    })
}

/// A new password for `user`, in `txn`: every session ends, every reset link goes, the
/// address counts as verified (the person just proved they read it, or was signed in),
/// the failures counted against the account are forgotten, and the person is told.
pub(crate) async fn set_new_password(
    ctx: &Context,
    txn: &DatabaseTransaction,
    user: &UserRecord,
    hash: String,
    action: &str,
) -> Result<()> {
    let now = ctx.now();
    accounts::set_password(txn, user.id, hash, now).await?;
    accounts::set_verified(txn, user.id, now).await?;
    accounts::revoke_user_sessions(txn, user.id, now).await?;
    account_links::retire(txn, user.id, LinkPurpose::ResetPassword, now).await?;
    account_links::retire(txn, user.id, LinkPurpose::VerifyEmail, now).await?;
    let account_key = format!(
        "acct:{}",
        hex::encode(&Sha256::digest(user.email.as_bytes())[..16])
    );
    throttle::clear(txn, &[account_key]).await?;
    audit::append(txn, account_audit(now, user.id, action)).await?;
    mail::enqueue(
        txn,
        ctx,
        &addressee(user),
        &account_messages::password_changed(),
    )
    .await
}

/// Follows a reset link with the new password. The link works once.
pub async fn reset_password(ctx: &Context, input: NewPasswordInput) -> Result<()> {
    let id = link_id(ctx, LinkPurpose::ResetPassword, &input.token)?;
    let spent = || {
        ServiceError::Gone(
            "this link was already used, or a newer one replaced it: ask for a new one".into(),
        )
    };
    let link = account_links::get(&ctx.db, id)
        .await?
        .filter(|l| l.purpose == LinkPurpose::ResetPassword.as_str())
        .ok_or_else(spent)?;
    let user = accounts::user_by_id(&ctx.db, link.user_id)
        .await?
        .ok_or_else(spent)?;
    let mut v = Validator::new();
    check_password(&mut v, "/new_password", &input.new_password, &user.email);
    v.finish()?;
    if link.used_at.is_some() || link.expires_at <= ctx.now() {
        return Err(spent());
    }
    let hash = ctx.passwords.hash(input.new_password).await?;
    let txn = ctx.begin().await?;
    if !account_links::use_once(&txn, id, ctx.now()).await? {
        return Err(spent());
    }
    set_new_password(ctx, &txn, &user, hash, "password_reset").await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(())
}

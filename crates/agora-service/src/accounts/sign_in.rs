//! Signing in and out: sessions, rotating refresh tokens, throttled failures, password
//! change.

use super::{LoginInput, PasswordChangeInput, RefreshInput, check_password};
use crate::registry::entry;
use crate::tokens::{hash_refresh_token, new_refresh_token};
use crate::views::TokenPair;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::parse_email;
use agora_domain::throttle::{SignInThrottle, ThrottleRule};
use agora_domain::validation::Validator;
use agora_domain::{SubjectType, ValidationErrors};
use agora_store::accounts::{self, UserRecord};
use agora_store::audit::{self, AuditEntry};
use agora_store::throttle;
use chrono::Duration;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use uuid::Uuid;

const INVALID_CREDENTIALS: &str = "invalid e-mail or password";

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

/// The throttle counters a sign-in for `email` from `client` counts against.
fn counters(email: &str, client: IpAddr) -> [(Scope, String); 3] {
    let digest = |s: &str| hex::encode(&Sha256::digest(s.as_bytes())[..16]);
    [
        (
            Scope::AccountAndAddress,
            format!("pair:{}", digest(&format!("{email}|{client}"))),
        ),
        (Scope::Address, format!("addr:{client}")),
        (Scope::Account, format!("acct:{}", digest(email))),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    AccountAndAddress,
    Address,
    Account,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Self::AccountAndAddress => "account_and_address",
            Self::Address => "address",
            Self::Account => "account",
        }
    }

    fn rule(self, policy: &SignInThrottle) -> &ThrottleRule {
        match self {
            Self::AccountAndAddress => &policy.per_account_and_address,
            Self::Address => &policy.per_address,
            Self::Account => &policy.per_account,
        }
    }
}

/// Refuses at once (429) while any of the counters imposes a wait: no password is checked,
/// so a flood of guesses costs the server a lookup each.
async fn check_throttle(ctx: &Context, keys: &[(Scope, String)]) -> Result<()> {
    let now = ctx.now();
    let names: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
    let wait = throttle::get_many(&ctx.db, &names)
        .await?
        .iter()
        .filter_map(|c| c.blocked_until)
        .filter(|until| *until > now)
        .map(|until| until - now)
        .max();
    match wait {
        Some(w) => {
            metrics::counter!("agora_sign_in_throttled_total").increment(1);
            Err(ServiceError::TooManyRequests {
                retry_after_secs: u64::try_from(w.num_seconds().max(1)).unwrap_or(1),
            })
        }
        None => Ok(()),
    }
}

/// Counts a failure on each counter; a counter that starts imposing waits is audited on
/// the account when there is one.
async fn record_failure(
    ctx: &Context,
    keys: &[(Scope, String)],
    user: Option<&UserRecord>,
    client: IpAddr,
) -> Result<()> {
    metrics::counter!("agora_sign_in_failures_total").increment(1);
    let now = ctx.now();
    let policy = &ctx.settings.accounts.sign_in;
    let forget_before =
        now - Duration::seconds(i64::try_from(policy.forget_after_secs).unwrap_or(i64::MAX / 2));
    let txn = ctx.begin().await?;
    for (scope, key) in keys {
        let rule = scope.rule(policy);
        let counter = throttle::record_failure(&txn, key, now, forget_before, |n| {
            rule.delay_after(n)
                .map(|s| Duration::seconds(i64::try_from(s).unwrap_or(i64::MAX / 2)))
        })
        .await?;
        let starts_waiting = counter.failures == rule.free_failures.saturating_add(1);
        if starts_waiting {
            metrics::counter!("agora_sign_in_throttles_started_total", "scope" => scope.as_str())
                .increment(1);
            tracing::warn!(scope = scope.as_str(), %client, failures = counter.failures, "sign-in throttled");
            if let Some(u) = user {
                audit::append(
                    &txn,
                    AuditEntry {
                        details: Some(serde_json::json!({
                            "scope": scope.as_str(),
                            "failures": counter.failures,
                            "address": client.to_string(),
                        })),
                        ..entry(now, None, "sign_in_throttled", SubjectType::User, u.id)
                    },
                )
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Signs in. Unknown address, wrong password and disabled account get the same answer in
/// the same time; failures slow down whoever makes them, per account and address, per
/// address and per account (see [`SignInThrottle`]), and a waiting client is refused before
/// any password is checked. An account whose address is not verified yet is told so once
/// its password is right.
pub async fn login(ctx: &Context, client: IpAddr, input: LoginInput) -> Result<TokenPair> {
    let user = check_credentials(ctx, client, input).await?;
    open_session(ctx, user.id).await
}

/// The account whose credentials these are, once the throttle, the password, the account's
/// state and its verified address have all said yes.
pub(super) async fn check_credentials(
    ctx: &Context,
    client: IpAddr,
    input: LoginInput,
) -> Result<UserRecord> {
    let email = parse_email(&input.email).unwrap_or_else(|| input.email.trim().to_lowercase());
    let keys = counters(&email, client);
    check_throttle(ctx, &keys).await?;
    let user = accounts::user_by_email(&ctx.db, &email).await?;
    let hash = match &user {
        Some(u) => u.password_hash.clone(),
        None => ctx.passwords.decoy_hash().await?,
    };
    let matches = ctx.passwords.verify(input.password, hash).await?;
    match user {
        Some(u) if matches && u.disabled_at.is_none() => {
            // The owner got in: what was counted against the account goes (not what was
            // counted against the address, which someone else may share).
            let account_keys: Vec<String> = keys
                .iter()
                .filter(|(s, _)| *s != Scope::Address)
                .map(|(_, k)| k.clone())
                .collect();
            throttle::clear(&ctx.db, &account_keys).await?;
            if u.email_verified_at.is_none() {
                return Err(ServiceError::Forbidden(
                    "this address is not verified yet: follow the link sent to it (registering again sends a new one)",
                ));
            }
            Ok(u)
        }
        user => {
            record_failure(ctx, &keys, user.as_ref(), client).await?;
            Err(ServiceError::Unauthenticated(INVALID_CREDENTIALS))
        }
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

/// Checks a signed-in person's current password before a sensitive change (a new
/// password, erasure). Wrong answers count as failed sign-ins, so a stolen session cannot
/// be used to guess the password quickly.
pub(crate) async fn confirm_password(
    ctx: &Context,
    user: &UserRecord,
    client: IpAddr,
    password: String,
    pointer: &str,
) -> Result<()> {
    let keys = counters(&user.email, client);
    check_throttle(ctx, &keys).await?;
    if ctx
        .passwords
        .verify(password, user.password_hash.clone())
        .await?
    {
        return Ok(());
    }
    record_failure(ctx, &keys, Some(user), client).await?;
    Err(ValidationErrors::single(
        pointer,
        "wrong_password",
        "the current password is not right",
    )
    .into())
}

/// Changes the password and ends every session of the account, this one included; the
/// person is told by mail.
pub async fn change_password(
    ctx: &Context,
    actor: &Actor,
    client: IpAddr,
    input: PasswordChangeInput,
) -> Result<()> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    let mut v = Validator::new();
    check_password(&mut v, "/new_password", &input.new_password, &user.email);
    v.finish()?;
    confirm_password(
        ctx,
        &user,
        client,
        input.current_password,
        "/current_password",
    )
    .await?;
    let hash = ctx.passwords.hash(input.new_password).await?;
    let txn = ctx.begin().await?;
    super::links::set_new_password(ctx, &txn, &user, hash, "password_changed").await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(())
}

//! Signing in from a browser: the cookie names an account session (the one the API's
//! tokens use), so signing out, changing the password or disabling the account end it at
//! once. A session ends after `browser_idle_minutes` without use and, however busy,
//! `browser_session_hours` after it began. Each carries the anti-forgery token its forms
//! must send back.

use super::LoginInput;
use super::sign_in::check_credentials;
use crate::tokens::{hash_refresh_token, new_refresh_token};
use crate::{Actor, Context, Result, UserActor};
use agora_domain::PlatformRole;
use agora_store::accounts;
use agora_store::browser_sessions::{self, BrowserSessionRecord};
use chrono::Duration;
use std::net::IpAddr;

/// Uses closer together than this are not written down: a page view is not a write.
const TOUCH_EVERY_SECS: i64 = 60;

/// A signed-in browser: who it is and the token its forms carry.
#[derive(Debug, Clone)]
pub struct BrowserSession {
    pub actor: Actor,
    pub display_name: String,
    pub email: String,
    pub role: Option<PlatformRole>,
    pub csrf_token: String,
}

/// Signs in (same throttling and answers as the API's sign-in) and returns the cookie's
/// value with the new session.
pub async fn sign_in_browser(
    ctx: &Context,
    client: IpAddr,
    input: LoginInput,
) -> Result<(String, BrowserSession)> {
    let user = check_credentials(ctx, client, input).await?;
    let now = ctx.now();
    let expires = now + Duration::hours(ctx.settings.accounts.browser_session_hours);
    let (cookie, token_hash) = new_refresh_token();
    let (csrf_token, _) = new_refresh_token();
    let txn = ctx.begin().await?;
    let session = accounts::create_session(&txn, user.id, now, expires).await?;
    browser_sessions::insert(
        &txn,
        &BrowserSessionRecord {
            token_hash,
            session_id: session.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            last_seen_at: now,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((
        cookie,
        BrowserSession {
            actor: Actor::User(UserActor {
                id: user.id,
                role: user.role,
                session_id: session.id,
            }),
            display_name: user.display_name,
            email: user.email,
            role: user.role,
            csrf_token,
        },
    ))
}

/// The session a cookie names, if it is still live; `None` for anything else (unknown,
/// ended, idle too long, too old, account disabled).
pub async fn resume_browser_session(ctx: &Context, cookie: &str) -> Result<Option<BrowserSession>> {
    let now = ctx.now();
    let hash = hash_refresh_token(cookie);
    let Some(browser) = browser_sessions::get(&ctx.db, &hash).await? else {
        return Ok(None);
    };
    let idle_limit = Duration::minutes(ctx.settings.accounts.browser_idle_minutes);
    let session = accounts::session(&ctx.db, browser.session_id).await?;
    let Some(session) = session.filter(|s| s.is_active(now)) else {
        return Ok(None);
    };
    if browser.last_seen_at + idle_limit <= now {
        accounts::revoke_session(&ctx.db, session.id, now).await?;
        return Ok(None);
    }
    let Some(user) = accounts::user_by_id(&ctx.db, session.user_id)
        .await?
        .filter(|u| u.disabled_at.is_none())
    else {
        return Ok(None);
    };
    if now - browser.last_seen_at > Duration::seconds(TOUCH_EVERY_SECS) {
        browser_sessions::touch(&ctx.db, &hash, now).await?;
    }
    Ok(Some(BrowserSession {
        actor: Actor::User(UserActor {
            id: user.id,
            role: user.role,
            session_id: session.id,
        }),
        display_name: user.display_name,
        email: user.email,
        role: user.role,
        csrf_token: browser.csrf_token,
    }))
}

/// Ends the session a cookie names (nothing happens for an unknown one).
pub async fn sign_out_browser(ctx: &Context, cookie: &str) -> Result<()> {
    let hash = hash_refresh_token(cookie);
    if let Some(browser) = browser_sessions::get(&ctx.db, &hash).await? {
        let txn = ctx.begin().await?;
        accounts::revoke_session(&txn, browser.session_id, ctx.now()).await?;
        browser_sessions::delete(&txn, &hash).await?;
        txn.commit().await?;
    }
    Ok(())
}

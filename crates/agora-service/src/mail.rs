//! Mail from use cases. A use case queues its messages in its own transaction (so an
//! action and its mail are committed together or not at all); the dispatcher sends them
//! later, retrying with backoff while the server is unreachable, under a daily cap, and
//! at most once each.

use crate::shutdown::StopSignal;
use crate::{Context, Result, ServiceError};
use agora_domain::{ListingKind, PlatformRole};
use agora_mail::messages::Noun;
use agora_mail::transport::Recipient;
use agora_mail::{Composed, SendError, Transport};
use agora_store::mail_queue::{self, MailState, QueuedMail};
use agora_store::{ConnectionTrait, accounts, memberships};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Mail settings the use cases and the dispatcher need (from configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// The sender, e.g. `Agora <ne-pas-repondre@agora.example.org>`.
    pub from: String,
    /// Public address of this API, for the one-click links.
    pub base_url: String,
    /// Public address of the web front-end where members edit their listings; the
    /// API's own resources when unset.
    pub site_url: Option<String>,
    /// Mails sent per rolling 24 hours, all recipients together; the rest waits.
    pub daily_cap: u64,
    /// Mails queued per recipient per rolling 24 hours; beyond it they are held back
    /// (kept as `capped`), so a loop of notifying actions cannot flood anyone.
    pub per_recipient_daily_cap: u64,
    /// Attempts before a mail that keeps failing temporarily is given up.
    pub max_attempts: i32,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            from: "Agora <ne-pas-repondre@agora.localhost>".into(),
            base_url: "http://127.0.0.1:8080".into(),
            site_url: None,
            daily_cap: 2000,
            per_recipient_daily_cap: 20,
            max_attempts: 12,
        }
    }
}

impl MailSettings {
    /// Checks the settings; the message names the setting.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.from.parse::<agora_mail::transport::Mailbox>().is_err() {
            return Err(format!("mail.from is not an address: {:?}", self.from));
        }
        for (name, url) in [
            ("mail.base_url", Some(&self.base_url)),
            ("mail.site_url", self.site_url.as_ref()),
        ] {
            if let Some(url) = url
                && !(url.starts_with("http://") || url.starts_with("https://"))
            {
                return Err(format!("{name} must be an http(s) address: {url:?}"));
            }
        }
        if self.max_attempts < 1 {
            return Err("mail.max_attempts must be at least 1".into());
        }
        Ok(())
    }
}

/// Someone to write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Addressee {
    pub email: String,
    pub name: String,
}

pub(crate) fn noun(kind: ListingKind) -> Noun {
    match kind {
        ListingKind::Structure => Noun::Structure,
        ListingKind::Service => Noun::Service,
        ListingKind::Project => Noun::Project,
    }
}

fn trim(url: &str) -> &str {
    url.trim_end_matches('/')
}

/// An address on this API (`path` starts with `/`).
pub(crate) fn api_url(ctx: &Context, path: &str) -> String {
    format!("{}/api/v1{path}", trim(&ctx.settings.mail.base_url))
}

/// A page of the site (`path` starts with `/`): on `mail.site_url` when set, else on
/// this server, which serves the pages itself.
pub(crate) fn site_url(ctx: &Context, path: &str) -> String {
    let site = ctx
        .settings
        .mail
        .site_url
        .as_deref()
        .unwrap_or(&ctx.settings.mail.base_url);
    format!("{}{path}", trim(site))
}

/// Where a member edits a listing (the workspace's form).
pub(crate) fn listing_url(ctx: &Context, kind: ListingKind, id: Uuid) -> String {
    let segment = match kind {
        ListingKind::Structure => "structures",
        ListingKind::Service => "services",
        ListingKind::Project => "projets",
    };
    site_url(ctx, &format!("/espace/{segment}/{id}/modifier"))
}

/// Queues `message` for `to`, in the caller's transaction. Beyond the recipient's daily
/// share the mail is kept but marked `capped` and never sent (refresh reminders excepted).
pub(crate) async fn enqueue(
    db: &impl ConnectionTrait,
    ctx: &Context,
    to: &Addressee,
    message: &Composed,
) -> Result<()> {
    let now = ctx.now();
    let rendered = message
        .render()
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    // Reminders are bounded by the refresh ladder itself (one per listing and rung); the
    // share guards against loops of actions by other people (reports, decisions).
    let capped = message.kind != "refresh_reminder"
        && mail_queue::share_used_since(
            db,
            &to.email,
            now - Duration::hours(24),
            ctx.settings.mail.per_recipient_daily_cap,
        )
        .await?;
    if capped {
        tracing::warn!(
            kind = message.kind,
            "recipient's daily mail share reached; mail held back"
        );
    }
    mail_queue::insert(
        db,
        &QueuedMail {
            id: Uuid::now_v7(),
            kind: message.kind.to_owned(),
            recipient: to.email.clone(),
            recipient_name: Some(to.name.clone()),
            subject: rendered.subject,
            body_text: rendered.text,
            body_html: rendered.html,
            state: if capped {
                MailState::Capped
            } else {
                MailState::Queued
            },
            attempts: 0,
            created_at: now,
            next_attempt_at: now,
            claimed_until: None,
            sent_at: None,
            last_error: None,
        },
    )
    .await?;
    Ok(())
}

/// Queues `message` for each of `to`.
pub(crate) async fn enqueue_all(
    db: &impl ConnectionTrait,
    ctx: &Context,
    to: &[Addressee],
    message: &Composed,
) -> Result<()> {
    for a in to {
        enqueue(db, ctx, a, message).await?;
    }
    Ok(())
}

/// Queues `message` for every active moderator.
pub(crate) async fn enqueue_to_moderators(
    db: &impl ConnectionTrait,
    ctx: &Context,
    message: &Composed,
) -> Result<()> {
    enqueue_all(db, ctx, &moderators(db).await?, message).await
}

fn addressee(u: accounts::UserRecord) -> Option<(Uuid, Addressee)> {
    let active = u.disabled_at.is_none();
    let a = Addressee {
        email: u.email,
        name: u.display_name,
    };
    active.then_some((u.id, a))
}

/// The active members of a structure (those who answer for its listings), with their ids.
pub(crate) async fn members_of(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
) -> Result<Vec<(Uuid, Addressee)>> {
    let ids: Vec<Uuid> = memberships::of_structure(db, structure_id)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    let users = accounts::users_by_ids(db, ids).await?;
    Ok(users.into_iter().filter_map(addressee).collect())
}

/// The active members of a structure, as recipients.
pub(crate) async fn member_addressees(
    db: &impl ConnectionTrait,
    structure_id: Uuid,
) -> Result<Vec<Addressee>> {
    Ok(members_of(db, structure_id)
        .await?
        .into_iter()
        .map(|(_, a)| a)
        .collect())
}

pub(crate) async fn moderators(db: &impl ConnectionTrait) -> Result<Vec<Addressee>> {
    let users =
        accounts::users_with_roles(db, &[PlatformRole::Moderator, PlatformRole::Admin]).await?;
    Ok(users
        .into_iter()
        .filter_map(addressee)
        .map(|(_, a)| a)
        .collect())
}

/// What one pass of the dispatcher did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Claims left behind by a stopped dispatcher, now `uncertain`.
    pub abandoned: u64,
    /// Whether the daily cap stopped the pass.
    pub capped: bool,
}

/// How long to wait before attempt `attempts + 1`: 30 s doubling, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 8) - 1;
    Duration::seconds((30_i64 << exp).min(3600))
}

/// A claim lasts this long: a send that is not finished by then is treated as a crash.
const LEASE: Duration = Duration::minutes(10);
const BATCH: u64 = 50;

/// Sends the mails that are due, once each.
pub async fn dispatch_once(ctx: &Context, transport: &Transport) -> Result<DispatchReport> {
    dispatch_until(ctx, transport, &StopSignal::never()).await
}

/// Sends the mails that are due until `stop` is raised: the mail being handed to the
/// server then is finished, no other is claimed, and one claimed but not yet handed over
/// goes back to the queue untouched.
async fn dispatch_until(
    ctx: &Context,
    transport: &Transport,
    stop: &StopSignal,
) -> Result<DispatchReport> {
    let mut report = DispatchReport {
        abandoned: mail_queue::expire_claims(&ctx.db, ctx.now()).await?,
        ..DispatchReport::default()
    };
    let settings = &ctx.settings.mail;
    loop {
        let now = ctx.now();
        let sent_today = mail_queue::sent_since(&ctx.db, now - Duration::hours(24)).await?;
        let room = settings.daily_cap.saturating_sub(sent_today);
        if room == 0 {
            report.capped = true;
            tracing::warn!(
                cap = settings.daily_cap,
                "daily mail cap reached; the rest waits"
            );
            return Ok(report);
        }
        let due = mail_queue::due(&ctx.db, now, room.min(BATCH)).await?;
        if due.is_empty() {
            return Ok(report);
        }
        let mut progressed = false;
        for mail in due {
            if stop.is_raised() {
                return Ok(report);
            }
            if !mail_queue::claim(&ctx.db, mail.id, ctx.now() + LEASE).await? {
                continue; // another instance took it
            }
            // Raised while claiming: nothing has left, so the mail can go back as it was.
            if stop.is_raised() {
                mail_queue::release(&ctx.db, mail.id).await?;
                tracing::info!(mail = %mail.id, "mail claimed but not sent; back in the queue");
                return Ok(report);
            }
            progressed = true;
            send_claimed(ctx, transport, &mail, &mut report).await?;
        }
        if !progressed {
            return Ok(report);
        }
    }
}

async fn send_claimed(
    ctx: &Context,
    transport: &Transport,
    mail: &QueuedMail,
    report: &mut DispatchReport,
) -> Result<()> {
    let to = Recipient {
        address: mail.recipient.clone(),
        name: mail.recipient_name.clone(),
    };
    let rendered = agora_mail::Rendered {
        subject: mail.subject.clone(),
        text: mail.body_text.clone(),
        html: mail.body_html.clone(),
    };
    let attempts = mail.attempts + 1;
    match transport
        .send(mail.id, &ctx.settings.mail.from, &to, &rendered)
        .await
    {
        Ok(()) => {
            mail_queue::mark_sent(&ctx.db, mail.id, ctx.now()).await?;
            report.sent += 1;
            tracing::info!(mail = %mail.id, kind = %mail.kind, "mail sent");
        }
        Err(SendError::Transient(e)) if attempts < ctx.settings.mail.max_attempts => {
            let at = ctx.now() + backoff(attempts);
            tracing::warn!(mail = %mail.id, attempts, error = %e, "mail not sent; will retry");
            mail_queue::retry_at(&ctx.db, mail.id, at, e).await?;
            report.retried += 1;
        }
        Err(SendError::Transient(e) | SendError::Permanent(e)) => {
            tracing::error!(mail = %mail.id, attempts, error = %e, "mail given up");
            mail_queue::mark_failed(&ctx.db, mail.id, e).await?;
            report.failed += 1;
        }
    }
    Ok(())
}

/// Sends queued mail until `stop` is raised: at once when a use case queues some,
/// otherwise every `poll` (retries fall due with time). Mail not sent by then stays
/// `queued` for the next instance.
pub async fn run_dispatcher(
    ctx: Context,
    transport: Transport,
    poll: std::time::Duration,
    stop: StopSignal,
) {
    loop {
        match dispatch_until(&ctx, &transport, &stop).await {
            Ok(r) if r.sent + r.retried + r.failed + r.abandoned > 0 => {
                tracing::debug!(?r, "mail dispatch");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail dispatch failed; will try again"),
        }
        if stop.is_raised() {
            tracing::info!("mail dispatcher stopped; unsent mail stays queued");
            return;
        }
        tokio::select! {
            _ = tokio::time::timeout(poll, ctx.mail_queued.notified()) => {}
            () = stop.raised() => {}
        }
    }
}

/// How many queued mails are in each state (for operators).
pub async fn queue_counts(ctx: &Context) -> Result<Vec<(String, u64)>> {
    Ok(mail_queue::count_by_state(&ctx.db)
        .await?
        .into_iter()
        .map(|(s, n)| (s.as_str().to_owned(), n))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(9), Duration::seconds(3600));
        assert_eq!(backoff(40), Duration::seconds(3600));
    }

    #[test]
    fn settings_are_checked() {
        assert!(MailSettings::default().check().is_ok());
        let bad = MailSettings {
            from: "not an address".into(),
            ..MailSettings::default()
        };
        assert!(bad.check().is_err());
        let bad = MailSettings {
            base_url: "ftp://x".into(),
            ..MailSettings::default()
        };
        assert!(bad.check().is_err());
    }
}

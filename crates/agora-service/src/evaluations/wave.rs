//! "Contact wrong" from several people sends the service back into the refresh workflow:
//! its members get the refresh reminder (with its one-click confirmation link) and the
//! listing counts as reminded, so that the moderators' freshness queue shows it as due
//! until someone confirms it. A wave is the answers since the later of the last wave and
//! the last confirmation: each wave does this once, however many answers follow.

use crate::registry::entry;
use crate::{Context, Result};
use agora_domain::{ListingKind, SubjectType};
use agora_mail::messages::ReminderTiming;
use agora_store::ConnectionTrait;
use agora_store::audit::{self, AuditEntry};
use agora_store::evaluations as store;
use agora_store::listings::{self, ListingRecord};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

/// Called, under the service's lock, once a "contact wrong" evaluation counts; true when
/// it completed a wave (and mail was queued).
pub(super) async fn after_counted(
    ctx: &Context,
    db: &impl ConnectionTrait,
    service: &ListingRecord,
    now: DateTime<Utc>,
) -> Result<bool> {
    let s = &ctx.settings.evaluations;
    let window = now - Duration::days(s.contact_wrong_days);
    // Answers given before the listing was last confirmed, or already part of a wave, are
    // not counted again.
    let anchor = [service.verified_at, store::last_wave(db, service.id).await?]
        .into_iter()
        .flatten()
        .max();
    let people: HashSet<uuid::Uuid> = store::contact_wrong_since(db, service.id, window)
        .await?
        .into_iter()
        .filter(|e| anchor.is_none_or(|a| e.created_at > a))
        // An erased account's answer still counts, as one person.
        .map(|e| e.account_id.unwrap_or(e.id))
        .collect();
    if (people.len() as u64) < s.contact_wrong_accounts {
        return Ok(false);
    }
    let accounts = i32::try_from(people.len()).unwrap_or(i32::MAX);
    store::insert_wave(db, service.id, now, accounts).await?;
    let mut mails = 0;
    if let Some(verified) = service.verified_at {
        // Reminded (rung 1) unless the ladder is already further: the freshness queue
        // lists it as due; the ladder's later rungs follow as usual.
        listings::advance_reminder(db, ListingKind::Service, service.id, verified, 1).await?;
        mails = crate::refresh::remind(ctx, db, service, verified, ReminderTiming::ContactDoubted)
            .await?;
    }
    audit::append(
        db,
        AuditEntry {
            details: Some(serde_json::json!({
                "reason": "evaluations_contact_wrong",
                "accounts": accounts,
                "mails": mails,
            })),
            ..entry(
                now,
                None,
                "refresh_requested",
                SubjectType::Service,
                service.id,
            )
        },
    )
    .await?;
    Ok(mails > 0)
}

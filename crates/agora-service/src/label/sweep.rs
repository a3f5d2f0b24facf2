//! The scheduled sweep (reminders before a label ends, and its end) and seating committee
//! members from the command line.

use super::decide::label_changed;
use super::{audit_entry, structure_ref, tell_members};
use crate::{Context, Result, ServiceError};
use agora_domain::label::{ApplicationState, Seat};
use agora_mail::messages::label as messages;
use agora_store::audit;
use agora_store::label as store;
use agora_store::{accounts, listings};
use chrono::Duration;

/// Reminders before a label ends, and its end: run by the scheduled sweeps.
pub async fn sweep(ctx: &Context) -> Result<(u64, u64)> {
    let now = ctx.now();
    let rules = &ctx.settings.label;
    let furthest = rules
        .reminder_days_before
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    let (mut reminded, mut expired) = (0, 0);
    // A page at a time, however many labels end.
    let mut after = None;
    loop {
        let page =
            store::granted_ending_by(&ctx.db, now + Duration::days(furthest), after, 500).await?;
        let Some(last) = page.last().map(|a| a.id) else {
            break;
        };
        after = Some(last);
        for app in page {
            let Some(ends) = app.expires_at else { continue };
            let txn = ctx.begin().await?;
            let name = structure_ref(&txn, app.structure_id).await?.name;
            let mut next = app.clone();
            if ends <= now {
                next.state = ApplicationState::Expired;
                next.updated_at = now;
                if !store::save_application_if(&txn, &next, ApplicationState::Granted).await? {
                    continue;
                }
                listings::set_labelled_until(&txn, app.structure_id, None).await?;
                label_changed(&txn, now, app.structure_id).await?;
                audit::append(&txn, audit_entry(now, None, "label_expired", &app)).await?;
                tell_members(ctx, &txn, app.structure_id, &messages::expired(&name)).await?;
                expired += 1;
            } else {
                let due = i32::try_from(
                    rules
                        .reminder_days_before
                        .iter()
                        .filter(|d| ends - Duration::days(**d) <= now)
                        .count(),
                )
                .unwrap_or(0);
                if due <= app.reminders_sent {
                    continue;
                }
                next.reminders_sent = due;
                if !store::save_application_if_reminders(&txn, &next, app.reminders_sent).await? {
                    continue;
                }
                audit::append(&txn, audit_entry(now, None, "label_expiry_reminded", &app)).await?;
                let url = crate::mail::site_url(
                    ctx,
                    &format!("/espace/structures/{}#label", app.structure_id),
                );
                tell_members(
                    ctx,
                    &txn,
                    app.structure_id,
                    &messages::expiring(&name, ends, &url),
                )
                .await?;
                reminded += 1;
            }
            txn.commit().await?;
        }
    }
    if reminded + expired > 0 {
        ctx.changed.notify_one();
        ctx.mail_queued.notify_one();
    }
    Ok((reminded, expired))
}

/// Seats a committee member (command line).
pub async fn set_seat(ctx: &Context, email: &str, seat: Option<Seat>) -> Result<()> {
    let user = accounts::user_by_email(&ctx.db, &email.trim().to_lowercase())
        .await?
        .ok_or(ServiceError::NotFound("account"))?;
    store::set_seat(&ctx.db, user.id, seat).await?;
    Ok(())
}

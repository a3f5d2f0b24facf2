//! The scheduled sweep: reminders, expiry of unanswered offers, and the end of health
//! information's retention.

use super::{ProjectRef, contributor_addressee, offer_audit, project_ref};
use crate::mail::{self, Addressee};
use crate::{Context, Result, ServiceError};
use agora_domain::help::{OfferAction, OfferState};
use agora_mail::messages::help as messages;
use agora_store::audit;
use agora_store::help as store;
use chrono::Duration;
use std::collections::HashMap;
use uuid::Uuid;

/// Offers the sweep reads, and changes in one transaction, at a time.
const SWEEP_PAGE: u64 = 200;

/// Reminders, expiry of unanswered offers, and the end of health information's retention.
pub async fn sweep(ctx: &Context) -> Result<(u64, u64, u64)> {
    let now = ctx.now();
    let s = &ctx.settings.help;
    let (mut reminded, mut expired) = (0, 0);
    // Looked up once per sweep, not once per offer.
    let mut projects: HashMap<Uuid, ProjectRef> = HashMap::new();
    let mut contributors: HashMap<Uuid, Option<Addressee>> = HashMap::new();
    let mut moderators: Option<Vec<Addressee>> = None;
    // A page at a time, however many offers wait; each page in one transaction.
    let mut after = None;
    loop {
        let waiting = store::in_states(
            &ctx.db,
            &[OfferState::Submitted, OfferState::Forwarded],
            after,
            SWEEP_PAGE,
        )
        .await?;
        let Some(last) = waiting.last().map(|o| o.id) else {
            break;
        };
        after = Some(last);
        let txn = ctx.begin().await?;
        for o in waiting {
            let since = o.screened_at.unwrap_or(o.created_at);
            let expire = o.created_at + Duration::days(s.expire_after_days) <= now;
            let remind =
                since + Duration::days(s.remind_after_days) <= now && o.reminders_sent == 0;
            if !expire && !remind {
                continue;
            }
            let project = match projects.get(&o.project_id) {
                Some(p) => p.clone(),
                None => {
                    let p = project_ref(&txn, o.project_id).await?;
                    projects.insert(o.project_id, p.clone());
                    p
                }
            };
            let mut next = o.clone();
            if expire {
                next.state = o
                    .state
                    .apply(OfferAction::Expire)
                    .map_err(ServiceError::Conflict)?;
                next.updated_at = now;
                // Another instance's sweep may have taken it.
                if !store::save_if(&txn, &next, o.state).await? {
                    continue;
                }
                audit::append(&txn, offer_audit(now, None, "help_expired", &next)).await?;
                let contributor = match contributors.get(&o.contributor_id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = contributor_addressee(&txn, &o).await?;
                        contributors.insert(o.contributor_id, c.clone());
                        c
                    }
                };
                if let Some(c) = contributor {
                    mail::enqueue(&txn, ctx, &c, &messages::expired(&project.title)).await?;
                }
                expired += 1;
            } else {
                next.reminders_sent = 1;
                if !store::save_if(&txn, &next, o.state).await? {
                    continue;
                }
                let (to, who, url) = if o.state == OfferState::Submitted {
                    let to = match &moderators {
                        Some(m) => m.clone(),
                        None => {
                            let m = mail::moderators(&txn).await?;
                            moderators = Some(m.clone());
                            m
                        }
                    };
                    (
                        to,
                        "l'équipe de modération",
                        mail::site_url(ctx, "/moderation/offres"),
                    )
                } else {
                    (
                        mail::member_addressees(&txn, o.structure_id).await?,
                        "votre réponse",
                        mail::site_url(ctx, &format!("/espace/projets/{}", o.project_id)),
                    )
                };
                mail::enqueue_all(
                    &txn,
                    ctx,
                    &to,
                    &messages::waiting(&project.title, who, &url),
                )
                .await?;
                reminded += 1;
            }
        }
        txn.commit().await?;
    }
    let purged =
        store::purge_health_info(&ctx.db, now - Duration::days(s.health_retention_days), now)
            .await?;
    if reminded + expired > 0 {
        ctx.mail_queued.notify_one();
    }
    Ok((reminded, expired, purged))
}

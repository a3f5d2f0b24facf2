//! The sweeps release held evaluations once their delay has run out: each is counted in
//! its own transaction, by a conditional update (held → counted), so that two instances
//! sweeping at once release it, and complete a "contact wrong" wave with it, once.

use super::service_lock;
use crate::registry::entry;
use crate::{Context, Result};
use agora_domain::{ListingKind, SubjectType};
use agora_store::audit::{self, AuditEntry};
use agora_store::db::transaction_lock;
use agora_store::evaluations as store;
use agora_store::listings;

const PAGE: u64 = 200;

/// Counts the held evaluations that are due; how many it released.
pub async fn sweep(ctx: &Context) -> Result<u64> {
    let now = ctx.now();
    let mut released = 0;
    let mut mailed = false;
    let mut after = None;
    loop {
        let due = store::held_due(&ctx.db, now, after, PAGE).await?;
        let Some(last) = due.last().map(|e| e.id) else {
            break;
        };
        after = Some(last);
        for e in due {
            let txn = ctx.begin().await?;
            transaction_lock(&txn, &service_lock(e.service_id)).await?;
            if !store::release(&txn, e.id, now).await? {
                // Another instance released it first.
                txn.rollback().await?;
                continue;
            }
            audit::append(
                &txn,
                AuditEntry {
                    details: Some(serde_json::json!({
                        "evaluation_id": e.id,
                        "hold_reason": e.hold_reason,
                    })),
                    ..entry(
                        now,
                        None,
                        "evaluation_released",
                        SubjectType::Service,
                        e.service_id,
                    )
                },
            )
            .await?;
            if e.answers.contact_correct == Some(false)
                && let Some(service) =
                    listings::get(&txn, ListingKind::Service, e.service_id).await?
                && service.is_listed()
            {
                mailed |= super::wave::after_counted(ctx, &txn, &service, now).await?;
            }
            txn.commit().await?;
            released += 1;
        }
    }
    if mailed {
        ctx.mail_queued.notify_one();
    }
    Ok(released)
}

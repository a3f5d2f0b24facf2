//! Moderation of events: the list of those waiting, and the decision (publish, or reject
//! with a reason that is mailed to the creator).

use super::{EventView, addressees, audit_entry, event_standing, event_url, view};
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::events::EventStatus;
use agora_domain::validation::Validator;
use agora_mail::messages::events as messages;
use agora_store::audit;
use agora_store::events as store;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventDecision {
    Publish,
    Reject,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventDecisionInput {
    pub decision: EventDecision,
    /// Sent to the creator; required to reject (3–2000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
}

/// Events in `status` (pending by default), oldest submission first: moderators only.
pub async fn pending(
    ctx: &Context,
    actor: &Actor,
    status: Option<EventStatus>,
) -> Result<Vec<EventView>> {
    actor.require_moderator()?;
    let now = ctx.now();
    let mut out = Vec::new();
    for e in store::in_status(&ctx.db, status.unwrap_or(EventStatus::Pending), 200).await? {
        let st = event_standing(&ctx.db, actor, e.id).await?;
        out.push(view(&e, st, now));
    }
    Ok(out)
}

/// A moderator publishes a pending event, or rejects it with a reason.
pub async fn decide_event(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: EventDecisionInput,
) -> Result<EventView> {
    let me = actor.require_moderator()?.id;
    let mut reason = input.reason.filter(|r| !r.trim().is_empty());
    let mut v = Validator::new();
    match (&mut reason, input.decision) {
        (Some(r), _) => v.text("/reason", r, 3, 2000),
        (None, EventDecision::Reject) => {
            v.push("/reason", "required", "say why, for the organisers")
        }
        (None, EventDecision::Publish) => {}
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut event = store::get_event(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("event"))?;
    if event.status != EventStatus::Pending {
        return Err(ServiceError::Conflict(
            "only an event waiting for moderation is decided".into(),
        ));
    }
    let publish = input.decision == EventDecision::Publish;
    if publish {
        event.status = EventStatus::Published;
        event.published_at = Some(now);
        event.reject_reason = None;
    } else {
        event.status = EventStatus::Rejected;
        event.reject_reason = reason.clone();
    }
    event.updated_at = now;
    if !store::save_event_if(&txn, &event, EventStatus::Pending).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        agora_store::audit::AuditEntry {
            reason: reason.clone(),
            ..audit_entry(
                now,
                Some(me),
                if publish {
                    "event_published"
                } else {
                    "event_rejected"
                },
                id,
                json!({}),
            )
        },
    )
    .await?;
    let message = if publish {
        messages::published(&event.title, &event_url(ctx, id))
    } else {
        messages::rejected(
            &event.title,
            reason.as_deref().unwrap_or_default(),
            &mail::site_url(ctx, &format!("/espace/evenements/{id}/modifier")),
        )
    };
    mail::enqueue_all(
        &txn,
        ctx,
        &addressees(&txn, vec![event.created_by]).await?,
        &message,
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    let st = event_standing(&ctx.db, actor, id).await?;
    Ok(view(&event, st, now))
}

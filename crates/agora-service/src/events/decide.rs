//! The committee reads every application with all its details, and accepts or declines
//! each, with a reason (required to decline) that is mailed to the applicant.

use super::{
    EventApplicationView, Party, addressees, application_view, audit_entry, load_application,
    load_for_committee,
};
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ListingKind;
use agora_domain::events::ParticipationState;
use agora_domain::validation::Validator;
use agora_mail::messages::events as messages;
use agora_store::audit;
use agora_store::events as store;
use agora_store::listings;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventApplicationDecision {
    Accepted,
    Declined,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventApplicationDecisionInput {
    pub decision: EventApplicationDecision,
    /// Sent to the applicant; required to decline (3–2000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
}

/// The event's applications (in `state`, if given), oldest first: the committee only.
pub async fn applications(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    state: Option<ParticipationState>,
) -> Result<Vec<EventApplicationView>> {
    let (event, _, _) = load_for_committee(&ctx.db, actor, event_id).await?;
    let mut out = Vec::new();
    for app in store::applications_of_event(&ctx.db, event_id, state).await? {
        out.push(application_view(&ctx.db, &event, &app, true).await?);
    }
    Ok(out)
}

/// A committee member accepts or declines a pending application.
pub async fn decide(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    application_id: Uuid,
    input: EventApplicationDecisionInput,
) -> Result<EventApplicationView> {
    let mut reason = input.reason.filter(|r| !r.trim().is_empty());
    let mut v = Validator::new();
    match (&mut reason, input.decision) {
        (Some(r), _) => v.text("/reason", r, 3, 2000),
        (None, EventApplicationDecision::Declined) => {
            v.push("/reason", "required", "say why, for the applicant")
        }
        (None, EventApplicationDecision::Accepted) => {}
    }
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (event, mut app, party) = load_application(&txn, actor, event_id, application_id).await?;
    if party != Party::Committee {
        return Err(ServiceError::Forbidden(
            "this is for the event's organising committee",
        ));
    }
    v.finish()?;
    if app.state != ParticipationState::Pending {
        return Err(ServiceError::Conflict(format!(
            "this application is {} already",
            app.state.as_str()
        )));
    }
    let me = actor.require_user()?.id;
    let accepted = input.decision == EventApplicationDecision::Accepted;
    app.state = if accepted {
        ParticipationState::Accepted
    } else {
        ParticipationState::Declined
    };
    app.decision_reason = reason.clone();
    app.decided_by = Some(me);
    app.decided_at = Some(now);
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, ParticipationState::Pending).await? {
        return Err(ServiceError::Conflict(
            "the application changed meanwhile".into(),
        ));
    }
    audit::append(
        &txn,
        agora_store::audit::AuditEntry {
            reason: reason.clone(),
            ..audit_entry(
                now,
                Some(me),
                if accepted {
                    "event_application_accepted"
                } else {
                    "event_application_declined"
                },
                event_id,
                json!({"application": app.id, "structure": app.structure_id}),
            )
        },
    )
    .await?;
    let name = listings::get(&txn, ListingKind::Structure, app.structure_id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    mail::enqueue_all(
        &txn,
        ctx,
        &addressees(&txn, vec![app.applicant_id]).await?,
        &messages::application_decided(
            &event.title,
            &name,
            accepted,
            reason.as_deref(),
            event.starts_at,
            &mail::site_url(ctx, "/espace/candidatures"),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    application_view(&ctx.db, &event, &app, true).await
}

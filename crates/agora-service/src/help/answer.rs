//! The answer of the project's members (accept, and contacts cross; or refuse), and the
//! close of a connected offer with its outcome.

use super::{
    OfferView, contributor_addressee, contributor_contact, contributor_view, offer_audit,
    owner_contact, owner_view, project_ref,
};
use crate::access::standing;
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::help::{OfferAction, Outcome};
use agora_domain::validation::Validator;
use agora_mail::messages::help as messages;
use agora_store::audit;
use agora_store::help as store;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub outcome: Outcome,
    /// What came of it (up to 2000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// The project's members accept (contacts cross: connected) or refuse a forwarded offer.
pub async fn answer(ctx: &Context, actor: &Actor, id: Uuid, accept: bool) -> Result<OfferView> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let st = standing(&txn, actor, o.structure_id).await?;
    if !st.is_member() || !o.state.reached_owners() {
        return Err(ServiceError::NotFound("help offer"));
    }
    let before = o.state;
    o.state = before
        .apply(if accept {
            OfferAction::Accept
        } else {
            OfferAction::Refuse
        })
        .map_err(ServiceError::Conflict)?;
    o.answered_at = Some(now);
    o.answered_by = Some(me.id);
    o.updated_at = now;
    if accept {
        o.connected_at = Some(now);
    }
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(
        &txn,
        offer_audit(
            now,
            Some(me.id),
            if accept {
                "help_connected"
            } else {
                "help_refused"
            },
            &o,
        ),
    )
    .await?;
    let project = project_ref(&txn, o.project_id).await?;
    let contributor = contributor_addressee(&txn, &o).await?;
    if accept {
        if let (Some(c), Some(owner)) = (&contributor, owner_contact(&txn, &o).await?) {
            let structure = owner.structure.clone().unwrap_or_default();
            mail::enqueue(
                &txn,
                ctx,
                c,
                &messages::connected_to_contributor(
                    &project.title,
                    &structure,
                    &owner.name,
                    &owner.email,
                ),
            )
            .await?;
        }
        let who = contributor_contact(&txn, &o).await?;
        let to = mail::member_addressees(&txn, o.structure_id).await?;
        mail::enqueue_all(
            &txn,
            ctx,
            &to,
            &messages::connected_to_owners(
                &project.title,
                &who.name,
                &who.email,
                who.phone.as_deref(),
            ),
        )
        .await?;
    } else if let Some(c) = &contributor {
        mail::enqueue(&txn, ctx, c, &messages::refused(&project.title)).await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    owner_view(&ctx.db, &o).await
}

/// Either side (or a moderator) closes a connected offer with its outcome.
pub async fn close(ctx: &Context, actor: &Actor, id: Uuid, input: CloseInput) -> Result<OfferView> {
    let me = actor.require_user()?;
    let mut note = input.note.filter(|n| !n.trim().is_empty());
    let mut v = Validator::new();
    if let Some(n) = &mut note {
        v.text("/note", n, 1, 2000);
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let member = standing(&txn, actor, o.structure_id).await?.is_member();
    let contributor = o.contributor_id == me.id;
    if !(member && o.state.reached_owners() || contributor || actor.is_moderator()) {
        return Err(ServiceError::NotFound("help offer"));
    }
    let before = o.state;
    o.state = before
        .apply(OfferAction::Close)
        .map_err(ServiceError::Conflict)?;
    o.closed_at = Some(now);
    o.outcome = Some(input.outcome);
    o.outcome_note = note;
    o.updated_at = now;
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(&txn, offer_audit(now, Some(me.id), "help_closed", &o)).await?;
    let project = project_ref(&txn, o.project_id).await?;
    let outcome = match input.outcome {
        Outcome::Successful => "l'aide a été apportée",
        Outcome::NoFollowUp => "sans suite",
        Outcome::Cancelled => "annulée",
    };
    let mut to = mail::member_addressees(&txn, o.structure_id).await?;
    to.extend(contributor_addressee(&txn, &o).await?);
    mail::enqueue_all(&txn, ctx, &to, &messages::closed(&project.title, outcome)).await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    if contributor {
        contributor_view(&ctx.db, &o).await
    } else {
        owner_view(&ctx.db, &o).await
    }
}

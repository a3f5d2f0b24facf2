//! Screening by moderators: the queue of offers waiting for them, and passing an offer on
//! to the project's owners or declining it with a reason.

use super::{OfferView, contributor_addressee, moderator_view, offer_audit, project_ref};
use crate::mail;
use crate::pagination::{Page, decode_opt, next_cursor};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::VocabularyKind;
use agora_domain::help::{OfferAction, OfferState, Wants};
use agora_domain::validation::Validator;
use agora_mail::messages::help as messages;
use agora_store::audit;
use agora_store::help as store;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
struct OfferCursor {
    id: Uuid,
}

/// The screening queue: offers waiting for a moderator, oldest first (or another state).
pub async fn queue(
    ctx: &Context,
    actor: &Actor,
    state: Option<OfferState>,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<OfferView>> {
    let me = actor.require_moderator()?;
    let after = decode_opt::<OfferCursor>(cursor)?.map(|c| c.id);
    let states = [state.unwrap_or(OfferState::Submitted)];
    let mut rows = store::in_states(&ctx.db, &states, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| OfferCursor { id: r.id });
    let mut items = Vec::new();
    for o in &rows {
        items.push(moderator_view(ctx, &ctx.db, o, me.id).await?);
    }
    Ok(Page { items, next_cursor })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScreenInput {
    /// For the contributor, when declining (required then).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub reason: Option<String>,
    /// For moderators only.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// A moderator passes an offer on to the project's owners, or declines it with a reason.
pub async fn screen(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    forward: bool,
    input: ScreenInput,
) -> Result<OfferView> {
    let me = actor.require_moderator()?;
    let mut reason = input.reason.filter(|r| !r.trim().is_empty());
    let mut note = input.note.filter(|r| !r.trim().is_empty());
    let mut v = Validator::new();
    match &mut reason {
        Some(r) => v.text("/reason", r, 3, 2000),
        None if !forward => v.push("/reason", "required", "say why, for the contributor"),
        None => {}
    }
    if let Some(n) = &mut note {
        v.text("/note", n, 1, 2000);
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut o = store::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("help offer"))?;
    let before = o.state;
    o.state = before
        .apply(if forward {
            OfferAction::Forward
        } else {
            OfferAction::Decline
        })
        .map_err(ServiceError::Conflict)?;
    o.screened_at = Some(now);
    o.screened_by = Some(me.id);
    o.updated_at = now;
    if !forward {
        o.decline_reason = reason.clone();
    }
    if let Some(n) = note {
        o.moderator_notes = Some(match &o.moderator_notes {
            Some(old) => format!("{old}\n{n}"),
            None => n,
        });
    }
    if !store::save_if(&txn, &o, before).await? {
        return Err(ServiceError::Conflict("the offer changed meanwhile".into()));
    }
    audit::append(
        &txn,
        offer_audit(
            now,
            Some(me.id),
            if forward {
                "help_forwarded"
            } else {
                "help_declined"
            },
            &o,
        ),
    )
    .await?;
    let project = project_ref(&txn, o.project_id).await?;
    let contributor = contributor_addressee(&txn, &o).await?;
    if forward {
        let skills: Vec<String> = o
            .skills
            .iter()
            .map(|s| {
                ctx.vocab
                    .label(VocabularyKind::Skill, s)
                    .unwrap_or(s)
                    .to_owned()
            })
            .collect();
        let wants = match o.wants {
            Wants::Details => "en savoir plus sur le projet",
            Wants::Introduction => "être mis·e en relation avec l'équipe",
        };
        let url = mail::site_url(ctx, &format!("/espace/projets/{}", o.project_id));
        let to = mail::member_addressees(&txn, o.structure_id).await?;
        mail::enqueue_all(
            &txn,
            ctx,
            &to,
            &messages::forwarded_to_owners(
                &project.title,
                &o.message,
                &skills.join(", "),
                wants,
                &url,
            ),
        )
        .await?;
        if let Some(c) = &contributor {
            mail::enqueue(
                &txn,
                ctx,
                c,
                &messages::forwarded_to_contributor(&project.title),
            )
            .await?;
        }
    } else if let Some(c) = &contributor {
        mail::enqueue(
            &txn,
            ctx,
            c,
            &messages::declined(&project.title, reason.as_deref().unwrap_or_default()),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    moderator_view(ctx, &ctx.db, &o, me.id).await
}

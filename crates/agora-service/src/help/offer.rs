//! Offering help to a project, and the offers each side sees: the contributor's own, and
//! a project's (those moderators passed on) for its structure's members.

use super::{OfferView, contributor_view, offer_audit, owner_view, skills_known};
use crate::access::standing;
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::{parse_email, parse_phone_fr};
use agora_domain::help::{OfferState, Wants};
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, ListingStatus};
use agora_mail::messages::help as messages;
use agora_store::audit;
use agora_store::help::{self as store, OfferRecord};
use agora_store::listings;
use chrono::Duration;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferContact {
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfferInput {
    /// What they offer, in their words (10–2000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 2000))]
    pub message: String,
    /// Skills offered, from the `skill` vocabulary.
    #[serde(default)]
    pub skills: Vec<String>,
    pub wants: Wants,
    /// Given to the project's owners only if they accept.
    pub contact: OfferContact,
    /// Anything about their health they want moderators to know (needs `health_consent`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub health_info: Option<String>,
    #[serde(default)]
    pub health_consent: bool,
}

/// Offers help to a published project that is looking for contributors.
pub async fn offer(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
    input: OfferInput,
) -> Result<OfferView> {
    let me = actor.require_user()?;
    let settings = &ctx.settings.help;
    let mut input = input;
    let mut v = Validator::new();
    v.text("/message", &mut input.message, 10, 2000);
    skills_known(ctx, &input.skills, "/skills", &mut v);
    let email = parse_email(&input.contact.email);
    v.check(
        email.is_some(),
        "/contact/email",
        "format",
        "an e-mail address",
    );
    let phone = match &input.contact.phone {
        Some(p) => {
            let parsed = parse_phone_fr(p);
            v.check(
                parsed.is_some(),
                "/contact/phone",
                "format",
                "a French phone number",
            );
            parsed
        }
        None => None,
    };
    if let Some(h) = &mut input.health_info {
        v.text("/health_info", h, 1, 2000);
        v.check(
            input.health_consent,
            "/health_consent",
            "required",
            "consent is needed to keep what you write about your health",
        );
    }
    v.finish()?;
    let now = ctx.now();
    let project = listings::get(&ctx.db, ListingKind::Project, project_id)
        .await?
        .filter(|p| p.is_listed())
        .ok_or(ServiceError::NotFound("project"))?;
    if standing(&ctx.db, actor, project.structure_id)
        .await?
        .is_member()
    {
        return Err(ServiceError::Conflict(
            "this is your own structure's project".into(),
        ));
    }
    if project.status != ListingStatus::Published {
        return Err(ServiceError::Conflict(
            "this project is not looking for contributors now".into(),
        ));
    }
    let open_here = |offers: Vec<OfferRecord>| {
        offers
            .iter()
            .any(|o| o.project_id == project_id && o.state.is_open())
    };
    if open_here(store::of_contributor(&ctx.db, me.id).await?) {
        return Err(ServiceError::Conflict(
            "you already have an offer open for this project".into(),
        ));
    }
    let day = now - Duration::hours(24);
    if store::count_by_contributor_since(&ctx.db, me.id, day).await?
        >= settings.offers_per_contributor_per_day
        || store::count_for_project_since(&ctx.db, project_id, day).await?
            >= settings.offers_per_project_per_day
    {
        return Err(ServiceError::TooManyRequests {
            retry_after_secs: 3600,
        });
    }
    let txn = ctx.begin().await?;
    if open_here(store::of_contributor(&txn, me.id).await?) {
        return Err(ServiceError::Conflict(
            "you already have an offer open for this project".into(),
        ));
    }
    let region = store::profile(&txn, me.id).await?.and_then(|p| p.region);
    let record = OfferRecord {
        id: Uuid::now_v7(),
        project_id,
        structure_id: project.structure_id,
        contributor_id: me.id,
        region,
        message: input.message,
        skills: input.skills,
        wants: input.wants,
        contact_email: email.unwrap_or_default(),
        contact_phone: phone,
        health_consent_at: input.health_info.as_ref().map(|_| now),
        health_info: input.health_info,
        state: OfferState::Submitted,
        created_at: now,
        updated_at: now,
        screened_at: None,
        screened_by: None,
        decline_reason: None,
        answered_at: None,
        answered_by: None,
        connected_at: None,
        closed_at: None,
        outcome: None,
        outcome_note: None,
        moderator_notes: None,
        reminders_sent: 0,
        health_purged_at: None,
    };
    store::insert(&txn, &record).await?;
    audit::append(&txn, offer_audit(now, Some(me.id), "help_offered", &record)).await?;
    mail::enqueue_to_moderators(
        &txn,
        ctx,
        &messages::submitted_to_moderators(
            &project.name,
            &mail::site_url(ctx, "/moderation/offres"),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    contributor_view(&ctx.db, &record).await
}

/// The caller's own offers, newest first.
pub async fn mine(ctx: &Context, actor: &Actor) -> Result<Vec<OfferView>> {
    let me = actor.require_user()?;
    let mut out = Vec::new();
    for o in store::of_contributor(&ctx.db, me.id).await? {
        out.push(contributor_view(&ctx.db, &o).await?);
    }
    Ok(out)
}

/// A project's offers, for its structure's members: only those moderators passed on,
/// the contributor named only once connected.
pub async fn of_project(ctx: &Context, actor: &Actor, project_id: Uuid) -> Result<Vec<OfferView>> {
    actor.require_user()?;
    let project = listings::get(&ctx.db, ListingKind::Project, project_id)
        .await?
        .ok_or(ServiceError::NotFound("project"))?;
    let st = standing(&ctx.db, actor, project.structure_id).await?;
    if !st.is_member() {
        return Err(if crate::render::can_read(&project, st.access) {
            ServiceError::Forbidden("only the project's structure sees its offers")
        } else {
            ServiceError::NotFound("project")
        });
    }
    let mut out = Vec::new();
    for o in store::of_project(&ctx.db, project_id).await? {
        if o.state.reached_owners() {
            out.push(owner_view(&ctx.db, &o).await?);
        }
    }
    Ok(out)
}

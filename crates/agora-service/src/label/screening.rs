//! Screening by moderators: the applications waiting in one state, sending one back for
//! missing pieces, and assigning a balanced panel of reviewers to a complete one.

use super::{
    ApplicationView, Role, audit_entry, load, require_moderator, structure_ref, tell_members,
    view_for,
};
use crate::mail::{self, Addressee};
use crate::pagination::{Page, decode_opt, next_cursor};
use crate::registry::entry;
use crate::{Actor, Context, Result, ServiceError, UserActor};
use agora_domain::label::{ApplicationState, Seat};
use agora_domain::validation::Validator;
use agora_domain::{PlatformRole, SubjectType};
use agora_mail::messages::label as messages;
use agora_store::audit::{self, AuditEntry};
use agora_store::label::{self as store, ReviewRecord, ReviewState};
use agora_store::{accounts, memberships};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Serialize, Deserialize)]
struct AppCursor {
    id: Uuid,
}

/// Applications in one state, oldest first (moderators).
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    state: ApplicationState,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<ApplicationView>> {
    let user: &UserActor = actor.require_moderator()?;
    let after = decode_opt::<AppCursor>(cursor)?.map(|c| c.id);
    let mut rows = store::applications_in(&ctx.db, state, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| AppCursor { id: r.id });
    let mut items = Vec::with_capacity(rows.len());
    for r in &rows {
        items.push(view_for(ctx, r, Role::Moderator, user.id).await?);
    }
    Ok(Page { items, next_cursor })
}

/// A member of the committee, as moderators choose a panel.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitteeMember {
    pub id: Uuid,
    pub display_name: String,
    pub seat: Seat,
}

/// The committee's members with their seats, by name (moderators).
pub async fn committee(ctx: &Context, actor: &Actor) -> Result<Vec<CommitteeMember>> {
    actor.require_moderator()?;
    let seats = store::all_seats(&ctx.db).await?;
    let users = accounts::users_by_ids(&ctx.db, seats.iter().map(|(id, _)| *id).collect()).await?;
    let mut out: Vec<CommitteeMember> = seats
        .into_iter()
        .filter_map(|(id, seat)| {
            let u = users
                .iter()
                .find(|u| u.id == id && u.disabled_at.is_none())?;
            Some(CommitteeMember {
                id,
                display_name: u.display_name.clone(),
                seat,
            })
        })
        .collect();
    out.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(out)
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PiecesInput {
    /// What is missing, for the applicant (3–2000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 2000))]
    pub missing: String,
}

/// Sends a submitted application back for missing pieces.
pub async fn request_pieces(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: PiecesInput,
) -> Result<ApplicationView> {
    let mut missing = input.missing;
    let mut v = Validator::new();
    v.text("/missing", &mut missing, 3, 2000);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_moderator(role)?;
    if app.state != ApplicationState::Submitted {
        return Err(ServiceError::Conflict(
            "only a submitted application is checked for completeness".into(),
        ));
    }
    app.state = ApplicationState::Incomplete;
    app.missing = Some(missing.clone());
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, ApplicationState::Submitted).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        AuditEntry {
            reason: Some(missing.clone()),
            ..audit_entry(now, Some(me), "label_pieces_requested", &app)
        },
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    tell_members(
        ctx,
        &txn,
        app.structure_id,
        &messages::pieces_requested(
            &name,
            &missing,
            &mail::site_url(
                ctx,
                &format!("/espace/structures/{}#label", app.structure_id),
            ),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignInput {
    /// Committee members to add to the panel (1–10).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub reviewer_ids: Vec<Uuid>,
}

/// Adds reviewers to the panel of a complete application. Each must sit on the committee
/// and not belong to the applying structure; the panel must stay balanced.
pub async fn assign(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: AssignInput,
) -> Result<ApplicationView> {
    let mut v = Validator::new();
    v.check(
        (1..=10).contains(&input.reviewer_ids.len()),
        "/reviewer_ids",
        "count",
        "between 1 and 10 reviewers",
    );
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_moderator(role)?;
    if !matches!(
        app.state,
        ApplicationState::Submitted | ApplicationState::InReview
    ) {
        return Err(ServiceError::Conflict(
            "reviewers are assigned to a complete application".into(),
        ));
    }
    let reviews = store::reviews_of(&txn, id).await?;
    let users = accounts::users_by_ids(&txn, input.reviewer_ids.clone()).await?;
    let seats: BTreeMap<Uuid, Seat> = store::seats_of(&txn, input.reviewer_ids.clone())
        .await?
        .into_iter()
        .collect();
    let mut v = Validator::new();
    for (i, rid) in input.reviewer_ids.iter().enumerate() {
        let pointer = format!("/reviewer_ids/{i}");
        let user = users
            .iter()
            .find(|u| u.id == *rid && u.disabled_at.is_none());
        let on_committee = user.is_some_and(|u| u.role == Some(PlatformRole::Committee))
            && seats.contains_key(rid);
        v.check(
            on_committee,
            &pointer,
            "not_committee",
            "not a seated member of the label committee",
        );
        let member = memberships::role_of(&txn, app.structure_id, *rid)
            .await?
            .is_some();
        v.check(
            !member,
            &pointer,
            "conflict",
            "a member of the applying structure cannot review it",
        );
        v.check(
            !reviews.iter().any(|r| r.reviewer_id == *rid),
            &pointer,
            "already_assigned",
            "already on this panel (or withdrawn from it)",
        );
    }
    v.finish()?;
    // The panel as it will be: those still on it, and the newcomers.
    let current: Vec<Uuid> = reviews
        .iter()
        .filter(|r| r.state != ReviewState::Withdrawn)
        .map(|r| r.reviewer_id)
        .collect();
    let mut panel: Vec<Seat> = store::seats_of(&txn, current)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    panel.extend(
        input
            .reviewer_ids
            .iter()
            .filter_map(|r| seats.get(r).copied()),
    );
    if !ctx.settings.label.panel_is_balanced(&panel) {
        return Err(ServiceError::Validation(
            agora_domain::ValidationErrors::single(
                "/reviewer_ids",
                "unbalanced",
                "the panel needs at least one patient or caregiver and one professional",
            ),
        ));
    }
    for rid in &input.reviewer_ids {
        store::insert_review(
            &txn,
            &ReviewRecord {
                application_id: id,
                reviewer_id: *rid,
                state: ReviewState::Assigned,
                assigned_at: now,
                assigned_by: Some(me),
                conflict_reason: None,
                scores: None,
                comment: None,
                recommendation: None,
                submitted_at: None,
            },
        )
        .await?;
    }
    let expected = app.state;
    app.state = ApplicationState::InReview;
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        AuditEntry {
            details: Some(
                serde_json::json!({ "label_application": id, "reviewers": input.reviewer_ids }),
            ),
            ..entry(
                now,
                Some(me),
                "label_reviewers_assigned",
                SubjectType::Structure,
                app.structure_id,
            )
        },
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    let message = messages::assigned(
        &name,
        &crate::mail::site_url(ctx, &format!("/comite/dossiers/{id}")),
    );
    for u in users {
        mail::enqueue(
            &txn,
            ctx,
            &Addressee {
                email: u.email,
                name: u.display_name,
            },
            &message,
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

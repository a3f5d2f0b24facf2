//! Applying: a structure's owners start an application, edit it while it is a draft or
//! incomplete, and submit it to the moderators once complete.

use super::{
    ApplicationView, Role, audit_entry, content_of, load, require_owner, structure_ref, view_for,
};
use crate::access::standing;
use crate::mail;
use crate::render::read_content;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::label::{ApplicationContent, ApplicationState};
use agora_domain::validation::Validator;
use agora_domain::{ListingContent, ListingKind};
use agora_mail::messages::label as messages;
use agora_store::audit;
use agora_store::label::{self as store, ApplicationRecord};
use agora_store::{ConnectionTrait, listings, revisions};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Starts an application for a published structure (its owners only). A structure has
/// one application on its way at a time; one made while a label holds is its re-evaluation.
pub async fn create(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    content: ApplicationContent,
) -> Result<ApplicationView> {
    let user = actor.require_user()?;
    let mut content = content;
    let mut v = Validator::new();
    content.validate(false, &mut v);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let structure = listings::get(&txn, ListingKind::Structure, structure_id)
        .await?
        .ok_or(ServiceError::NotFound("structure"))?;
    let st = standing(&txn, actor, structure_id).await?;
    if !st.is_owner() {
        return Err(if st.is_member() || structure.is_listed() {
            ServiceError::Forbidden("only the structure's owners apply for the label")
        } else {
            ServiceError::NotFound("structure")
        });
    }
    if !structure.status.is_public() {
        return Err(ServiceError::Conflict(
            "the structure must be published before it applies for the label".into(),
        ));
    }
    let existing = store::applications_of(&txn, structure_id).await?;
    if existing.iter().any(|a| a.state.is_live()) {
        return Err(ServiceError::Conflict(
            "this structure already has an application on its way".into(),
        ));
    }
    let previous = existing
        .iter()
        .find(|a| a.state == ApplicationState::Granted)
        .map(|a| a.id);
    let app = ApplicationRecord {
        id: Uuid::now_v7(),
        structure_id,
        state: ApplicationState::Draft,
        content: serde_json::to_value(&content)
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
        previous_id: previous,
        created_by: Some(user.id),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        missing: None,
        decided_at: None,
        decided_by: None,
        reasons: None,
        expires_at: None,
        reminders_sent: 0,
    };
    store::insert_application(&txn, &app).await?;
    audit::append(
        &txn,
        audit_entry(now, Some(user.id), "label_application_created", &app),
    )
    .await?;
    txn.commit().await?;
    view_for(ctx, &app, Role::Owner, user.id).await
}

/// A structure's applications, newest first, for its members (and moderators); anyone
/// else is told the structure is not found, as elsewhere.
pub async fn of_structure(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
) -> Result<Vec<ApplicationView>> {
    let st = standing(&ctx.db, actor, structure_id).await?;
    if !st.is_member() && !actor.is_moderator() {
        return Err(ServiceError::NotFound("structure"));
    }
    let mut out = Vec::new();
    for app in store::applications_of(&ctx.db, structure_id).await? {
        out.push(get(ctx, actor, app.id).await?);
    }
    Ok(out)
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ApplicationView> {
    let (app, role, me) = load(&ctx.db, actor, id).await?;
    view_for(ctx, &app, role, me).await
}

/// Changes the fields named in `patch` while the application is a draft or incomplete.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    patch: Map<String, Value>,
) -> Result<ApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_owner(role)?;
    if !app.state.is_editable() {
        return Err(ServiceError::Conflict(
            "the application is with the moderators or the committee".into(),
        ));
    }
    let mut doc = app.content.as_object().cloned().unwrap_or_default();
    for (k, v) in patch {
        if v.is_null() {
            doc.remove(&k);
        } else {
            doc.insert(k, v);
        }
    }
    let mut content: ApplicationContent =
        serde_json::from_value(Value::Object(doc)).map_err(|e| {
            ServiceError::Validation(agora_domain::ValidationErrors::single(
                "",
                "invalid",
                e.to_string(),
            ))
        })?;
    let mut v = Validator::new();
    content.validate(false, &mut v);
    v.finish()?;
    let expected = app.state;
    app.content =
        serde_json::to_value(&content).map_err(|e| ServiceError::Internal(e.to_string()))?;
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "label_application_edited", &app),
    )
    .await?;
    txn.commit().await?;
    view_for(ctx, &app, role, me).await
}

/// The structure's registration numbers, from its published version.
async fn registered_numbers(db: &impl ConnectionTrait, structure_id: Uuid) -> Result<Vec<String>> {
    let Some(s) = listings::get(db, ListingKind::Structure, structure_id).await? else {
        return Ok(Vec::new());
    };
    let Some(rev) = s.published_revision_id else {
        return Ok(Vec::new());
    };
    let Some(revision) = revisions::get(db, rev).await? else {
        return Ok(Vec::new());
    };
    Ok(match read_content(&revision, ListingKind::Structure)? {
        ListingContent::Structure(c) => {
            let siren_of_siret = c.siret.as_ref().map(|s| s.chars().take(9).collect());
            [c.rna, c.siren, siren_of_siret]
                .into_iter()
                .flatten()
                .collect()
        }
        _ => Vec::new(),
    })
}

/// Sends a complete application to the moderators.
pub async fn submit(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ApplicationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut app, role, me) = load(&txn, actor, id).await?;
    require_owner(role)?;
    if !app.state.is_editable() {
        return Err(ServiceError::Conflict("already submitted".into()));
    }
    let mut content = content_of(&app)?;
    let mut v = Validator::new();
    content.validate(true, &mut v);
    if let Some(n) = &content.registration_number {
        let known = registered_numbers(&txn, app.structure_id).await?;
        v.check(
            known.iter().any(|k| k.eq_ignore_ascii_case(n)),
            "/registration_number",
            "mismatch",
            "must be the structure's own RNA or SIREN, as published",
        );
    }
    v.finish()?;
    let expected = app.state;
    app.state = ApplicationState::Submitted;
    app.submitted_at = Some(now);
    app.updated_at = now;
    if !store::save_application_if(&txn, &app, expected).await? {
        return Err(ServiceError::StaleVersion);
    }
    audit::append(
        &txn,
        audit_entry(now, Some(me), "label_application_submitted", &app),
    )
    .await?;
    let name = structure_ref(&txn, app.structure_id).await?.name;
    mail::enqueue_to_moderators(
        &txn,
        ctx,
        &messages::submitted_to_moderators(&name, &mail::site_url(ctx, "/moderation/label")),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    view_for(ctx, &app, role, me).await
}

//! The registry: members create, edit and submit structures, services and projects;
//! anyone reads what is published.

use crate::access::{Standing, standing};
use crate::pagination::{IdCursor, Page, decode_opt, next_cursor};
use crate::render::{can_read, listing_view, listing_views};
use crate::views::{AnyListingView, ProjectUpdateView, UpdateStatus};
use crate::{Actor, Context, Result, ServiceError, UserActor};
use agora_domain::diff::diff;
use agora_domain::lifecycle::EditEffect;
use agora_domain::merge::merge_top_level;
use agora_domain::names::name_key;
use agora_domain::validation::Validator;
use agora_domain::{
    Access, ListingContent, ListingKind, ListingStatus, MemberRole, RevisionState, SubjectType,
};
use agora_store::audit::{self, AuditEntry};
use agora_store::changes::{self, Change};
use agora_store::listings::{self, ListingRecord};
use agora_store::project_updates::{self, ProjectUpdateRecord};
use agora_store::revisions::{self, RevisionRecord};
use agora_store::{ConnectionTrait, StoreError, memberships};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

pub(crate) fn parse_content(
    ctx: &Context,
    kind: ListingKind,
    value: Value,
) -> Result<ListingContent> {
    // A document of the wrong shape is malformed (400); a well-formed one with invalid
    // values is a validation failure (422).
    let mut content = ListingContent::from_json(kind, value).map_err(ServiceError::Malformed)?;
    content.validate(&ctx.vocab)?;
    Ok(content)
}

/// Copies a content document and the keys derived from it into a revision.
pub(crate) fn set_content(revision: &mut RevisionRecord, content: &ListingContent) {
    let keys = content.duplicate_keys();
    revision.content = content.to_json();
    revision.name_key = name_key(&keys.name);
    revision.name = keys.name;
    revision.commune_code = keys.commune_code;
    revision.rna = keys.rna;
    revision.siren = keys.siren;
    revision.siret = keys.siret;
}

pub(crate) fn new_revision(
    subject_type: SubjectType,
    subject_id: Uuid,
    structure_id: Uuid,
    number: i32,
    author: Uuid,
    now: DateTime<Utc>,
) -> RevisionRecord {
    RevisionRecord {
        id: Uuid::now_v7(),
        subject_type,
        subject_id,
        structure_id,
        number,
        state: RevisionState::Draft,
        content: Value::Null,
        name: String::new(),
        name_key: String::new(),
        commune_code: None,
        rna: None,
        siren: None,
        siret: None,
        author_id: Some(author),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        decided_at: None,
        decided_by: None,
        reason: None,
    }
}

pub(crate) fn entry(
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    subject_type: SubjectType,
    subject_id: Uuid,
) -> AuditEntry {
    AuditEntry {
        at: now,
        actor_id: actor,
        action: action.to_owned(),
        subject_type,
        subject_id,
        revision_id: None,
        reason: None,
        details: None,
    }
}

fn not_found(kind: ListingKind) -> ServiceError {
    ServiceError::NotFound(kind.as_str())
}

async fn load(db: &impl ConnectionTrait, kind: ListingKind, id: Uuid) -> Result<ListingRecord> {
    listings::get(db, kind, id)
        .await?
        .ok_or_else(|| not_found(kind))
}

/// Loads a listing the caller wants to change: they must belong to its structure. Others
/// get 403 if the listing is public, 404 if they may not know it exists.
pub(crate) async fn load_for_edit<'a>(
    db: &impl ConnectionTrait,
    actor: &'a Actor,
    kind: ListingKind,
    id: Uuid,
) -> Result<(ListingRecord, Standing, &'a UserActor)> {
    let user = actor.require_user()?;
    let record = load(db, kind, id).await?;
    let st = standing(db, actor, record.structure_id).await?;
    if !st.is_member() {
        return Err(if can_read(&record, st.access) {
            ServiceError::Forbidden("only the structure's members can change it")
        } else {
            not_found(kind)
        });
    }
    Ok((record, st, user))
}

async fn working_revision(
    db: &impl ConnectionTrait,
    record: &ListingRecord,
) -> Result<RevisionRecord> {
    let id = record.working_revision_id.ok_or_else(|| {
        ServiceError::Internal(format!(
            "{} {} has no revision",
            record.kind.as_str(),
            record.id
        ))
    })?;
    revisions::get(db, id)
        .await?
        .ok_or_else(|| ServiceError::Internal(format!("revision {id} missing")))
}

/// Saves a listing row written from `expected_lock`; losing the race means the caller's
/// copy is stale.
async fn save(db: &impl ConnectionTrait, record: &ListingRecord, expected_lock: i32) -> Result<()> {
    listings::update(db, record, expected_lock)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::StaleVersion,
            other => other.into(),
        })
}

/// Creates a draft: a structure (the caller becomes its owner), or a service or project of
/// a structure the caller belongs to.
pub async fn create(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    parent: Option<Uuid>,
    body: Value,
) -> Result<AnyListingView> {
    let user = actor.require_user()?;
    let now = ctx.now();
    let id = Uuid::now_v7();
    let txn = ctx.begin().await?;
    let structure_id = match (kind, parent) {
        (ListingKind::Structure, _) => id,
        (_, Some(parent_id)) => {
            let parent = load(&txn, ListingKind::Structure, parent_id).await?;
            let st = standing(&txn, actor, parent_id).await?;
            if !st.is_member() {
                return Err(if can_read(&parent, st.access) {
                    ServiceError::Forbidden("only the structure's members can add to it")
                } else {
                    not_found(ListingKind::Structure)
                });
            }
            parent_id
        }
        (_, None) => {
            return Err(ServiceError::Internal(
                "a service or project needs its structure".into(),
            ));
        }
    };
    // Rights first: a stranger learns nothing from validation errors.
    let content = parse_content(ctx, kind, body)?;
    let mut revision = new_revision(kind.into(), id, structure_id, 1, user.id, now);
    set_content(&mut revision, &content);
    let record = ListingRecord {
        kind,
        id,
        structure_id,
        status: ListingStatus::Draft,
        name: content.name().to_owned(),
        working_revision_id: Some(revision.id),
        published_revision_id: None,
        lock_version: 1,
        created_by: Some(user.id),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        published_at: None,
        verified_at: None,
        freshness: agora_domain::Freshness::Fresh,
        reminder_step: 0,
        labelled_until: None,
        anonymous: false,
    };
    listings::insert(&txn, &record).await?;
    if kind == ListingKind::Structure {
        memberships::add(&txn, id, user.id, MemberRole::Owner, now).await?;
    }
    revisions::insert(&txn, &revision).await?;
    audit::append(
        &txn,
        AuditEntry {
            revision_id: Some(revision.id),
            ..entry(now, Some(user.id), "created", kind.into(), id)
        },
    )
    .await?;
    txn.commit().await?;
    let access = if actor.is_moderator() {
        Access::Moderator
    } else {
        Access::Member
    };
    listing_view(&ctx.db, record, access).await
}

/// Reads one listing as the caller may see it, with the lock version its ETag covers.
pub async fn get(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> Result<(AnyListingView, i32)> {
    let record = load(&ctx.db, kind, id).await?;
    let st = standing(&ctx.db, actor, record.structure_id).await?;
    if !can_read(&record, st.access) {
        return Err(not_found(kind));
    }
    let lock = record.lock_version;
    let mut view = listing_view(&ctx.db, record, st.access).await?;
    // Only the public view carries the figures: members' and moderators' views are the
    // version being edited, whose ETag a change must match.
    if st.access == Access::Public {
        crate::evaluations::attach(ctx, std::slice::from_mut(&mut view)).await?;
    }
    Ok((view, lock))
}

/// The version being edited, for a caller about to change it (their rights checked first),
/// with the lock version the change must be based on.
pub async fn get_for_edit(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> Result<(AnyListingView, i32)> {
    let (record, st, _) = load_for_edit(&ctx.db, actor, kind, id).await?;
    let lock = record.lock_version;
    Ok((listing_view(&ctx.db, record, st.access).await?, lock))
}

/// Applies a partial update to the version being edited. A published listing keeps its
/// published version until moderators approve the new one.
pub async fn update(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
    patch: Map<String, Value>,
    expected_lock: i32,
) -> Result<AnyListingView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut record, st, user) = load_for_edit(&txn, actor, kind, id).await?;
    if record.lock_version != expected_lock {
        return Err(ServiceError::StaleVersion);
    }
    let working = working_revision(&txn, &record).await?;
    let mut document = working.content.as_object().cloned().ok_or_else(|| {
        ServiceError::Internal(format!("revision {} is not an object", working.id))
    })?;
    merge_top_level(&mut document, patch);
    let content = parse_content(ctx, kind, Value::Object(document))?;
    let changed: Vec<String> = diff(&working.content, &content.to_json())
        .into_iter()
        .map(|c| c.pointer)
        .collect();
    if changed.is_empty() {
        txn.rollback().await?;
        return listing_view(&ctx.db, record, st.access).await;
    }
    let state = match working.state.edit() {
        EditEffect::InPlace(state) => {
            let mut revision = working.clone();
            set_content(&mut revision, &content);
            revision.state = state;
            revision.updated_at = now;
            if working.state == RevisionState::Pending {
                revision.submitted_at = None;
                let withdrawn = entry(now, Some(user.id), "withdrawn_from_review", kind.into(), id);
                audit::append(
                    &txn,
                    AuditEntry {
                        revision_id: Some(revision.id),
                        ..withdrawn
                    },
                )
                .await?;
            }
            if !revisions::save_if_state(&txn, &revision, working.state).await? {
                return Err(ServiceError::StaleVersion);
            }
            state
        }
        EditEffect::NewRevision => {
            let number = revisions::last_number(&txn, kind.into(), id).await? + 1;
            let mut revision =
                new_revision(kind.into(), id, record.structure_id, number, user.id, now);
            set_content(&mut revision, &content);
            revisions::insert(&txn, &revision).await?;
            record.working_revision_id = Some(revision.id);
            revision.state
        }
    };
    record.name = content.name().to_owned();
    record.updated_at = now;
    record.lock_version += 1;
    if record.published_revision_id.is_none() {
        record.status = ListingStatus::before_publication(state);
    }
    // A member who edits a published listing has looked at it: that confirms it (and
    // brings it back if it was hidden for want of confirmation).
    let confirmed = (record.published_revision_id.is_some() && record.status.is_public())
        .then(|| crate::refresh::mark_confirmed(&mut record, now));
    save(&txn, &record, expected_lock).await?;
    audit::append(
        &txn,
        AuditEntry {
            revision_id: record.working_revision_id,
            details: Some(serde_json::json!({ "changed": changed })),
            ..entry(now, Some(user.id), "edited", kind.into(), id)
        },
    )
    .await?;
    if let Some(before) = confirmed {
        crate::refresh::record_confirmation(&txn, now, &record, before, user.id, "edit").await?;
    }
    txn.commit().await?;
    if confirmed.is_some() {
        ctx.changed.notify_one();
    }
    listing_view(&ctx.db, record, st.access).await
}

/// Puts the version being edited into the moderation queue.
pub async fn submit(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> Result<AnyListingView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut record, st, user) = load_for_edit(&txn, actor, kind, id).await?;
    if kind != ListingKind::Structure {
        let parent = load(&txn, ListingKind::Structure, record.structure_id).await?;
        if !parent.status.admits_child_submission() {
            return Err(ServiceError::Conflict(
                "submit the structure first: its services and projects are reviewed after it"
                    .into(),
            ));
        }
    }
    let working = working_revision(&txn, &record).await?;
    let mut revision = working.clone();
    revision.state = working.state.submit()?;
    revision.submitted_at = Some(now);
    revision.updated_at = now;
    revision.reason = None;
    if !revisions::save_if_state(&txn, &revision, working.state).await? {
        return Err(ServiceError::StaleVersion);
    }
    let expected = record.lock_version;
    record.submitted_at = Some(now);
    record.updated_at = now;
    record.lock_version += 1;
    if record.published_revision_id.is_none() {
        record.status = ListingStatus::Pending;
    }
    save(&txn, &record, expected).await?;
    audit::append(
        &txn,
        AuditEntry {
            revision_id: Some(revision.id),
            ..entry(now, Some(user.id), "submitted", kind.into(), id)
        },
    )
    .await?;
    if let Some(submitter) = agora_store::accounts::user_by_id(&txn, user.id).await? {
        let message = agora_mail::messages::submission_received(agora_mail::messages::Listing {
            noun: crate::mail::noun(kind),
            name: &record.name,
        });
        let to = crate::mail::Addressee {
            email: submitter.email,
            name: submitter.display_name,
        };
        crate::mail::enqueue(&txn, ctx, &to, &message).await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    listing_view(&ctx.db, record, st.access).await
}

/// Published listings of a kind, oldest first, a page at a time.
pub async fn list_public(
    ctx: &Context,
    kind: ListingKind,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<AnyListingView>> {
    let after = decode_opt::<IdCursor>(cursor)?;
    let mut rows = listings::list_public(&ctx.db, kind, after.map(|c| c.id), limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| IdCursor { id: r.id });
    let mut items = listing_views(
        &ctx.db,
        rows.into_iter().map(|r| (r, Access::Public)).collect(),
    )
    .await?;
    crate::evaluations::attach(ctx, &mut items).await?;
    Ok(Page { items, next_cursor })
}

/// The public views of the listings of `kind` named by `ids` (in that order), leaving out
/// any the public may not read: what pages that list many listings at once show.
pub async fn public_views(
    ctx: &Context,
    kind: ListingKind,
    ids: Vec<Uuid>,
) -> Result<Vec<AnyListingView>> {
    let order: std::collections::HashMap<Uuid, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut rows = listings::by_ids(&ctx.db, kind, ids).await?;
    rows.retain(|r| can_read(r, Access::Public));
    rows.sort_by_key(|r| order.get(&r.id).copied().unwrap_or(usize::MAX));
    listing_views(
        &ctx.db,
        rows.into_iter().map(|r| (r, Access::Public)).collect(),
    )
    .await
}

/// The services or projects of a structure. The public sees the published ones, except
/// anonymous projects, which would name their structure by being listed here.
pub async fn list_children(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    kind: ListingKind,
) -> Result<Vec<AnyListingView>> {
    let parent = load(&ctx.db, ListingKind::Structure, structure_id).await?;
    let st = standing(&ctx.db, actor, structure_id).await?;
    if !can_read(&parent, st.access) {
        return Err(not_found(ListingKind::Structure));
    }
    let mut rows = listings::of_structure(&ctx.db, kind, structure_id).await?;
    if st.access == Access::Public {
        rows.retain(|r| r.is_listed() && !r.anonymous);
    }
    listing_views(&ctx.db, rows.into_iter().map(|r| (r, st.access)).collect()).await
}

/// What a project's members can do to its public life without moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    Pause,
    Resume,
    Complete,
    Archive,
}

pub async fn project_action(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    action: ProjectAction,
) -> Result<AnyListingView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (mut record, st, user) = load_for_edit(&txn, actor, ListingKind::Project, id).await?;
    let (status, name, change) = match action {
        ProjectAction::Pause => (record.status.pause()?, "paused", Change::Updated),
        ProjectAction::Resume => (record.status.resume()?, "resumed", Change::Updated),
        ProjectAction::Complete => (record.status.complete()?, "completed", Change::Updated),
        ProjectAction::Archive => (record.status.archive()?, "archived", Change::Unpublished),
    };
    let expected = record.lock_version;
    record.status = status;
    record.updated_at = now;
    record.lock_version += 1;
    save(&txn, &record, expected).await?;
    changes::append(
        &txn,
        now,
        SubjectType::Project,
        id,
        Some(record.structure_id),
        change,
    )
    .await?;
    audit::append(
        &txn,
        entry(now, Some(user.id), name, SubjectType::Project, id),
    )
    .await?;
    txn.commit().await?;
    ctx.changed.notify_one();
    listing_view(&ctx.db, record, st.access).await
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProjectUpdateInput {
    /// What happened, in a few lines (up to 5000 characters).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub body: String,
}

fn update_view(u: ProjectUpdateRecord) -> ProjectUpdateView {
    ProjectUpdateView {
        id: u.id,
        project_id: u.project_id,
        body: u.body,
        kind: match u.kind {
            project_updates::UpdateKind::Update => crate::views::UpdateKind::Update,
            project_updates::UpdateKind::SuccessStory => crate::views::UpdateKind::SuccessStory,
        },
        status: match u.status {
            project_updates::UpdateStatus::Pending => UpdateStatus::Pending,
            project_updates::UpdateStatus::Published => UpdateStatus::Published,
            project_updates::UpdateStatus::Rejected => UpdateStatus::Rejected,
        },
        created_at: u.created_at,
        published_at: u.published_at,
    }
}

/// The latest published success stories with their projects, as the public reads them
/// (a story whose project the public may not read is left out).
pub async fn success_stories(
    ctx: &Context,
    limit: u64,
) -> Result<Vec<(AnyListingView, ProjectUpdateView)>> {
    let stories = project_updates::recent_success_stories(&ctx.db, limit).await?;
    let projects = public_views(
        ctx,
        ListingKind::Project,
        stories.iter().map(|s| s.project_id).collect(),
    )
    .await?;
    Ok(stories
        .into_iter()
        .filter_map(|s| {
            let project = projects.iter().find(|p| p.id == s.project_id)?.clone();
            Some((project, update_view(s)))
        })
        .collect())
}

/// Submits a progress update of a published project to moderation.
pub async fn add_project_update(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
    input: ProjectUpdateInput,
) -> Result<ProjectUpdateView> {
    add_update(
        ctx,
        actor,
        project_id,
        input,
        project_updates::UpdateKind::Update,
    )
    .await
}

/// Submits the success story of a completed project that found a contributor through
/// Agora (an offer closed as successful) to moderation. One per project.
pub async fn add_success_story(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
    input: ProjectUpdateInput,
) -> Result<ProjectUpdateView> {
    add_update(
        ctx,
        actor,
        project_id,
        input,
        project_updates::UpdateKind::SuccessStory,
    )
    .await
}

async fn add_update(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
    input: ProjectUpdateInput,
    kind: project_updates::UpdateKind,
) -> Result<ProjectUpdateView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (record, _, user) = load_for_edit(&txn, actor, ListingKind::Project, project_id).await?;
    let mut body = input.body;
    let mut v = Validator::new();
    v.text("/body", &mut body, 1, 5000);
    v.finish()?;
    if !record.status.is_public() {
        return Err(ServiceError::Conflict(
            "a project shares its progress once it is published".into(),
        ));
    }
    if kind == project_updates::UpdateKind::SuccessStory {
        if record.status != ListingStatus::Completed {
            return Err(ServiceError::Conflict(
                "a success story is told once the project is completed".into(),
            ));
        }
        let helped = agora_store::help::of_project(&txn, project_id)
            .await?
            .iter()
            .any(|o| o.outcome == Some(agora_domain::help::Outcome::Successful));
        if !helped {
            return Err(ServiceError::Conflict(
                "a success story follows help found through Agora (an offer closed as successful)"
                    .into(),
            ));
        }
        let told = project_updates::of_project(&txn, project_id, true)
            .await?
            .iter()
            .any(|u| {
                u.kind == project_updates::UpdateKind::SuccessStory
                    && u.status != project_updates::UpdateStatus::Rejected
            });
        if told {
            return Err(ServiceError::Conflict(
                "this project already has its success story".into(),
            ));
        }
    }
    let update = ProjectUpdateRecord {
        id: Uuid::now_v7(),
        project_id,
        author_id: Some(user.id),
        body: body.clone(),
        kind,
        status: project_updates::UpdateStatus::Pending,
        created_at: now,
        updated_at: now,
        published_at: None,
    };
    project_updates::insert(&txn, &update).await?;
    let mut revision = new_revision(
        SubjectType::ProjectUpdate,
        update.id,
        record.structure_id,
        1,
        user.id,
        now,
    );
    revision.content = serde_json::json!({ "project_id": project_id, "body": body });
    revision.name = record.name.clone();
    revision.name_key = name_key(&record.name);
    revision.state = RevisionState::Pending;
    revision.submitted_at = Some(now);
    revisions::insert(&txn, &revision).await?;
    audit::append(
        &txn,
        AuditEntry {
            revision_id: Some(revision.id),
            ..entry(
                now,
                Some(user.id),
                "submitted",
                SubjectType::ProjectUpdate,
                update.id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    Ok(update_view(update))
}

/// A project's progress updates: published ones for the public, all for members and moderators.
pub async fn list_project_updates(
    ctx: &Context,
    actor: &Actor,
    project_id: Uuid,
) -> Result<Vec<ProjectUpdateView>> {
    let record = load(&ctx.db, ListingKind::Project, project_id).await?;
    let st = standing(&ctx.db, actor, record.structure_id).await?;
    if !can_read(&record, st.access) {
        return Err(not_found(ListingKind::Project));
    }
    let all = st.access > Access::Public;
    Ok(project_updates::of_project(&ctx.db, project_id, all)
        .await?
        .into_iter()
        .map(update_view)
        .collect())
}

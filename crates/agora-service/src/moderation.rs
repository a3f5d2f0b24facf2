//! The moderation queue: moderators read submissions beside the published version and
//! likely duplicates, then approve, reject or request changes, with a reason.

use crate::pagination::{Page, decode_opt, next_cursor};
use crate::registry::entry;
use crate::render::read_content;
use crate::views::{DuplicateView, ModerationItemView, QueueItem, StructureRef, UserRef};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::diff::diff;
use agora_domain::names::similar_names;
use agora_domain::validation::Validator;
use agora_domain::{Decision, ListingKind, ListingStatus, RevisionState, SubjectType};
use agora_store::audit::{self, AuditEntry};
use agora_store::changes::{self, Change};
use agora_store::project_updates::{self, UpdateStatus};
use agora_store::revisions::{self, DuplicateProbe, QueueKey, RevisionRecord};
use agora_store::{ConnectionTrait, StoreError, accounts, coverage, listings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct QueueCursor {
    submitted_at: DateTime<Utc>,
    id: Uuid,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// Why: required to reject or to request changes; sent to the submitter.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Items in a review state, oldest submission first.
pub async fn queue(
    ctx: &Context,
    actor: &Actor,
    subject_type: Option<SubjectType>,
    state: Option<RevisionState>,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<QueueItem>> {
    actor.require_moderator()?;
    let after = decode_opt::<QueueCursor>(cursor)?.map(|c| QueueKey {
        submitted_at: c.submitted_at,
        id: c.id,
    });
    let state = state.unwrap_or(RevisionState::Pending);
    let mut rows = revisions::queue(&ctx.db, subject_type, state, after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| QueueCursor {
        submitted_at: r.submitted_at.unwrap_or(r.created_at),
        id: r.id,
    });
    let items = queue_items(&ctx.db, &rows).await?;
    Ok(Page { items, next_cursor })
}

async fn queue_items(db: &impl ConnectionTrait, rows: &[RevisionRecord]) -> Result<Vec<QueueItem>> {
    let structures: HashMap<Uuid, String> = listings::by_ids(
        db,
        ListingKind::Structure,
        rows.iter().map(|r| r.structure_id).collect(),
    )
    .await?
    .into_iter()
    .map(|s| (s.id, s.name))
    .collect();
    let authors: HashMap<Uuid, String> =
        accounts::users_by_ids(db, rows.iter().filter_map(|r| r.author_id).collect())
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect();
    let mut published: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    for kind in ListingKind::ALL {
        let ids = rows
            .iter()
            .filter(|r| r.subject_type.listing_kind() == Some(kind))
            .map(|r| r.subject_id)
            .collect();
        for l in listings::by_ids(db, kind, ids).await? {
            published.insert(l.id, l.published_revision_id);
        }
    }
    Ok(rows
        .iter()
        .map(|r| QueueItem {
            id: r.id,
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            structure: StructureRef {
                id: r.structure_id,
                name: structures.get(&r.structure_id).cloned().unwrap_or_default(),
            },
            name: r.name.clone(),
            number: r.number,
            state: r.state,
            is_edit_of_published: published
                .get(&r.subject_id)
                .copied()
                .flatten()
                .is_some_and(|p| p != r.id),
            submitted_at: r.submitted_at,
            author: r.author_id.map(|id| UserRef {
                id,
                display_name: authors.get(&id).cloned().unwrap_or_default(),
            }),
            reason: r.reason.clone(),
        })
        .collect())
}

async fn load_revision(db: &impl ConnectionTrait, id: Uuid) -> Result<RevisionRecord> {
    revisions::get(db, id)
        .await?
        .ok_or(ServiceError::NotFound("moderation item"))
}

/// One item with the published version, the differences and likely duplicates.
pub async fn item(ctx: &Context, actor: &Actor, id: Uuid) -> Result<ModerationItemView> {
    actor.require_moderator()?;
    let revision = load_revision(&ctx.db, id).await?;
    item_view(&ctx.db, revision).await
}

async fn item_view(
    db: &impl ConnectionTrait,
    revision: RevisionRecord,
) -> Result<ModerationItemView> {
    let published_content = match revision.subject_type.listing_kind() {
        Some(kind) => match listings::get(db, kind, revision.subject_id)
            .await?
            .and_then(|l| l.published_revision_id)
        {
            Some(pid) if pid != revision.id => revisions::get(db, pid).await?.map(|p| p.content),
            _ => None,
        },
        None => None,
    };
    let empty = Value::Object(serde_json::Map::new());
    let changes = diff(
        published_content.as_ref().unwrap_or(&empty),
        &revision.content,
    );
    let duplicates = duplicates(db, &revision).await?;
    let item = queue_items(db, std::slice::from_ref(&revision))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("no queue item built".into()))?;
    Ok(ModerationItemView {
        item,
        content: revision.content,
        published_content,
        diff: changes,
        duplicates,
    })
}

/// Listings that look like the one under review: same legal identifier, or a
/// near-identical name in the same commune (or, for services and projects, the same
/// structure).
async fn duplicates(
    db: &impl ConnectionTrait,
    revision: &RevisionRecord,
) -> Result<Vec<DuplicateView>> {
    let Some(kind) = revision.subject_type.listing_kind() else {
        return Ok(Vec::new());
    };
    let probe = DuplicateProbe {
        subject_type: Some(revision.subject_type),
        exclude_subject: Some(revision.subject_id),
        rna: revision.rna.clone(),
        siren: revision.siren.clone(),
        siret: revision.siret.clone(),
        commune_code: revision.commune_code.clone(),
        structure_id: (kind != ListingKind::Structure).then_some(revision.structure_id),
        name_key: revision.name_key.clone(),
    };
    let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
    let mut found: BTreeMap<Uuid, DuplicateView> = BTreeMap::new();
    for c in revisions::duplicate_candidates(db, &probe).await? {
        let similar = similar_names(&c.name, &revision.name);
        let mut reasons = Vec::new();
        if same(&c.rna, &revision.rna) {
            reasons.push("same_rna");
        }
        if same(&c.siren, &revision.siren) {
            reasons.push("same_siren");
        }
        if same(&c.siret, &revision.siret) {
            reasons.push("same_siret");
        }
        if similar && same(&c.commune_code, &revision.commune_code) {
            reasons.push("similar_name_same_commune");
        }
        if similar && kind != ListingKind::Structure && c.structure_id == revision.structure_id {
            reasons.push("similar_name_same_structure");
        }
        if reasons.is_empty() {
            continue;
        }
        let view = found.entry(c.subject_id).or_insert_with(|| DuplicateView {
            subject_type: c.subject_type,
            subject_id: c.subject_id,
            name: c.name.clone(),
            state: c.state,
            reasons: Vec::new(),
        });
        for r in reasons {
            if !view.reasons.iter().any(|x| x == r) {
                view.reasons.push(r.to_owned());
            }
        }
    }
    Ok(found.into_values().collect())
}

/// Records a moderator's decision on a pending item.
pub async fn decide(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    decision: Decision,
    input: DecisionInput,
) -> Result<ModerationItemView> {
    let moderator = actor.require_moderator()?;
    let mut reason = input.reason.filter(|r| !r.trim().is_empty());
    let mut v = Validator::new();
    match &mut reason {
        Some(r) => v.text("/reason", r, 3, 2000),
        None if decision.needs_reason() => {
            v.push("/reason", "required", "say why, for the submitter")
        }
        None => {}
    }
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let revision = load_revision(&txn, id).await?;
    let state = revision.state.decide(decision)?;
    let empty = Value::Object(serde_json::Map::new());

    let changed: Vec<String> = match revision.subject_type.listing_kind() {
        Some(kind) => {
            let mut record = listings::get(&txn, kind, revision.subject_id)
                .await?
                .ok_or_else(|| {
                    ServiceError::Internal(format!("revision {id} of a missing listing"))
                })?;
            let published = match record.published_revision_id {
                Some(pid) => revisions::get(&txn, pid).await?.map(|p| p.content),
                None => None,
            };
            let changed = diff(published.as_ref().unwrap_or(&empty), &revision.content)
                .into_iter()
                .map(|c| c.pointer)
                .collect();
            let expected = record.lock_version;
            if decision == Decision::Approve {
                if kind != ListingKind::Structure {
                    let parent =
                        listings::get(&txn, ListingKind::Structure, record.structure_id).await?;
                    if !parent.is_some_and(|p| p.status.is_public()) {
                        return Err(ServiceError::Conflict("approve the structure first".into()));
                    }
                }
                let content = read_content(&revision, kind)?;
                if let Some(previous) = record.published_revision_id {
                    revisions::supersede(&txn, previous, now).await?;
                }
                let first = record.published_revision_id.is_none();
                record.published_revision_id = Some(revision.id);
                if first {
                    record.status = ListingStatus::Published;
                    record.published_at = Some(now);
                }
                // Publication is a confirmation by the moderator's reading.
                crate::refresh::mark_confirmed(&mut record, now);
                agora_store::refresh_links::retire_for(&txn, record.id, now).await?;
                record.anonymous = content.anonymous();
                coverage::replace(&txn, kind.into(), record.id, content.coverage()).await?;
                let change = if first {
                    Change::Published
                } else {
                    Change::Updated
                };
                changes::append(
                    &txn,
                    now,
                    kind.into(),
                    record.id,
                    Some(record.structure_id),
                    change,
                )
                .await?;
            } else if record.published_revision_id.is_none() {
                record.status = ListingStatus::before_publication(state);
            }
            record.lock_version += 1;
            record.updated_at = now;
            listings::update(&txn, &record, expected)
                .await
                .map_err(|e| match e {
                    StoreError::Conflict(_) => ServiceError::Conflict(
                        "the listing changed during the decision; try again".into(),
                    ),
                    other => other.into(),
                })?;
            changed
        }
        None => {
            let status = match decision {
                Decision::Approve => UpdateStatus::Published,
                Decision::Reject => UpdateStatus::Rejected,
                Decision::RequestChanges => {
                    return Err(ServiceError::Conflict(
                        "progress updates are approved or rejected".into(),
                    ));
                }
            };
            project_updates::set_status(&txn, revision.subject_id, status, now).await?;
            if status == UpdateStatus::Published {
                changes::append(
                    &txn,
                    now,
                    SubjectType::ProjectUpdate,
                    revision.subject_id,
                    Some(revision.structure_id),
                    Change::Published,
                )
                .await?;
            }
            vec!["/body".to_owned()]
        }
    };

    let mut decided = revision.clone();
    decided.state = state;
    decided.decided_at = Some(now);
    decided.decided_by = Some(moderator.id);
    decided.reason = reason.clone();
    decided.updated_at = now;
    if !revisions::save_if_state(&txn, &decided, RevisionState::Pending).await? {
        return Err(ServiceError::Conflict(
            "this item was decided or withdrawn meanwhile".into(),
        ));
    }
    let action = match decision {
        Decision::Approve => "approved",
        Decision::Reject => "rejected",
        Decision::RequestChanges => "changes_requested",
    };
    audit::append(
        &txn,
        AuditEntry {
            revision_id: Some(revision.id),
            reason,
            details: Some(serde_json::json!({ "changed": changed })),
            ..entry(
                now,
                Some(moderator.id),
                action,
                revision.subject_type,
                revision.subject_id,
            )
        },
    )
    .await?;
    if let Some(kind) = revision.subject_type.listing_kind() {
        notify_decision(ctx, &txn, kind, &decided).await?;
    }
    txn.commit().await?;
    ctx.changed.notify_one();
    ctx.mail_queued.notify_one();
    item_view(&ctx.db, decided).await
}

/// Tells the structure's members what moderators decided about their listing.
async fn notify_decision(
    ctx: &Context,
    db: &impl agora_store::ConnectionTrait,
    kind: ListingKind,
    decided: &agora_store::revisions::RevisionRecord,
) -> Result<()> {
    use agora_mail::messages;
    let listing = messages::Listing {
        noun: crate::mail::noun(kind),
        name: &decided.name,
    };
    let url = crate::mail::listing_url(ctx, kind, decided.subject_id);
    let reason = decided.reason.as_deref().unwrap_or_default();
    let message = match decided.state {
        RevisionState::Approved => messages::approved(listing, &url),
        RevisionState::Rejected => messages::rejected(listing, reason),
        RevisionState::ChangesRequested => messages::changes_requested(listing, reason, &url),
        _ => return Ok(()),
    };
    let members = crate::mail::member_addressees(db, decided.structure_id).await?;
    crate::mail::enqueue_all(db, ctx, &members, &message).await
}

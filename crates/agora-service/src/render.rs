//! Turns listing records into the views a given reader may see. Every read path (one
//! listing, lists, a structure's children) goes through `listing_views`, which loads what
//! it needs in batches and redacts each content before anything is serialised.

use crate::views::{AnyListingView, ReviewView, StructureRef};
use crate::{Result, ServiceError};
use agora_domain::{Access, ListingContent, ListingKind, visibility::reveals_owner};
use agora_store::listings::ListingRecord;
use agora_store::revisions::{self, RevisionRecord};
use agora_store::{ConnectionTrait, listings};
use std::collections::HashMap;
use uuid::Uuid;

/// Whether a reader with `access` may know this listing exists.
pub(crate) fn can_read(record: &ListingRecord, access: Access) -> bool {
    access > Access::Public || record.is_listed()
}

/// The revision a reader sees: the published one for the public, the one being edited for
/// members and moderators.
fn revision_for(record: &ListingRecord, access: Access) -> Option<Uuid> {
    if access == Access::Public {
        record.published_revision_id
    } else {
        record.working_revision_id
    }
}

pub(crate) fn read_content(revision: &RevisionRecord, kind: ListingKind) -> Result<ListingContent> {
    ListingContent::from_json(kind, revision.content.clone()).map_err(|e| {
        ServiceError::Internal(format!("stored revision {} unreadable: {e:?}", revision.id))
    })
}

/// Views of `records`, each for the reader's access level to it.
pub(crate) async fn listing_views(
    db: &impl ConnectionTrait,
    records: Vec<(ListingRecord, Access)>,
) -> Result<Vec<AnyListingView>> {
    let parent_ids: Vec<Uuid> = records
        .iter()
        .filter(|(r, _)| r.kind != ListingKind::Structure)
        .map(|(r, _)| r.structure_id)
        .collect();
    let parents: HashMap<Uuid, ListingRecord> =
        listings::by_ids(db, ListingKind::Structure, parent_ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let mut wanted: Vec<Uuid> = records
        .iter()
        .filter_map(|(r, a)| revision_for(r, *a))
        .collect();
    wanted.extend(parents.values().filter_map(|p| p.published_revision_id));
    let revisions: HashMap<Uuid, RevisionRecord> = revisions::by_ids(db, wanted)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();

    let mut views = Vec::with_capacity(records.len());
    for (record, access) in records {
        let revision = revision_for(&record, access)
            .and_then(|id| revisions.get(&id))
            .ok_or_else(|| {
                ServiceError::Internal(format!(
                    "{} {} has no readable revision",
                    record.kind.as_str(),
                    record.id
                ))
            })?;
        let mut content = read_content(revision, record.kind)?;
        let hidden_sections = content.redact(access);
        let structure = match parents.get(&record.structure_id) {
            Some(parent)
                if record.kind != ListingKind::Structure
                    && reveals_owner(record_anonymous(&record, &content, access), access) =>
            {
                let name = if access == Access::Public {
                    parent
                        .published_revision_id
                        .and_then(|id| revisions.get(&id))
                        .map(|r| r.name.clone())
                } else {
                    Some(parent.name.clone())
                };
                name.map(|name| StructureRef {
                    id: parent.id,
                    name,
                })
            }
            _ => None,
        };
        let labelled = if record.kind == ListingKind::Structure {
            record.labelled_until.is_some()
        } else {
            // Telling the public an anonymous project's owner is labelled would narrow it down.
            structure.is_some()
                && parents
                    .get(&record.structure_id)
                    .is_some_and(|p| p.labelled_until.is_some())
        };
        let public = access == Access::Public;
        let review = (!public).then(|| ReviewView {
            revision_id: revision.id,
            number: revision.number,
            state: revision.state,
            reason: revision.reason.clone(),
            submitted_at: revision.submitted_at,
            decided_at: revision.decided_at,
            has_published_version: record.published_revision_id.is_some(),
        });
        views.push(AnyListingView {
            id: record.id,
            kind: record.kind,
            status: record.status,
            structure,
            content,
            hidden_sections,
            review,
            created_at: record.created_at,
            // The public sees when the published version was decided, not when a draft moved.
            updated_at: if public {
                revision.decided_at.unwrap_or(record.updated_at)
            } else {
                record.updated_at
            },
            published_at: record.published_at,
            verified_at: record.verified_at,
            freshness: record.freshness,
            labelled,
            evaluations: None,
        })
    }
    Ok(views)
}

/// For the public, anonymity is that of the published version; members see their own.
fn record_anonymous(record: &ListingRecord, content: &ListingContent, access: Access) -> bool {
    if access == Access::Public {
        record.anonymous || content.anonymous()
    } else {
        content.anonymous()
    }
}

pub(crate) async fn listing_view(
    db: &impl ConnectionTrait,
    record: ListingRecord,
    access: Access,
) -> Result<AnyListingView> {
    listing_views(db, vec![(record, access)])
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("no view built".into()))
}

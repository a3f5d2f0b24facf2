//! Writing a batch of imported records: new listings go to the moderation queue, the
//! drafts of an earlier import still waiting there are brought up to date, and whatever
//! Agora already has otherwise is left alone and reported.

use super::{Candidate, ImportReport};
use crate::registry::{entry, new_revision, set_content};
use crate::{Context, Result, ServiceError};
use agora_domain::{Freshness, ListingContent, ListingKind, ListingStatus, RevisionState};
use agora_store::audit::AuditEntry;
use agora_store::imports::{self, ImportedRecord};
use agora_store::listings::{self, ListingRecord};
use agora_store::revisions::{self, RevisionRecord};
use agora_store::{ConnectionTrait, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// One execution of an import: records it meets twice are duplicates of its file.
pub(crate) struct Run {
    pub id: Uuid,
    pub source: &'static str,
}

impl Run {
    pub fn new(source: &'static str) -> Self {
        Self {
            id: Uuid::now_v7(),
            source,
        }
    }
}

pub(crate) const DUPLICATE: &str = "the same record appears earlier in the file";
pub(crate) const PUBLISHED: &str = "already published in Agora (not overwritten)";
const IN_AGORA: &str = "already in Agora, written by its members (not overwritten)";
const REJECTED: &str = "rejected by moderators after an earlier import";
const REMOVED: &str = "removed from Agora since an earlier import";
const NO_PARENT: &str = "its structure is not imported (structure_id unknown)";
const PARENT_REJECTED: &str = "its structure was rejected or sent back by moderators";

/// New rows, written together at the end of the batch.
#[derive(Default)]
struct Inserts {
    listings: Vec<ListingRecord>,
    revisions: Vec<RevisionRecord>,
    audit: Vec<AuditEntry>,
    imported: Vec<ImportedRecord>,
}

pub(crate) async fn write(
    ctx: &Context,
    run: &Run,
    report: &mut ImportReport,
    candidates: Vec<Candidate>,
) -> Result<()> {
    if candidates.is_empty() {
        return Ok(());
    }
    let txn = ctx.begin().await?;
    for kind in [ListingKind::Structure, ListingKind::Service] {
        let of_kind: Vec<Candidate> = candidates
            .iter()
            .filter(|c| c.kind() == kind)
            .cloned()
            .collect();
        if !of_kind.is_empty() {
            write_kind(&txn, ctx.now(), run, report, kind, of_kind).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// Structures that Agora has by one of the candidates' identifiers (not through this
/// source's imports): RNA number or SIRET.
async fn known_by_identifier(
    db: &impl ConnectionTrait,
    candidates: &[&Candidate],
) -> Result<(HashMap<String, Vec<Uuid>>, HashSet<Uuid>)> {
    let mut rnas = Vec::new();
    let mut sirets = Vec::new();
    for c in candidates {
        if let ListingContent::Structure(s) = &c.content {
            rnas.extend(s.rna.clone());
            sirets.extend(s.siret.clone());
        }
    }
    let mut by_key: HashMap<String, Vec<Uuid>> = HashMap::new();
    let mut ids = HashSet::new();
    if rnas.is_empty() && sirets.is_empty() {
        return Ok((by_key, ids));
    }
    for found in imports::structures_with_identifiers(db, &rnas, &sirets).await? {
        ids.insert(found.subject_id);
        for key in [found.rna, found.siret].into_iter().flatten() {
            by_key.entry(key).or_default().push(found.subject_id);
        }
    }
    Ok((by_key, ids))
}

fn identifiers(content: &ListingContent) -> Vec<String> {
    match content {
        ListingContent::Structure(s) => [s.rna.clone(), s.siret.clone()]
            .into_iter()
            .flatten()
            .collect(),
        _ => Vec::new(),
    }
}

async fn write_kind(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    run: &Run,
    report: &mut ImportReport,
    kind: ListingKind,
    candidates: Vec<Candidate>,
) -> Result<()> {
    let subject_type = kind.into();
    let ids: Vec<String> = candidates.iter().map(|c| c.external_id.clone()).collect();
    let imported: HashMap<String, ImportedRecord> =
        imports::find(txn, run.source, subject_type, &ids)
            .await?
            .into_iter()
            .map(|r| (r.external_id.clone(), r))
            .collect();
    let fresh: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| !imported.contains_key(&c.external_id))
        .collect();
    let (by_identifier, identified) = known_by_identifier(txn, &fresh).await?;

    // Structures of services, through this source's imports.
    let parent_ids: Vec<String> = candidates.iter().filter_map(|c| c.parent.clone()).collect();
    let parents: HashMap<String, ImportedRecord> = if parent_ids.is_empty() {
        HashMap::new()
    } else {
        imports::find(
            txn,
            run.source,
            agora_domain::SubjectType::Structure,
            &parent_ids,
        )
        .await?
        .into_iter()
        .map(|r| (r.external_id.clone(), r))
        .collect()
    };
    let parent_listings: HashMap<Uuid, ListingRecord> = listings::by_ids(
        txn,
        ListingKind::Structure,
        parents.values().map(|p| p.subject_id).collect(),
    )
    .await?
    .into_iter()
    .map(|l| (l.id, l))
    .collect();

    let mut listing_ids: Vec<Uuid> = imported.values().map(|r| r.subject_id).collect();
    if kind == ListingKind::Structure {
        listing_ids.extend(identified.iter().copied());
    }
    let existing: HashMap<Uuid, ListingRecord> = listings::by_ids(txn, kind, listing_ids)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let working: HashMap<Uuid, RevisionRecord> = revisions::by_ids(
        txn,
        imported
            .values()
            .filter_map(|r| existing.get(&r.subject_id)?.working_revision_id)
            .collect(),
    )
    .await?
    .into_iter()
    .map(|r| (r.id, r))
    .collect();

    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut inserts = Inserts::default();
    for c in candidates {
        let example = Some(c.external_id.clone());
        if let Some(first) = seen.get(&c.external_id) {
            report.skip(
                DUPLICATE,
                Some(format!("{} (lines {first} and {})", c.external_id, c.line)),
            );
            continue;
        }
        seen.insert(c.external_id.clone(), c.line);
        if let Some(record) = imported.get(&c.external_id) {
            if record.run_id == run.id {
                report.skip(
                    DUPLICATE,
                    Some(format!(
                        "{} (lines {} and {})",
                        c.external_id, record.line, c.line
                    )),
                );
                continue;
            }
            imports::touch(txn, record, run.id, c.line, now).await?;
            let Some(listing) = existing.get(&record.subject_id) else {
                report.skip(REMOVED, example);
                continue;
            };
            if listing.published_revision_id.is_some() {
                report.skip(PUBLISHED, example);
                continue;
            }
            let revision = listing
                .working_revision_id
                .and_then(|id| working.get(&id))
                .ok_or_else(|| {
                    ServiceError::Internal(format!("listing {} has no revision", listing.id))
                })?;
            match revision.state {
                RevisionState::Rejected => report.skip(REJECTED, example),
                RevisionState::Approved | RevisionState::Superseded => {
                    report.skip(PUBLISHED, example)
                }
                RevisionState::Draft | RevisionState::Pending | RevisionState::ChangesRequested => {
                    if refresh(txn, now, run, listing.clone(), revision, &c).await? {
                        report.updated += 1;
                    } else {
                        report.unchanged += 1;
                    }
                }
            }
            continue;
        }
        if kind == ListingKind::Structure {
            let matches: Vec<&ListingRecord> = identifiers(&c.content)
                .iter()
                .filter_map(|k| by_identifier.get(k))
                .flatten()
                .filter_map(|id| existing.get(id))
                .collect();
            if matches.iter().any(|l| l.published_revision_id.is_some()) {
                report.skip(PUBLISHED, example);
                continue;
            }
            if !matches.is_empty() {
                report.skip(IN_AGORA, example);
                continue;
            }
        }
        let structure_id = match &c.parent {
            None => None,
            Some(parent) => {
                let Some(listing) = parents
                    .get(parent)
                    .and_then(|p| parent_listings.get(&p.subject_id))
                else {
                    report.skip(NO_PARENT, example);
                    continue;
                };
                if !listing.status.admits_child_submission() {
                    report.skip(PARENT_REJECTED, example);
                    continue;
                }
                Some(listing.id)
            }
        };
        create(&mut inserts, now, run, c, structure_id);
        report.created += 1;
    }
    listings::insert_many(txn, &inserts.listings).await?;
    revisions::insert_many(txn, &inserts.revisions).await?;
    imports::insert_many(txn, &inserts.imported).await?;
    imports::audit_many(txn, inserts.audit).await?;
    Ok(())
}

/// A new listing, submitted for moderation on behalf of nobody.
fn create(
    inserts: &mut Inserts,
    now: DateTime<Utc>,
    run: &Run,
    c: Candidate,
    structure_id: Option<Uuid>,
) {
    let kind = c.kind();
    let id = Uuid::now_v7();
    let structure_id = structure_id.unwrap_or(id);
    // The author is the system: the revision names no account.
    let mut revision = new_revision(kind.into(), id, structure_id, 1, Uuid::nil(), now);
    revision.author_id = None;
    revision.state = RevisionState::Pending;
    revision.submitted_at = Some(now);
    set_content(&mut revision, &c.content);
    inserts.audit.push(AuditEntry {
        revision_id: Some(revision.id),
        details: Some(json!({ "source": run.source, "id": c.external_id, "line": c.line })),
        ..entry(now, None, "imported", kind.into(), id)
    });
    inserts.listings.push(ListingRecord {
        kind,
        id,
        structure_id,
        status: ListingStatus::Pending,
        name: c.content.name().to_owned(),
        working_revision_id: Some(revision.id),
        published_revision_id: None,
        lock_version: 1,
        created_by: None,
        created_at: now,
        updated_at: now,
        submitted_at: Some(now),
        published_at: None,
        verified_at: None,
        freshness: Freshness::Fresh,
        reminder_step: 0,
        labelled_until: None,
        anonymous: false,
    });
    inserts.revisions.push(revision);
    inserts.imported.push(ImportedRecord {
        source: run.source.to_owned(),
        subject_type: kind.into(),
        external_id: c.external_id,
        subject_id: id,
        run_id: run.id,
        line: c.line,
        first_imported_at: now,
        last_imported_at: now,
    });
}

/// Brings a draft of an earlier import up to date and back into the queue; false when
/// the file says nothing new.
async fn refresh(
    txn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    run: &Run,
    mut listing: ListingRecord,
    working: &RevisionRecord,
    c: &Candidate,
) -> Result<bool> {
    let content = c.content.to_json();
    let changed: Vec<String> = agora_domain::diff::diff(&working.content, &content)
        .into_iter()
        .map(|d| d.pointer)
        .collect();
    if changed.is_empty() && working.state == RevisionState::Pending {
        return Ok(false);
    }
    let mut revision = working.clone();
    set_content(&mut revision, &c.content);
    revision.state = RevisionState::Pending;
    revision.updated_at = now;
    if working.state != RevisionState::Pending {
        revision.submitted_at = Some(now);
        revision.reason = None;
    }
    if !revisions::save_if_state(txn, &revision, working.state).await? {
        return Err(ServiceError::Conflict(format!(
            "{} changed during the import; run it again",
            c.external_id
        )));
    }
    let expected = listing.lock_version;
    listing.name = c.content.name().to_owned();
    listing.status = ListingStatus::Pending;
    listing.submitted_at = revision.submitted_at;
    listing.updated_at = now;
    listing.lock_version += 1;
    listings::update(txn, &listing, expected)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ServiceError::Conflict(format!(
                "{} changed during the import; run it again",
                c.external_id
            )),
            other => other.into(),
        })?;
    imports::audit_many(
        txn,
        vec![AuditEntry {
            revision_id: Some(revision.id),
            details: Some(json!({
                "source": run.source, "id": c.external_id, "line": c.line, "changed": changed
            })),
            ..entry(now, None, "import_updated", c.kind().into(), listing.id)
        }],
    )
    .await?;
    Ok(true)
}

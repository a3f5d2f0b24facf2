//! Writes corpus listings into the product's database as published listings, each with its
//! approved revision, exactly as moderation leaves them and as the refresh workflow has
//! kept them since (reminders sent, freshness reached), so that the server under measure
//! finds no sweep left to do.

use crate::corpus::Synthetic;
use agora_domain::names::name_key;
use agora_domain::{ListingStatus, RefreshSchedule, RevisionState, SubjectType};
use agora_store::listings::{self, ListingRecord};
use agora_store::revisions::{self, RevisionRecord};
use agora_store::{DatabaseConnection, TransactionTrait};
use chrono::{DateTime, Utc};
use uuid::Uuid;

fn revision_id(listing: Uuid) -> Uuid {
    let (hi, lo) = listing.as_u64_pair();
    Uuid::from_u64_pair(hi ^ 0x0000_0000_0000_0001, lo)
}

fn records(s: &Synthetic, now: DateTime<Utc>) -> (ListingRecord, RevisionRecord) {
    let schedule = RefreshSchedule::default();
    let keys = s.content.duplicate_keys();
    let at = s.verified_at;
    let revision = RevisionRecord {
        id: revision_id(s.id),
        subject_type: SubjectType::from(s.kind),
        subject_id: s.id,
        structure_id: s.structure_id,
        number: 1,
        state: RevisionState::Approved,
        content: s.content.to_json(),
        name_key: name_key(&keys.name),
        name: keys.name,
        commune_code: keys.commune_code,
        rna: keys.rna,
        siren: keys.siren,
        siret: keys.siret,
        author_id: None,
        created_at: at,
        updated_at: at,
        submitted_at: Some(at),
        decided_at: Some(at),
        decided_by: None,
        reason: None,
    };
    let listing = ListingRecord {
        kind: s.kind,
        id: s.id,
        structure_id: s.structure_id,
        status: ListingStatus::Published,
        name: revision.name.clone(),
        working_revision_id: Some(revision.id),
        published_revision_id: Some(revision.id),
        lock_version: 1,
        created_by: None,
        created_at: at,
        updated_at: at,
        submitted_at: Some(at),
        published_at: Some(at),
        verified_at: Some(at),
        freshness: schedule.freshness(Some(at), now),
        reminder_step: i32::try_from(schedule.reminders_due(at, now)).unwrap_or(0),
        labelled_until: None,
        anonymous: s.content.anonymous(),
    };
    (listing, revision)
}

/// Inserts a batch in one transaction.
pub async fn insert(
    db: &DatabaseConnection,
    batch: &[Synthetic],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let (listing_rows, revision_rows): (Vec<_>, Vec<_>) =
        batch.iter().map(|s| records(s, now)).unzip();
    let txn = db.begin().await?;
    listings::insert_many(&txn, &listing_rows).await?;
    revisions::insert_many(&txn, &revision_rows).await?;
    txn.commit().await?;
    Ok(())
}

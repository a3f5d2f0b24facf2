//! Imports from open registers: the listing each imported record became, and the bulk
//! writes an import makes in one transaction per batch.

use crate::Result;
use crate::audit::AuditEntry;
use crate::entities::{audit_log, imported_listings, revisions};
use crate::error::parse_stored;
use agora_domain::SubjectType;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Condition;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QuerySelect, Set};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    pub source: String,
    pub subject_type: SubjectType,
    pub external_id: String,
    pub subject_id: Uuid,
    /// The last run that met the record, and its line in that run's file.
    pub run_id: Uuid,
    pub line: u64,
    pub first_imported_at: DateTime<Utc>,
    pub last_imported_at: DateTime<Utc>,
}

fn record(m: imported_listings::Model) -> Result<ImportedRecord> {
    Ok(ImportedRecord {
        subject_type: parse_stored(
            "imported_listings.subject_type",
            &m.subject_type,
            SubjectType::parse,
        )?,
        source: m.source,
        external_id: m.external_id,
        subject_id: m.subject_id,
        run_id: m.run_id,
        line: u64::try_from(m.line).unwrap_or(0),
        first_imported_at: m.first_imported_at,
        last_imported_at: m.last_imported_at,
    })
}

fn active(r: &ImportedRecord) -> imported_listings::ActiveModel {
    imported_listings::ActiveModel {
        source: Set(r.source.clone()),
        subject_type: Set(r.subject_type.as_str().to_owned()),
        external_id: Set(r.external_id.clone()),
        subject_id: Set(r.subject_id),
        run_id: Set(r.run_id),
        line: Set(i64::try_from(r.line).unwrap_or(i64::MAX)),
        first_imported_at: Set(r.first_imported_at),
        last_imported_at: Set(r.last_imported_at),
    }
}

/// Rows per statement: bounded so that one stays under SQLite's limit on bound values.
const CHUNK: usize = 500;

/// The records of `source` among `external_ids`.
pub async fn find(
    db: &impl ConnectionTrait,
    source: &str,
    subject_type: SubjectType,
    external_ids: &[String],
) -> Result<Vec<ImportedRecord>> {
    let mut out = Vec::new();
    for chunk in external_ids.chunks(CHUNK) {
        let rows = imported_listings::Entity::find()
            .filter(imported_listings::Column::Source.eq(source))
            .filter(imported_listings::Column::SubjectType.eq(subject_type.as_str()))
            .filter(imported_listings::Column::ExternalId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        for m in rows {
            out.push(record(m)?);
        }
    }
    Ok(out)
}

/// Whether a listing was made by an import (of any source).
pub async fn is_imported(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<bool> {
    Ok(imported_listings::Entity::find()
        .filter(imported_listings::Column::SubjectId.eq(subject_id))
        .one(db)
        .await?
        .is_some())
}

pub async fn insert_many(db: &impl ConnectionTrait, records: &[ImportedRecord]) -> Result<()> {
    for chunk in records.chunks(CHUNK) {
        imported_listings::Entity::insert_many(chunk.iter().map(active))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Records that `run` met the record again, on `line`.
pub async fn touch(
    db: &impl ConnectionTrait,
    record: &ImportedRecord,
    run: Uuid,
    line: u64,
    now: DateTime<Utc>,
) -> Result<()> {
    let updated = ImportedRecord {
        run_id: run,
        line,
        last_imported_at: now,
        ..record.clone()
    };
    imported_listings::Entity::update(active(&updated))
        .exec(db)
        .await?;
    Ok(())
}

/// A structure that some revision gives one of the looked-for identifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifiedStructure {
    pub subject_id: Uuid,
    pub rna: Option<String>,
    pub siret: Option<String>,
}

/// Structures whose revisions (any state) carry one of these RNA numbers or SIRETs.
pub async fn structures_with_identifiers(
    db: &impl ConnectionTrait,
    rnas: &[String],
    sirets: &[String],
) -> Result<Vec<IdentifiedStructure>> {
    let mut out = Vec::new();
    let probe = |cond: Condition| {
        revisions::Entity::find()
            .select_only()
            .column(revisions::Column::SubjectId)
            .column(revisions::Column::Rna)
            .column(revisions::Column::Siret)
            .filter(revisions::Column::SubjectType.eq(SubjectType::Structure.as_str()))
            .filter(cond)
            .distinct()
            .into_tuple::<(Uuid, Option<String>, Option<String>)>()
    };
    for chunk in rnas.chunks(CHUNK) {
        let q = probe(Condition::all().add(revisions::Column::Rna.is_in(chunk.iter().cloned())));
        for (subject_id, rna, siret) in q.all(db).await? {
            out.push(IdentifiedStructure {
                subject_id,
                rna,
                siret,
            });
        }
    }
    for chunk in sirets.chunks(CHUNK) {
        let q = probe(Condition::all().add(revisions::Column::Siret.is_in(chunk.iter().cloned())));
        for (subject_id, rna, siret) in q.all(db).await? {
            out.push(IdentifiedStructure {
                subject_id,
                rna,
                siret,
            });
        }
    }
    Ok(out)
}

/// Appends many audit entries in few statements.
pub async fn audit_many(db: &impl ConnectionTrait, entries: Vec<AuditEntry>) -> Result<()> {
    let mut rows = entries.into_iter().map(|e| audit_log::ActiveModel {
        id: NotSet,
        at: Set(e.at),
        actor_id: Set(e.actor_id),
        action: Set(e.action),
        subject_type: Set(e.subject_type.as_str().to_owned()),
        subject_id: Set(e.subject_id),
        revision_id: Set(e.revision_id),
        reason: Set(e.reason),
        details: Set(e.details),
    });
    loop {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            return Ok(());
        }
        audit_log::Entity::insert_many(chunk).exec(db).await?;
    }
}

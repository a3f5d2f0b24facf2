//! The audit trail: who did what to which subject, when and why. Append-only.

use crate::Result;
use crate::entities::audit_log;
use crate::error::parse_stored;
use agora_domain::SubjectType;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// `None` for the system (scheduled sweeps).
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub revision_id: Option<Uuid>,
    pub reason: Option<String>,
    /// What changed, when it is useful to keep (a diff, a new status).
    pub details: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    pub id: i64,
    pub entry: AuditEntry,
}

fn record(m: audit_log::Model) -> Result<AuditRecord> {
    Ok(AuditRecord {
        id: m.id,
        entry: AuditEntry {
            at: m.at,
            actor_id: m.actor_id,
            action: m.action,
            subject_type: parse_stored(
                "audit_log.subject_type",
                &m.subject_type,
                SubjectType::parse,
            )?,
            subject_id: m.subject_id,
            revision_id: m.revision_id,
            reason: m.reason,
            details: m.details,
        },
    })
}

pub async fn append(db: &impl ConnectionTrait, entry: AuditEntry) -> Result<()> {
    audit_log::ActiveModel {
        id: NotSet,
        at: Set(entry.at),
        actor_id: Set(entry.actor_id),
        action: Set(entry.action),
        subject_type: Set(entry.subject_type.as_str().to_owned()),
        subject_id: Set(entry.subject_id),
        revision_id: Set(entry.revision_id),
        reason: Set(entry.reason),
        details: Set(entry.details),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn list(
    db: &impl ConnectionTrait,
    subject_type: Option<SubjectType>,
    subject_id: Option<Uuid>,
    after_id: Option<i64>,
    limit: u64,
) -> Result<Vec<AuditRecord>> {
    let mut q = audit_log::Entity::find();
    if let Some(t) = subject_type {
        q = q.filter(audit_log::Column::SubjectType.eq(t.as_str()));
    }
    if let Some(id) = subject_id {
        q = q.filter(audit_log::Column::SubjectId.eq(id));
    }
    if let Some(after) = after_id {
        q = q.filter(audit_log::Column::Id.gt(after));
    }
    q.order_by_asc(audit_log::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Entries an actor made, for a person's own data export.
pub async fn by_actor(db: &impl ConnectionTrait, actor_id: Uuid) -> Result<Vec<AuditRecord>> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::ActorId.eq(actor_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await?;
    rows.into_iter().map(record).collect()
}

//! The change log: an ordered record of every change the public can observe (a listing
//! published, updated, unpublished). Consumers (the search index, partner sync, mail)
//! follow it by sequence number, so a crash between commit and consumption loses nothing.

use crate::Result;
use crate::db::transaction_lock;
use crate::entities::{change_log, change_log_pruned};
use crate::error::parse_stored;
use agora_domain::SubjectType;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

/// What happened to a subject, as consumers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Became public for the first time.
    Published,
    /// Its public version changed (new content, status such as paused).
    Updated,
    /// No longer public.
    Unpublished,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Updated => "updated",
            Self::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Published, Self::Updated, Self::Unpublished]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub structure_id: Option<Uuid>,
    pub change: Change,
}

/// Appends an entry, in the caller's transaction (it must be one), and queues its
/// deliveries to the partners' webhooks that want it.
///
/// Consumers read entries after the last sequence number they applied, so entries must
/// become visible in sequence order: on PostgreSQL, a transaction that took number 10 could
/// otherwise commit after one that took 11, and a consumer that had read 11 would never see
/// 10. Appending therefore takes the change log's transaction lock, held until commit: the
/// transactions that append commit one after the other, in the order of their numbers.
/// (On SQLite, writing transactions already run one at a time.)
pub async fn append(
    db: &impl ConnectionTrait,
    at: DateTime<Utc>,
    subject_type: SubjectType,
    subject_id: Uuid,
    structure_id: Option<Uuid>,
    change: Change,
) -> Result<()> {
    transaction_lock(db, "change-log").await?;
    let entry = change_log::ActiveModel {
        seq: NotSet,
        at: Set(at),
        subject_type: Set(subject_type.as_str().to_owned()),
        subject_id: Set(subject_id),
        structure_id: Set(structure_id),
        change: Set(change.as_str().to_owned()),
    }
    .insert(db)
    .await?;
    crate::webhooks::queue_for_change(db, entry.seq, change.as_str(), at).await?;
    Ok(())
}

/// Entries after `seq`, in order.
pub async fn since(db: &impl ConnectionTrait, seq: i64, limit: u64) -> Result<Vec<ChangeRecord>> {
    change_log::Entity::find()
        .filter(change_log::Column::Seq.gt(seq))
        .order_by_asc(change_log::Column::Seq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(ChangeRecord {
                seq: m.seq,
                at: m.at,
                subject_type: parse_stored(
                    "change_log.subject_type",
                    &m.subject_type,
                    SubjectType::parse,
                )?,
                subject_id: m.subject_id,
                structure_id: m.structure_id,
                change: parse_stored("change_log.change", &m.change, Change::parse)?,
            })
        })
        .collect()
}

/// The last sequence number of the log (0 when empty).
pub async fn last_seq(db: &impl ConnectionTrait) -> Result<i64> {
    Ok(change_log::Entity::find()
        .order_by_desc(change_log::Column::Seq)
        .one(db)
        .await?
        .map_or(0, |m| m.seq))
}

/// The last sequence number pruned from the log (0 when nothing was): a reader positioned
/// before it has missed entries.
pub async fn pruned_through(db: &impl ConnectionTrait) -> Result<i64> {
    Ok(change_log_pruned::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |m| m.through_seq))
}

/// Deletes the entries older than `before`, in the caller's transaction, and records how
/// far the log now starts; the number of entries deleted.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let Some(last) = change_log::Entity::find()
        .filter(change_log::Column::At.lt(before))
        .order_by_desc(change_log::Column::Seq)
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    // Everything up to the newest old entry goes, so that the log stays a suffix.
    let deleted = change_log::Entity::delete_many()
        .filter(change_log::Column::Seq.lte(last.seq))
        .exec(db)
        .await?
        .rows_affected;
    let through = pruned_through(db).await?.max(last.seq);
    change_log_pruned::Entity::insert(change_log_pruned::ActiveModel {
        id: Set(1),
        through_seq: Set(through),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(change_log_pruned::Column::Id)
            .update_column(change_log_pruned::Column::ThroughSeq)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(deleted)
}

//! Aggregate figures for operators (the metrics endpoint): each is one query over an
//! index or a small table, so that a scrape costs the database next to nothing.

use crate::Result;
use crate::db::{Backend, backend_of};
use crate::entities::{mail_queue, revisions};
use crate::mail_queue::MailState;
use agora_domain::RevisionState;
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};

/// Submissions waiting for a moderator, and when the oldest was submitted.
pub async fn pending_moderation(db: &impl ConnectionTrait) -> Result<(u64, Option<DateTime<Utc>>)> {
    let row: Option<(i64, Option<DateTime<Utc>>)> = revisions::Entity::find()
        .select_only()
        .column_as(revisions::Column::Id.count(), "n")
        .column_as(revisions::Column::SubmittedAt.min(), "oldest")
        .filter(revisions::Column::State.eq(RevisionState::Pending.as_str()))
        .filter(revisions::Column::SubmittedAt.is_not_null())
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.map_or((0, None), |(n, oldest)| {
        (u64::try_from(n).unwrap_or(0), oldest)
    }))
}

/// When the oldest mail still waiting to be sent was queued.
pub async fn oldest_queued_mail(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>> {
    let row: Option<Option<DateTime<Utc>>> = mail_queue::Entity::find()
        .select_only()
        .column_as(mail_queue::Column::CreatedAt.min(), "oldest")
        .filter(mail_queue::Column::State.eq(MailState::Queued.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.flatten())
}

/// Connections of the pool: in use, idle, and the most it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUsage {
    pub in_use: u64,
    pub idle: u64,
    pub max: u64,
}

/// The pool's figures, read from the driver (no query).
pub fn pool_usage(db: &DatabaseConnection) -> PoolUsage {
    let (size, idle, max) = match backend_of(db) {
        Backend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
        Backend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        }
    };
    let idle = u64::try_from(idle).unwrap_or(0);
    PoolUsage {
        in_use: u64::from(size).saturating_sub(idle),
        idle,
        max: u64::from(max),
    }
}

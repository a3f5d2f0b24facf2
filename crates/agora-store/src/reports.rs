//! Error reports on listings ("signaler une erreur").

use crate::Result;
use crate::entities::reports;
use crate::error::parse_stored;
use agora_domain::SubjectType;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: Uuid,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub structure_id: Uuid,
    pub reason: String,
    pub details: Option<String>,
    pub reporter_id: Option<Uuid>,
    /// A one-way digest of who sent it (account or network address), for rate limiting.
    pub client_key: String,
    /// `open` or `resolved`.
    pub state: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<Uuid>,
    pub resolution: Option<String>,
}

fn record(m: reports::Model) -> Result<ReportRecord> {
    Ok(ReportRecord {
        id: m.id,
        subject_type: parse_stored("reports.subject_type", &m.subject_type, SubjectType::parse)?,
        subject_id: m.subject_id,
        structure_id: m.structure_id,
        reason: m.reason,
        details: m.details,
        reporter_id: m.reporter_id,
        client_key: m.client_key,
        state: m.state,
        created_at: m.created_at,
        resolved_at: m.resolved_at,
        resolved_by: m.resolved_by,
        resolution: m.resolution,
    })
}

pub async fn insert(db: &impl ConnectionTrait, r: &ReportRecord) -> Result<()> {
    reports::ActiveModel {
        id: Set(r.id),
        subject_type: Set(r.subject_type.as_str().to_owned()),
        subject_id: Set(r.subject_id),
        structure_id: Set(r.structure_id),
        reason: Set(r.reason.clone()),
        details: Set(r.details.clone()),
        reporter_id: Set(r.reporter_id),
        client_key: Set(r.client_key.clone()),
        state: Set(r.state.clone()),
        created_at: Set(r.created_at),
        resolved_at: Set(r.resolved_at),
        resolved_by: Set(r.resolved_by),
        resolution: Set(r.resolution.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Reports sent by one client since `since`, oldest first (the oldest tells when the
/// client may report again).
pub async fn by_client_since(
    db: &impl ConnectionTrait,
    client_key: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>> {
    Ok(reports::Entity::find()
        .filter(reports::Column::ClientKey.eq(client_key))
        .filter(reports::Column::CreatedAt.gte(since))
        .order_by_asc(reports::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.created_at)
        .collect())
}

/// Reports in `state`, oldest first, a page at a time (ids are time-ordered).
pub async fn list(
    db: &impl ConnectionTrait,
    state: &str,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<ReportRecord>> {
    let mut q = reports::Entity::find().filter(reports::Column::State.eq(state));
    if let Some(after) = after {
        q = q.filter(reports::Column::Id.gt(after));
    }
    q.order_by_asc(reports::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

pub async fn count_open_for(db: &impl ConnectionTrait, subject_id: Uuid) -> Result<u64> {
    Ok(reports::Entity::find()
        .filter(reports::Column::SubjectId.eq(subject_id))
        .filter(reports::Column::State.eq("open"))
        .count(db)
        .await?)
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ReportRecord>> {
    reports::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

/// Reports stay with the listing; who sent them is forgotten (erasure of their account).
pub async fn forget_reporter(db: &impl ConnectionTrait, reporter_id: Uuid) -> Result<u64> {
    let res = reports::Entity::update_many()
        .col_expr(
            reports::Column::ReporterId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(reports::Column::ReporterId.eq(reporter_id))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Closes an open report; false when it was already resolved.
pub async fn resolve(
    db: &impl ConnectionTrait,
    id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
    resolution: &str,
) -> Result<bool> {
    let res = reports::Entity::update_many()
        .col_expr(reports::Column::State, Expr::value("resolved"))
        .col_expr(reports::Column::ResolvedAt, Expr::value(at))
        .col_expr(reports::Column::ResolvedBy, Expr::value(by))
        .col_expr(reports::Column::Resolution, Expr::value(resolution))
        .filter(reports::Column::Id.eq(id))
        .filter(reports::Column::State.eq("open"))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

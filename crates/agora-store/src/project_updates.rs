//! Progress updates of projects. Each goes through moderation before it is public.

use crate::Result;
use crate::entities::project_updates;
use crate::error::parse_stored;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateStatus {
    Pending,
    Published,
    Rejected,
}

impl UpdateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Published => "published",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Published, Self::Rejected]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

/// A progress update, or the success story of a completed project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    Update,
    SuccessStory,
}

impl UpdateKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Update => "update",
            Self::SuccessStory => "success_story",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Update, Self::SuccessStory]
            .into_iter()
            .find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectUpdateRecord {
    pub id: Uuid,
    pub project_id: Uuid,
    pub author_id: Option<Uuid>,
    pub body: String,
    pub kind: UpdateKind,
    pub status: UpdateStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

fn record(m: project_updates::Model) -> Result<ProjectUpdateRecord> {
    Ok(ProjectUpdateRecord {
        id: m.id,
        project_id: m.project_id,
        author_id: m.author_id,
        body: m.body,
        kind: parse_stored("project_updates.kind", &m.kind, UpdateKind::parse)?,
        status: parse_stored("project_updates.status", &m.status, UpdateStatus::parse)?,
        created_at: m.created_at,
        updated_at: m.updated_at,
        published_at: m.published_at,
    })
}

pub async fn insert(db: &impl ConnectionTrait, r: &ProjectUpdateRecord) -> Result<()> {
    project_updates::ActiveModel {
        id: Set(r.id),
        project_id: Set(r.project_id),
        author_id: Set(r.author_id),
        body: Set(r.body.clone()),
        kind: Set(r.kind.as_str().to_owned()),
        status: Set(r.status.as_str().to_owned()),
        created_at: Set(r.created_at),
        updated_at: Set(r.updated_at),
        published_at: Set(r.published_at),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ProjectUpdateRecord>> {
    project_updates::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(record)
        .transpose()
}

pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: UpdateStatus,
    now: DateTime<Utc>,
) -> Result<()> {
    let published_at = (status == UpdateStatus::Published).then_some(now);
    project_updates::Entity::update_many()
        .col_expr(
            project_updates::Column::Status,
            Expr::value(status.as_str()),
        )
        .col_expr(project_updates::Column::UpdatedAt, Expr::value(now))
        .col_expr(
            project_updates::Column::PublishedAt,
            Expr::value(published_at),
        )
        .filter(project_updates::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Published success stories of any project, newest first.
pub async fn recent_success_stories(
    db: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<ProjectUpdateRecord>> {
    use sea_orm::QuerySelect;
    project_updates::Entity::find()
        .filter(project_updates::Column::Kind.eq(UpdateKind::SuccessStory.as_str()))
        .filter(project_updates::Column::Status.eq(UpdateStatus::Published.as_str()))
        .order_by_desc(project_updates::Column::PublishedAt)
        .order_by_desc(project_updates::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

/// Updates of a project, newest first; only published ones unless `all`.
pub async fn of_project(
    db: &impl ConnectionTrait,
    project_id: Uuid,
    all: bool,
) -> Result<Vec<ProjectUpdateRecord>> {
    let mut q =
        project_updates::Entity::find().filter(project_updates::Column::ProjectId.eq(project_id));
    if !all {
        q = q.filter(project_updates::Column::Status.eq(UpdateStatus::Published.as_str()));
    }
    q.order_by_desc(project_updates::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(record)
        .collect()
}

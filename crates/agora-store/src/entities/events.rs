use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub charter_version: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub region: Option<String>,
    pub mode: String,
    pub venue: Option<String>,
    pub commune_code: Option<String>,
    pub orientations: Json,
    pub applications_close_at: Option<DateTimeUtc>,
    pub status: String,
    pub reject_reason: Option<String>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub published_at: Option<DateTimeUtc>,
    pub speed_rounds: i32,
    pub round_minutes: i32,
    pub tables: i32,
    pub speed_starts_at: Option<DateTimeUtc>,
    pub schedule_computed_at: Option<DateTimeUtc>,
    pub schedule_objective: Option<i64>,
    pub schedule_bound: Option<i64>,
    pub schedule_published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "label_reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub application_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub reviewer_id: Uuid,
    pub state: String,
    pub assigned_at: DateTimeUtc,
    pub assigned_by: Option<Uuid>,
    pub conflict_reason: Option<String>,
    pub scores: Option<Json>,
    pub comment: Option<String>,
    pub recommendation: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

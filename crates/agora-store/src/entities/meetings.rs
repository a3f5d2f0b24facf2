use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub round: i32,
    pub table_no: i32,
    pub first_application_id: Uuid,
    pub second_application_id: Uuid,
    pub score: i64,
    pub first_follow_up: Option<bool>,
    pub second_follow_up: Option<bool>,
    pub feedback_due_at: Option<DateTimeUtc>,
    pub feedback_requested_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "evaluations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub service_id: Uuid,
    pub account_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub contact_correct: Option<bool>,
    pub answer_days: Option<i32>,
    pub no_answer: bool,
    pub free_as_listed: Option<bool>,
    pub accessible: Option<bool>,
    pub information_clear: Option<i32>,
    pub would_recommend: Option<bool>,
    pub comment: Option<String>,
    pub weight: f64,
    pub new_account: bool,
    pub state: String,
    pub hold_reason: Option<String>,
    pub held_until: Option<DateTimeUtc>,
    pub counted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

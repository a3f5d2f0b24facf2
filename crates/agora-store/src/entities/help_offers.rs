use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "help_offers")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub structure_id: Uuid,
    pub contributor_id: Uuid,
    pub region: Option<String>,
    pub message: String,
    pub skills: Json,
    pub wants: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub health_info: Option<String>,
    pub health_consent_at: Option<DateTimeUtc>,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub screened_at: Option<DateTimeUtc>,
    pub screened_by: Option<Uuid>,
    pub decline_reason: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub answered_by: Option<Uuid>,
    pub connected_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
    pub moderator_notes: Option<String>,
    pub reminders_sent: i32,
    pub health_purged_at: Option<DateTimeUtc>,
    pub first_answer_minutes: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub structure_id: Uuid,
    pub applicant_id: Uuid,
    pub project_ids: Json,
    pub offers: Json,
    pub needs: Json,
    pub themes: Json,
    pub region: Option<String>,
    pub message: String,
    pub charter_version: String,
    pub charter_signed_at: DateTimeUtc,
    pub public_consent: bool,
    pub state: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub unavailable_rounds: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "revisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_type: String,
    pub subject_id: Uuid,
    pub structure_id: Uuid,
    pub number: i32,
    pub state: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub content: Json,
    pub name: String,
    pub name_key: String,
    pub commune_code: Option<String>,
    pub rna: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub author_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "coverage_zones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subject_type: String,
    pub subject_id: Uuid,
    pub zone_kind: String,
    pub code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: Option<f64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

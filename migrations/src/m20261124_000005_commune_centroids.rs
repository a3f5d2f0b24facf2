//! Commune centroids imported from the official open-data file (`agora geo import`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommuneCentroids {
    Table,
    Code,
    Lat,
    Lon,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommuneCentroids::Table)
                    .col(string(CommuneCentroids::Code).primary_key())
                    .col(double(CommuneCentroids::Lat))
                    .col(double(CommuneCentroids::Lon))
                    .col(timestamp_with_time_zone(CommuneCentroids::ImportedAt))
                    .to_owned(),
            )
            .await
    }
}

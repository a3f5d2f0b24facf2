//! Imports from open registers (RNA, data·inclusion): which listing each imported record
//! became, so that importing the same file again updates the drafts it made instead of
//! adding new ones, and so that a record met twice in one file is recognised.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportedListings {
    Table,
    /// `rna` or `data-inclusion`.
    Source,
    /// `structure` or `service`: data·inclusion numbers them separately.
    SubjectType,
    /// The record's identifier in its source (an RNA number, a data·inclusion id).
    ExternalId,
    SubjectId,
    /// The last import run that met this record, and on which line of its file.
    RunId,
    Line,
    FirstImportedAt,
    LastImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ImportedListings::Table)
                    .col(string(ImportedListings::Source))
                    .col(string(ImportedListings::SubjectType))
                    .col(string(ImportedListings::ExternalId))
                    .col(uuid(ImportedListings::SubjectId))
                    .col(uuid(ImportedListings::RunId))
                    .col(big_integer(ImportedListings::Line))
                    .col(timestamp_with_time_zone(ImportedListings::FirstImportedAt))
                    .col(timestamp_with_time_zone(ImportedListings::LastImportedAt))
                    .primary_key(
                        Index::create()
                            .col(ImportedListings::Source)
                            .col(ImportedListings::SubjectType)
                            .col(ImportedListings::ExternalId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_imported_listings_subject")
                    .table(ImportedListings::Table)
                    .col(ImportedListings::SubjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ImportedListings::Table).to_owned())
            .await
    }
}

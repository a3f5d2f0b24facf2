//! Structures, their members, services, projects with their progress updates, and the
//! coverage zones of published listings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Structures {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Services {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum Projects {
    Table,
    Id,
    Anonymous,
}

/// Columns every listing table has: its public status and its revisions.
#[derive(DeriveIden, Clone, Copy)]
enum Listing {
    Id,
    StructureId,
    Status,
    Name,
    WorkingRevisionId,
    PublishedRevisionId,
    LockVersion,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    PublishedAt,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    StructureId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProjectUpdates {
    Table,
    Id,
    ProjectId,
    AuthorId,
    Body,
    Status,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum CoverageZones {
    Table,
    Id,
    SubjectType,
    SubjectId,
    ZoneKind,
    Code,
    Lat,
    Lon,
    RadiusKm,
}

fn listing_table(
    table: impl IntoIden + Copy + 'static,
    owned_by_structure: bool,
) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(table)
        .col(pk_uuid(Listing::Id))
        .col(string(Listing::Status))
        .col(string(Listing::Name))
        .col(uuid_null(Listing::WorkingRevisionId))
        .col(uuid_null(Listing::PublishedRevisionId))
        .col(integer(Listing::LockVersion).default(1))
        .col(uuid_null(Listing::CreatedBy))
        .col(timestamp_with_time_zone(Listing::CreatedAt))
        .col(timestamp_with_time_zone(Listing::UpdatedAt))
        .col(timestamp_with_time_zone_null(Listing::SubmittedAt))
        .col(timestamp_with_time_zone_null(Listing::PublishedAt))
        .col(timestamp_with_time_zone_null(Listing::VerifiedAt))
        .foreign_key(
            ForeignKey::create()
                .from(table, Listing::CreatedBy)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::SetNull),
        );
    if owned_by_structure {
        t.col(uuid(Listing::StructureId)).foreign_key(
            ForeignKey::create()
                .from(table, Listing::StructureId)
                .to(Structures::Table, Structures::Id)
                .on_delete(ForeignKeyAction::Cascade),
        );
    }
    t.to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: &[Listing],
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(listing_table(Structures::Table, false))
            .await?;
        index(
            manager,
            "idx_structures_status",
            Structures::Table,
            &[Listing::Status],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(uuid(Memberships::StructureId))
                    .col(uuid(Memberships::UserId))
                    .col(string(Memberships::Role))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(Memberships::StructureId)
                            .col(Memberships::UserId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::StructureId)
                            .to(Structures::Table, Structures::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_user")
                    .table(Memberships::Table)
                    .col(Memberships::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(listing_table(Services::Table, true))
            .await?;
        index(
            manager,
            "idx_services_structure",
            Services::Table,
            &[Listing::StructureId],
        )
        .await?;
        index(
            manager,
            "idx_services_status",
            Services::Table,
            &[Listing::Status],
        )
        .await?;

        let mut projects = listing_table(Projects::Table, true);
        projects.col(boolean(Projects::Anonymous).default(false));
        manager.create_table(projects).await?;
        index(
            manager,
            "idx_projects_structure",
            Projects::Table,
            &[Listing::StructureId],
        )
        .await?;
        index(
            manager,
            "idx_projects_status",
            Projects::Table,
            &[Listing::Status],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProjectUpdates::Table)
                    .col(pk_uuid(ProjectUpdates::Id))
                    .col(uuid(ProjectUpdates::ProjectId))
                    .col(uuid_null(ProjectUpdates::AuthorId))
                    .col(text(ProjectUpdates::Body))
                    .col(string(ProjectUpdates::Status))
                    .col(timestamp_with_time_zone(ProjectUpdates::CreatedAt))
                    .col(timestamp_with_time_zone(ProjectUpdates::UpdatedAt))
                    .col(timestamp_with_time_zone_null(ProjectUpdates::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectUpdates::Table, ProjectUpdates::ProjectId)
                            .to(Projects::Table, Projects::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProjectUpdates::Table, ProjectUpdates::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_project_updates_project")
                    .table(ProjectUpdates::Table)
                    .col(ProjectUpdates::ProjectId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CoverageZones::Table)
                    .col(big_pk_auto(CoverageZones::Id))
                    .col(string(CoverageZones::SubjectType))
                    .col(uuid(CoverageZones::SubjectId))
                    .col(string(CoverageZones::ZoneKind))
                    .col(string_null(CoverageZones::Code))
                    .col(double_null(CoverageZones::Lat))
                    .col(double_null(CoverageZones::Lon))
                    .col(double_null(CoverageZones::RadiusKm))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_coverage_zones_subject")
                    .table(CoverageZones::Table)
                    .col(CoverageZones::SubjectType)
                    .col(CoverageZones::SubjectId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_coverage_zones_code")
                    .table(CoverageZones::Table)
                    .col(CoverageZones::ZoneKind)
                    .col(CoverageZones::Code)
                    .to_owned(),
            )
            .await
    }
}

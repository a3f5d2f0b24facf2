//! Revisions (the versions of a listing's content, which are the moderation queue's
//! items), the audit trail of every decision, and the change log that feeds consumers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    SubjectType,
    SubjectId,
    StructureId,
    Number,
    State,
    Content,
    Name,
    NameKey,
    CommuneCode,
    Rna,
    Siren,
    Siret,
    AuthorId,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    DecidedAt,
    DecidedBy,
    Reason,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Action,
    SubjectType,
    SubjectId,
    RevisionId,
    Reason,
    Details,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    At,
    SubjectType,
    SubjectId,
    StructureId,
    Change,
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<Revisions>,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    manager.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Revisions::Table)
                    .col(pk_uuid(Revisions::Id))
                    .col(string(Revisions::SubjectType))
                    .col(uuid(Revisions::SubjectId))
                    .col(uuid(Revisions::StructureId))
                    .col(integer(Revisions::Number))
                    .col(string(Revisions::State))
                    .col(json_binary(Revisions::Content))
                    .col(string(Revisions::Name))
                    .col(string(Revisions::NameKey))
                    .col(string_null(Revisions::CommuneCode))
                    .col(string_null(Revisions::Rna))
                    .col(string_null(Revisions::Siren))
                    .col(string_null(Revisions::Siret))
                    .col(uuid_null(Revisions::AuthorId))
                    .col(timestamp_with_time_zone(Revisions::CreatedAt))
                    .col(timestamp_with_time_zone(Revisions::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Revisions::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Revisions::DecidedAt))
                    .col(uuid_null(Revisions::DecidedBy))
                    .col(text_null(Revisions::Reason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_revisions_subject_number")
                    .table(Revisions::Table)
                    .col(Revisions::SubjectType)
                    .col(Revisions::SubjectId)
                    .col(Revisions::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_revisions_queue",
            Revisions::Table,
            vec![Revisions::State, Revisions::SubmittedAt],
        )
        .await?;
        index(
            manager,
            "idx_revisions_rna",
            Revisions::Table,
            vec![Revisions::Rna],
        )
        .await?;
        index(
            manager,
            "idx_revisions_siren",
            Revisions::Table,
            vec![Revisions::Siren],
        )
        .await?;
        index(
            manager,
            "idx_revisions_commune",
            Revisions::Table,
            vec![Revisions::CommuneCode],
        )
        .await?;
        index(
            manager,
            "idx_revisions_structure",
            Revisions::Table,
            vec![Revisions::StructureId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(uuid_null(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::SubjectType))
                    .col(uuid(AuditLog::SubjectId))
                    .col(uuid_null(AuditLog::RevisionId))
                    .col(text_null(AuditLog::Reason))
                    .col(json_binary_null(AuditLog::Details))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_subject")
                    .table(AuditLog::Table)
                    .col(AuditLog::SubjectType)
                    .col(AuditLog::SubjectId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(big_pk_auto(ChangeLog::Seq))
                    .col(timestamp_with_time_zone(ChangeLog::At))
                    .col(string(ChangeLog::SubjectType))
                    .col(uuid(ChangeLog::SubjectId))
                    .col(uuid_null(ChangeLog::StructureId))
                    .col(string(ChangeLog::Change))
                    .to_owned(),
            )
            .await
    }
}

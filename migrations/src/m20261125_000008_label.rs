//! The label: committee seats, applications, reviews, and a structure's label validity.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CommitteeSeats {
    Table,
    UserId,
    Seat,
}

#[derive(DeriveIden)]
enum LabelApplications {
    Table,
    Id,
    StructureId,
    State,
    Content,
    PreviousId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    Missing,
    DecidedAt,
    DecidedBy,
    Reasons,
    ExpiresAt,
    RemindersSent,
}

#[derive(DeriveIden)]
enum LabelReviews {
    Table,
    ApplicationId,
    ReviewerId,
    State,
    AssignedAt,
    AssignedBy,
    ConflictReason,
    Scores,
    Comment,
    Recommendation,
    SubmittedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommitteeSeats::Table)
                    .col(pk_uuid(CommitteeSeats::UserId))
                    .col(string(CommitteeSeats::Seat))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LabelApplications::Table)
                    .col(pk_uuid(LabelApplications::Id))
                    .col(uuid(LabelApplications::StructureId))
                    .col(string(LabelApplications::State))
                    .col(json_binary(LabelApplications::Content))
                    .col(uuid_null(LabelApplications::PreviousId))
                    .col(uuid_null(LabelApplications::CreatedBy))
                    .col(timestamp_with_time_zone(LabelApplications::CreatedAt))
                    .col(timestamp_with_time_zone(LabelApplications::UpdatedAt))
                    .col(timestamp_with_time_zone_null(
                        LabelApplications::SubmittedAt,
                    ))
                    .col(text_null(LabelApplications::Missing))
                    .col(timestamp_with_time_zone_null(LabelApplications::DecidedAt))
                    .col(uuid_null(LabelApplications::DecidedBy))
                    .col(text_null(LabelApplications::Reasons))
                    .col(timestamp_with_time_zone_null(LabelApplications::ExpiresAt))
                    .col(integer(LabelApplications::RemindersSent).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_label_applications_structure")
                    .table(LabelApplications::Table)
                    .col(LabelApplications::StructureId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_label_applications_state")
                    .table(LabelApplications::Table)
                    .col(LabelApplications::State)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LabelReviews::Table)
                    .col(uuid(LabelReviews::ApplicationId))
                    .col(uuid(LabelReviews::ReviewerId))
                    .col(string(LabelReviews::State))
                    .col(timestamp_with_time_zone(LabelReviews::AssignedAt))
                    .col(uuid_null(LabelReviews::AssignedBy))
                    .col(text_null(LabelReviews::ConflictReason))
                    .col(json_binary_null(LabelReviews::Scores))
                    .col(text_null(LabelReviews::Comment))
                    .col(string_null(LabelReviews::Recommendation))
                    .col(timestamp_with_time_zone_null(LabelReviews::SubmittedAt))
                    .primary_key(
                        Index::create()
                            .col(LabelReviews::ApplicationId)
                            .col(LabelReviews::ReviewerId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("structures"))
                    .add_column(timestamp_with_time_zone_null(Alias::new("labelled_until")))
                    .to_owned(),
            )
            .await
    }
}

//! "Je propose mon aide": contributor profiles and mediated help offers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ContributorProfiles {
    Table,
    UserId,
    Skills,
    ExperienceKind,
    Experience,
    ConsentAt,
    Region,
    Availability,
    ContactChannel,
    Phone,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum HelpOffers {
    Table,
    Id,
    ProjectId,
    StructureId,
    ContributorId,
    Region,
    Message,
    Skills,
    Wants,
    ContactEmail,
    ContactPhone,
    HealthInfo,
    HealthConsentAt,
    State,
    CreatedAt,
    UpdatedAt,
    ScreenedAt,
    ScreenedBy,
    DeclineReason,
    AnsweredAt,
    AnsweredBy,
    ConnectedAt,
    ClosedAt,
    Outcome,
    OutcomeNote,
    ModeratorNotes,
    RemindersSent,
    HealthPurgedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ContributorProfiles::Table)
                    .col(pk_uuid(ContributorProfiles::UserId))
                    .col(json_binary(ContributorProfiles::Skills))
                    .col(string_null(ContributorProfiles::ExperienceKind))
                    .col(text_null(ContributorProfiles::Experience))
                    .col(timestamp_with_time_zone_null(
                        ContributorProfiles::ConsentAt,
                    ))
                    .col(string_null(ContributorProfiles::Region))
                    .col(text_null(ContributorProfiles::Availability))
                    .col(string(ContributorProfiles::ContactChannel))
                    .col(string_null(ContributorProfiles::Phone))
                    .col(timestamp_with_time_zone(ContributorProfiles::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HelpOffers::Table)
                    .col(pk_uuid(HelpOffers::Id))
                    .col(uuid(HelpOffers::ProjectId))
                    .col(uuid(HelpOffers::StructureId))
                    .col(uuid(HelpOffers::ContributorId))
                    .col(string_null(HelpOffers::Region))
                    .col(text(HelpOffers::Message))
                    .col(json_binary(HelpOffers::Skills))
                    .col(string(HelpOffers::Wants))
                    .col(string(HelpOffers::ContactEmail))
                    .col(string_null(HelpOffers::ContactPhone))
                    .col(text_null(HelpOffers::HealthInfo))
                    .col(timestamp_with_time_zone_null(HelpOffers::HealthConsentAt))
                    .col(string(HelpOffers::State))
                    .col(timestamp_with_time_zone(HelpOffers::CreatedAt))
                    .col(timestamp_with_time_zone(HelpOffers::UpdatedAt))
                    .col(timestamp_with_time_zone_null(HelpOffers::ScreenedAt))
                    .col(uuid_null(HelpOffers::ScreenedBy))
                    .col(text_null(HelpOffers::DeclineReason))
                    .col(timestamp_with_time_zone_null(HelpOffers::AnsweredAt))
                    .col(uuid_null(HelpOffers::AnsweredBy))
                    .col(timestamp_with_time_zone_null(HelpOffers::ConnectedAt))
                    .col(timestamp_with_time_zone_null(HelpOffers::ClosedAt))
                    .col(string_null(HelpOffers::Outcome))
                    .col(text_null(HelpOffers::OutcomeNote))
                    .col(text_null(HelpOffers::ModeratorNotes))
                    .col(integer(HelpOffers::RemindersSent).default(0))
                    .col(timestamp_with_time_zone_null(HelpOffers::HealthPurgedAt))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_help_offers_project", HelpOffers::ProjectId),
            ("idx_help_offers_contributor", HelpOffers::ContributorId),
            ("idx_help_offers_state", HelpOffers::State),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(HelpOffers::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

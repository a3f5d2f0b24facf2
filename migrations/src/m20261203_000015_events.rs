//! Community events (the Cancerthon, regional editions, speed-meeting sessions), their
//! organising committees, the applications of structures to take part, and the speed
//! meetings computed between accepted participants with their six-month follow-up.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    /// `cancerthon`, `regional_edition`, `innovation_month` or `speed_meeting`.
    Kind,
    Title,
    Summary,
    /// The version of the charter participants sign (e.g. `2024`).
    CharterVersion,
    StartsAt,
    EndsAt,
    /// INSEE région code; none for a national event.
    Region,
    /// `on_site`, `online` or `hybrid`.
    Mode,
    Venue,
    CommuneCode,
    /// The orientations set by the collective: a list of short texts.
    Orientations,
    ApplicationsCloseAt,
    /// `draft`, `pending`, `published`, `rejected`, `archived`: moderated like a listing.
    Status,
    RejectReason,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    PublishedAt,
    /// Speed meetings: 0 rounds means the event holds none.
    SpeedRounds,
    RoundMinutes,
    Tables,
    SpeedStartsAt,
    ScheduleComputedAt,
    ScheduleObjective,
    ScheduleBound,
    /// When the personal schedules were sent: the schedule is frozen from then on.
    SchedulePublishedAt,
}

#[derive(DeriveIden)]
enum EventCommittee {
    Table,
    EventId,
    UserId,
    /// `chair` or `member`.
    Role,
    AddedBy,
    AddedAt,
}

#[derive(DeriveIden)]
enum EventApplications {
    Table,
    Id,
    EventId,
    StructureId,
    ApplicantId,
    /// The structure's projects it brings (ids).
    ProjectIds,
    /// Skill codes offered and looked for, theme codes.
    Offers,
    Needs,
    Themes,
    Region,
    Message,
    CharterVersion,
    CharterSignedAt,
    /// Whether the structure may be named in the public list of participants.
    PublicConsent,
    /// `pending`, `accepted`, `declined`, `withdrawn`.
    State,
    DecisionReason,
    DecidedBy,
    DecidedAt,
    /// Speed-meeting rounds the participant cannot attend (numbers from 0).
    UnavailableRounds,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeetingWishes {
    Table,
    EventId,
    ApplicationId,
    WantedApplicationId,
    /// 1 is the most wanted.
    Rank,
}

#[derive(DeriveIden)]
enum MeetingConstraints {
    Table,
    EventId,
    /// The pair's application ids, smaller first.
    FirstApplicationId,
    SecondApplicationId,
    /// `pin` (must meet) or `ban` (must not meet).
    Kind,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    EventId,
    Round,
    TableNo,
    FirstApplicationId,
    SecondApplicationId,
    Score,
    /// Each side's wish to follow up, once the meeting took place.
    FirstFollowUp,
    SecondFollowUp,
    /// Set once both sides asked to follow up; the sweep sends the request at that time.
    FeedbackDueAt,
    /// Claimed by exactly one instance when it sends the feedback request.
    FeedbackRequestedAt,
}

#[derive(DeriveIden)]
enum MeetingFeedback {
    Table,
    MeetingId,
    ApplicationId,
    AnsweredBy,
    AnsweredAt,
    Collaboration,
    Project,
    HelpOffer,
    /// Private to the committee and moderators.
    Note,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(uuid(Events::Id).primary_key())
                    .col(string(Events::Kind))
                    .col(string(Events::Title))
                    .col(text(Events::Summary))
                    .col(string(Events::CharterVersion))
                    .col(timestamp_with_time_zone(Events::StartsAt))
                    .col(timestamp_with_time_zone(Events::EndsAt))
                    .col(string_null(Events::Region))
                    .col(string(Events::Mode))
                    .col(string_null(Events::Venue))
                    .col(string_null(Events::CommuneCode))
                    .col(json_binary(Events::Orientations))
                    .col(timestamp_with_time_zone_null(Events::ApplicationsCloseAt))
                    .col(string(Events::Status))
                    .col(text_null(Events::RejectReason))
                    .col(uuid(Events::CreatedBy))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .col(timestamp_with_time_zone(Events::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Events::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Events::PublishedAt))
                    .col(integer(Events::SpeedRounds).default(0))
                    .col(integer(Events::RoundMinutes).default(7))
                    .col(integer(Events::Tables).default(0))
                    .col(timestamp_with_time_zone_null(Events::SpeedStartsAt))
                    .col(timestamp_with_time_zone_null(Events::ScheduleComputedAt))
                    .col(big_integer_null(Events::ScheduleObjective))
                    .col(big_integer_null(Events::ScheduleBound))
                    .col(timestamp_with_time_zone_null(Events::SchedulePublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_status_starts")
                    .table(Events::Table)
                    .col(Events::Status)
                    .col(Events::StartsAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventCommittee::Table)
                    .col(uuid(EventCommittee::EventId))
                    .col(uuid(EventCommittee::UserId))
                    .col(string(EventCommittee::Role))
                    .col(uuid(EventCommittee::AddedBy))
                    .col(timestamp_with_time_zone(EventCommittee::AddedAt))
                    .primary_key(
                        Index::create()
                            .col(EventCommittee::EventId)
                            .col(EventCommittee::UserId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_committee_user")
                    .table(EventCommittee::Table)
                    .col(EventCommittee::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EventApplications::Table)
                    .col(uuid(EventApplications::Id).primary_key())
                    .col(uuid(EventApplications::EventId))
                    .col(uuid(EventApplications::StructureId))
                    .col(uuid(EventApplications::ApplicantId))
                    .col(json_binary(EventApplications::ProjectIds))
                    .col(json_binary(EventApplications::Offers))
                    .col(json_binary(EventApplications::Needs))
                    .col(json_binary(EventApplications::Themes))
                    .col(string_null(EventApplications::Region))
                    .col(text(EventApplications::Message))
                    .col(string(EventApplications::CharterVersion))
                    .col(timestamp_with_time_zone(EventApplications::CharterSignedAt))
                    .col(boolean(EventApplications::PublicConsent).default(false))
                    .col(string(EventApplications::State))
                    .col(text_null(EventApplications::DecisionReason))
                    .col(uuid_null(EventApplications::DecidedBy))
                    .col(timestamp_with_time_zone_null(EventApplications::DecidedAt))
                    .col(json_binary(EventApplications::UnavailableRounds))
                    .col(timestamp_with_time_zone(EventApplications::CreatedAt))
                    .col(timestamp_with_time_zone(EventApplications::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // One application per structure and event: a second one updates or withdraws it.
        manager
            .create_index(
                Index::create()
                    .name("idx_event_applications_structure")
                    .table(EventApplications::Table)
                    .col(EventApplications::EventId)
                    .col(EventApplications::StructureId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_event_applications_state")
                    .table(EventApplications::Table)
                    .col(EventApplications::EventId)
                    .col(EventApplications::State)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingWishes::Table)
                    .col(uuid(MeetingWishes::EventId))
                    .col(uuid(MeetingWishes::ApplicationId))
                    .col(uuid(MeetingWishes::WantedApplicationId))
                    .col(integer(MeetingWishes::Rank))
                    .primary_key(
                        Index::create()
                            .col(MeetingWishes::ApplicationId)
                            .col(MeetingWishes::WantedApplicationId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meeting_wishes_event")
                    .table(MeetingWishes::Table)
                    .col(MeetingWishes::EventId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingConstraints::Table)
                    .col(uuid(MeetingConstraints::EventId))
                    .col(uuid(MeetingConstraints::FirstApplicationId))
                    .col(uuid(MeetingConstraints::SecondApplicationId))
                    .col(string(MeetingConstraints::Kind))
                    .col(uuid(MeetingConstraints::CreatedBy))
                    .col(timestamp_with_time_zone(MeetingConstraints::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(MeetingConstraints::EventId)
                            .col(MeetingConstraints::FirstApplicationId)
                            .col(MeetingConstraints::SecondApplicationId),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meetings::Table)
                    .col(uuid(Meetings::Id).primary_key())
                    .col(uuid(Meetings::EventId))
                    .col(integer(Meetings::Round))
                    .col(integer(Meetings::TableNo))
                    .col(uuid(Meetings::FirstApplicationId))
                    .col(uuid(Meetings::SecondApplicationId))
                    .col(big_integer(Meetings::Score))
                    .col(boolean_null(Meetings::FirstFollowUp))
                    .col(boolean_null(Meetings::SecondFollowUp))
                    .col(timestamp_with_time_zone_null(Meetings::FeedbackDueAt))
                    .col(timestamp_with_time_zone_null(Meetings::FeedbackRequestedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meetings_slot")
                    .table(Meetings::Table)
                    .col(Meetings::EventId)
                    .col(Meetings::Round)
                    .col(Meetings::TableNo)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_meetings_feedback_due")
                    .table(Meetings::Table)
                    .col(Meetings::FeedbackDueAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MeetingFeedback::Table)
                    .col(uuid(MeetingFeedback::MeetingId))
                    .col(uuid(MeetingFeedback::ApplicationId))
                    .col(uuid(MeetingFeedback::AnsweredBy))
                    .col(timestamp_with_time_zone(MeetingFeedback::AnsweredAt))
                    .col(boolean(MeetingFeedback::Collaboration))
                    .col(boolean(MeetingFeedback::Project))
                    .col(boolean(MeetingFeedback::HelpOffer))
                    .col(text_null(MeetingFeedback::Note))
                    .primary_key(
                        Index::create()
                            .col(MeetingFeedback::MeetingId)
                            .col(MeetingFeedback::ApplicationId),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MeetingFeedback::Table.into_iden(),
            Meetings::Table.into_iden(),
            MeetingConstraints::Table.into_iden(),
            MeetingWishes::Table.into_iden(),
            EventApplications::Table.into_iden(),
            EventCommittee::Table.into_iden(),
            Events::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

//! Keeping it true: each listing's freshness state and the reminders already sent for its
//! current confirmation cycle; the one-click confirmation links; the persistent mail
//! queue; error reports ("signaler une erreur").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const LISTING_TABLES: [&str; 3] = ["structures", "services", "projects"];

#[derive(DeriveIden)]
enum RefreshLinks {
    Table,
    Id,
    SubjectType,
    SubjectId,
    UserId,
    CycleVerifiedAt,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    Id,
    Kind,
    Recipient,
    RecipientName,
    Subject,
    BodyText,
    BodyHtml,
    State,
    Attempts,
    CreatedAt,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    LastError,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    SubjectType,
    SubjectId,
    StructureId,
    Reason,
    Details,
    ReporterId,
    ClientKey,
    State,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
    Resolution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER.
        for table in LISTING_TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(string(Alias::new("freshness")).default("fresh"))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(integer(Alias::new("reminder_step")).default(0))
                        .to_owned(),
                )
                .await?;
            // The sweep reads only listings confirmed long enough ago.
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_verified_at"))
                        .table(Alias::new(table))
                        .col(Alias::new("verified_at"))
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(RefreshLinks::Table)
                    .col(pk_uuid(RefreshLinks::Id))
                    .col(string(RefreshLinks::SubjectType))
                    .col(uuid(RefreshLinks::SubjectId))
                    .col(uuid(RefreshLinks::UserId))
                    .col(timestamp_with_time_zone(RefreshLinks::CycleVerifiedAt))
                    .col(timestamp_with_time_zone(RefreshLinks::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshLinks::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_links_subject")
                    .table(RefreshLinks::Table)
                    .col(RefreshLinks::SubjectId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MailQueue::Table)
                    .col(pk_uuid(MailQueue::Id))
                    .col(string(MailQueue::Kind))
                    .col(string(MailQueue::Recipient))
                    .col(string_null(MailQueue::RecipientName))
                    .col(string(MailQueue::Subject))
                    .col(text(MailQueue::BodyText))
                    .col(text(MailQueue::BodyHtml))
                    .col(string(MailQueue::State))
                    .col(integer(MailQueue::Attempts).default(0))
                    .col(timestamp_with_time_zone(MailQueue::CreatedAt))
                    .col(timestamp_with_time_zone(MailQueue::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(MailQueue::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(MailQueue::SentAt))
                    .col(text_null(MailQueue::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_queue_due")
                    .table(MailQueue::Table)
                    .col(MailQueue::State)
                    .col(MailQueue::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_queue_recipient")
                    .table(MailQueue::Table)
                    .col(MailQueue::Recipient)
                    .col(MailQueue::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_queue_sent_at")
                    .table(MailQueue::Table)
                    .col(MailQueue::SentAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(pk_uuid(Reports::Id))
                    .col(string(Reports::SubjectType))
                    .col(uuid(Reports::SubjectId))
                    .col(uuid(Reports::StructureId))
                    .col(string(Reports::Reason))
                    .col(text_null(Reports::Details))
                    .col(uuid_null(Reports::ReporterId))
                    .col(string(Reports::ClientKey))
                    .col(string(Reports::State))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .col(timestamp_with_time_zone_null(Reports::ResolvedAt))
                    .col(uuid_null(Reports::ResolvedBy))
                    .col(text_null(Reports::Resolution))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_client")
                    .table(Reports::Table)
                    .col(Reports::ClientKey)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_state")
                    .table(Reports::Table)
                    .col(Reports::State)
                    .col(Reports::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}

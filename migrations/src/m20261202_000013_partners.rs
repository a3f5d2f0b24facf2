//! Partners: API keys (only a hash stored) with scopes and quotas, requests counted per
//! key and minute and per key and day (shared by every instance), webhooks with their
//! signing secret, and deliveries queued beside the change they announce. The change log
//! gets an index on its time, so that entries past the retention can be pruned.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
    Name,
    ContactEmail,
    KeyPrefix,
    KeyHash,
    Scopes,
    QuotaPerMinute,
    QuotaPerDay,
    CreatedAt,
    RotatedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PartnerMinutes {
    Table,
    PartnerId,
    Minute,
    Requests,
}

#[derive(DeriveIden)]
enum PartnerUsage {
    Table,
    PartnerId,
    Day,
    Requests,
    Refused,
}

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    PartnerId,
    Url,
    Events,
    Secret,
    CreatedAt,
    ConsecutiveFailures,
    DisabledAt,
    DisabledReason,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    ChangeSeq,
    Event,
    State,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    Body,
    LastStatus,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    At,
}

/// How far the change log was pruned: a feed cursor before that must start again.
#[derive(DeriveIden)]
enum ChangeLogPruned {
    Table,
    Id,
    ThroughSeq,
}

fn partner_fk(
    from: impl IntoIden + 'static,
    table: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, from)
        .to(Partners::Table, Partners::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Partners::Table)
                    .col(uuid(Partners::Id).primary_key())
                    .col(string(Partners::Name))
                    .col(string_null(Partners::ContactEmail))
                    .col(string(Partners::KeyPrefix))
                    .col(string(Partners::KeyHash).unique_key())
                    .col(string(Partners::Scopes))
                    .col(integer(Partners::QuotaPerMinute))
                    .col(integer(Partners::QuotaPerDay))
                    .col(timestamp_with_time_zone(Partners::CreatedAt))
                    .col(timestamp_with_time_zone_null(Partners::RotatedAt))
                    .col(timestamp_with_time_zone_null(Partners::RevokedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PartnerMinutes::Table)
                    .col(uuid(PartnerMinutes::PartnerId))
                    .col(big_integer(PartnerMinutes::Minute))
                    .col(integer(PartnerMinutes::Requests))
                    .primary_key(
                        Index::create()
                            .col(PartnerMinutes::PartnerId)
                            .col(PartnerMinutes::Minute),
                    )
                    .foreign_key(&mut partner_fk(
                        PartnerMinutes::PartnerId,
                        PartnerMinutes::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PartnerUsage::Table)
                    .col(uuid(PartnerUsage::PartnerId))
                    .col(string(PartnerUsage::Day))
                    .col(big_integer(PartnerUsage::Requests))
                    .col(big_integer(PartnerUsage::Refused))
                    .primary_key(
                        Index::create()
                            .col(PartnerUsage::PartnerId)
                            .col(PartnerUsage::Day),
                    )
                    .foreign_key(&mut partner_fk(
                        PartnerUsage::PartnerId,
                        PartnerUsage::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Webhooks::Table)
                    .col(uuid(Webhooks::Id).primary_key())
                    .col(uuid(Webhooks::PartnerId))
                    .col(string(Webhooks::Url))
                    .col(string(Webhooks::Events))
                    .col(string(Webhooks::Secret))
                    .col(timestamp_with_time_zone(Webhooks::CreatedAt))
                    .col(integer(Webhooks::ConsecutiveFailures))
                    .col(timestamp_with_time_zone_null(Webhooks::DisabledAt))
                    .col(string_null(Webhooks::DisabledReason))
                    .foreign_key(&mut partner_fk(Webhooks::PartnerId, Webhooks::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhooks_partner")
                    .table(Webhooks::Table)
                    .col(Webhooks::PartnerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebhookDeliveries::Table)
                    .col(uuid(WebhookDeliveries::Id).primary_key())
                    .col(uuid(WebhookDeliveries::WebhookId))
                    .col(big_integer(WebhookDeliveries::ChangeSeq))
                    .col(string(WebhookDeliveries::Event))
                    .col(string(WebhookDeliveries::State))
                    .col(integer(WebhookDeliveries::Attempts))
                    .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::ClaimedUntil,
                    ))
                    .col(text_null(WebhookDeliveries::Body))
                    .col(integer_null(WebhookDeliveries::LastStatus))
                    .col(string_null(WebhookDeliveries::LastError))
                    .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                    .col(timestamp_with_time_zone_null(
                        WebhookDeliveries::DeliveredAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebhookDeliveries::Table, WebhookDeliveries::WebhookId)
                            .to(Webhooks::Table, Webhooks::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_due")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::State)
                    .col(WebhookDeliveries::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_deliveries_webhook")
                    .table(WebhookDeliveries::Table)
                    .col(WebhookDeliveries::WebhookId)
                    .col(WebhookDeliveries::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChangeLogPruned::Table)
                    .col(integer(ChangeLogPruned::Id).primary_key())
                    .col(big_integer(ChangeLogPruned::ThroughSeq))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_at")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_change_log_at")
                    .table(ChangeLog::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            ChangeLogPruned::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            Webhooks::Table.into_iden(),
            PartnerUsage::Table.into_iden(),
            PartnerMinutes::Table.into_iden(),
            Partners::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

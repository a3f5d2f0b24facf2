//! Evaluations of services on objective criteria by the people who used them: the answers
//! (no public free text; a comment for the structure and moderators only), the outcome of
//! the plausibility check (counted or held, and the weight), the structure's public
//! response, and the waves of "contact wrong" answers that sent the service back into the
//! refresh workflow (so that each wave does it once).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Evaluations {
    Table,
    Id,
    ServiceId,
    /// Cleared when the account is erased: the answers stay in the figures, unattributed.
    AccountId,
    CreatedAt,
    ContactCorrect,
    /// Days before an answer (0–60); null with `no_answer` when none came.
    AnswerDays,
    NoAnswer,
    FreeAsListed,
    Accessible,
    /// 1–4.
    InformationClear,
    WouldRecommend,
    Comment,
    /// How much the evaluation weighs in the shares (less for a new account).
    Weight,
    NewAccount,
    /// `counted` or `held`.
    State,
    /// Why it was held (`burst`), kept after its release.
    HoldReason,
    HeldUntil,
    CountedAt,
}

#[derive(DeriveIden)]
enum EvaluationResponses {
    Table,
    ServiceId,
    Body,
    AuthorId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EvaluationWaves {
    Table,
    Id,
    ServiceId,
    TriggeredAt,
    /// Distinct accounts that said the contact was wrong in this wave.
    Accounts,
}

fn service_fk(
    from: impl IntoIden + 'static,
    table: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, from)
        .to(Alias::new("services"), Alias::new("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn user_fk(
    from: impl IntoIden + 'static,
    table: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, from)
        .to(Alias::new("users"), Alias::new("id"))
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Evaluations::Table)
                    .col(pk_uuid(Evaluations::Id))
                    .col(uuid(Evaluations::ServiceId))
                    .col(uuid_null(Evaluations::AccountId))
                    .col(timestamp_with_time_zone(Evaluations::CreatedAt))
                    .col(boolean_null(Evaluations::ContactCorrect))
                    .col(integer_null(Evaluations::AnswerDays))
                    .col(boolean(Evaluations::NoAnswer).default(false))
                    .col(boolean_null(Evaluations::FreeAsListed))
                    .col(boolean_null(Evaluations::Accessible))
                    .col(integer_null(Evaluations::InformationClear))
                    .col(boolean_null(Evaluations::WouldRecommend))
                    .col(text_null(Evaluations::Comment))
                    .col(double(Evaluations::Weight))
                    .col(boolean(Evaluations::NewAccount).default(false))
                    .col(string(Evaluations::State))
                    .col(string_null(Evaluations::HoldReason))
                    .col(timestamp_with_time_zone_null(Evaluations::HeldUntil))
                    .col(timestamp_with_time_zone_null(Evaluations::CountedAt))
                    .foreign_key(&mut service_fk(Evaluations::ServiceId, Evaluations::Table))
                    .foreign_key(&mut user_fk(Evaluations::AccountId, Evaluations::Table))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_evaluations_service",
                vec![Evaluations::ServiceId, Evaluations::CreatedAt],
            ),
            (
                "idx_evaluations_account",
                vec![Evaluations::AccountId, Evaluations::CreatedAt],
            ),
            (
                "idx_evaluations_held",
                vec![Evaluations::State, Evaluations::HeldUntil],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(Evaluations::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(EvaluationResponses::Table)
                    .col(pk_uuid(EvaluationResponses::ServiceId))
                    .col(text(EvaluationResponses::Body))
                    .col(uuid_null(EvaluationResponses::AuthorId))
                    .col(timestamp_with_time_zone(EvaluationResponses::CreatedAt))
                    .col(timestamp_with_time_zone(EvaluationResponses::UpdatedAt))
                    .foreign_key(&mut service_fk(
                        EvaluationResponses::ServiceId,
                        EvaluationResponses::Table,
                    ))
                    .foreign_key(&mut user_fk(
                        EvaluationResponses::AuthorId,
                        EvaluationResponses::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EvaluationWaves::Table)
                    .col(pk_uuid(EvaluationWaves::Id))
                    .col(uuid(EvaluationWaves::ServiceId))
                    .col(timestamp_with_time_zone(EvaluationWaves::TriggeredAt))
                    .col(integer(EvaluationWaves::Accounts))
                    .foreign_key(&mut service_fk(
                        EvaluationWaves::ServiceId,
                        EvaluationWaves::Table,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_evaluation_waves_service")
                    .table(EvaluationWaves::Table)
                    .col(EvaluationWaves::ServiceId)
                    .col(EvaluationWaves::TriggeredAt)
                    .to_owned(),
            )
            .await
    }
}

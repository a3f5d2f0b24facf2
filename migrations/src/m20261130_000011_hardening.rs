//! A bad day: verified e-mail addresses, single-use links sent by mail (address
//! verification, password reset), invitations to join a structure, sign-in failures
//! counted per account and per address, and the words of listing names that duplicate
//! detection looks up; the time each help offer waited for its first answer, so that
//! indicators are counted by the database.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    EmailVerifiedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccountLinks {
    Table,
    Id,
    UserId,
    Purpose,
    PasswordHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    StructureId,
    Email,
    Role,
    InvitedBy,
    CreatedAt,
    ExpiresAt,
    State,
    AnsweredAt,
}

#[derive(DeriveIden)]
enum SignInThrottle {
    Table,
    Key,
    Failures,
    LastFailureAt,
    BlockedUntil,
}

#[derive(DeriveIden)]
enum RevisionNameWords {
    Table,
    RevisionId,
    Word,
}

#[derive(DeriveIden)]
enum MailQueue {
    Table,
    Recipient,
    State,
    CreatedAt,
}

#[derive(DeriveIden)]
enum HelpOffers {
    Table,
    Id,
    CreatedAt,
    ScreenedAt,
    FirstAnswerMinutes,
}

/// Offers already screened get their time to a first answer.
async fn backfill_first_answers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::prelude::{DateTimeUtc, Uuid};
    let db = manager.get_connection();
    let select = Query::select()
        .columns([
            HelpOffers::Id,
            HelpOffers::CreatedAt,
            HelpOffers::ScreenedAt,
        ])
        .from(HelpOffers::Table)
        .and_where(Expr::col(HelpOffers::ScreenedAt).is_not_null())
        .to_owned();
    for row in db.query_all(&select).await? {
        let id: Uuid = row.try_get("", "id")?;
        let created: DateTimeUtc = row.try_get("", "created_at")?;
        let screened: DateTimeUtc = row.try_get("", "screened_at")?;
        let update = Query::update()
            .table(HelpOffers::Table)
            .value(
                HelpOffers::FirstAnswerMinutes,
                (screened - created).num_minutes(),
            )
            .and_where(Expr::col(HelpOffers::Id).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}

#[derive(DeriveIden)]
enum Revisions {
    Table,
    Id,
    NameKey,
}

/// The words of a name key, and its first and last four letters: what duplicate detection
/// looks names up by. (A copy of the rule as it stood when this migration was written.)
fn name_tokens(key: &str) -> Vec<String> {
    let mut tokens: Vec<String> = key
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let letters: Vec<char> = key.chars().filter(|c| *c != ' ').collect();
    if letters.len() >= 4 {
        tokens.push(format!("^{}", letters[..4].iter().collect::<String>()));
        tokens.push(format!(
            "${}",
            letters[letters.len() - 4..].iter().collect::<String>()
        ));
    }
    tokens.sort();
    tokens.dedup();
    tokens
}

/// Existing revisions get their name words, a few hundred rows per statement.
async fn backfill_name_words(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let select = Query::select()
        .columns([Revisions::Id, Revisions::NameKey])
        .from(Revisions::Table)
        .to_owned();
    let rows = db.query_all(&select).await?;
    let mut pending: Vec<(Value, String)> = Vec::new();
    for row in rows {
        let id: sea_orm_migration::sea_orm::prelude::Uuid = row.try_get("", "id")?;
        let key: String = row.try_get("", "name_key")?;
        for t in name_tokens(&key) {
            pending.push((id.into(), t));
        }
    }
    for chunk in pending.chunks(300) {
        let mut insert = Query::insert()
            .into_table(RevisionNameWords::Table)
            .columns([RevisionNameWords::RevisionId, RevisionNameWords::Word])
            .to_owned();
        for (id, word) in chunk {
            insert.values_panic([id.clone().into(), word.clone().into()]);
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(Users::EmailVerifiedAt))
                    .to_owned(),
            )
            .await?;
        // Accounts made before verification existed were made by their owners or by
        // operators: they keep signing in.
        manager
            .exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(Users::EmailVerifiedAt, Expr::col(Users::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountLinks::Table)
                    .col(pk_uuid(AccountLinks::Id))
                    .col(uuid(AccountLinks::UserId))
                    .col(string(AccountLinks::Purpose))
                    // A registration's password waits here until its address is verified.
                    .col(string_null(AccountLinks::PasswordHash))
                    .col(timestamp_with_time_zone(AccountLinks::CreatedAt))
                    .col(timestamp_with_time_zone(AccountLinks::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountLinks::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_links_user")
                            .from(AccountLinks::Table, AccountLinks::UserId)
                            .to(Users::Table, Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_links_user")
                    .table(AccountLinks::Table)
                    .col(AccountLinks::UserId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(uuid(Invitations::StructureId))
                    .col(string(Invitations::Email))
                    .col(string(Invitations::Role))
                    .col(uuid_null(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(string(Invitations::State))
                    .col(timestamp_with_time_zone_null(Invitations::AnsweredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_invitations_structure")
                            .from(Invitations::Table, Invitations::StructureId)
                            .to(Alias::new("structures"), Alias::new("id"))
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_invitations_email", Invitations::Email),
            ("idx_invitations_structure", Invitations::StructureId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Invitations::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(SignInThrottle::Table)
                    .col(string(SignInThrottle::Key).primary_key())
                    .col(integer(SignInThrottle::Failures))
                    .col(timestamp_with_time_zone(SignInThrottle::LastFailureAt))
                    .col(timestamp_with_time_zone_null(SignInThrottle::BlockedUntil))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RevisionNameWords::Table)
                    .col(uuid(RevisionNameWords::RevisionId))
                    .col(string(RevisionNameWords::Word))
                    .primary_key(
                        Index::create()
                            .col(RevisionNameWords::RevisionId)
                            .col(RevisionNameWords::Word),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_revision_name_words_revision")
                            .from(RevisionNameWords::Table, RevisionNameWords::RevisionId)
                            .to(Revisions::Table, Revisions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revision_name_words_word")
                    .table(RevisionNameWords::Table)
                    .col(RevisionNameWords::Word)
                    .col(RevisionNameWords::RevisionId)
                    .to_owned(),
            )
            .await?;
        backfill_name_words(manager).await?;

        manager
            .alter_table(
                Table::alter()
                    .table(HelpOffers::Table)
                    .add_column(big_integer_null(HelpOffers::FirstAnswerMinutes))
                    .to_owned(),
            )
            .await?;
        backfill_first_answers(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_help_offers_first_answer")
                    .table(HelpOffers::Table)
                    .col(HelpOffers::FirstAnswerMinutes)
                    .to_owned(),
            )
            .await?;
        // A recipient's share of mail is counted by state, skipping what was held back.
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_queue_recipient_state")
                    .table(MailQueue::Table)
                    .col(MailQueue::Recipient)
                    .col(MailQueue::State)
                    .col(MailQueue::CreatedAt)
                    .to_owned(),
            )
            .await
    }
}

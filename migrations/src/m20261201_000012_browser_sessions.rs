//! Browser sessions: the cookie a signed-in person's browser presents names one account
//! session (so signing out, a password change or a disabled account end it with the API's
//! tokens), with the anti-forgery token of its forms and when it was last used.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BrowserSessions {
    Table,
    TokenHash,
    SessionId,
    CsrfToken,
    CreatedAt,
    LastSeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BrowserSessions::Table)
                    .col(string(BrowserSessions::TokenHash).primary_key())
                    .col(uuid(BrowserSessions::SessionId))
                    .col(string(BrowserSessions::CsrfToken))
                    .col(timestamp_with_time_zone(BrowserSessions::CreatedAt))
                    .col(timestamp_with_time_zone(BrowserSessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_browser_sessions_session")
                            .from(BrowserSessions::Table, BrowserSessions::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_browser_sessions_session")
                    .table(BrowserSessions::Table)
                    .col(BrowserSessions::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BrowserSessions::Table).to_owned())
            .await
    }
}

//! A project's success story is a progress update of its own kind.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("project_updates"))
                    .add_column(string(Alias::new("kind")).default("update"))
                    .to_owned(),
            )
            .await
    }
}

//! Pages of public listings walk the primary key. With an index on `status` alone, SQLite
//! chose it for `status IN (…) AND id > ? ORDER BY id LIMIT n` and sorted every public
//! listing for each page, so that reading them all (a search index rebuild, a partner
//! paging through the directory) took quadratic time. Without it, both databases walk
//! the key from the cursor and skip the few listings that are not public.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 3] = [
    ("idx_structures_status", "structures"),
    ("idx_services_status", "services"),
    ("idx_projects_status", "projects"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new(table))
                        .col(Alias::new("status"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

//! Agora's schema. One migration per change; an applied migration is never edited or
//! renamed, and none is generated from today's entities. Each runs on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261101_000001_accounts;
mod m20261101_000002_registry;
mod m20261101_000003_moderation;
mod m20261101_000004_vocabularies;
mod m20261124_000005_commune_centroids;
mod m20261124_000006_listing_pages_by_id;
mod m20261125_000007_keeping_it_true;
mod m20261125_000008_label;
mod m20261125_000009_help_offers;
mod m20261125_000010_success_stories;
mod m20261130_000011_hardening;
mod m20261201_000012_browser_sessions;
mod m20261202_000013_partners;
mod m20261202_000014_imports;
mod m20261203_000015_events;
mod m20261203_000016_evaluations;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261101_000001_accounts::Migration),
            Box::new(m20261101_000002_registry::Migration),
            Box::new(m20261101_000003_moderation::Migration),
            Box::new(m20261101_000004_vocabularies::Migration),
            Box::new(m20261124_000005_commune_centroids::Migration),
            Box::new(m20261124_000006_listing_pages_by_id::Migration),
            Box::new(m20261125_000007_keeping_it_true::Migration),
            Box::new(m20261125_000008_label::Migration),
            Box::new(m20261125_000009_help_offers::Migration),
            Box::new(m20261125_000010_success_stories::Migration),
            Box::new(m20261130_000011_hardening::Migration),
            Box::new(m20261201_000012_browser_sessions::Migration),
            Box::new(m20261202_000013_partners::Migration),
            Box::new(m20261202_000014_imports::Migration),
            Box::new(m20261203_000015_events::Migration),
            Box::new(m20261203_000016_evaluations::Migration),
        ]
    }
}

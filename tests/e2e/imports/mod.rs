//! Imports from the RNA and data·inclusion: into the moderation queue, never to the public.

mod binary;
mod data_inclusion;
mod rna;
pub mod sample;

use crate::common::TestApp;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

/// Every row of every table as text, to look for what must never be stored.
pub async fn all_text(app: &TestApp) -> String {
    let db = &app.ctx.db;
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "name").unwrap())
        .collect();
    let mut out = String::new();
    for table in tables {
        // Table names come from the catalogue.
        let sql = match backend {
            DbBackend::Postgres => {
                format!("SELECT coalesce(string_agg(t::text, '|'), '') AS text FROM {table} t")
            }
            _ => {
                let columns: Vec<String> = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{table}')"),
                    ))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| format!("quote({})", r.try_get::<String>("", "name").unwrap()))
                    .collect();
                format!(
                    "SELECT coalesce(group_concat({}, '|'), '') AS text FROM {table}",
                    columns.join(" || ',' || ")
                )
            }
        };
        let text = db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .map(|r| r.try_get::<String>("", "text").unwrap())
            .unwrap_or_default();
        out.push_str(&text);
        out.push('\n');
    }
    out
}

//! Agora's persistence on SQLite or PostgreSQL: connection set-up, migrations, and one
//! repository module per aggregate. Repositories take any connection, so the service layer
//! composes them inside one transaction; every write that the public can observe also
//! appends to the change log in that same transaction.

pub mod account_links;
pub mod accounts;
pub mod audit;
pub mod browser_sessions;
pub mod changes;
pub mod coverage;
pub mod db;
mod entities;
mod error;
pub mod evaluations;
pub mod events;
pub mod geography;
pub mod help;
pub mod imports;
pub mod invitations;
pub mod label;
pub mod listings;
pub mod mail_queue;
pub mod meetings;
pub mod memberships;
pub mod operations;
pub mod partners;
pub mod project_updates;
pub mod refresh_links;
pub mod reports;
pub mod revisions;
pub mod throttle;
pub mod vocabularies;
pub mod webhooks;

pub use db::{Backend, backend_of, connect, migrate};
pub use error::StoreError;
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};

pub type Result<T> = std::result::Result<T, StoreError>;

//! Agora's use cases: one function per thing a user does. Each checks the caller's rights
//! and the domain's rules, writes in one transaction (with its audit and change-log entries)
//! and returns a typed error. The API and the command line both call this layer only.

mod access;
pub mod accounts;
pub mod audit;
pub mod authorize;
pub mod bootstrap;
mod context;
mod error;
pub mod evaluations;
pub mod events;
pub mod exports;
pub mod feed;
pub mod figures;
pub mod geography;
pub mod help;
pub mod imports;
pub mod invitations;
pub mod label;
pub mod mail;
pub mod meetings;
pub mod members;
pub mod moderation;
pub mod ops;
pub mod pagination;
pub mod partners;
pub mod passwords;
pub mod privacy;
pub mod refresh;
pub mod registry;
mod render;
pub mod reports;
pub mod schedule;
pub mod search;
pub mod shutdown;
pub mod tokens;
pub mod views;
pub mod webhooks;

pub use context::{Actor, Context, Geography, Settings, UserActor};
pub use error::ServiceError;
pub use passwords::PASSWORD_PARAMS;

pub type Result<T> = std::result::Result<T, ServiceError>;

//! Black-box end-to-end tests: the real application on a random port, driven over HTTP,
//! each database test on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod accounts;
mod backup;
mod binary;
mod browser;
mod check_config;
mod errors;
mod evaluations;
mod events;
mod exports;
mod help;
mod help_indicators;
mod imports;
mod label;
mod mail;
mod meetings;
mod metrics;
mod moderation;
mod openapi;
mod partners;
mod portal;
mod recovery;
mod refresh;
mod registry;
mod reports;
mod roles;
mod scanners;
mod search;
mod search_understanding;
mod shutdown;
mod sign_in;
mod tokens;
mod visibility;
mod workspace;

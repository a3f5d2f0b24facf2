//! The `agora` program: configuration, start-up and the demo data set. `main.rs` is only
//! the command line over these.

pub mod app;
pub mod backup;
pub mod check;
pub mod config;
pub mod demo;
pub mod demo_events;
pub mod demo_meetings;
pub mod graceful;
pub mod healthcheck;
pub mod import;
pub mod logging;

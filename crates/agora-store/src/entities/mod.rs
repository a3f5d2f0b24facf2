//! sea-orm entities, one per table. They mirror the migrations; repositories turn their
//! rows into typed records so that nothing above this crate handles raw columns.

pub mod account_links;
pub mod audit_log;
pub mod browser_sessions;
pub mod change_log;
pub mod change_log_pruned;
pub mod committee_seats;
pub mod commune_centroids;
pub mod contributor_profiles;
pub mod coverage_zones;
pub mod help_offers;
pub mod imported_listings;
pub mod invitations;
pub mod label_applications;
pub mod label_reviews;
pub mod mail_queue;
pub mod memberships;
pub mod partner_minutes;
pub mod partner_usage;
pub mod partners;
pub mod project_updates;
pub mod projects;
pub mod refresh_links;
pub mod refresh_tokens;
pub mod reports;
pub mod revision_name_words;
pub mod revisions;
pub mod services;
pub mod sessions;
pub mod sign_in_throttle;
pub mod structures;
pub mod users;
pub mod vocabularies;
pub mod webhook_deliveries;
pub mod webhooks;

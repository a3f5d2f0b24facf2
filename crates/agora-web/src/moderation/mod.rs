//! `/moderation`, for INCa's moderators: the queue oldest first (filtered by kind and
//! state), each item beside its published version with the changed fields highlighted and
//! its likely duplicates, and the decision with the reason as the mail will say it; reports
//! to resolve; help offers to screen (health information shown only here, each read
//! audited by the service); listings by freshness; the audit trail of a listing. Every page
//! and form is for moderators only, checked by the services as on the API.

mod item;
mod label;
mod offers;
mod queue;
mod reports;
mod trail;

pub use item::{decide, page as item};
pub use label::{act as label_act, page as label};
pub use offers::{page as offers, screen};
pub use queue::page as queue;
pub use reports::{page as reports, resolve};
pub use trail::{freshness, page as trail};

use agora_domain::SubjectType;

pub fn subject_words(s: SubjectType) -> &'static str {
    match s {
        SubjectType::Structure => "structure",
        SubjectType::Service => "service",
        SubjectType::Project => "projet",
        SubjectType::ProjectUpdate => "nouvelles d'un projet",
        SubjectType::User => "compte",
        SubjectType::Event => "événement",
    }
}

//! `/espace`: a member's structures and everything under them, with where each listing
//! stands (draft, in review, published, changes asked with the moderator's reason,
//! refused), how fresh it is and when it must next be confirmed; the forms to write them;
//! one-click confirmation; a project's pause, resumption and completion; help offers
//! received; members and invitations. Every action goes through the service the API
//! calls, with the person's own rights.

mod actions;
pub mod content_form;
mod dashboard;
mod edit;
mod form_view;
pub mod label;
mod listing_page;

pub use actions::{
    answer_invitation, answer_offer, confirm, invite, project_action, project_news, remove_member,
    submit,
};
pub use dashboard::page as dashboard;
pub use edit::{create_child, create_structure, edit_form, new_child, new_structure, update};
pub use label::apply as apply_for_label;
pub use listing_page::page as listing;
pub use listing_page::render as render_listing;

use agora_domain::{Freshness, ListingKind, ListingStatus, MemberRole, RevisionState};

/// The path segment of a kind in the workspace's addresses (the public pages' words).
pub fn segment(kind: ListingKind) -> &'static str {
    match kind {
        ListingKind::Structure => "structures",
        ListingKind::Service => "services",
        ListingKind::Project => "projets",
    }
}

pub fn kind_of(segment: &str) -> Option<ListingKind> {
    match segment {
        "structures" => Some(ListingKind::Structure),
        "services" => Some(ListingKind::Service),
        "projets" => Some(ListingKind::Project),
        _ => None,
    }
}

pub fn kind_noun(kind: ListingKind) -> &'static str {
    match kind {
        ListingKind::Structure => "structure",
        ListingKind::Service => "service",
        ListingKind::Project => "projet",
    }
}

pub fn role_label(role: &MemberRole) -> &'static str {
    match role {
        MemberRole::Owner => "responsable",
        MemberRole::Editor => "rédaction",
    }
}

/// Where a listing stands, in words, with the design system's badge colour.
pub fn status_badge(
    status: ListingStatus,
    review: Option<RevisionState>,
) -> (&'static str, &'static str) {
    match (status, review) {
        (_, Some(RevisionState::ChangesRequested)) => ("Modifications demandées", "warning"),
        (ListingStatus::Rejected, _) | (_, Some(RevisionState::Rejected))
            if status != ListingStatus::Published =>
        {
            ("Refusée", "error")
        }
        (ListingStatus::Published, Some(RevisionState::Pending)) => {
            ("Publiée — modifications en relecture", "info")
        }
        (ListingStatus::Published, Some(RevisionState::Draft)) => {
            ("Publiée — modifications non envoyées", "new")
        }
        (ListingStatus::Published, _) => ("Publiée", "success"),
        (ListingStatus::Pending, _) => ("En attente de relecture", "info"),
        (ListingStatus::Draft, _) => ("Brouillon", "new"),
        (ListingStatus::ChangesRequested, _) => ("Modifications demandées", "warning"),
        (ListingStatus::Rejected, _) => ("Refusée", "error"),
        (ListingStatus::Paused, _) => ("En pause", "new"),
        (ListingStatus::Completed, _) => ("Terminé", "success"),
        (ListingStatus::Archived, _) => ("Retirée", "new"),
    }
}

pub fn freshness_words(f: Freshness) -> &'static str {
    match f {
        Freshness::Fresh => "à jour",
        Freshness::Stale => "à actualiser (affichée plus bas dans les résultats)",
        Freshness::Hidden => "masquée du public faute de confirmation",
    }
}

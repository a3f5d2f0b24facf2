//! An event's speed meetings in the workspace: a participant's page (wishes, unavailable
//! rounds, their own schedule, follow-ups and the six-month feedback), the organising
//! committee's page (pins and bans, running and publishing the schedule, its quality), the
//! printable table plan (HTML and PDF), and the counts shown on the event's page and in
//! `/indicateurs`. Every page calls the same use cases as the API, with the person's own
//! rights: a participant never sees more than their own meetings.

mod committee;
mod fragment;
mod participant;
mod plan;

pub use committee::{act as committee_act, page as committee_page};
pub use fragment::{IndicatorsSection, event_fragment, indicators_section};
pub use participant::{answer as participant_answer, page as participant_page, preferences};
pub use plan::{page as plan_page, pdf as plan_pdf};

use actix_web::web;
use uuid::Uuid;

/// The pages' routes (added to the portal's).
pub fn routes(cfg: &mut web::ServiceConfig) {
    let base = "/espace/evenements/{id}/rencontres";
    cfg.route(base, web::get().to(participant_page))
        .route(&format!("{base}/souhaits"), web::post().to(preferences))
        .route(
            &format!("{base}/organisation"),
            web::get().to(committee_page),
        )
        .route(
            &format!("{base}/organisation/{{action:calculer|publier|contrainte|retirer}}"),
            web::post().to(committee_act),
        )
        .route(&format!("{base}/plan"), web::get().to(plan_page))
        .route(&format!("{base}/plan.pdf"), web::get().to(plan_pdf))
        .route(
            &format!("{base}/{{meeting}}/{{action:suite|retour}}"),
            web::post().to(participant_answer),
        );
}

/// The participant's page of an event's speed meetings.
pub fn participant_href(event: Uuid) -> String {
    agora_service::meetings::participant_path(event)
}

/// The committee's page.
pub fn committee_href(event: Uuid) -> String {
    format!("/espace/evenements/{event}/rencontres/organisation")
}

pub fn plan_href(event: Uuid) -> String {
    format!("/espace/evenements/{event}/rencontres/plan")
}

/// "Rencontre 3" for round 2 (rounds are numbered from 0, people count from 1).
pub fn round_label(round: u32) -> String {
    format!("Rencontre {}", round + 1)
}

/// The event named by the path (an id that is not one names nothing).
fn event_id(raw: &str) -> Option<Uuid> {
    Uuid::parse_str(raw).ok()
}

/// The région's name, for people.
fn region_name(code: Option<&str>) -> String {
    code.and_then(agora_geo::region)
        .map(|r| r.name.to_owned())
        .unwrap_or_default()
}

//! Je propose mon aide: a contributor's profile and their offer to the IRFC's project.

use super::ids::{CONTRIBUTOR, OFFER, PROJECT};
use super::listings::STRUCTURE_NAME;
use serde_json::{Value, json};

const CONTRIBUTOR_EMAIL: &str = "nadia.lefevre@example.org";

pub fn profile() -> Value {
    json!({
        "skills": ["experience-patient", "redaction"],
        "experience_kind": "patient",
        "experience": "Cancer du sein traité en 2022 ; reprise du travail à mi-temps thérapeutique en 2023.",
        "consent": true,
        "region": "27",
        "availability": "Deux soirs par semaine, en visioconférence ou à Besançon.",
        "contact_channel": "email"
    })
}

pub fn offer_input() -> Value {
    json!({
        "message": "Revenue au travail en 2023 après un cancer du sein, je veux bien raconter comment s'est passé mon mi-temps thérapeutique.",
        "skills": ["experience-patient"],
        "wants": "introduction",
        "contact": {"email": CONTRIBUTOR_EMAIL, "phone": "06 12 34 56 78"},
        "health_info": "Cancer du sein traité en 2022, en rémission.",
        "health_consent": true
    })
}

/// The offer as its contributor (or the project's members) see it, in `state`.
pub fn offer(state: &str) -> Value {
    json!({
        "id": OFFER,
        "project": {"id": PROJECT, "title": "Témoignages de patients pour les séances ONCONNECTE"},
        "state": state,
        "message": offer_input()["message"],
        "skills": ["experience-patient"],
        "wants": "introduction",
        "created_at": "2026-03-03T20:15:00Z"
    })
}

pub fn offer_for_moderators() -> Value {
    offer_for_moderators_in("submitted")
}

/// The offer as moderators screen it, in `state`.
pub fn offer_for_moderators_in(state: &str) -> Value {
    let mut offer = offer(state);
    offer["moderation"] = json!({
        "contributor_id": CONTRIBUTOR,
        "contributor_name": "Nadia Lefèvre",
        "contact_email": CONTRIBUTOR_EMAIL,
        "contact_phone": "06 12 34 56 78",
        "health_info": "Cancer du sein traité en 2022, en rémission.",
        "history": {"closed": 1},
        "notes": screen_note()["note"]
    });
    if state == "declined" {
        offer["decline_reason"] = decline_input()["reason"].clone();
    }
    offer
}

pub fn screen_note() -> Value {
    json!({"note": "Profil adapté : expérience du retour au travail, disponible en soirée."})
}

pub fn decline_input() -> Value {
    json!({
        "reason": "Le projet a déjà réuni les témoignages dont il avait besoin ; d'autres projets de Franche-Comté cherchent des personnes comme vous.",
        "note": "Proposer le projet Alex (tests utilisateurs) à la contributrice."
    })
}

pub fn connected_offer() -> Value {
    let mut offer = offer("connected");
    offer["contact"] = json!({
        "name": "Nadia Lefèvre",
        "email": CONTRIBUTOR_EMAIL,
        "phone": "06 12 34 56 78"
    });
    offer
}

pub fn close_input() -> Value {
    json!({"outcome": "successful", "note": "Entretien filmé le 24 mars à Besançon ; le témoignage ouvrira la séance d'avril."})
}

pub fn closed_offer() -> Value {
    let mut offer = offer("closed");
    offer["outcome"] = json!("successful");
    offer["contact"] = json!({
        "name": "Camille Martin",
        "email": "camille.martin@example.org",
        "structure": STRUCTURE_NAME
    });
    offer
}

pub fn stats() -> Value {
    json!({
        "code_region": "27",
        "offers_by_state": {"submitted": 4, "forwarded": 3, "connected": 9, "closed": 12, "declined": 2, "refused": 1, "expired": 1},
        "median_hours_to_first_answer": 20.5,
        "projects_with_contributors": 7
    })
}

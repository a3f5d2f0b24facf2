//! Community events: the Cancerthon 2027 in Paris, its organising committee (chaired by
//! the moderator, joined by the committee member), and the IRFC applying to take part
//! with its project looking for testimonies.

use super::ids::{EVENT, EVENT_APPLICATION, MODERATOR, OWNER, PROJECT, REVIEWER, STRUCTURE};
use super::listings::STRUCTURE_NAME;
use serde_json::{Value, json};

pub fn event_input() -> Value {
    json!({
        "kind": "cancerthon",
        "title": "Cancerthon 2027",
        "summary": "La journée annuelle des associations signataires de la charte : mettre en commun des moyens, trouver des ressources, gagner en visibilité. Table ronde plénière, rencontres express entre projets et associations, ateliers.",
        "charter_version": "2024",
        "starts_at": "2027-03-18T08:30:00Z",
        "ends_at": "2027-03-18T17:00:00Z",
        "mode": "on_site",
        "venue": "Centre de conférences ministériel",
        "commune_code": "75056",
        "orientations": [
            "Mettre en commun les moyens des associations",
            "Trouver des ressources et des financements",
            "Gagner en visibilité auprès des patients et des soignants"
        ],
        "applications_close_at": "2027-02-15T23:00:00Z",
        "speed_meetings": {"rounds": 8, "round_minutes": 7, "tables": 40, "starts_at": "2027-03-18T13:30:00Z"}
    })
}

pub fn event_patch() -> Value {
    json!({"venue": "Centre de conférences ministériel, salle Pierre-Laroque"})
}

/// The event in `status`, as its committee's chair reads it.
pub fn event(status: &str) -> Value {
    let mut e = json!({
        "id": EVENT,
        "kind": "cancerthon",
        "title": "Cancerthon 2027",
        "summary": event_input()["summary"],
        "charter_version": "2024",
        "starts_at": "2027-03-18T08:30:00Z",
        "ends_at": "2027-03-18T17:00:00Z",
        "mode": "on_site",
        "venue": "Centre de conférences ministériel",
        "commune_code": "75056",
        "commune_name": "Paris",
        "orientations": event_input()["orientations"],
        "applications_close_at": "2027-02-15T23:00:00Z",
        "applications_open": status == "published",
        "speed_meetings": {"rounds": 8, "round_minutes": 7, "tables": 40, "starts_at": "2027-03-18T13:30:00Z"},
        "status": status,
        "updated_at": "2026-11-04T10:12:00Z",
        "my_role": "chair"
    });
    if matches!(status, "pending" | "published" | "archived") {
        e["submitted_at"] = json!("2026-11-03T16:40:00Z");
    }
    if matches!(status, "published" | "archived") {
        e["published_at"] = json!("2026-11-04T10:12:00Z");
    }
    e
}

/// The event as the public reads it.
pub fn public_event() -> Value {
    let mut e = event("published");
    if let Some(o) = e.as_object_mut() {
        o.remove("my_role");
        o.remove("submitted_at");
    }
    e
}

pub fn decision_input() -> Value {
    json!({"decision": "publish"})
}

pub fn committee() -> Value {
    json!([
        {"user": {"id": MODERATOR, "display_name": "Claire Dubois"}, "email": "claire.dubois@inca.example.org", "role": "chair", "added_at": "2026-11-02T09:00:00Z"},
        {"user": {"id": REVIEWER, "display_name": "Nadia, patiente experte"}, "email": "nadia@comite.example.org", "role": "member", "added_at": "2026-11-05T14:20:00Z"}
    ])
}

pub fn invite_input() -> Value {
    json!({"email": "nadia@comite.example.org"})
}

pub fn invite_receipt() -> Value {
    json!({
        "status": "invited",
        "detail": "if this address is an account's, its holder is invited by mail and joins the committee once they accept"
    })
}

pub fn application_input() -> Value {
    json!({
        "structure_id": STRUCTURE,
        "project_ids": [PROJECT],
        "offers": ["experience-patient", "animation"],
        "needs": ["communication-digitale", "financement"],
        "themes": ["travail-emploi", "apres-cancer"],
        "region": "27",
        "message": "Nous venons présenter ONCONNECTE À L'EMPLOI et chercher des associations pour relayer les séances en dehors de la Franche-Comté.",
        "charter_version": "2024",
        "public_consent": true
    })
}

/// The IRFC's application in `state`, as its members read it.
pub fn application(state: &str) -> Value {
    let input = application_input();
    let mut a = json!({
        "id": EVENT_APPLICATION,
        "event": {"id": EVENT, "title": "Cancerthon 2027", "starts_at": "2027-03-18T08:30:00Z"},
        "structure": {"id": STRUCTURE, "name": STRUCTURE_NAME},
        "projects": [{"id": PROJECT, "title": "Témoignages de patients pour les séances ONCONNECTE"}],
        "offers": input["offers"],
        "needs": input["needs"],
        "themes": input["themes"],
        "region": "27",
        "message": input["message"],
        "charter_version": "2024",
        "charter_signed_at": "2026-12-01T09:30:00Z",
        "public_consent": true,
        "state": state,
        "created_at": "2026-12-01T09:30:00Z",
        "updated_at": "2026-12-01T09:30:00Z"
    });
    if matches!(state, "accepted" | "declined") {
        a["decided_at"] = json!("2026-12-10T11:00:00Z");
        a["updated_at"] = json!("2026-12-10T11:00:00Z");
        a["decision_reason"] =
            json!("Bienvenue : vos témoignages intéressent plusieurs associations.");
    }
    a
}

/// The application as the committee reads it: who applied too.
pub fn application_for_committee(state: &str) -> Value {
    let mut a = application(state);
    a["applicant"] = json!({"id": OWNER, "display_name": "Camille Martin"});
    a
}

pub fn application_decision_input() -> Value {
    json!({"decision": "accepted", "reason": "Bienvenue : vos témoignages intéressent plusieurs associations."})
}

pub fn participants() -> Value {
    json!({
        "event_id": EVENT,
        "accepted": 14,
        "named": [{
            "structure": {"id": STRUCTURE, "name": STRUCTURE_NAME},
            "projects": [{"id": PROJECT, "title": "Témoignages de patients pour les séances ONCONNECTE"}],
            "region": "27",
            "region_name": "Bourgogne-Franche-Comté"
        }],
        "unnamed": 2
    })
}

//! The moderation queue, reports, the audit trail and keeping listings true.

use super::accounts::structure_ref;
use super::ids::{MODERATOR, OWNER, REPORT, REVISION, SERVICE};
use super::listings::service_content;
use serde_json::{Value, json};

const SERVICE_NAME: &str = "ONCONNECTE À L'EMPLOI";

/// The change to ONCONNECTE À L'EMPLOI's opening hours, sent to moderation.
pub fn queue_item() -> Value {
    json!({
        "id": REVISION,
        "subject_type": "service",
        "subject_id": SERVICE,
        "structure": structure_ref(),
        "name": SERVICE_NAME,
        "number": 2,
        "state": "pending",
        "is_edit_of_published": true,
        "submitted_at": "2026-03-02T09:52:00Z",
        "author": {"id": OWNER, "display_name": "Camille Martin"}
    })
}

/// The same revision with what a moderator decides on, in `state`.
pub fn item(state: &str) -> Value {
    let mut item = queue_item();
    let mut submitted = service_content();
    submitted["opening_hours"] = json!("Standard ONCOTEL du lundi au vendredi, de 9 h à 17 h.");
    item["state"] = json!(state);
    item["content"] = submitted;
    item["published_content"] = service_content();
    item["diff"] = json!([{
        "pointer": "/opening_hours",
        "before": "Standard ONCOTEL du lundi au vendredi.",
        "after": "Standard ONCOTEL du lundi au vendredi, de 9 h à 17 h."
    }]);
    item["duplicates"] = json!([]);
    if let Some(reason) = match state {
        "rejected" => Some(rejection()["reason"].clone()),
        "changes_requested" => Some(change_request()["reason"].clone()),
        _ => None,
    } {
        item["reason"] = reason;
    }
    item
}

pub fn approval() -> Value {
    json!({"reason": null})
}

pub fn rejection() -> Value {
    json!({"reason": "Ce service est déjà publié sous la fiche « ONCONNECTE À L'EMPLOI » de l'IRFC : modifiez cette fiche plutôt que d'en créer une seconde."})
}

pub fn change_request() -> Value {
    json!({"reason": "Merci de préciser les horaires du standard ONCOTEL (jours et heures), pour que les patients sachent quand appeler."})
}

pub fn audit_entry() -> Value {
    json!({
        "id": 4127,
        "at": "2026-03-02T14:05:00Z",
        "actor": {"id": MODERATOR, "display_name": "Équipe de modération"},
        "action": "approved",
        "subject_type": "service",
        "subject_id": SERVICE,
        "revision_id": REVISION
    })
}

pub fn refresh_queue() -> Value {
    json!({
        "counts": {"fresh": 212, "due": 18, "stale": 6, "hidden": 2},
        "items": [{
            "kind": "service",
            "id": SERVICE,
            "name": SERVICE_NAME,
            "structure": structure_ref(),
            "state": "due",
            "verified_at": "2025-09-08T10:00:00Z",
            "due_at": "2026-03-08T10:00:00Z",
            "stale_at": "2026-04-07T10:00:00Z",
            "hidden_at": "2026-06-06T10:00:00Z",
            "reminders_sent": 1
        }]
    })
}

pub fn link_preview() -> Value {
    json!({
        "status": "ready",
        "kind": "service",
        "id": SERVICE,
        "name": SERVICE_NAME,
        "verified_at": "2025-09-08T10:00:00Z"
    })
}

pub fn link_confirmation() -> Value {
    json!({
        "kind": "service",
        "id": SERVICE,
        "name": SERVICE_NAME,
        "verified_at": "2026-03-09T10:00:00Z",
        "freshness": "fresh",
        "due_at": "2026-09-05T10:00:00Z",
        "edit_url": format!("https://agora.example.org/espace/services/{SERVICE}/modifier"),
        "already_confirmed": false
    })
}

pub fn report_input() -> Value {
    json!({
        "subject_type": "service",
        "subject_id": SERVICE,
        "reason": "outdated_contact",
        "details": "Le numéro ONCOTEL indiqué ne répond plus le vendredi après-midi."
    })
}

pub fn report_receipt() -> Value {
    json!({"id": REPORT, "status": "received"})
}

pub fn report(state: &str) -> Value {
    let mut report = json!({
        "id": REPORT,
        "subject_type": "service",
        "subject_id": SERVICE,
        "subject_name": SERVICE_NAME,
        "reason": "outdated_contact",
        "details": report_input()["details"],
        "state": state,
        "created_at": "2026-03-05T12:30:00Z"
    });
    if state == "resolved" {
        report["resolved_at"] = json!("2026-03-06T09:15:00Z");
        report["resolution"] = resolve_input()["resolution"].clone();
    }
    report
}

pub fn resolve_input() -> Value {
    json!({"resolution": "Corrigé par l'IRFC : le standard ONCOTEL répond du lundi au vendredi, de 9 h à 17 h."})
}

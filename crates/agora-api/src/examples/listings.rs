//! Structures, services, projects and their updates, at each step of their life.

use super::accounts::structure_ref;
use super::ids::{PROJECT, REVISION, SERVICE, STRUCTURE, UPDATE};
use serde_json::{Map, Value, json};

pub const STRUCTURE_NAME: &str = "Institut Régional Fédératif du Cancer en Franche-Comté (IRFC-FC)";

/// Where a listing stands in an example, as its reader sees it.
#[derive(Clone, Copy)]
pub enum Status {
    /// Published, read by the public.
    Public,
    /// Just created: a first draft, seen by its members.
    Draft,
    /// Published, with a change being written by a member.
    Edited,
    /// Published, with a change sent to moderation.
    Submitted,
    /// Published and just confirmed as still true, seen by a member.
    Confirmed,
    Paused,
    Completed,
    Archived,
}

pub fn structure_content() -> Value {
    json!({
        "name": STRUCTURE_NAME,
        "structure_kind": "federation",
        "siren": "999000441",
        "summary": "Fédération des établissements de cancérologie de Franche-Comté.",
        "description": "L'IRFC fédère les établissements qui soignent les personnes atteintes de cancer en Franche-Comté : CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier.",
        "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon", "lat": 47.2380, "lon": 6.0243},
        "contact": {"name": "ONCOTEL", "email": "aprescancer@irfc-fc.fr", "phone": "03 81 47 99 99", "website": "https://www.irfc.fr/ONCONNECTEALEMPLOI"}
    })
}

pub fn structure_patch() -> Value {
    json!({
        "summary": "Fédération des établissements de cancérologie de Franche-Comté : soins, recherche et retour à l'emploi.",
        "contact": {"name": "ONCOTEL", "email": "aprescancer@irfc-fc.fr", "phone": "03 81 47 99 99", "website": "https://www.irfc.fr"}
    })
}

pub fn service_content() -> Value {
    json!({
        "name": "ONCONNECTE À L'EMPLOI",
        "summary": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.",
        "description": "Des interventions d'experts filmées en amont (CARSAT, référents handicap, France Travail, médecins du travail, psychologues, neuropsychologues, socio-esthéticienne, employeurs) sont discutées en groupe avec des témoignages de patients. Selon les besoins, orientation vers un accompagnement personnalisé, les ateliers de remédiation cognitive ONCOGITE ou un programme après-cancer.",
        "themes": ["travail-emploi", "apres-cancer"],
        "cancer_types": [],
        "audiences": ["patients"],
        "stages": ["apres-cancer", "retour-emploi"],
        "modes": ["visio"],
        "cost": "free",
        "cost_details": "Pour les patients traités dans les établissements de l'IRFC, en rémission ou en maladie stabilisée, avec une connexion internet.",
        "coverage": {"kind": "departements", "codes": ["25", "39", "70", "90"]},
        "locations": [],
        "opening_hours": "Standard ONCOTEL du lundi au vendredi.",
        "contact": {"name": "ONCOTEL", "phone": "03 81 47 99 99", "email": "aprescancer@irfc-fc.fr", "website": "https://www.irfc.fr/ONCONNECTEALEMPLOI"}
    })
}

pub fn service_patch() -> Value {
    json!({
        "opening_hours": "Standard ONCOTEL du lundi au vendredi, de 9 h à 17 h.",
        "modes": ["visio", "telephone"]
    })
}

pub fn project_content() -> Value {
    json!({
        "title": "Témoignages de patients pour les séances ONCONNECTE",
        "summary": "Enregistrer des témoignages de personnes revenues au travail après un cancer.",
        "need": "Nous cherchons des personnes ayant repris le travail après un cancer, prêtes à raconter leur parcours lors d'un entretien filmé d'une heure.",
        "themes": ["travail-emploi", "apres-cancer"],
        "skills": ["experience-patient"],
        "project_kind": "mini_mission",
        "coverage": {"kind": "regions", "codes": ["27"]},
        "anonymous": false
    })
}

pub fn project_patch() -> Value {
    json!({
        "need": "Nous cherchons des personnes ayant repris le travail après un cancer, prêtes à raconter leur parcours lors d'un entretien filmé d'une heure, à Besançon ou en visioconférence.",
        "skills": ["experience-patient", "experience-aidant"]
    })
}

/// `content` as a view: the content's fields, then the listing's own.
fn view(content: Value, id: &str, kind: &str, created_at: &str, status: Status) -> Value {
    let mut view = Map::new();
    view.insert("id".into(), json!(id));
    view.insert("kind".into(), json!(kind));
    if kind != "structure" {
        view.insert("structure".into(), structure_ref());
    }
    if let Value::Object(fields) = content {
        view.extend(fields);
    }
    let (listing_status, review, updated_at) = match status {
        Status::Public => ("published", None, "2026-01-20T10:15:00Z"),
        Status::Draft => (
            "draft",
            Some(
                json!({"revision_id": REVISION, "number": 1, "state": "draft", "has_published_version": false}),
            ),
            created_at,
        ),
        Status::Edited => (
            "published",
            Some(
                json!({"revision_id": REVISION, "number": 2, "state": "draft", "has_published_version": true}),
            ),
            "2026-03-02T09:40:00Z",
        ),
        Status::Submitted => (
            "published",
            Some(
                json!({"revision_id": REVISION, "number": 2, "state": "pending", "submitted_at": "2026-03-02T09:52:00Z", "has_published_version": true}),
            ),
            "2026-03-02T09:52:00Z",
        ),
        Status::Confirmed => ("published", Some(approved()), "2026-03-09T10:00:00Z"),
        Status::Paused => ("paused", Some(approved()), "2026-03-09T10:00:00Z"),
        Status::Completed => ("completed", Some(approved()), "2026-03-09T10:00:00Z"),
        Status::Archived => ("archived", Some(approved()), "2026-03-09T10:00:00Z"),
    };
    view.insert("status".into(), json!(listing_status));
    if let Some(review) = review {
        view.insert("review".into(), review);
    }
    view.insert("created_at".into(), json!(created_at));
    view.insert("updated_at".into(), json!(updated_at));
    if !matches!(status, Status::Draft) {
        view.insert("published_at".into(), json!("2026-01-20T10:15:00Z"));
        let verified_at = match status {
            Status::Public | Status::Edited | Status::Submitted => "2026-01-20T10:15:00Z",
            _ => "2026-03-09T10:00:00Z",
        };
        view.insert("verified_at".into(), json!(verified_at));
    }
    view.insert("freshness".into(), json!("fresh"));
    view.insert("labelled".into(), json!(false));
    Value::Object(view)
}

/// The review of a published version with no change under way.
fn approved() -> Value {
    json!({"revision_id": REVISION, "number": 1, "state": "approved", "submitted_at": "2026-01-19T16:30:00Z", "decided_at": "2026-01-20T10:15:00Z", "has_published_version": true})
}

pub fn structure_view(status: Status) -> Value {
    view(
        structure_content(),
        STRUCTURE,
        "structure",
        "2026-01-12T09:30:00Z",
        status,
    )
}

pub fn service_view(status: Status) -> Value {
    let mut view = view(
        service_content(),
        SERVICE,
        "service",
        "2026-01-12T10:05:00Z",
        status,
    );
    // The public reads the evaluations' figures with the service.
    if matches!(status, Status::Public) {
        view["evaluations"] = super::evaluations::summary();
    }
    view
}

pub fn project_view(status: Status) -> Value {
    view(
        project_content(),
        PROJECT,
        "project",
        "2026-01-14T14:20:00Z",
        status,
    )
}

/// One page of a paginated list, the last one.
pub fn page(items: Vec<Value>) -> Value {
    json!({"items": items, "next_cursor": null})
}

pub fn update_input() -> Value {
    json!({"body": "Six témoignages enregistrés à Besançon et à Vesoul en février ; le premier montage sera présenté au groupe du 14 avril."})
}

pub fn update_view(status: &str) -> Value {
    let mut update = json!({
        "id": UPDATE,
        "project_id": PROJECT,
        "body": update_input()["body"],
        "kind": "update",
        "status": status,
        "created_at": "2026-03-06T16:00:00Z"
    });
    if status == "published" {
        update["published_at"] = json!("2026-03-06T17:20:00Z");
    }
    update
}

pub fn success_story_input() -> Value {
    json!({"body": "Grâce aux huit personnes venues témoigner, chaque séance d'ONCONNECTE À L'EMPLOI s'ouvre désormais sur un parcours de retour au travail raconté par celle qui l'a vécu."})
}

pub fn success_story_view() -> Value {
    json!({
        "id": UPDATE,
        "project_id": PROJECT,
        "body": success_story_input()["body"],
        "kind": "success_story",
        "status": "pending",
        "created_at": "2026-03-06T16:00:00Z"
    })
}

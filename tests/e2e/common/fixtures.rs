//! Valid listing documents for tests; each call returns a fresh copy to alter.

use serde_json::{Value, json};

pub fn structure() -> Value {
    json!({
        "name": format!("Association Test {}", uuid::Uuid::new_v4().simple()),
        "structure_kind": "association",
        "rna": "W251000123",
        "summary": "Une association de test.",
        "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"},
        "contact": {"email": "contact@asso.example.org", "phone": "03 81 00 00 00"}
    })
}

pub fn service() -> Value {
    json!({
        "name": "Accompagnement au retour à l'emploi",
        "summary": "Des séances de groupe en visio.",
        "themes": ["travail-emploi"],
        "modes": ["visio"],
        "cost": "free",
        "coverage": {"kind": "regions", "codes": ["27"]}
    })
}

pub fn project() -> Value {
    json!({
        "title": "Recueillir des témoignages",
        "summary": "Des personnes pour témoigner.",
        "need": "Des patients prêts à raconter leur retour au travail.",
        "themes": ["travail-emploi"],
        "skills": ["experience-patient"],
        "project_kind": "mini_mission",
        "coverage": {"kind": "national"}
    })
}

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

/// An anonymous project whose description is confidential (it holds `confidential`) and
/// whose contact is `private_email`: what no public reader may ever see.
pub fn project_with_secrets(confidential: &str, private_email: &str) -> Value {
    let mut p = project();
    p["anonymous"] = json!(true);
    p["description"] = json!(format!("Budget et partenaires : {confidential}"));
    p["contact"] = json!({"email": private_email});
    p["visibility"] = json!({"description": "confidential"});
    p
}

/// A complete label application for a structure made from [`structure`] (its RNA).
pub fn label_application() -> Value {
    json!({
        "registration_number": "W251000123",
        "charter": {"version": "2026-1", "signed_by": "Claire Martin, présidente", "signed_on": "2026-11-02"},
        "governance": "Un conseil d'administration élu chaque année par les adhérents, dont la moitié sont des patients.",
        "solution": "Des groupes de parole animés par des psychologues, gratuits, dans trois villes du Doubs.",
        "contributors": "Douze bénévoles formés, deux psychologues salariées, un comité de patients.",
        "category": "soutien-psychologique",
        "documents": [{"title": "Statuts", "url": "https://association.example.org/statuts.pdf"}]
    })
}

/// A complete review scoring every criterion `n` (0–4).
pub fn review(n: u8) -> Value {
    json!({
        "scores": {"gouvernance": n, "independance": n, "personnes-concernees": n,
                   "qualite-information": n, "confidentialite": n, "evaluation": n},
        "comment": "Dossier lu en entier ; structure solide.",
        "recommendation": if n >= 3 { "grant" } else { "refuse" }
    })
}

/// A help offer, with a contact and health information given with consent.
pub fn help_offer(email: &str) -> Value {
    json!({
        "message": "Je peux raconter mon retour au travail après un lymphome.",
        "skills": ["experience-patient"],
        "wants": "introduction",
        "contact": {"email": email, "phone": "0698765432"},
        "health_info": "Traitée en 2023, en rémission.",
        "health_consent": true
    })
}

/// A contributor profile.
pub fn contributor_profile() -> Value {
    json!({"skills": ["experience-patient"], "region": "27", "contact_channel": "email"})
}

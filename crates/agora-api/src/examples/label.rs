//! The label: the charter as published, the IRFC's application and a committee review.

use super::accounts::structure_ref;
use super::ids::{APPLICATION, REVIEWER};
use agora_domain::label::{CATEGORIES, CHARTER, LabelRules, default_rubric};
use serde_json::{Value, json};

/// The charter, categories, rubric and decision rule as the server publishes them by
/// default: the reference data itself, so that the example cannot drift from it.
pub fn charter() -> Value {
    let rules = LabelRules::default();
    json!({
        "version": CHARTER.version,
        "title": CHARTER.title,
        "commitments": CHARTER.commitments,
        "categories": CATEGORIES.iter().map(|(slug, label)| json!({"slug": slug, "label": label})).collect::<Vec<_>>(),
        "rubric": default_rubric(),
        "min_reviews": rules.min_reviews,
        "threshold": rules.threshold,
        "floor": rules.floor,
        "validity_days": rules.validity_days
    })
}

pub fn application_content() -> Value {
    json!({
        "registration_number": "999000441",
        "charter": {"version": CHARTER.version, "signed_by": "Camille Martin, coordinatrice du programme", "signed_on": "2026-02-16"},
        "governance": "Fédération des établissements de cancérologie de Franche-Comté : un conseil d'administration réunissant les six établissements membres se réunit chaque trimestre ; ses comptes rendus sont publiés sur le site de l'IRFC.",
        "solution": "ONCONNECTE À L'EMPLOI : des séances de groupe par visioconférence pour préparer le retour au travail après un cancer, avec des experts (CARSAT, médecins du travail, psychologues) et des témoignages de patients.",
        "contributors": "Des patients en rémission qui témoignent, les équipes soignantes des établissements de l'IRFC, la CARSAT Bourgogne-Franche-Comté et des employeurs de la région.",
        "category": "retour-emploi",
        "documents": [
            {"title": "Établissements membres", "text": "CHU de Besançon, Hôpital Nord Franche-Comté, centres hospitaliers de Dole, Lons-le-Saunier, Vesoul et Pontarlier."},
            {"title": "Bilan à six mois", "text": "27 patients accompagnés au 1er octobre 2022, 49 ans en moyenne ; 100 % ont jugé l'information utile."}
        ]
    })
}

pub fn application_patch() -> Value {
    json!({
        "contributors": "Des patients en rémission qui témoignent, les équipes soignantes des six établissements de l'IRFC, la CARSAT, France Travail et des employeurs de la région."
    })
}

pub fn application(state: &str) -> Value {
    let mut application = json!({
        "id": APPLICATION,
        "structure": structure_ref(),
        "state": state,
        "content": application_content(),
        "created_at": "2026-02-16T15:00:00Z",
        "updated_at": "2026-02-16T15:00:00Z"
    });
    if state != "draft" {
        application["submitted_at"] = json!("2026-02-17T09:30:00Z");
        application["updated_at"] = json!("2026-02-17T09:30:00Z");
    }
    match state {
        "incomplete" => application["missing"] = pieces_input()["missing"].clone(),
        "granted" => {
            application["decided_at"] = json!("2026-03-20T11:00:00Z");
            application["reasons"] = decide_input()["reasons"].clone();
            application["expires_at"] = json!("2028-03-19T11:00:00Z");
        }
        _ => {}
    }
    application
}

pub fn pieces_input() -> Value {
    json!({"missing": "Le dernier rapport financier approuvé, pour vérifier l'origine des financements (critère « Indépendance »)."})
}

pub fn assign_input() -> Value {
    json!({"reviewer_ids": [REVIEWER]})
}

pub fn review_input() -> Value {
    json!({
        "scores": {
            "gouvernance": 3,
            "independance": 3,
            "personnes-concernees": 4,
            "qualite-information": 3,
            "confidentialite": 3,
            "evaluation": 2
        },
        "comment": "Des patients associés à chaque séance ; l'évaluation reste à suivre au-delà des premiers résultats.",
        "recommendation": "grant"
    })
}

pub fn review() -> Value {
    let mut review = review_input();
    review["label"] = json!("Relecteur 1");
    review["state"] = json!("submitted");
    review["submitted_at"] = json!("2026-03-10T18:45:00Z");
    review
}

pub fn decide_input() -> Value {
    json!({
        "decision": "granted",
        "reasons": "Le comité relève la place donnée aux patients dans la conception des séances et la transparence de la gouvernance ; il invite l'IRFC à publier le suivi de ses indicateurs."
    })
}

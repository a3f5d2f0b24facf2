//! Vocabularies, geography, search, and the query parameters shown with an example.

use super::accounts::structure_ref;
use super::ids::{PROJECT, SERVICE};
use serde_json::{Value, json};

/// A few terms of each vocabulary, as the reference data has them (version 1).
pub fn vocabularies() -> Value {
    let term = |kind: &str, slug: &str, label: &str, position: i32| json!({"kind": kind, "slug": slug, "label": label, "position": position});
    let theme = |slug: &str, label: &str, family: &str, colour: &str, position: i32| json!({"kind": "theme", "slug": slug, "label": label, "family": family, "colour": colour, "position": position});
    json!({
        "version": 1,
        "theme_families": [
            {"slug": "social", "label": "Social", "colour": "#CE614A"},
            {"slug": "travail", "label": "Travail", "colour": "#3558A2"},
            {"slug": "sante", "label": "Santé", "colour": "#009081"},
            {"slug": "institutionnel", "label": "Institutionnel", "colour": "#6E445A"}
        ],
        "themes": [
            theme("travail-emploi", "Travail et emploi", "travail", "#3558A2", 1),
            theme("apres-cancer", "Après-cancer", "sante", "#009081", 2),
            theme("droits", "Droits", "institutionnel", "#6E445A", 7),
            theme("rencontres-pair-aidance", "Rencontres et pair-aidance", "social", "#CE614A", 11)
        ],
        "cancer_types": [
            term("cancer_type", "sein", "Cancer du sein", 1),
            term("cancer_type", "colorectal", "Cancer colorectal", 3)
        ],
        "audiences": [
            term("audience", "patients", "Personnes malades", 1),
            term("audience", "aidants", "Proches aidants", 2)
        ],
        "stages": [
            term("stage", "apres-cancer", "Après-cancer", 4),
            term("stage", "retour-emploi", "Retour à l'emploi", 5)
        ],
        "skills": [
            term("skill", "experience-patient", "Expérience patient", 1),
            term("skill", "experience-aidant", "Expérience d'aidant", 2)
        ],
        "structure_kinds": [
            term("structure_kind", "association", "Association", 1),
            term("structure_kind", "federation", "Fédération ou réseau", 9)
        ],
        "modes": [
            term("mode", "presentiel", "Présentiel", 1),
            term("mode", "visio", "Visioconférence", 2)
        ]
    })
}

/// The régions, from the reference data.
pub fn regions() -> Value {
    agora_geo::regions()
        .iter()
        .map(|r| json!({"code": r.code, "name": r.name}))
        .collect()
}

/// The départements of Bourgogne-Franche-Comté, from the reference data.
pub fn departements() -> Value {
    agora_geo::departements_of_region("27")
        .map(|d| json!({"code": d.code, "name": d.name, "region_code": d.region_code}))
        .collect()
}

/// What `q=Besan` finds first: Besançon, from the reference data.
pub fn communes() -> Value {
    agora_geo::commune("25056")
        .map(|c| {
            json!({
                "code": c.code,
                "name": c.name,
                "postcodes": c.postcodes,
                "departement_code": c.departement_code,
                "region_code": c.region_code,
                "population": c.population,
                "lat": 47.2380,
                "lon": 6.0243
            })
        })
        .into_iter()
        .collect()
}

/// `q=retour au travail après un cancer dans le Doubs`.
pub fn search_page() -> Value {
    json!({
        "items": [
            {
                "kind": "service",
                "id": SERVICE,
                "name": "ONCONNECTE À L'EMPLOI",
                "summary": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.",
                "themes": ["travail-emploi", "apres-cancer"],
                "coverage": {"kind": "departements", "codes": ["25", "39", "70", "90"]},
                "structure": structure_ref(),
                "status": "published",
                "freshness": "fresh",
                "labelled": false,
                "verified_at": "2026-01-20T10:15:00Z",
                "updated_at": "2026-01-20T10:15:00Z",
                "snippet": {
                    "text": "Programme de retour à l'emploi en séances de groupe par visioconférence, après un cancer.",
                    "highlights": [[13, 19], [25, 31], [86, 92]]
                }
            },
            {
                "kind": "project",
                "id": PROJECT,
                "name": "Témoignages de patients pour les séances ONCONNECTE",
                "summary": "Enregistrer des témoignages de personnes revenues au travail après un cancer.",
                "themes": ["travail-emploi", "apres-cancer"],
                "coverage": {"kind": "regions", "codes": ["27"]},
                "structure": structure_ref(),
                "status": "published",
                "freshness": "fresh",
                "labelled": false,
                "verified_at": "2026-01-20T10:15:00Z",
                "updated_at": "2026-01-20T10:15:00Z"
            }
        ],
        "facets": {
            "kind": [{"value": "service", "count": 1}, {"value": "project", "count": 1}],
            "theme": [{"value": "travail-emploi", "count": 2}, {"value": "apres-cancer", "count": 2}],
            "departement": [{"value": "25", "count": 2}]
        },
        "total": 2,
        "relaxed": [],
        "place": {"kind": "departement", "code": "25", "name": "Doubs", "alternatives": []}
    })
}

/// The example of a query parameter of `path`, for those worth one.
pub fn query_example(path: &str, name: &str) -> Option<Value> {
    let example = match (path, name) {
        ("/api/v1/search", "q") => "retour au travail après un cancer dans le Doubs",
        ("/api/v1/geo/communes", "q") => "Besan",
        (_, "code_region") => "27",
        (_, "token") => "q3N8vY2kTzL0fW6hR1pXcA9sGdJmE4uB7iKoZnV5tQw",
        _ => return None,
    };
    Some(Value::String(example.into()))
}

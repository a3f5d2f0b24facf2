//! Evaluations of ONCONNECTE À L'EMPLOI by people who took part in its sessions.

use super::ids::SERVICE;
use serde_json::{Value, json};

pub const EVALUATION: &str = "019cd3a1-5c80-7e21-9a4b-3f2e8d1c6b07";

pub fn input() -> Value {
    json!({
        "contact_correct": true,
        "answer_days": 2,
        "free_as_listed": true,
        "accessible": true,
        "information_clear": 4,
        "would_recommend": true,
        "comment": "Merci pour la séance sur le temps partiel thérapeutique ; le lien de la visio est arrivé la veille seulement."
    })
}

pub fn mine() -> Value {
    let mut e = input();
    e["id"] = json!(EVALUATION);
    e["service"] = json!({"id": SERVICE, "name": "ONCONNECTE À L'EMPLOI"});
    e["created_at"] = json!("2026-03-12T18:40:00Z");
    e["state"] = json!("counted");
    e["next_evaluation_from"] = json!("2027-03-12T18:40:00Z");
    e
}

/// The figures: enough answers on five criteria, not on accessibility.
pub fn summary() -> Value {
    json!({
        "min_answers": 5,
        "evaluations": 9,
        "criteria": [
            {"criterion": "contact_correct", "status": "shown", "answers": 9, "yes_share": 0.89},
            {"criterion": "answer_days", "status": "shown", "answers": 8, "median_days": 2, "no_answer_share": 0.0},
            {"criterion": "free_as_listed", "status": "shown", "answers": 7, "yes_share": 1.0},
            {"criterion": "accessible", "status": "not_enough_answers"},
            {"criterion": "information_clear", "status": "shown", "answers": 9, "mean": 3.4},
            {"criterion": "would_recommend", "status": "shown", "answers": 9, "yes_share": 0.94}
        ]
    })
}

pub fn response_input() -> Value {
    json!({"body": "Merci pour vos retours. Depuis mars, le lien de chaque séance est envoyé une semaine avant, avec un rappel la veille."})
}

pub fn response() -> Value {
    json!({"body": response_input()["body"], "updated_at": "2026-03-20T09:15:00Z"})
}

pub fn public() -> Value {
    let mut all = summary();
    all["service_id"] = json!(SERVICE);
    all["response"] = response();
    all
}

pub fn comments() -> Value {
    json!({
        "items": [
            {"month": "2026-03", "comment": mine()["comment"], "state": "counted"},
            {"month": "2026-02", "comment": "Le numéro ONCOTEL répond bien, mais il faut rappeler le matin.", "state": "counted"}
        ],
        "next_cursor": null
    })
}

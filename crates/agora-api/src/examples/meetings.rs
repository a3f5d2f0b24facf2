//! Speed meetings at the Cancerthon 2027: the IRFC (its application is `FIRST`) wishes to
//! meet Jeunes & Cancer (`SECOND`); the committee pins the pair; the scheduler puts them at
//! table 4 in the second round.

use super::ids::STRUCTURE;
use super::{Shown, answer, both};
use serde_json::{Value, json};

/// The Cancerthon 2027.
pub const EVENT: &str = "019d0a3c-5e00-7b3a-9c1d-2f4e6a8b0c12";
/// The IRFC's accepted application: its id as a participant.
pub const FIRST: &str = "019d0a41-7c20-7e55-8a3b-4d5e6f708192";
/// Jeunes & Cancer's accepted application.
pub const SECOND: &str = "019d0a42-1b80-7f01-9b2c-3e4f5a6b7c8d";
/// Their meeting.
pub const MEETING: &str = "019d0a50-2c40-7a11-8c3d-5e6f7a8b9c0d";
const JEUNES: &str = "019bb1c4-3a00-7d2e-9f10-6a7b8c9d0e1f";
const THIRD: &str = "019d0a43-9d00-7c12-8e4f-5a6b7c8d9e0f";
const HOSPITALITY: &str = "019bb1d0-8e40-7b3c-a1d2-7e8f9a0b1c2d";

fn irfc() -> Value {
    json!({"application_id": FIRST, "structure_id": STRUCTURE, "name": "Institut Régional Fédératif du Cancer en Franche-Comté", "region": "27"})
}

fn jeunes() -> Value {
    json!({"application_id": SECOND, "structure_id": JEUNES, "name": "Jeunes & Cancer", "region": "84"})
}

fn third() -> Value {
    json!({"application_id": THIRD, "structure_id": HOSPITALITY, "name": "Maison d'accueil Les Tilleuls", "region": "27"})
}

fn preferences_input() -> Value {
    json!({"wishes": [SECOND, THIRD], "unavailable_rounds": [5]})
}

fn preferences() -> Value {
    json!({
        "participant": irfc(),
        "wishes": [jeunes(), third()],
        "unavailable_rounds": [5],
        "rounds": 6,
        "round_starts": ["2027-03-20T13:00:00Z", "2027-03-20T13:07:00Z", "2027-03-20T13:14:00Z", "2027-03-20T13:21:00Z", "2027-03-20T13:28:00Z", "2027-03-20T13:35:00Z"],
        "max_wishes": 15,
        "frozen": false,
        "candidates": [
            {"participant": jeunes(), "offers": ["animation-ateliers"], "needs": ["recherche-financements"], "themes": ["retour-emploi"]},
            {"participant": third(), "offers": ["hebergement"], "needs": ["communication"], "themes": ["vie-quotidienne"]}
        ]
    })
}

fn constraint_input() -> Value {
    json!({"first": FIRST, "second": SECOND, "kind": "pin"})
}

fn constraint() -> Value {
    json!({"first": irfc(), "second": jeunes(), "kind": "pin", "created_at": "2027-03-02T09:30:00Z"})
}

fn report(published: bool) -> Value {
    let mut r = json!({
        "event_id": EVENT,
        "participants": 14,
        "rounds": 6,
        "tables": 7,
        "meetings": 41,
        "objective": 1864,
        "upper_bound": 1902,
        "ratio": 0.98,
        "idle": [{"round": 5, "participant": third()}],
        "unmet_pins": [],
        "computed_at": "2027-03-10T16:02:11Z"
    });
    if published {
        r["published_at"] = json!("2027-03-12T08:00:00Z");
        r["mails_queued"] = json!(23);
    } else {
        r["solve_ms"] = json!(38);
    }
    r
}

fn my_meeting(follow_up: Option<bool>) -> Value {
    let mut m = json!({
        "id": MEETING,
        "round": 1,
        "starts_at": "2027-03-20T13:07:00Z",
        "table": 4,
        "with": jeunes(),
        "with_url": format!("https://agora.example.org/structures/{JEUNES}"),
        "reasons": [
            "l'équipe d'organisation a souhaité cette rencontre",
            "vous l'avez demandée (choix n° 1)",
            "il propose ce que vous cherchez : Animation d'ateliers"
        ]
    });
    if let Some(f) = follow_up {
        m["follow_up"] = json!(f);
        m["feedback_due_at"] = json!("2027-09-18T18:00:00Z");
    }
    m
}

fn my_schedule() -> Value {
    json!({
        "event_id": EVENT,
        "event_title": "Cancerthon 2027",
        "participant": irfc(),
        "published": true,
        "event_ended": false,
        "meetings": [my_meeting(None)],
        "idle_rounds": [],
        "unavailable_rounds": [5]
    })
}

fn plan() -> Value {
    json!({
        "event_id": EVENT,
        "event_title": "Cancerthon 2027",
        "venue": "Kursaal, Besançon",
        "rounds": 6,
        "round_minutes": 7,
        "tables": 7,
        "speed_starts_at": "2027-03-20T13:00:00Z",
        "report": report(false),
        "participants": [irfc(), jeunes(), third()],
        "plan": [{
            "round": 1,
            "starts_at": "2027-03-20T13:07:00Z",
            "time": "14 h 07",
            "meetings": [{"id": MEETING, "table": 4, "first": irfc(), "second": jeunes(), "score": 86, "feedback": []}],
            "idle": [],
            "unavailable": []
        }]
    })
}

fn feedback_input() -> Value {
    json!({"collaboration": true, "project": true, "help_offer": false, "note": "Un atelier commun sur le retour à l'emploi des jeunes adultes, lancé en janvier."})
}

fn feedback() -> Value {
    json!({
        "meeting_id": MEETING,
        "application_id": FIRST,
        "answered_at": "2027-09-25T10:12:00Z",
        "collaboration": true,
        "project": true,
        "help_offer": false,
        "note": feedback_input()["note"]
    })
}

fn indicators() -> Value {
    json!({
        "event_id": EVENT,
        "title": "Cancerthon 2027",
        "speed_meetings": true,
        "published": true,
        "pairs_met": 41,
        "follow_ups": 12,
        "feedback_answered": 17,
        "collaborations": 6,
        "projects": 3,
        "help_offers": 4
    })
}

pub(super) fn shown(operation_id: &str) -> Option<Shown> {
    Some(match operation_id {
        "my_meeting_preferences" => answer(Value::Array(vec![preferences()])),
        "put_meeting_preferences" => both(preferences_input(), preferences()),
        "list_meeting_constraints" => answer(Value::Array(vec![constraint()])),
        "add_meeting_constraint" => both(constraint_input(), constraint()),
        "schedule_meetings" => answer(report(false)),
        "publish_meetings" => answer(report(true)),
        "meeting_plan" => answer(plan()),
        "my_meetings" => answer(Value::Array(vec![my_schedule()])),
        "follow_up_meeting" => both(json!({"follow_up": true}), my_meeting(Some(true))),
        "answer_meeting_feedback" => both(feedback_input(), feedback()),
        "meeting_indicators" => answer(indicators()),
        "meetings_overview" => answer(json!({
            "events": [indicators()],
            "pairs_met": 41,
            "follow_ups": 12,
            "feedback_answered": 17,
            "collaborations": 6,
            "projects": 3,
            "help_offers": 4
        })),
        _ => return None,
    })
}

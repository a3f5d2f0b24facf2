//! The public list of participants: accepted structures that consented are named with
//! their published projects and région; accepted ones without consent are only counted;
//! pending, declined and withdrawn ones never appear, in the API or on the page.

use super::{application_body, apply, decide, organiser, published, structure_with_project};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use reqwest::StatusCode;
use serde_json::json;

async fn only_consenting_accepted_participants_are_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let moderator = app.moderator().await;
    let chair = organiser(&app, "chair").await;
    let event = published(&app, &chair, &moderator, "Cancerthon public").await;
    let name = |n: &str| format!("Canari {n} {}", uuid::Uuid::new_v4().simple());
    let (named, silent, pending, declined, withdrawn) = (
        name("Nommée"),
        name("Discrète"),
        name("Attente"),
        name("Déclinée"),
        name("Retirée"),
    );
    let mut ids = Vec::new();
    for (n, consent) in [
        (&named, true),
        (&silent, false),
        (&pending, true),
        (&declined, true),
        (&withdrawn, true),
    ] {
        let owner = app.verified_user("owner").await;
        let (structure, project) = structure_with_project(&app, &owner, &moderator, n).await;
        // An anonymous project is brought too: it never names its structure.
        let mut secret = fixtures::project();
        secret["anonymous"] = json!(true);
        secret["title"] = json!(format!("Projet anonyme {n}"));
        let anonymous = app
            .publish(
                &format!("/api/v1/structures/{structure}/projects"),
                "projects",
                &owner,
                &moderator,
                &secret,
            )
            .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let body = application_body(&structure, &[&project, &anonymous], consent);
        ids.push((apply(&app, &event, &owner, &body).await, owner));
    }
    for (i, (application, owner)) in ids.iter().enumerate() {
        let decision = match i {
            0 | 1 | 4 => json!({"decision": "accepted"}),
            3 => json!({"decision": "declined", "reason": "Hors du champ de l'édition."}),
            _ => continue,
        };
        let (status, body) = decide(&app, &event, application, &chair, decision).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if i == 4 {
            let (status, _) = app
                .call(app.post(
                    &format!("/api/v1/events/{event}/applications/{application}/withdraw"),
                    Some(owner),
                ))
                .await;
            assert_eq!(status, StatusCode::OK);
        }
    }

    let outsider = app.verified_user("outsider").await;
    for who in [None, Some(&outsider), Some(&ids[2].1)] {
        let (status, list) = app
            .call(app.get(&format!("/api/v1/events/{event}/participants"), who))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(list["accepted"], 2, "{list}");
        assert_eq!(list["unnamed"], 1);
        let named_list = list["named"].as_array().unwrap();
        assert_eq!(named_list.len(), 1);
        assert_eq!(named_list[0]["structure"]["name"], named.as_str());
        assert_eq!(named_list[0]["region_name"], "Bourgogne-Franche-Comté");
        let projects = named_list[0]["projects"].as_array().unwrap();
        assert_eq!(projects.len(), 1, "the anonymous project is not named");
        let text = list.to_string();
        for hidden in [&silent, &pending, &declined, &withdrawn] {
            assert!(!text.contains(hidden.as_str()), "{hidden} leaked: {text}");
        }
        assert!(!text.contains("Projet anonyme"));
    }
    // The event's page says the same, and no more.
    let html = app
        .get(&format!("/evenements/{event}"), None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(named.as_str()));
    assert!(
        html.contains("1 autre participant"),
        "the others are counted"
    );
    for hidden in [&silent, &pending, &declined, &withdrawn] {
        assert!(
            !html.contains(hidden.as_str()),
            "{hidden} leaked on the page"
        );
    }
    assert!(!html.contains("Projet anonyme"));
    // Nor does the list of events or the search.
    let (_, events) = app.call(app.get("/api/v1/events", None)).await;
    assert!(!events.to_string().contains(silent.as_str()));
}

both_backends!(only_consenting_accepted_participants_are_named);

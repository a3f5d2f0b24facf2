//! An event's life: who may create one, drafts and pending events hidden from everyone
//! but the committee and moderators, moderation with a reason mailed to the creator,
//! edits of a published event (audited, still published), archiving; bad input named.

use super::{draft, event_body, id, in_days, organiser, published};
use crate::both_backends;
use crate::common::{Backend, TestApp, User, pointers, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn status_of(app: &TestApp, path: &str, user: Option<&User>) -> StatusCode {
    app.get(path, user).send().await.unwrap().status()
}

async fn listed(app: &TestApp, query: &str, event: &str) -> bool {
    let (status, page) = app
        .call(app.get(&format!("/api/v1/events?{query}"), None))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == event)
}

async fn an_event_is_moderated_and_unpublished_ones_stay_hidden(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let chair = organiser(&app, "chair").await;
    let moderator = app.moderator().await;
    let stranger = app.verified_user("stranger").await;

    // Nobody but the collective creates events: a plain account is refused before its
    // body is read; a member of a published structure may.
    let res = app
        .post("/api/v1/events", Some(&stranger))
        .json(&json!({"no": "body"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .post("/api/v1/events", None)
        .json(&event_body(&app, "Anonyme"))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let member = app.verified_user("member").await;
    app.published_structure(&member, &moderator).await;
    draft(&app, &member, "Une édition proposée par une association").await;

    let event = draft(&app, &chair, "Cancerthon des tests").await;
    let path = format!("/api/v1/events/{event}");
    let (_, view) = app.call(app.get(&path, Some(&chair))).await;
    assert_eq!(view["status"], "draft");
    assert_eq!(view["my_role"], "chair");
    assert_eq!(view["commune_name"], "Paris");

    // A draft and a pending event: 404 to anyone but the committee and moderators, in
    // the API and in the portal; never listed.
    for stage in ["draft", "pending"] {
        for who in [None, Some(&stranger), Some(&member)] {
            assert_eq!(
                status_of(&app, &path, who).await,
                StatusCode::NOT_FOUND,
                "{stage}"
            );
            assert_eq!(
                status_of(&app, &format!("{path}/participants"), who).await,
                StatusCode::NOT_FOUND
            );
            assert_eq!(
                status_of(&app, &format!("/evenements/{event}"), None).await,
                StatusCode::NOT_FOUND
            );
        }
        assert_eq!(
            status_of(&app, &path, Some(&moderator)).await,
            StatusCode::OK
        );
        assert!(!listed(&app, "when=all", &event).await);
        // Acting on it is refused as if it did not exist.
        let res = app
            .post(&format!("{path}/submit"), Some(&stranger))
            .send()
            .await
            .unwrap();
        problem(res, StatusCode::NOT_FOUND).await;
        if stage == "draft" {
            let (status, view) = app
                .call(app.post(&format!("{path}/submit"), Some(&chair)))
                .await;
            assert_eq!(status, StatusCode::OK, "{view}");
            assert_eq!(view["status"], "pending");
        }
    }
    let mail = app
        .smtp
        .wait_for(&moderator.email, "nement à relire", 1)
        .await;
    assert!(mail[0].text().contains("Cancerthon des tests"));
    let (status, _) = app
        .call(app.post(&format!("{path}/submit"), Some(&chair)))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "already pending");

    // Only moderators decide; a rejection says why, and the creator is told.
    let decision = format!("{path}/decision");
    let res = app
        .post(&decision, Some(&chair))
        .json(&json!({"decision": "publish"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .post(&decision, Some(&moderator))
        .json(&json!({"decision": "reject"}))
        .send()
        .await
        .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(pointers(&p), ["/reason"]);
    let (status, view) = app
        .call(
            app.post(&decision, Some(&moderator))
                .json(&json!({"decision": "reject", "reason": "Précisez le lieu exact."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "rejected");
    let mail = app.smtp.wait_for(&chair.email, "pas été publié", 1).await;
    assert!(mail[0].text().contains("Précisez le lieu exact."));
    assert_eq!(status_of(&app, &path, None).await, StatusCode::NOT_FOUND);
    let (_, view) = app.call(app.get(&path, Some(&chair))).await;
    assert_eq!(view["reject_reason"], "Précisez le lieu exact.");

    // Sent again and published: public, listed, its creator told.
    app.call(app.post(&format!("{path}/submit"), Some(&chair)))
        .await;
    let (status, _) = app
        .call(
            app.post(&decision, Some(&moderator))
                .json(&json!({"decision": "publish"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.smtp.wait_for(&chair.email, "est publié", 1).await;
    let (status, public) = app.call(app.get(&path, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["applications_open"], true);
    assert!(public.get("reject_reason").is_none() && public.get("my_role").is_none());
    assert!(listed(&app, "", &event).await);
    assert!(listed(&app, "kind=cancerthon&region=national", &event).await);
    assert!(!listed(&app, "region=27", &event).await);
    assert!(!listed(&app, "when=past", &event).await);
    let (status, _) = app
        .call(
            app.post(&decision, Some(&moderator))
                .json(&json!({"decision": "publish"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "decided already");

    // The committee edits it: it stays published, and the change is audited.
    let etag = app.etag(&path, &chair).await;
    let (status, view) = app
        .call(
            app.patch(&path, Some(&chair))
                .header("If-Match", etag)
                .json(&json!({"venue": "Salle Pierre-Laroque"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "published");
    assert_eq!(view["venue"], "Salle Pierre-Laroque");
    let (_, trail) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=event&subject_id={event}"),
            Some(&moderator),
        ))
        .await;
    let edit = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "event_edited")
        .expect("the edit is in the audit trail")
        .clone();
    assert_eq!(edit["actor"]["id"], chair.id.as_str());
    // Others who see it may not edit it.
    for who in [&stranger, &moderator] {
        let res = app
            .patch(&path, Some(who))
            .header("If-Match", "*")
            .json(&json!({"title": 12}))
            .send()
            .await
            .unwrap();
        problem(res, StatusCode::FORBIDDEN).await;
    }

    // Archived once over: among the past events, no longer changed.
    let (status, view) = app
        .call(app.post(&format!("{path}/archive"), Some(&chair)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["status"], "archived");
    assert_eq!(status_of(&app, &path, None).await, StatusCode::OK);
    assert!(!listed(&app, "", &event).await);
    assert!(listed(&app, "when=all", &event).await);
    let etag = app.etag(&path, &chair).await;
    let (status, _) = app
        .call(
            app.patch(&path, Some(&chair))
                .header("If-Match", etag)
                .json(&json!({"venue": "Ailleurs"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn bad_input_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let chair = organiser(&app, "chair").await;
    let moderator = app.moderator().await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("ends_at", json!(in_days(&app, 59)), "/ends_at"),
        ("region", json!("99"), "/region"),
        // Besançon is not in Île-de-France.
        ("commune_code", json!("25056"), "/commune_code"),
        ("venue", Value::Null, "/venue"),
        (
            "applications_close_at",
            json!(in_days(&app, 70)),
            "/applications_close_at",
        ),
        ("charter_version", json!("v 2024 !"), "/charter_version"),
        (
            "speed_meetings",
            json!({"rounds": 31, "round_minutes": 7, "tables": 10}),
            "/speed_meetings/rounds",
        ),
        (
            "speed_meetings",
            json!({"rounds": 4, "round_minutes": 7, "tables": 0}),
            "/speed_meetings/tables",
        ),
        (
            "speed_meetings",
            json!({"rounds": 4, "round_minutes": 7, "tables": 4, "starts_at": in_days(&app, 5)}),
            "/speed_meetings/starts_at",
        ),
        ("orientations", json!(["ok"]), "/orientations/0"),
    ];
    for (field, value, pointer) in cases {
        let mut body = event_body(&app, "Saisie fautive");
        body[field] = value.clone();
        if field == "region" || field == "commune_code" {
            body["region"] = json!(if field == "region" { "99" } else { "11" });
        }
        let res = app
            .post("/api/v1/events", Some(&chair))
            .json(&body)
            .send()
            .await
            .unwrap();
        let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert!(
            pointers(&p).contains(&pointer.to_owned()),
            "{field}={value}: {p}"
        );
    }
    // A speed-meeting session says its rounds.
    let mut body = event_body(&app, "Session seule");
    body["kind"] = json!("speed_meeting");
    body["speed_meetings"] = Value::Null;
    let p = problem(
        app.post("/api/v1/events", Some(&chair))
            .json(&body)
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(pointers(&p), ["/speed_meetings"]);
    // Wrong types and unknown fields are malformed, and named.
    for (field, value) in [
        ("title", json!(5)),
        ("kind", json!("party")),
        ("colour", json!("red")),
    ] {
        let mut body = event_body(&app, "Saisie fautive");
        body[field] = value;
        let p = problem(
            app.post("/api/v1/events", Some(&chair))
                .json(&body)
                .send()
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(pointers(&p), [format!("/{field}")], "{p}");
    }
    // A PATCH is checked as a whole document.
    let event = published(&app, &chair, &moderator, "Édition à corriger").await;
    let path = format!("/api/v1/events/{event}");
    let etag = app.etag(&path, &chair).await;
    let p = problem(
        app.patch(&path, Some(&chair))
            .header("If-Match", etag)
            .json(&json!({"ends_at": in_days(&app, 1)}))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(pointers(&p).contains(&"/ends_at".to_owned()), "{p}");
    let p = problem(
        app.patch(&path, Some(&chair))
            .json(&json!({"venue": "x"}))
            .send()
            .await
            .unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("If-Match"));
    // The list's filters too; an id that is no UUID is no event.
    let p = problem(
        app.get("/api/v1/events?region=zz", None)
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(pointers(&p), ["/region"]);
    let p = problem(
        app.get("/api/v1/events?when=tomorrow", None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(pointers(&p), ["/when"]);
    assert_eq!(
        status_of(&app, "/api/v1/events/not-a-uuid", None).await,
        StatusCode::BAD_REQUEST
    );
    let (_, view) = app.call(app.get(&path, None)).await;
    assert_eq!(id(&view), event);
}

both_backends!(
    an_event_is_moderated_and_unpublished_ones_stay_hidden,
    bad_input_is_refused_naming_the_field
);

//! A participant's wishes and unavailable rounds: what is refused (422 naming the field),
//! and who may read or write them.

use super::{Setup, event};
use crate::both_backends;
use crate::common::{Backend, TestApp, pointers};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn put(
    app: &TestApp,
    path: &str,
    who: &crate::common::User,
    body: Value,
) -> (StatusCode, Value) {
    app.call(
        app.request(reqwest::Method::PUT, path, Some(who))
            .json(&body),
    )
    .await
}

/// The field errors of a 422, as (pointer, code).
fn errors(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["pointer"].as_str().unwrap_or_default().to_owned(),
                        e["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn wishes_and_rounds_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(&app, Setup::default()).await;
    let other = event(
        &app,
        Setup {
            participants: 2,
            ..Setup::default()
        },
    )
    .await;
    let [p0, p1, p2, ..] = &e.participants[..] else {
        panic!("participants")
    };
    let path = e.path("/preferences");

    let (status, views) = app.call(app.get(&path, Some(&p0.user))).await;
    assert_eq!(status, StatusCode::OK, "{views}");
    assert_eq!(views.as_array().unwrap().len(), 1);
    assert_eq!(views[0]["participant"]["application_id"], p0.application);
    assert_eq!(views[0]["candidates"].as_array().unwrap().len(), 5);
    assert_eq!(views[0]["rounds"], 4);
    assert_eq!(views[0]["round_starts"].as_array().unwrap().len(), 4);

    for (body, pointer, code) in [
        (json!({"wishes": [p0.application]}), "/wishes/0", "self"),
        (
            json!({"wishes": [p1.application, p1.application]}),
            "/wishes/1",
            "duplicate",
        ),
        (
            json!({"wishes": [other.participants[0].application]}),
            "/wishes/0",
            "unknown_participant",
        ),
        (
            json!({"wishes": [p1.application, uuid::Uuid::now_v7()]}),
            "/wishes/1",
            "unknown_participant",
        ),
        (
            json!({"unavailable_rounds": [4]}),
            "/unavailable_rounds/0",
            "out_of_range",
        ),
        (
            json!({"unavailable_rounds": [1, 1]}),
            "/unavailable_rounds/1",
            "duplicate",
        ),
    ] {
        let (status, problem) = put(&app, &path, &p0.user, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {problem}"
        );
        assert!(
            errors(&problem).contains(&(pointer.to_owned(), code.to_owned())),
            "{body}: {problem}"
        );
    }
    let sixteen: Vec<String> = (0..16).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let (status, problem) = put(&app, &path, &p0.user, json!({ "wishes": sixteen })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        pointers(&problem).contains(&"/wishes".to_owned()),
        "{problem}"
    );
    // Not a round number at all: the body does not fit its schema (400), naming the field.
    for bad in [json!(["x"]), json!([-1])] {
        let body = json!({ "unavailable_rounds": bad });
        let (status, problem) = put(&app, &path, &p0.user, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert_eq!(pointers(&problem), ["/unavailable_rounds/0"]);
    }
    // Nothing refused was kept.
    let (_, views) = app.call(app.get(&path, Some(&p0.user))).await;
    assert_eq!(views[0]["wishes"], json!([]));

    let (status, view) = put(
        &app,
        &path,
        &p0.user,
        json!({"wishes": [p2.application, p1.application], "unavailable_rounds": [3]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let ranked: Vec<&str> = view["wishes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["application_id"].as_str().unwrap())
        .collect();
    assert_eq!(ranked, [p2.application.as_str(), p1.application.as_str()]);
    assert_eq!(view["unavailable_rounds"], json!([3]));
    // Replaced as sent.
    let (_, view) = put(&app, &path, &p0.user, json!({"wishes": [p1.application]})).await;
    assert_eq!(view["wishes"].as_array().unwrap().len(), 1);
    assert_eq!(view["unavailable_rounds"], json!([]));
}

async fn only_participants_read_and_write_their_preferences(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(&app, Setup::default()).await;
    let other = event(
        &app,
        Setup {
            participants: 2,
            ..Setup::default()
        },
    )
    .await;
    let p0 = &e.participants[0];
    let path = e.path("/preferences");
    let stranger = app.verified_user("stranger").await;

    let (status, _) = app.call(app.get(&path, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .call(
            app.request(reqwest::Method::PUT, &path, None)
                .json(&json!({"wishes": []})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for who in [
        &stranger,
        &other.participants[0].user,
        &e.committee,
        &other.committee,
    ] {
        let (status, body) = app.call(app.get(&path, Some(who))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = put(&app, &path, who, json!({"wishes": []})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = app.call(app.get(&e.path("/mine"), Some(who))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    // One participant cannot write another's.
    let (status, _) = put(
        &app,
        &path,
        &p0.user,
        json!({"application_id": e.participants[1].application, "wishes": []}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An event the public may not know is nobody's business but its committee's.
    let draft = event(
        &app,
        Setup {
            participants: 2,
            status: "draft",
            ..Setup::default()
        },
    )
    .await;
    let (status, _) = app
        .call(app.get(
            &draft.path("/preferences"),
            Some(&draft.participants[0].user),
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(app.get(&draft.path("/indicators"), None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call(app.get(&draft.path(""), Some(&draft.committee)))
        .await;
    assert_eq!(status, StatusCode::OK);
    let nowhere = format!(
        "/api/v1/events/{}/meetings/preferences",
        uuid::Uuid::now_v7()
    );
    let (status, _) = app.call(app.get(&nowhere, Some(&p0.user))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

both_backends!(
    wishes_and_rounds_are_checked,
    only_participants_read_and_write_their_preferences
);

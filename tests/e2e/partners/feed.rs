use super::{partner, with_key};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, problem};
use agora_service::partners::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

const CONFIDENTIAL: &str = "canari-confidentiel-flux-5d1e";
const PRIVATE: &str = "canari-flux@asso.example.org";
const DRAFT: &str = "Canari Brouillon Flux 77b0";

async fn read(app: &TestApp, key: &str, query: &str) -> Value {
    let (status, page) = app
        .call(with_key(app, &format!("/api/v1/changes{query}"), key))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

fn events(page: &Value) -> Vec<(String, String)> {
    page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["event"].as_str().unwrap().to_owned(),
                c["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn the_feed_gives_every_public_change_in_order_and_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, key) = partner(&app, "Synchro", &[Scope::Changes], 1000).await;
    let start = read(&app, &key, "").await;
    assert_eq!(start["changes"], json!([]));
    assert_eq!(start["next_cursor"], "0");

    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let project = fixtures::project_with_secrets(CONFIDENTIAL, PRIVATE);
    let pid = app
        .publish(
            &format!("/api/v1/structures/{sid}/projects"),
            "projects",
            &owner,
            &moderator,
            &project,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut draft = fixtures::structure();
    draft["name"] = json!(DRAFT);
    app.create("/api/v1/structures", &owner, &draft).await;
    let act = |action: &str| app.post(&format!("/api/v1/projects/{pid}/{action}"), Some(&owner));
    assert_eq!(app.call(act("pause")).await.0, StatusCode::OK);
    assert_eq!(app.call(act("archive")).await.0, StatusCode::OK);

    let all = read(&app, &key, "?since=0").await;
    assert_eq!(
        events(&all),
        [
            ("published".to_owned(), sid.clone()),
            ("published".to_owned(), pid.clone()),
            ("updated".to_owned(), pid.clone()),
            ("unpublished".to_owned(), pid.clone()),
        ]
    );
    assert_eq!(all["has_more"], false);
    let text = all.to_string();
    for canary in [CONFIDENTIAL, PRIVATE, DRAFT] {
        assert!(!text.contains(canary), "{canary} leaked into the feed");
    }
    // The structure is public now; the archived project is no longer: no view of it.
    assert_eq!(all["changes"][0]["listing"]["id"], json!(sid));
    for c in &all["changes"].as_array().unwrap()[1..] {
        assert_eq!(c["listing"], Value::Null, "{c}");
    }

    // Page by page, the same sequence.
    let mut cursor = "0".to_owned();
    let mut paged = Vec::new();
    loop {
        let page = read(&app, &key, &format!("?since={cursor}&limit=1")).await;
        paged.extend(events(&page));
        cursor = page["next_cursor"].as_str().unwrap().to_owned();
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(paged, events(&all));
    assert_eq!(
        read(&app, &key, &format!("?since={cursor}")).await["changes"],
        json!([])
    );

    for bad in [
        "?since=abc",
        "?since=-1",
        "?since=999999",
        "?limit=0",
        "?limit=501",
    ] {
        let res = with_key(&app, &format!("/api/v1/changes{bad}"), &key)
            .send()
            .await
            .unwrap();
        assert!(
            [StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY].contains(&res.status()),
            "{bad}: {}",
            res.status()
        );
    }
}

async fn an_old_cursor_must_start_again_from_an_export(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, key) = partner(&app, "Synchro", &[Scope::Changes], 1000).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    app.published_structure(&owner, &moderator).await;
    let latest = read(&app, &key, "").await["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();

    app.advance_days(91);
    app.sweep().await;
    let gone = problem(
        with_key(&app, "/api/v1/changes?since=0", &key)
            .send()
            .await
            .unwrap(),
        StatusCode::GONE,
    )
    .await;
    assert!(
        gone["detail"].as_str().unwrap().contains("full export"),
        "{gone}"
    );
    // Up to date, a partner goes on where it was.
    assert_eq!(
        read(&app, &key, &format!("?since={latest}")).await["changes"],
        json!([])
    );
    let (owner, moderator) = (app.relogin(&owner).await, app.relogin(&moderator).await);
    let sid = app.published_structure(&owner, &moderator).await;
    let next = read(&app, &key, &format!("?since={latest}")).await;
    assert_eq!(events(&next), [("published".to_owned(), sid)]);
}

both_backends!(
    the_feed_gives_every_public_change_in_order_and_nothing_else,
    an_old_cursor_must_start_again_from_an_export,
);

use super::{partner, with_key};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, problem};
use agora_service::partners::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

const CONFIDENTIAL: &str = "canari-confidentiel-export-3a9c";
const PRIVATE: &str = "canari-export@asso.example.org";
const DRAFT: &str = "Canari Brouillon Export 61d4";

const ROUTES: [&str; 5] = [
    "/api/v1/exports/data-inclusion/structures",
    "/api/v1/exports/data-inclusion/services",
    "/api/v1/exports/hsds/organizations",
    "/api/v1/exports/hsds/services",
    "/api/v1/exports/listings.csv",
];

async fn exports_stream_the_public_directory_to_a_key_with_the_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, key) = partner(&app, "Portail", &[Scope::Exports, Scope::Changes], 1000).await;
    let (_, reader) = partner(&app, "Lecteur", &[Scope::Read], 1000).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let (status, view) = app
        .call(app.get(&format!("/api/v1/services/{service}"), None))
        .await;
    assert_eq!(status, StatusCode::OK);
    let sid = view["structure"]["id"].as_str().unwrap().to_owned();
    let project = fixtures::project_with_secrets(CONFIDENTIAL, PRIVATE);
    app.publish(
        &format!("/api/v1/structures/{sid}/projects"),
        "projects",
        &owner,
        &moderator,
        &project,
    )
    .await;
    let mut draft = fixtures::structure();
    draft["name"] = json!(DRAFT);
    app.create("/api/v1/structures", &owner, &draft).await;
    let cursor = app.call(with_key(&app, "/api/v1/changes", &key)).await.1["next_cursor"].clone();

    for route in ROUTES {
        let res = with_key(&app, route, &key).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{route}");
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(json!(header("agora-changes-cursor")), cursor, "{route}");
        assert!(header("content-disposition").starts_with("attachment; filename="));
        let csv = route.ends_with(".csv");
        assert!(header("content-type").starts_with(if csv {
            "text/csv"
        } else {
            "application/json"
        }));
        let body = res.text().await.unwrap();
        for canary in [CONFIDENTIAL, PRIVATE, DRAFT] {
            assert!(!body.contains(canary), "{canary} in {route}");
        }
        let wanted = if route.contains("services") {
            &service
        } else {
            &sid
        };
        assert!(body.contains(wanted.as_str()), "{route} lacks {wanted}");
        if !csv {
            let items: Vec<Value> = serde_json::from_str(&body).unwrap();
            assert_eq!(items.len(), 1, "{route}: {body}");
        }
    }
    // One item per line on demand.
    let lines = with_key(&app, &format!("{}?format=jsonl", ROUTES[0]), &key)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(lines.lines().count(), 1);
    let _: Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    problem(
        with_key(&app, &format!("{}?format=xml", ROUTES[0]), &key)
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // The scope, a key, an account: refused.
    for route in ROUTES {
        problem(
            with_key(&app, route, &reader).send().await.unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
        problem(
            app.get(route, None).send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
        )
        .await;
        problem(
            app.get(route, Some(&owner)).send().await.unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
}

both_backends!(exports_stream_the_public_directory_to_a_key_with_the_scope);

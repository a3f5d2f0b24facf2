//! "Signaler une erreur": reports reach the members and the moderators by mail without
//! naming the reporter to the members, bad input is refused per field, each client is
//! rate-limited, and moderators work through the reports.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, problem};
use reqwest::StatusCode;
use serde_json::json;

async fn a_report_reaches_members_and_moderators(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let service = service.as_str();
    let reporter = app.user("reporter").await;

    let (status, receipt) = app
        .call(app.post("/api/v1/reports", Some(&reporter)).json(&json!({
            "subject_type": "service", "subject_id": service, "reason": "wrong_hours",
            "details": "Les permanences ont lieu le mardi, plus le lundi."
        })))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "received");

    let to_owner = app
        .smtp
        .wait_for(&owner.email, "Une erreur a été signalée", 1)
        .await;
    let text = to_owner[0].text();
    assert!(text.contains("horaires erronés"), "{text}");
    assert!(text.contains("plus le lundi"));
    assert!(
        !to_owner[0].data.contains(&reporter.email),
        "the reporter is not named"
    );
    assert!(!to_owner[0].data.contains("reporter"), "nor their name");
    app.smtp.wait_for(&moderator.email, "Signalement", 1).await;

    // Moderators only, oldest first; resolved once.
    let (status, _) = app
        .call(app.get("/api/v1/moderation/reports", Some(&owner)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, list) = app
        .call(app.get("/api/v1/moderation/reports", Some(&moderator)))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let item = &list["items"][0];
    assert_eq!(item["id"], receipt["id"]);
    assert_eq!(item["reason"], "wrong_hours");
    assert_eq!(item["reporter_id"], reporter.id.as_str());
    let resolve = format!(
        "/api/v1/moderation/reports/{}/resolve",
        receipt["id"].as_str().unwrap()
    );
    let body = json!({"resolution": "Horaires corrigés par la structure."});
    let (status, resolved) = app
        .call(app.post(&resolve, Some(&moderator)).json(&body))
        .await;
    assert_eq!(status, StatusCode::OK, "{resolved}");
    assert_eq!(resolved["state"], "resolved");
    let (status, _) = app
        .call(app.post(&resolve, Some(&moderator)).json(&body))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, open) = app
        .call(app.get("/api/v1/moderation/reports", Some(&moderator)))
        .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 0);
    let (_, done) = app
        .call(app.get(
            "/api/v1/moderation/reports?state=resolved",
            Some(&moderator),
        ))
        .await;
    assert_eq!(done["items"].as_array().unwrap().len(), 1);
}

async fn bad_reports_are_refused_and_clients_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let draft = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;

    let send = |body: serde_json::Value| app.post("/api/v1/reports", None).json(&body).send();
    let res =
        send(json!({"subject_type": "structure", "subject_id": structure, "reason": "bogus"}))
            .await
            .unwrap();
    let p = problem(res, StatusCode::BAD_REQUEST).await;
    assert!(p.to_string().contains("/reason"), "{p}");
    let res =
        send(json!({"subject_type": "structure", "subject_id": structure, "reason": "other"}))
            .await
            .unwrap();
    let p = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(p["errors"][0]["pointer"], "/details", "{p}");
    // Drafts and unknown listings cannot be reported (nor learnt about).
    for id in [
        draft["id"].as_str().unwrap(),
        "01900000-0000-7000-8000-000000000000",
    ] {
        let res =
            send(json!({"subject_type": "structure", "subject_id": id, "reason": "wrong_area"}))
                .await
                .unwrap();
        problem(res, StatusCode::NOT_FOUND).await;
    }

    // Five an hour per client, then 429 with Retry-After; an hour later, again.
    let ok =
        json!({"subject_type": "structure", "subject_id": structure, "reason": "service_closed"});
    for _ in 0..5 {
        assert_eq!(
            send(ok.clone()).await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    let res = send(ok.clone()).await.unwrap();
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 3600, "{retry}");
    problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(send(ok).await.unwrap().status(), StatusCode::CREATED);
}

/// Twenty reports sent at once by one client: exactly its allowance gets in (the count is
/// made in the transaction that adds the report, under the client's lock).
async fn concurrent_reports_get_exactly_the_allowance(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let reporter = app.user("reporter").await;
    let mut sent = Vec::new();
    for _ in 0..20 {
        let rb = app.post("/api/v1/reports", Some(&reporter)).json(
            &json!({"subject_type": "structure", "subject_id": structure, "reason": "wrong_area"}),
        );
        sent.push(tokio::spawn(rb.send()));
    }
    let mut statuses = Vec::new();
    for s in sent {
        statuses.push(s.await.unwrap().unwrap().status());
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    let limited = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((created, limited), (5, 15), "{statuses:?}");
    let (_, open) = app
        .call(app.get("/api/v1/moderation/reports?limit=100", Some(&moderator)))
        .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 5);
}

/// Behind a trusted reverse proxy each client has its own allowance; a header sent by
/// anyone else does not buy a new one.
async fn the_report_allowance_counts_the_real_client(backend: Backend) {
    let behind_proxy =
        TestApp::spawn_with(backend, |c| c.trusted_proxies = vec!["127.0.0.1/32".into()]).await;
    let direct = behind_proxy.spawn_beside(|_| {}).await;
    let owner = behind_proxy.user("owner").await;
    let moderator = behind_proxy.moderator().await;
    let structure = behind_proxy.published_structure(&owner, &moderator).await;
    let body =
        json!({"subject_type": "structure", "subject_id": structure, "reason": "wrong_hours"});
    let send = |app: &TestApp, from: &str| {
        app.post("/api/v1/reports", None)
            .header("X-Forwarded-For", from)
            .json(&body)
            .send()
    };
    for from in ["198.51.100.1", "198.51.100.2"] {
        for _ in 0..5 {
            assert_eq!(
                send(&behind_proxy, from).await.unwrap().status(),
                StatusCode::CREATED
            );
        }
        problem(
            send(&behind_proxy, from).await.unwrap(),
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    // Without a trusted proxy the connection is the client, whatever the header says.
    for n in 0..5 {
        let from = format!("192.0.2.{n}");
        assert_eq!(
            send(&direct, &from).await.unwrap().status(),
            StatusCode::CREATED
        );
    }
    problem(
        send(&direct, "192.0.2.99").await.unwrap(),
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
}

both_backends!(
    a_report_reaches_members_and_moderators,
    bad_reports_are_refused_and_clients_limited,
    concurrent_reports_get_exactly_the_allowance,
    the_report_allowance_counts_the_real_client,
);

use super::{partner, with_key};
use crate::both_backends;
use crate::common::{Backend, TestApp, problem};
use agora_domain::PlatformRole;
use agora_service::partners::{self, Scope};
use reqwest::StatusCode;

async fn keys_are_refused_once_rotated_or_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p, key) = partner(&app, "Oncobfc", &Scope::ALL, 100).await;
    let stored = format!("{:?}", partners::list(&app.ctx).await.unwrap());
    assert!(
        !stored.contains(&key),
        "the key itself is never stored nor listed"
    );
    let res = with_key(&app, "/api/v1/search?q=soutien", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("ratelimit-policy"));

    let new_key = partners::rotate(&app.ctx, p.id).await.unwrap();
    let refused = problem(
        with_key(&app, "/api/v1/search?q=soutien", &key)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(!refused.to_string().contains(&key), "the key is not echoed");
    let res = with_key(&app, "/api/v1/changes", &new_key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the new key works");

    partners::revoke(&app.ctx, p.id).await.unwrap();
    problem(
        with_key(&app, "/api/v1/changes", &new_key)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // A made-up key, a key and a token together, a key on a member's route.
    problem(
        with_key(&app, "/api/v1/search", "agora_pk_forged")
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let user = app.user("someone").await;
    let (_, live) = partner(&app, "Hopital", &Scope::ALL, 100).await;
    problem(
        app.get("/api/v1/search", Some(&user))
            .header("x-api-key", &live)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    problem(
        with_key(&app, "/api/v1/me", &live).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn scopes_limit_what_a_key_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, reader) = partner(&app, "Lecteur", &[Scope::Read], 100).await;
    let (_, syncer) = partner(&app, "Synchro", &[Scope::Changes], 100).await;
    assert_eq!(
        with_key(&app, "/api/v1/search", &reader)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    for (key, path) in [
        (&reader, "/api/v1/changes"),
        (&reader, "/api/v1/webhooks"),
        (&syncer, "/api/v1/search"),
        (&syncer, "/api/v1/webhooks"),
    ] {
        problem(
            with_key(&app, path, key).send().await.unwrap(),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    assert_eq!(
        with_key(&app, "/api/v1/changes", &syncer)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    // Without a key, the partner routes ask for one; a signed-in person is no partner.
    problem(
        app.get("/api/v1/changes", None).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let user = app.user("curious").await;
    problem(
        app.get("/api/v1/changes", Some(&user))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn a_quota_is_shared_by_two_instances(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let second = first.spawn_beside(|_| {}).await;
    let (p, key) = partner(&first, "Reseau", &Scope::ALL, 5).await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        let res = with_key(app, "/api/v1/search?q=aide", &key)
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if i == 5 {
            assert_eq!(
                header(&res, "ratelimit-policy"),
                "\"minute\";q=5;w=60, \"day\";q=10000;w=86400"
            );
            assert!(header(&res, "ratelimit").contains("\"minute\";r=0;"));
            let wait: u64 = header(&res, "retry-after").parse().expect("Retry-After");
            assert!((1..=60).contains(&wait), "{wait}");
            problem(res, StatusCode::TOO_MANY_REQUESTS).await;
        } else {
            let remaining = header(&res, "ratelimit");
            assert!(
                remaining.starts_with(&format!("\"minute\";r={};t=", 4 - i))
                    && remaining.contains(&format!("\"day\";r={};t=", 9_999 - i)),
                "{remaining}"
            );
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    // The next minute, the key is served again.
    first.advance(chrono::Duration::seconds(61));
    second.advance(chrono::Duration::seconds(61));
    assert_eq!(
        with_key(&second, "/api/v1/search", &key)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // Usage: administrators and the partner itself; nobody else.
    let admin = first.with_role("admin", PlatformRole::Admin).await;
    let path = format!("/api/v1/partners/{}/usage", p.id);
    let (status, usage) = first.call(first.get(&path, Some(&admin))).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    let served: u64 = usage["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["requests"].as_u64().unwrap())
        .sum();
    let refused: u64 = usage["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["refused"].as_u64().unwrap())
        .sum();
    assert_eq!((served, refused), (6, 1), "{usage}");
    assert_eq!(
        with_key(&first, &path, &key).send().await.unwrap().status(),
        StatusCode::OK
    );
    let (_, other) = partner(&first, "Autre", &Scope::ALL, 100).await;
    problem(
        with_key(&first, &path, &other).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let moderator = first.moderator().await;
    problem(
        first.get(&path, Some(&moderator)).send().await.unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        first.get(&path, None).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let (status, list) = first
        .call(first.get("/api/v1/partners", Some(&admin)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.to_string().contains(&key), "keys are never listed");
    problem(
        first
            .get("/api/v1/partners", Some(&moderator))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        with_key(&first, "/api/v1/partners", &key)
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn anonymous_reads_are_limited_per_address(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.partners.anonymous_per_minute = 3).await;
    let user = app.user("member").await;
    let (_, key) = partner(&app, "Partenaire", &Scope::ALL, 100).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let res = app.get("/api/v1/search?q=aide", None).send().await.unwrap();
        assert_eq!(header(&res, "ratelimit-policy"), "\"per-address\";q=3;w=60");
        statuses.push(res.status().as_u16());
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(!header(&res, "retry-after").is_empty());
        }
    }
    assert_eq!(statuses, [200, 200, 200, 429]);
    // A signed-in person and a partner are not counted as the address.
    assert_eq!(
        app.get("/api/v1/search", Some(&user))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        with_key(&app, "/api/v1/search", &key)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

both_backends!(
    keys_are_refused_once_rotated_or_revoked,
    scopes_limit_what_a_key_does,
    a_quota_is_shared_by_two_instances,
    anonymous_reads_are_limited_per_address,
);

//! Bad input never crashes the server nor yields a 500: it gets problem+json naming the
//! field, and nothing stored is lost (security rows 4, 13, 18 and 19).

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, pointers, problem};
use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn validation_errors_point_at_each_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let mut body = fixtures::structure();
    body["siret"] = json!("73282932000075");
    body["contact"] =
        json!({"email": "pas-un-email", "phone": "12", "website": "javascript:alert(1)"});
    body["address"]["commune_code"] = json!("2C056");
    let res = app
        .post("/api/v1/structures", Some(&owner))
        .json(&body)
        .send()
        .await
        .unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        pointers(&body),
        [
            "/siret",
            "/address/commune_code",
            "/contact/email",
            "/contact/phone",
            "/contact/website"
        ]
    );
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["code"].is_string() && e["detail"].is_string())
    );

    let mut service = fixtures::service();
    service["themes"] = json!(["travail-emploi", "astrologie"]);
    service["coverage"] = json!({"kind": "departements", "codes": ["25", "20"]});
    let structure = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let res = app
        .post(
            &format!(
                "/api/v1/structures/{}/services",
                structure["id"].as_str().unwrap()
            ),
            Some(&owner),
        )
        .json(&service)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["/themes/1", "/coverage/codes/1"]
    );
    // A type error points at its value.
    let mut wrong_type = fixtures::structure();
    wrong_type["address"]["lat"] = json!("north");
    let res = app
        .post("/api/v1/structures", Some(&owner))
        .json(&wrong_type)
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::BAD_REQUEST).await),
        ["/address/lat"]
    );
}

async fn read_only_fields_cannot_be_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let path = format!("/api/v1/structures/{}", created["id"].as_str().unwrap());
    let before = app.call(app.get(&path, Some(&owner))).await.1;
    for (field, value) in [
        ("status", json!("published")),
        ("published_at", json!("2026-01-01T00:00:00Z")),
        ("verified_at", json!("2026-01-01T00:00:00Z")),
        ("label", json!(true)),
        ("owner_id", json!(uuid::Uuid::new_v4())),
        ("id", json!(uuid::Uuid::new_v4())),
    ] {
        let etag = app.etag(&path, &owner).await;
        let res = app
            .patch(&path, Some(&owner))
            .header("If-Match", etag)
            .json(&json!({ field: value }))
            .send()
            .await
            .unwrap();
        let body = problem(res, StatusCode::BAD_REQUEST).await;
        assert_eq!(pointers(&body), [format!("/{field}")], "{body}");
        let mut create = fixtures::structure();
        create[field] = value;
        problem(
            app.post("/api/v1/structures", Some(&owner))
                .json(&create)
                .send()
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    assert_eq!(
        app.call(app.get(&path, Some(&owner))).await.1,
        before,
        "nothing changed"
    );
    let (_, me) = app.call(app.get("/api/v1/me", Some(&owner))).await;
    assert_eq!(
        me["memberships"].as_array().unwrap().len(),
        1,
        "no structure was created on the way"
    );
}

async fn hostile_bodies_are_refused_cheaply(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    // 3 MiB: over the 64 KiB limit.
    let big = json!({"name": "x".repeat(3 * 1024 * 1024), "structure_kind": "association"});
    problem(
        app.post("/api/v1/structures", Some(&owner))
            .json(&big)
            .send()
            .await
            .unwrap(),
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    // 100 MiB announced: refused on the header, before the body is read.
    let status = raw_post(&app, "/api/v1/structures", &owner.token, 100 * 1024 * 1024).await;
    assert!(status.starts_with("HTTP/1.1 413"), "{status}");
    // 10 000 nested arrays.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let res = app
        .post("/api/v1/structures", Some(&owner))
        .header("content-type", "application/json")
        .body(deep)
        .send()
        .await
        .unwrap();
    let body = problem(res, StatusCode::BAD_REQUEST).await;
    assert_eq!(body["errors"][0]["code"], "too_deep");
    // Broken JSON, wrong media type, empty body.
    let res = app
        .post("/api/v1/structures", Some(&owner))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let body = problem(res, StatusCode::BAD_REQUEST).await;
    assert!(!body.to_string().contains("serde"), "{body}");
    let res = app
        .post("/api/v1/structures", Some(&owner))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    problem(
        app.post("/api/v1/structures", Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    // Bad path parameters and unknown routes.
    let body = problem(
        app.get("/api/v1/structures/not-a-uuid", None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(pointers(&body), ["/id"]);
    problem(
        app.get("/api/v1/nothing-here", None).send().await.unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let res = app
        .request(reqwest::Method::PUT, "/api/v1/structures", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET, POST");
    problem(res, StatusCode::METHOD_NOT_ALLOWED).await;
    // The server is still fine.
    assert_eq!(
        app.get("/health", None).send().await.unwrap().status(),
        StatusCode::OK
    );
}

/// Sends headers announcing `length` bytes and only a few of them; returns the status line.
async fn raw_post(app: &TestApp, path: &str, token: &str, length: usize) -> String {
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{{\"name\":\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8_lossy(&buf[..n])
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn cross_origin_requests_need_a_listed_origin(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.cors_origins = vec!["https://portail.example.org".into()]
    })
    .await;
    let owner = app.user("owner").await;
    for origin in ["https://evil.example", "null"] {
        let res = app
            .get("/api/v1/me", Some(&owner))
            .header("Origin", origin)
            .send()
            .await
            .unwrap();
        assert!(
            res.headers().get("access-control-allow-origin").is_none(),
            "{origin} allowed"
        );
        assert!(
            res.headers()
                .get("access-control-allow-credentials")
                .is_none()
        );
    }
    let res = app
        .get("/api/v1/me", Some(&owner))
        .header("Origin", "https://portail.example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://portail.example.org"
    );
}

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, health) = app.call(app.get("/health", None)).await;
    assert_eq!(
        (status, health["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let (status, ready) = app.call(app.get("/ready", None)).await;
    assert_eq!(
        (status, ready["status"].as_str()),
        (StatusCode::OK, Some("ready"))
    );
    let res = app
        .get("/health", None)
        .header("x-request-id", "trace-me-123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["x-request-id"],
        "trace-me-123",
        "a sane incoming request id is kept"
    );
    let res = app
        .get("/health", None)
        .header("x-request-id", "bad id\twith spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(res.headers()["x-request-id"], "bad id\twith spaces");
    let (status, vocab) = app.call(app.get("/api/v1/vocabularies", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(vocab["theme_families"].as_array().unwrap().len(), 4);
    assert!(
        vocab["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["slug"] == "travail-emploi" && t["family"] == "travail")
    );
}

both_backends!(
    validation_errors_point_at_each_field,
    read_only_fields_cannot_be_written,
    hostile_bodies_are_refused_cheaply,
    cross_origin_requests_need_a_listed_origin,
    health_and_readiness,
);

/// With its database gone, the service answers 503 problem+json without internals, and
/// recovers when the database comes back (PostgreSQL: the production backend).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_down_is_a_clean_503() {
    if crate::common::postgres_opted_out() {
        return;
    }
    use sea_orm::{ConnectionTrait, Database};
    let app = TestApp::spawn(Backend::Postgres).await;
    let owner = app.user("owner").await;
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    let admin = Database::connect(std::env::var("AGORA_TEST_DATABASE_URL").unwrap())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .await
        .unwrap();

    for res in [
        app.get("/ready", None).send().await.unwrap(),
        app.get("/api/v1/structures", None).send().await.unwrap(),
        app.get("/api/v1/me", Some(&owner)).send().await.unwrap(),
    ] {
        let status = res.status();
        assert!(
            res.headers().get("retry-after").is_some() || status != StatusCode::SERVICE_UNAVAILABLE
        );
        let body = problem(res, StatusCode::SERVICE_UNAVAILABLE)
            .await
            .to_string()
            .to_lowercase();
        for internal in [
            "sql",
            "postgres",
            "connection refused",
            "sqlx",
            "pool",
            ".rs",
            "panicked",
        ] {
            assert!(!body.contains(internal), "`{internal}` in {body}");
        }
    }
    admin
        .execute_unprepared(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .await
        .unwrap();
    let mut ready = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        ready = app.get("/ready", None).send().await.unwrap().status();
        if ready == StatusCode::OK {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ready, StatusCode::OK, "the service recovers");
}

use super::partner;
use crate::both_backends;
use crate::common::{Backend, TestApp, problem};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use agora_service::partners::Scope;
use agora_service::webhooks::dispatch_once;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// A partner's receiver, in the test process: it verifies each delivery's signature with
/// the secret it was given, keeps what it received, and answers the status it is told.
#[derive(Clone, Default)]
struct Receiver {
    secret: Arc<Mutex<String>>,
    received: Arc<Mutex<Vec<(String, Value, bool)>>>,
    status: Arc<AtomicU16>,
}

impl Receiver {
    fn verifies(&self, req: &HttpRequest, body: &[u8]) -> bool {
        let header = req
            .headers()
            .get("agora-signature")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let (Some(t), Some(v1)) = (
            header.split(',').find_map(|p| p.strip_prefix("t=")),
            header.split(',').find_map(|p| p.strip_prefix("v1=")),
        ) else {
            return false;
        };
        let secret = self.secret.lock().unwrap().clone();
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        hex::decode(v1).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
    }

    fn received(&self) -> Vec<(String, Value, bool)> {
        self.received.lock().unwrap().clone()
    }
}

async fn hook(receiver: web::Data<Receiver>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let valid = receiver.verifies(&req, &body);
    let raw = String::from_utf8_lossy(&body).into_owned();
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    receiver.received.lock().unwrap().push((raw, json, valid));
    HttpResponse::build(
        actix_web::http::StatusCode::from_u16(receiver.status.load(Ordering::SeqCst)).unwrap(),
    )
    .finish()
}

async fn start_receiver() -> (Receiver, String) {
    let receiver = Receiver::default();
    receiver.status.store(200, Ordering::SeqCst);
    let data = web::Data::new(receiver.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(hook))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (receiver, format!("http://127.0.0.1:{port}/hook"))
}

/// Waits (up to 10 s) for what the background dispatcher does.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{what}: not within 10 s");
}

/// Waits until no delivery of the webhook is being sent.
async fn settled(app: &TestApp, key: &str, id: &str) {
    for _ in 0..200 {
        let (_, page) = app
            .call(
                app.get(&format!("/api/v1/webhooks/{id}/deliveries"), None)
                    .header("x-api-key", key),
            )
            .await;
        let items = page["items"].as_array().cloned().unwrap_or_default();
        if !items.is_empty()
            && items
                .iter()
                .all(|d| d["state"] != "sending" && d["attempts"] != 0)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the deliveries did not settle within 10 s");
}

async fn spawn(backend: Backend, disable_after: u32) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.partners.webhook_allow_networks = vec!["127.0.0.1/32".into()];
        c.partners.webhook_disable_after = disable_after;
    })
    .await
}

async fn register(app: &TestApp, key: &str, url: &str) -> Value {
    let (status, created) = app
        .call(
            app.post("/api/v1/webhooks", None)
                .header("x-api-key", key)
                .json(&json!({"url": url, "events": ["published", "updated"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

async fn deliveries_are_signed_retried_with_the_same_body_and_listed(backend: Backend) {
    let app = spawn(backend, 50).await;
    let (receiver, url) = start_receiver().await;
    let (_, key) = partner(&app, "Oncobfc", &[Scope::Webhooks], 1000).await;
    let created = register(&app, &key, &url).await;
    *receiver.secret.lock().unwrap() = created["secret"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();

    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    receiver.status.store(500, Ordering::SeqCst);
    let sid = app.published_structure(&owner, &moderator).await;
    until("a first attempt", || !receiver.received().is_empty()).await;
    settled(&app, &key, &id).await;
    let first = receiver.received()[0].clone();
    assert!(first.2, "the receiver verifies the signature");
    assert_eq!(first.1["event"], "published");
    assert_eq!(first.1["change"]["listing"]["id"], json!(sid));

    // Retried after its delay, with the very same body.
    receiver.status.store(200, Ordering::SeqCst);
    dispatch_once(&app.ctx).await.unwrap();
    assert_eq!(receiver.received().len(), 1, "not before its delay");
    app.advance(chrono::Duration::minutes(2));
    dispatch_once(&app.ctx).await.unwrap();
    let all = receiver.received();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].0, first.0, "a retry sends the same bytes");
    assert!(all[1].2);

    let (status, page) = app
        .call(
            app.get(&format!("/api/v1/webhooks/{id}/deliveries"), None)
                .header("x-api-key", &key),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let d = &page["items"][0];
    assert_eq!(
        (
            d["state"].as_str(),
            d["attempts"].as_u64(),
            d["last_status"].as_u64()
        ),
        (Some("delivered"), Some(2), Some(200)),
        "{d}"
    );

    // Another partner sees none of it; the listing never shows the secret again.
    let (_, other) = partner(&app, "Autre", &Scope::ALL, 1000).await;
    for path in [
        format!("/api/v1/webhooks/{id}"),
        format!("/api/v1/webhooks/{id}/deliveries"),
    ] {
        problem(
            app.get(&path, None)
                .header("x-api-key", &other)
                .send()
                .await
                .unwrap(),
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    let (_, theirs) = app
        .call(
            app.get("/api/v1/webhooks", None)
                .header("x-api-key", &other),
        )
        .await;
    assert_eq!(theirs, json!([]));
    let (_, mine) = app
        .call(app.get("/api/v1/webhooks", None).header("x-api-key", &key))
        .await;
    assert!(
        !mine
            .to_string()
            .contains(created["secret"].as_str().unwrap())
    );
}

async fn a_failing_webhook_is_disabled_with_a_notice(backend: Backend) {
    let app = spawn(backend, 3).await;
    let (receiver, url) = start_receiver().await;
    receiver.status.store(503, Ordering::SeqCst);
    let (_, key) = partner(&app, "Fragile", &[Scope::Webhooks], 1000).await;
    let created = register(&app, &key, &url).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    app.published_structure(&owner, &moderator).await;
    // The dispatcher's first attempt ends before the clock jumps (a jump of hours during
    // an attempt would end its lease and let it be tried twice at once).
    settled(&app, &key, &id).await;
    for _ in 0..4 {
        app.advance(chrono::Duration::hours(13));
        dispatch_once(&app.ctx).await.unwrap();
    }
    let (_, hook) = app
        .call(
            app.get(&format!("/api/v1/webhooks/{id}"), None)
                .header("x-api-key", &key),
        )
        .await;
    assert_eq!(hook["enabled"], false, "{hook}");
    assert!(hook["disabled_reason"].as_str().unwrap().contains("503"));
    assert_eq!(receiver.received().len(), 3, "no attempt once disabled");
    let notice = app
        .smtp
        .wait_for("fragile@partenaire.example.org", "suspendu", 1)
        .await;
    assert!(notice[0].text().contains(&url));

    // Enabled again, it is told of the next change.
    receiver.status.store(200, Ordering::SeqCst);
    let owner = app.relogin(&owner).await;
    let moderator = app.relogin(&moderator).await;
    let (status, _) = app
        .call(
            app.post(&format!("/api/v1/webhooks/{id}/enable"), None)
                .header("x-api-key", &key),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.published_structure(&owner, &moderator).await;
    dispatch_once(&app.ctx).await.unwrap();
    until("the next change delivered", || {
        receiver.received().len() == 4
    })
    .await;
}

async fn webhooks_may_not_point_inside(backend: Backend) {
    // No allow-list: production.
    let app = TestApp::spawn(backend).await;
    let (_, key) = partner(&app, "Curieux", &[Scope::Webhooks], 1000).await;
    for url in [
        "http://partenaire.example.org/hook",
        "https://127.0.0.1/hook",
        "https://10.0.0.8/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://user:secret@partenaire.example.org/hook",
    ] {
        let res = app
            .post("/api/v1/webhooks", None)
            .header("x-api-key", &key)
            .json(&json!({ "url": url }))
            .send()
            .await
            .unwrap();
        let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(body["errors"][0]["pointer"], "/url", "{url}: {body}");
    }
    let res = app
        .post("/api/v1/webhooks", None)
        .header("x-api-key", &key)
        .json(&json!({ "url": "https://1.1.1.1/hook", "events": ["deleted"] }))
        .send()
        .await
        .unwrap();
    let body = problem(res, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["errors"][0]["pointer"], "/events/0");
}

both_backends!(
    deliveries_are_signed_retried_with_the_same_body_and_listed,
    a_failing_webhook_is_disabled_with_a_notice,
    webhooks_may_not_point_inside,
);

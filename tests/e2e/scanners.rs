//! No `GET` changes anything (security row 28). Mail security scanners open every link of
//! a message before the person does, and browsers prefetch: in a world with something
//! behind every route and a mail of every kind, every `GET` of the document (as each kind
//! of caller) and every link of every captured mail are called twice, and the database
//! must be exactly as it was. The links still work afterwards, for the person.

use crate::both_backends;
use crate::common::world::{self, committee};
use crate::common::{Backend, TestApp, User, unique};
use agora_domain::label::Seat;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

async fn drain(app: &TestApp) {
    for _ in 0..400 {
        let counts = agora_service::mail::queue_counts(&app.ctx).await.unwrap();
        let waiting: u64 = counts
            .iter()
            .filter(|(s, _)| s == "queued" || s == "sending")
            .map(|(_, n)| n)
            .sum();
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("mail still queued");
}

/// The database once it has stopped moving (the index follower and the dispatcher are
/// done with what was written).
async fn settled(app: &TestApp) -> std::collections::BTreeMap<String, String> {
    let mut last = app.fingerprint().await;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let now = app.fingerprint().await;
        if now == last {
            return now;
        }
        last = now;
    }
    panic!("the database keeps changing on its own");
}

/// `url` as served by this test server (mail carries the configured public address).
fn local(app: &TestApp, url: &str) -> Option<String> {
    // Links to this server, the API's pages and the site's alike.
    let rest = url.strip_prefix("http://127.0.0.1")?;
    let path = rest.find('/').map(|i| &rest[i..])?;
    Some(app.url(path))
}

/// Query values the document's `GET` operations need to do something.
fn query_for(operation_id: &str) -> &'static str {
    match operation_id {
        "communes" => "?q=Besan",
        "search_listings" => "?q=emploi",
        "refresh_queue" => "?state=due",
        _ => "",
    }
}

async fn no_get_changes_anything(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let editor = app.user("editor").await;
    let moderator = app.moderator().await;
    let reviewers = (
        committee(&app, "patiente", Seat::Patient).await,
        committee(&app, "oncologue", Seat::Professional).await,
    );
    let invited = app.user("invited").await;
    let w = world::build(
        &app,
        Some(&invited),
        &owner,
        &editor,
        &moderator,
        (&reviewers.0, &reviewers.1),
    )
    .await;
    // More kinds of mail: refresh reminders, a registration waiting for its address to be
    // verified, one with an address that has an account, a reset request.
    app.advance_days(170);
    assert!(app.sweep().await.reminded > 0);
    let pending = format!("{}@test.example.org", unique("pending"));
    app.register(&pending, "Pending").await;
    app.register(&owner.email, "Owner again").await;
    let (status, _) = app
        .call(
            app.post("/api/v1/auth/password-reset", None)
                .json(&json!({ "email": editor.email })),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    drain(&app).await;
    let mails = app.smtp.all();
    let mut links = BTreeSet::new();
    for m in &mails {
        links.extend(m.links().iter().filter_map(|l| local(&app, l)));
    }
    let paths: BTreeSet<String> = links
        .iter()
        .map(|l| l.split('?').next().unwrap_or_default().to_owned())
        .collect();
    for expected in [
        "/auth/verify-email",
        "/auth/new-password",
        "/mot-de-passe-oublie",
        "/refresh/confirm",
        "/espace",
        "/moderation/signalements",
        "/moderation/offres",
    ] {
        assert!(
            paths.iter().any(|p| p.ends_with(expected)),
            "a mail links to {expected}: {paths:?}"
        );
    }

    let mut callers: Vec<Option<User>> = vec![None];
    for u in [&owner, &editor, &moderator, &reviewers.0, &invited] {
        callers.push(Some(app.relogin(u).await));
    }
    let document = serde_json::to_value(agora_api::openapi()).unwrap();
    let before = settled(&app).await;

    let mut calls = 0;
    for _ in 0..2 {
        for (path, item) in document["paths"].as_object().unwrap() {
            let Some(op) = item.get("get") else { continue };
            let id = op["operationId"].as_str().unwrap();
            let url = format!("{}{}", w.path(path, id), query_for(id));
            for caller in &callers {
                for accept in ["application/json", "text/html"] {
                    let status = app
                        .get(&url, caller.as_ref())
                        .header("Accept", accept)
                        .send()
                        .await
                        .unwrap()
                        .status();
                    assert!(!status.is_server_error(), "GET {url}: {status}");
                    calls += 1;
                }
            }
        }
        // As a scanner does: no session, a browser's Accept, and as a plain client.
        for link in &links {
            for accept in ["text/html,application/xhtml+xml,*/*;q=0.8", "*/*"] {
                let status = app
                    .client
                    .get(link)
                    .header("Accept", accept)
                    .send()
                    .await
                    .unwrap()
                    .status();
                assert!(!status.is_server_error(), "GET {link}: {status}");
                calls += 1;
            }
        }
    }
    assert!(calls > 500, "{calls} calls");
    let after = settled(&app).await;
    let changed: Vec<&String> = before
        .keys()
        .filter(|t| before.get(*t) != after.get(*t))
        .collect();
    assert!(changed.is_empty(), "GET requests changed {changed:?}");

    // The person who clicks after the scanner still can.
    let token_of = |to: &str, path: &str| {
        mails
            .iter()
            .filter(|m| m.rcpt_to.iter().any(|r| r == to))
            .filter_map(|m| m.token_of(path))
            .next_back()
            .unwrap_or_else(|| panic!("a {path} link to {to}"))
    };
    let (status, verified) = app
        .call(
            app.post("/api/v1/auth/verify-email", None)
                .json(&json!({ "token": token_of(&pending, "auth/verify-email") })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    app.login(&pending, crate::common::PASSWORD, String::new())
        .await;
    let (status, confirmed) = app
        .call(
            app.post("/api/v1/refresh/confirm", None)
                .json(&json!({ "token": token_of(&owner.email, "refresh/confirm") })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["already_confirmed"], false);
    let (status, _) = app
        .call(app.post("/api/v1/auth/new-password", None).json(&json!({
            "token": token_of(&editor.email, "auth/new-password"),
            "new_password": "a brand new long password"
        })))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

both_backends!(no_get_changes_anything);

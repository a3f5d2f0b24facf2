//! Mail over real SMTP: what each decision sends, delivery after an outage with none
//! twice (security row 22), header injection through names (row 12), and the caps.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

async fn pending(app: &TestApp) -> u64 {
    agora_service::mail::queue_counts(&app.ctx)
        .await
        .unwrap()
        .iter()
        .filter(|(s, _)| s == "queued" || s == "sending")
        .map(|(_, n)| n)
        .sum()
}

async fn count(app: &TestApp, state: &str) -> u64 {
    agora_service::mail::queue_counts(&app.ctx)
        .await
        .unwrap()
        .into_iter()
        .find(|(s, _)| s == state)
        .map_or(0, |(_, n)| n)
}

async fn each_decision_is_told_to_the_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap();
    let name = created["name"].as_str().unwrap().to_owned();

    let item = app.submit("structures", id, &owner).await;
    app.smtp
        .wait_for(&owner.email, "Nous avons bien reçu", 1)
        .await;
    let (status, _) = app
        .decide(
            &item,
            "request-changes",
            &moderator,
            Some("Ajoutez un numéro de téléphone."),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let asked = app
        .smtp
        .wait_for(&owner.email, "Des modifications sont demandées", 1)
        .await;
    assert!(asked[0].text().contains("Ajoutez un numéro de téléphone."));
    assert!(asked[0].subject().contains(&name));

    let item = app.submit("structures", id, &owner).await;
    let (status, _) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(status, StatusCode::OK);
    let approved = app.smtp.wait_for(&owner.email, "est publié", 1).await;
    assert!(approved[0].text().contains(&format!("/structures/{id}")));
    assert!(approved[0].html().contains("Voir la fiche"));
    assert_eq!(approved[0].mail_from, "ne-pas-repondre@agora.localhost");
}

async fn mail_queued_while_smtp_is_down_is_delivered_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.verified_user("owner").await;
    let moderator = app.moderator().await;
    app.smtp.stop();

    // Notifying actions during the outage.
    let structure = app.published_structure(&owner, &moderator).await;
    for reason in ["wrong_hours", "outdated_contact"] {
        let (status, body) = app
            .call(app.post("/api/v1/reports", None).json(&json!({
                "subject_type": "structure", "subject_id": structure, "reason": reason
            })))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    // The dispatcher tries, fails, and keeps them for later.
    for _ in 0..200 {
        let mails = agora_store::mail_queue::to_recipient(&app.ctx.db, &owner.email)
            .await
            .unwrap();
        // A claim counts the attempt before the send fails: wait for the failure itself.
        if mails.len() == 4
            && mails
                .iter()
                .all(|m| m.attempts >= 1 && m.last_error.is_some())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let waiting = agora_store::mail_queue::to_recipient(&app.ctx.db, &owner.email)
        .await
        .unwrap();
    assert_eq!(waiting.len(), 4, "submitted, approved, two reports");
    assert!(
        waiting
            .iter()
            .all(|m| m.attempts >= 1 && m.last_error.is_some()),
        "{waiting:?}"
    );
    assert!(app.smtp.all().is_empty());
    let queued = pending(&app).await;
    assert!(queued >= 6, "owner's and moderator's mail: {queued}");

    // The server comes back; retries fall due; a second dispatcher races the first. (The
    // clock jumps past the claims' lease: it moves only once no send is under way, as a
    // real clock would not jump past a send in flight.)
    app.smtp.resume().await;
    for _ in 0..400 {
        if count(&app, "sending").await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    app.clock.advance(chrono::Duration::hours(2));
    let transport = agora::app::mail_transport(&app.config).unwrap();
    let extra = agora_service::mail::dispatch_once(&app.ctx, &transport)
        .await
        .unwrap();
    for _ in 0..400 {
        if pending(&app).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(pending(&app).await, 0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = app.smtp.all();
    let sent = count(&app, "sent").await;
    assert_eq!(received.len() as u64, sent, "{extra:?}");
    assert!(sent >= queued);
    let ids: std::collections::HashSet<String> = received.iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), received.len(), "a mail was delivered twice");
    assert_eq!(app.smtp.to(&owner.email).len(), 4);
}

async fn line_breaks_in_names_do_not_add_recipients(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let evil = "intrus@evil.example.org";
    let email = format!("{}@test.example.org", crate::common::unique("camille"));
    app.register(&email, &format!("Camille\r\nBcc: {evil}\r\nCc: {evil}"))
        .await;
    app.verify_from_mail(&email).await;
    let (status, user_body) = app
        .call(
            app.post("/api/v1/auth/login", None)
                .json(&json!({"email": email, "password": crate::common::PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let user = crate::common::User {
        id: String::new(),
        email: email.clone(),
        token: user_body["access_token"].as_str().unwrap().to_owned(),
        refresh: String::new(),
    };
    let mut body = fixtures::structure();
    body["name"] = json!(format!("Association\r\nBcc: {evil}\nTo: {evil}"));
    let (status, created) = app
        .call(app.post("/api/v1/structures", Some(&user)).json(&body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    app.submit("structures", created["id"].as_str().unwrap(), &user)
        .await;
    let got = app.smtp.wait_for(&email, "Nous avons bien reçu", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    for m in app.smtp.all() {
        assert_eq!(m.rcpt_to, vec![email.clone()], "envelope");
        for line in m.header_lines() {
            let lower = line.to_ascii_lowercase();
            assert!(
                !(lower.starts_with("bcc:") || lower.starts_with("cc:")),
                "injected header: {line}"
            );
            if lower.starts_with("to:") {
                assert!(!lower.contains("evil"), "{line}");
            }
        }
    }
    assert!(
        got[0].subject().contains("Association Bcc:"),
        "kept as text on one line"
    );
}

both_backends!(
    each_decision_is_told_to_the_members,
    mail_queued_while_smtp_is_down_is_delivered_once,
    line_breaks_in_names_do_not_add_recipients,
);

/// The daily caps hold: beyond their share recipients' mail is held back, and beyond
/// the global cap the rest waits for the next day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daily_caps_hold() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| {
        c.mail.daily_cap = 3;
        c.mail.per_recipient_daily_cap = 2;
    })
    .await;
    let owner = app.verified_user("owner").await;
    let moderator = app.moderator().await;
    // The owner is told twice (submitted, approved): their share.
    let structure = app.published_structure(&owner, &moderator).await;
    for _ in 0..3 {
        let (status, _) = app
            .call(app.post("/api/v1/reports", None).json(&json!({
                "subject_type": "structure", "subject_id": structure, "reason": "wrong_area"
            })))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Owner: 2 queued, 3 held back. Moderator: 2 queued, 1 held back.
    assert_eq!(count(&app, "capped").await, 4);
    let started = std::time::Instant::now();
    while app.smtp.all().len() < 3 {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.smtp.all().len(), 3, "global cap");
    assert_eq!(pending(&app).await, 1);
    // A day later the rest goes.
    app.clock.advance(chrono::Duration::hours(25));
    app.ctx.mail_queued.notify_one();
    let started = std::time::Instant::now();
    while app.smtp.all().len() < 4 {
        assert!(started.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(app.smtp.to(&owner.email).len(), 2);
}

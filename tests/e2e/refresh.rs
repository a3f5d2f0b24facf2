//! Keeping it true: a listing through its whole life with a moved clock (reminders each
//! sent once, "à actualiser", hidden, restored by one click), links refused once used or
//! expired, confirmation signed in, the moderators' view, and two instances sweeping over
//! one database.

use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures};
use agora_domain::Clock;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

const SERVICE: &str = "Accompagnement au retour à l'emploi";

struct Listed {
    owner: User,
    moderator: User,
    service: String,
}

async fn published_service(app: &TestApp) -> Listed {
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    Listed {
        owner,
        moderator,
        service,
    }
}

/// Reminders about the service that reached `owner` so far.
fn reminders(app: &TestApp, owner: &User) -> Vec<crate::common::smtp::Received> {
    app.smtp
        .to(&owner.email)
        .into_iter()
        .filter(|m| m.subject().contains(SERVICE) && m.confirm_token().is_some())
        .collect()
}

/// Waits until every queued mail has left (the dispatcher drained the queue).
async fn queue_drained(app: &TestApp) {
    for _ in 0..400 {
        let counts = agora_service::mail::queue_counts(&app.ctx).await.unwrap();
        let pending: u64 = counts
            .iter()
            .filter(|(s, _)| s == "queued" || s == "sending")
            .map(|(_, n)| n)
            .sum();
        if pending == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("mail still queued");
}

async fn public_freshness(app: &TestApp, id: &str) -> (StatusCode, Value) {
    app.call(app.get(&format!("/api/v1/services/{id}"), None))
        .await
}

async fn audit_actions(app: &TestApp, moderator: &User, id: &str) -> Vec<String> {
    let (status, audit) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=service&subject_id={id}&limit=100"),
            Some(moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_listing_through_its_whole_life(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let l = published_service(&app).await;
    app.eventually("q=emploi", &[SERVICE], Duration::from_secs(5))
        .await;

    // Five months on: nothing is due yet.
    app.advance_days(150);
    let r = app.sweep().await;
    assert_eq!(r.reminded, 0, "{r:?}");

    // Each rung of the ladder (14 days before, at, 14 days after the due date) sends
    // one reminder, whatever the number of sweeps, concurrent ones included (run here
    // without the advisory lock, which would make one of them skip).
    let mut expected = 0;
    for day in [168, 182, 196] {
        app.clock
            .set(app.clock_start() + chrono::Duration::days(day));
        let (a, b) = tokio::join!(
            agora_service::refresh::sweep(&app.ctx, false),
            agora_service::refresh::sweep(&app.ctx, false)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        app.sweep().await;
        expected += 1;
        assert!(a.reminded + b.reminded >= 1, "day {day}: {a:?} {b:?}");
        queue_drained(&app).await;
        let got = reminders(&app, &l.owner);
        assert_eq!(
            got.len(),
            expected,
            "day {day}: {:?}",
            got.iter().map(|m| m.subject()).collect::<Vec<_>>()
        );
    }
    let ladder = reminders(&app, &l.owner);
    assert!(ladder[0].subject().contains("toujours à jour"));
    assert!(ladder[1].subject().contains("À confirmer"));
    assert!(ladder[2].subject().contains("Dernier rappel"));
    for m in &ladder {
        assert!(
            m.text().contains(&format!("/services/{}", l.service)),
            "edit link"
        );
        assert!(m.html().contains("toujours à jour"));
    }
    let (_, view) = public_freshness(&app, &l.service).await;
    assert_eq!(view["freshness"], "fresh", "still within the grace period");

    // After the grace period: "à actualiser", still found, ranked after fresh listings.
    app.clock
        .set(app.clock_start() + chrono::Duration::days(212));
    assert_eq!(
        app.sweep().await.marked_stale,
        2,
        "the service and its structure"
    );
    let (status, view) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["freshness"], "stale");
    let mut waited = 0;
    loop {
        let page = app.search("q=emploi").await;
        if page["items"][0]["freshness"] == "stale" {
            break;
        }
        waited += 1;
        assert!(waited < 200, "the index never saw it stale: {page}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }

    // Later still: out of public results, told by mail; members still see it.
    app.clock
        .set(app.clock_start() + chrono::Duration::days(272));
    let r = app.sweep().await;
    assert_eq!(r.hidden, 2, "{r:?}");
    assert_eq!(app.sweep().await.hidden, 0, "hidden once");
    let (status, _) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let owner = app.relogin(&l.owner).await;
    let (status, own) = app
        .call(app.get(&format!("/api/v1/services/{}", l.service), Some(&owner)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["freshness"], "hidden");
    app.eventually("q=emploi", &[], Duration::from_secs(5))
        .await;
    let (_, list) = app.call(app.get("/api/v1/services", None)).await;
    assert!(
        !list.to_string().contains(&l.service),
        "not in public lists"
    );
    queue_drained(&app).await;
    let notices = reminders(&app, &owner);
    assert_eq!(notices.len(), 4);
    assert!(notices[3].subject().contains("n'apparaît plus"));

    // The moderators see it among hidden listings (signed in again: time has passed).
    let moderator = app.relogin(&l.moderator).await;
    let (status, queue) = app
        .call(app.get(
            "/api/v1/moderation/refresh?state=hidden&kind=service",
            Some(&moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue["counts"]["hidden"], 1);
    assert_eq!(queue["items"][0]["id"], l.service.as_str());
    assert_eq!(queue["items"][0]["reminders_sent"], 3);

    // Opening the latest link (as a mail scanner does) only shows what it would confirm.
    let token = notices[3].confirm_token().unwrap();
    for _ in 0..2 {
        let (status, preview) = app
            .call(app.get(&format!("/api/v1/refresh/confirm?token={token}"), None))
            .await;
        assert_eq!(status, StatusCode::OK, "{preview}");
        assert_eq!(preview["status"], "ready");
        assert_eq!(preview["name"], SERVICE);
    }
    let (status, _) = public_freshness(&app, &l.service).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "still hidden: nobody confirmed"
    );
    // Pressing the button restores it at once.
    let confirm = |token: &str| {
        app.post("/api/v1/refresh/confirm", None)
            .json(&json!({ "token": token }))
    };
    let (status, done) = app.call(confirm(&token)).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(done["freshness"], "fresh");
    assert_eq!(done["already_confirmed"], false);
    let (status, view) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["freshness"], "fresh");
    assert_eq!(
        view["verified_at"].as_str().unwrap()[..19],
        app.clock_now_rfc3339()[..19]
    );
    app.eventually("q=emploi", &[SERVICE], Duration::from_secs(2))
        .await;
    // Pressing it again is harmless: the same answer, nothing more recorded.
    let before = audit_actions(&app, &moderator, &l.service).await;
    let (status, again) = app.call(confirm(&token)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["already_confirmed"], true);
    assert_eq!(again["verified_at"], done["verified_at"]);
    assert_eq!(audit_actions(&app, &moderator, &l.service).await, before);

    // A link past its lifetime is refused clearly; its page says so.
    let expired = ladder[0].confirm_token().unwrap();
    let problem =
        crate::common::problem(confirm(&expired).send().await.unwrap(), StatusCode::GONE).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("expired"),
        "{problem}"
    );
    let (status, preview) = app
        .call(app.get(&format!("/api/v1/refresh/confirm?token={expired}"), None))
        .await;
    assert_eq!(
        (status, preview["status"].as_str()),
        (StatusCode::OK, Some("spent"))
    );
    // A browser following a link gets a page in French, not JSON.
    let page = |token: String| {
        app.get(&format!("/api/v1/refresh/confirm?token={token}"), None)
            .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
    };
    let res = page(expired).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(res.text().await.unwrap().contains("ne fonctionne plus"));
    let res = page(token.clone()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("déjà confirmé"));
    let res = app
        .get("/api/v1/refresh/confirm?token=not.a.token", None)
        .send()
        .await
        .unwrap();
    crate::common::problem(res, StatusCode::BAD_REQUEST).await;
    crate::common::problem(
        confirm("not.a.token").send().await.unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;

    let actions = audit_actions(&app, &moderator, &l.service).await;
    for action in [
        "refresh_reminded",
        "refresh_marked_stale",
        "refresh_hidden",
        "confirmed",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    assert_eq!(
        actions.iter().filter(|a| *a == "refresh_reminded").count(),
        3
    );

    // A new cycle starts from the confirmation; its link expires unused.
    let confirmed_at = app.clock.now();
    app.clock.set(confirmed_at + chrono::Duration::days(168));
    assert_eq!(
        app.sweep().await.reminded,
        1,
        "only the service was confirmed"
    );
    queue_drained(&app).await;
    let fresh_link = reminders(&app, &l.owner)
        .pop()
        .unwrap()
        .confirm_token()
        .unwrap();
    app.clock
        .set(confirmed_at + chrono::Duration::days(168 + 46));
    let res = confirm(&fresh_link).send().await.unwrap();
    let problem = crate::common::problem(res, StatusCode::GONE).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("expired"),
        "{problem}"
    );
}

async fn members_confirm_signed_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let l = published_service(&app).await;
    let path = format!("/api/v1/services/{}/confirm", l.service);
    // Once the listing is confirmed another way, a reminder's link has nothing left to
    // do: it says so, and changes nothing.
    app.advance_days(170);
    app.sweep().await;
    queue_drained(&app).await;
    let link = reminders(&app, &l.owner)
        .pop()
        .unwrap()
        .confirm_token()
        .unwrap();
    let owner = app.relogin(&l.owner).await;
    let (status, confirmed) = app.call(app.post(&path, Some(&owner))).await;
    assert_eq!(status, StatusCode::OK);
    app.advance_days(1);
    let (status, late) = app
        .call(
            app.post("/api/v1/refresh/confirm", None)
                .json(&json!({ "token": link })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{late}");
    assert_eq!(late["already_confirmed"], true);
    assert_eq!(
        late["verified_at"], confirmed["verified_at"],
        "not confirmed again"
    );

    app.advance_days(300);
    app.sweep().await;
    let (status, _) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "hidden");
    let owner = app.relogin(&l.owner).await;
    let moderator = app.relogin(&l.moderator).await;
    let l = Listed {
        owner,
        moderator,
        service: l.service,
    };

    let (status, _) = app.call(app.post(&path, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let stranger = app.user("stranger").await;
    let (status, _) = app.call(app.post(&path, Some(&stranger))).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a hidden listing is not known to others"
    );

    let (status, view) = app.call(app.post(&path, Some(&l.owner))).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["freshness"], "fresh");
    let (status, _) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::OK, "restored at once");

    // Public but not theirs: 403. A draft: nothing to confirm.
    let (status, _) = app.call(app.post(&path, Some(&stranger))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let draft = app
        .create("/api/v1/structures", &l.owner, &fixtures::structure())
        .await;
    let (status, problem) = app
        .call(app.post(
            &format!(
                "/api/v1/structures/{}/confirm",
                draft["id"].as_str().unwrap()
            ),
            Some(&l.owner),
        ))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");

    // Editing a listing also confirms it.
    app.advance_days(300);
    app.sweep().await;
    let l = Listed {
        owner: app.relogin(&l.owner).await,
        moderator: app.relogin(&l.moderator).await,
        service: l.service,
    };
    let etag = app
        .etag(&format!("/api/v1/services/{}", l.service), &l.owner)
        .await;
    let (status, view) = app
        .call(
            app.patch(&format!("/api/v1/services/{}", l.service), Some(&l.owner))
                .header("If-Match", etag)
                .json(&serde_json::json!({"summary": "Des séances revues."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["freshness"], "fresh");
    let (status, _) = public_freshness(&app, &l.service).await;
    assert_eq!(status, StatusCode::OK);

    // The next reminder's link, followed in a browser.
    app.advance_days(170);
    app.sweep().await;
    queue_drained(&app).await;
    let link = reminders(&app, &l.owner)
        .pop()
        .unwrap()
        .confirm_token()
        .unwrap();
    let res = app
        .get(&format!("/api/v1/refresh/confirm?token={link}"), None)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let form = res.text().await.unwrap();
    assert!(form.contains("Oui, tout est à jour"), "{form}");
    assert!(
        form.contains(&format!("name=\"token\" value=\"{link}\"")),
        "{form}"
    );
    // The page's button posts the token as a form; the answer is a page.
    let res = app
        .post("/api/v1/refresh/confirm", None)
        .form(&[("token", link.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Merci, c&#39;est confirmé") || page.contains("Merci, c'est confirmé"),
        "{page}"
    );
    assert!(
        page.contains(SERVICE) || page.contains("retour à l&#39;emploi"),
        "{page}"
    );
    let l = Listed {
        owner: app.relogin(&l.owner).await,
        moderator: app.relogin(&l.moderator).await,
        service: l.service,
    };

    // Only moderators read the freshness queue.
    let (status, _) = app
        .call(app.get("/api/v1/moderation/refresh", Some(&l.owner)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, queue) = app
        .call(app.get("/api/v1/moderation/refresh?state=fresh", Some(&l.moderator)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(queue["counts"]["fresh"].as_u64().unwrap() >= 1, "{queue}");
}

both_backends!(a_listing_through_its_whole_life, members_confirm_signed_in);

/// Security row 23, over one PostgreSQL: both instances run the scheduler every second;
/// each reminder is sent once, and a write on A is searchable on B within 2 s.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_send_each_reminder_once() {
    if crate::common::postgres_opted_out() {
        return;
    }
    let a = TestApp::spawn_with(Backend::Postgres, |c| c.sweep.interval_secs = 1).await;
    let b = a.spawn_beside(|c| c.sweep.interval_secs = 1).await;
    let l = published_service(&a).await;
    let took = b
        .eventually("q=emploi", &[SERVICE], Duration::from_secs(2))
        .await;
    assert!(took <= Duration::from_secs(2));

    for (day, n) in [(168, 1), (182, 2), (196, 3)] {
        for app in [&a, &b] {
            app.clock.set(a.clock_start() + chrono::Duration::days(day));
        }
        a.smtp.wait_for(&l.owner.email, SERVICE, n).await;
        // Several more rounds on both instances.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        queue_drained(&a).await;
        assert_eq!(reminders(&a, &l.owner).len(), n, "day {day}");
    }
    let ids: std::collections::HashSet<String> =
        a.smtp.all().iter().map(|m| m.message_id()).collect();
    assert_eq!(ids.len(), a.smtp.all().len(), "no mail delivered twice");
}

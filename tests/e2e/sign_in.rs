//! Sign-in on a bad day (security rows 10 and 29): failures slow down whoever makes them,
//! per account and address, per address and per account, then 429 with `Retry-After`,
//! shared by every instance and audited, never a lockout for good; the client's address
//! comes from trusted proxies only; password work runs on a bounded pool that refuses
//! with 503 past its queue while the rest of the server answers.

use crate::both_backends;
use crate::common::{Backend, PASSWORD, TestApp, User, problem};
use agora_domain::throttle::SignInThrottle;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

/// A test server with the product's default limits (the harness loosens the ones per
/// address, as every test client comes from 127.0.0.1), behind a proxy on 127.0.0.1 so
/// that each request can say which client it carries.
async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.accounts.sign_in = SignInThrottle::default();
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await
}

async fn sign_in(app: &TestApp, from: &str, email: &str, password: &str) -> reqwest::Response {
    app.post("/api/v1/auth/login", None)
        .header("X-Forwarded-For", from)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After header")
}

async fn audit_actions(app: &TestApp, moderator: &User, user_id: &str) -> Vec<serde_json::Value> {
    let (status, page) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=user&subject_id={user_id}&limit=100"),
            Some(moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().unwrap().clone()
}

async fn guessing_a_password_is_slowed_then_refused_but_never_locked_for_good(backend: Backend) {
    let app = spawn(backend).await;
    let victim = app.user("victim").await;
    let moderator = app.moderator().await;
    let attacker = "203.0.113.7";
    // Five wrong guesses are free; the sixth imposes a wait.
    for _ in 0..6 {
        let res = sign_in(&app, attacker, &victim.email, "not the password").await;
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    // While it lasts, nothing is checked, not even the right password from there.
    let res = sign_in(&app, attacker, &victim.email, PASSWORD).await;
    let wait = retry_after(&res);
    assert!((1..=2).contains(&wait), "first wait {wait} s");
    problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    // The owner, from their own address, is not held back by the attacker's guesses.
    let res = sign_in(&app, "198.51.100.20", &victim.email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Each further failure doubles the wait, up to a ceiling.
    let mut waits = Vec::new();
    for _ in 0..12 {
        app.clock
            .advance(chrono::Duration::hours(1) - chrono::Duration::minutes(1));
        let res = sign_in(&app, attacker, &victim.email, "still not it").await;
        problem(res, StatusCode::UNAUTHORIZED).await;
        let res = sign_in(&app, attacker, &victim.email, "still not it").await;
        waits.push(retry_after(&res));
        problem(res, StatusCode::TOO_MANY_REQUESTS).await;
    }
    assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
    assert_eq!(*waits.last().unwrap(), 15 * 60, "the ceiling: {waits:?}");
    // Past the wait, the right password works from the attacker's address too: no lockout.
    app.clock.advance(chrono::Duration::minutes(16));
    let res = sign_in(&app, attacker, &victim.email, PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    // Audited on the account: when the guessing started to be slowed down.
    let moderator = app.relogin(&moderator).await;
    let trail = audit_actions(&app, &moderator, &victim.id).await;
    let throttled: Vec<_> = trail
        .iter()
        .filter(|e| e["action"] == "sign_in_throttled")
        .collect();
    assert!(!throttled.is_empty(), "{trail:?}");
    assert!(
        throttled
            .iter()
            .any(|e| e["details"]["scope"] == "account_and_address"
                && e["details"]["address"] == attacker),
        "{throttled:?}"
    );
}

async fn one_address_trying_many_accounts_is_refused(backend: Backend) {
    let app = spawn(backend).await;
    let sprayer = "203.0.113.9";
    // One guess on each of many accounts, known or not: the address is what counts.
    let mut refused = 0;
    for n in 0..30 {
        let res = sign_in(
            &app,
            sprayer,
            &format!("user{n}@test.example.org"),
            "Printemps2026!",
        )
        .await;
        match res.status() {
            StatusCode::UNAUTHORIZED => {}
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(retry_after(&res) >= 1);
                refused += 1;
            }
            other => panic!("{other}"),
        }
    }
    assert!(
        refused >= 9,
        "past 20 failures the address waits: {refused} refused"
    );
    // Another address is not affected.
    let res = sign_in(&app, "198.51.100.30", "user1@test.example.org", "x").await;
    problem(res, StatusCode::UNAUTHORIZED).await;
}

async fn a_forged_forwarded_header_does_not_choose_the_address(backend: Backend) {
    // No proxy is trusted: whatever X-Forwarded-For says, the client is the connection.
    let app = TestApp::spawn_with(backend, |c| {
        c.accounts.sign_in = SignInThrottle::default();
    })
    .await;
    let victim = app.user("victim").await;
    for n in 0..6 {
        let res = sign_in(&app, &format!("192.0.2.{n}"), &victim.email, "wrong guess").await;
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    let res = sign_in(&app, "192.0.2.200", &victim.email, "wrong guess").await;
    problem(res, StatusCode::TOO_MANY_REQUESTS).await;
}

async fn the_waits_hold_across_instances(backend: Backend) {
    let a = spawn(backend).await;
    let b = a
        .spawn_beside(|c| {
            c.accounts.sign_in = SignInThrottle::default();
            c.trusted_proxies = vec!["127.0.0.1".into()];
        })
        .await;
    let victim = a.user("victim").await;
    for _ in 0..6 {
        problem(
            sign_in(&a, "203.0.113.50", &victim.email, "wrong").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    // The other instance counted them too.
    problem(
        sign_in(&b, "203.0.113.50", &victim.email, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
}

async fn a_password_reset_clears_what_was_counted_against_the_account(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.accounts.sign_in.per_account.free_failures = 3;
        c.accounts.sign_in.per_account.first_delay_secs = 60;
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let victim = app.user("victim").await;
    // Guesses from many addresses: the account itself waits.
    for n in 0..4 {
        let from = format!("203.0.113.{}", 100 + n);
        problem(
            sign_in(&app, &from, &victim.email, "wrong").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    problem(
        sign_in(&app, "198.51.100.1", &victim.email, PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    // The owner resets the password by mail: the account is theirs again at once.
    let (status, _) = app
        .call(
            app.post("/api/v1/auth/password-reset", None)
                .json(&json!({"email": victim.email})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let mail = app
        .smtp
        .wait_for(&victim.email, "Choisir un nouveau mot de passe", 1)
        .await;
    let token = mail[0].token_of("auth/new-password").unwrap();
    let (status, _) = app
        .call(
            app.post("/api/v1/auth/new-password", None)
                .json(&json!({"token": token, "new_password": "a brand new long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let res = sign_in(
        &app,
        "198.51.100.1",
        &victim.email,
        "a brand new long password",
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
}

/// Hashing is bounded: with one thread and one waiting place, a crowd of sign-ins gets
/// some answers and some 503 with `Retry-After`, and `/health` answers all along.
async fn a_crowd_of_sign_ins_meets_a_bounded_pool(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.auth.password_workers = Some(1);
        c.auth.password_queue = Some(1);
        // This test is about the pool, not the waits failures impose.
        c.accounts.sign_in.per_account_and_address.free_failures = 1000;
        c.accounts.sign_in.per_account.free_failures = 1000;
    })
    .await;
    let user = app.verified_user("crowd").await;
    let mut calls = Vec::new();
    for n in 0..32 {
        let client = app.client.clone();
        let url = app.url("/api/v1/auth/login");
        let email = user.email.clone();
        calls.push(tokio::spawn(async move {
            client
                .post(url)
                .json(&json!({"email": email, "password": format!("wrong password {n}")}))
                .send()
                .await
                .unwrap()
        }));
    }
    let mut health = Vec::new();
    for _ in 0..10 {
        let started = std::time::Instant::now();
        let res = app.get("/health", None).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        health.push(started.elapsed());
    }
    let (mut checked, mut busy) = (0, 0);
    for c in calls {
        let res = c.await.unwrap();
        match res.status() {
            StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS => checked += 1,
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(retry_after(&res) >= 1);
                let body = problem(res, StatusCode::SERVICE_UNAVAILABLE).await;
                assert_eq!(body["type"], "/problems/overloaded");
                busy += 1;
            }
            other => panic!("{other}"),
        }
    }
    assert!(busy >= 1, "past the queue, 503 ({checked} answered)");
    assert!(checked >= 1, "some were answered ({busy} refused)");
    assert!(
        health.iter().all(|d| *d < Duration::from_secs(2)),
        "health kept answering: {health:?}"
    );
    // The crowd gone, the account signs in.
    app.login(&user.email, PASSWORD, user.id.clone()).await;
}

/// Counters are forgotten once quiet for an hour; spent links and answered invitations a
/// month after: the sweep removes them.
async fn the_sweep_forgets_what_accounts_leave_behind(backend: Backend) {
    let app = spawn(backend).await;
    let victim = app.user("victim").await;
    for _ in 0..3 {
        problem(
            sign_in(&app, "203.0.113.80", &victim.email, "wrong").await,
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    assert_eq!(
        app.sweep().await.account_records_purged,
        0,
        "still counting"
    );
    app.clock.advance(chrono::Duration::minutes(61));
    // The pair, the address and the account; and the registration counted against the
    // address the victim registered from.
    assert_eq!(app.sweep().await.account_records_purged, 4);
    // The verification link used at registration, a month later.
    app.advance_days(31);
    assert_eq!(app.sweep().await.account_records_purged, 1);
}

both_backends!(
    the_sweep_forgets_what_accounts_leave_behind,
    guessing_a_password_is_slowed_then_refused_but_never_locked_for_good,
    one_address_trying_many_accounts_is_refused,
    a_forged_forwarded_header_does_not_choose_the_address,
    the_waits_hold_across_instances,
    a_password_reset_clears_what_was_counted_against_the_account,
    a_crowd_of_sign_ins_meets_a_bounded_pool,
);

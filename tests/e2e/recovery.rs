//! No enumeration, and the flows people expect (security row 10): registration, password
//! reset and invitations answer the same whether the address has an account or not; the
//! difference is only in what the address's holder receives by mail. Addresses are
//! verified before an account signs in; a forgotten password is replaced through a
//! single-use, expiring link.

use crate::both_backends;
use crate::common::{Backend, PASSWORD, TestApp, fixtures, problem, unique};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn without_ids(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("request_id");
        o.remove("email");
        o.remove("id");
    }
    v
}

async fn registration_says_the_same_for_every_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let known = app.user("known").await;
    let fresh = format!("{}@test.example.org", unique("fresh"));
    let register = |email: &str| {
        app.post("/api/v1/auth/register", None).json(
            &json!({"email": email, "password": "another long password", "display_name": "Quelqu'un"}),
        )
    };
    let (s1, b1) = app.call(register(&known.email)).await;
    let (s2, b2) = app.call(register(&fresh)).await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(
        without_ids(b1),
        without_ids(b2),
        "the same words either way"
    );

    // The holder of the known address is told an account exists, with a way in; the
    // account's password did not change.
    let notice = app
        .smtp
        .wait_for(&known.email, "Vous avez déjà un compte", 1)
        .await;
    assert!(notice[0].text().contains("/mot-de-passe-oublie"));
    app.login(&known.email, PASSWORD, known.id.clone()).await;
    problem(
        app.post("/api/v1/auth/login", None)
            .json(&json!({"email": known.email, "password": "another long password"}))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;

    // The new address signs in only once verified: before, the right password is told
    // to verify; a wrong one is a wrong one.
    let login = |password: &str| {
        app.post("/api/v1/auth/login", None)
            .json(&json!({"email": fresh, "password": password}))
    };
    let body = problem(
        login("another long password").send().await.unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("not verified"));
    problem(
        login("not the password").send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    app.verify_from_mail(&fresh).await;
    assert_eq!(
        login("another long password")
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
}

async fn a_registration_squatted_by_someone_else_is_the_owners_once_verified(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = format!("{}@test.example.org", unique("claire"));
    // Someone registers Claire's address with their own password; Claire registers too.
    let register = |password: &str| {
        app.post("/api/v1/auth/register", None)
            .json(&json!({"email": email, "password": password, "display_name": "Claire"}))
    };
    assert_eq!(
        app.call(register("squatter's long password")).await.0,
        StatusCode::ACCEPTED
    );
    assert_eq!(app.call(register(PASSWORD)).await.0, StatusCode::ACCEPTED);
    let mails = app
        .smtp
        .wait_for(&email, "Confirmez votre adresse", 2)
        .await;
    let (squatter_link, claire_link) = (
        mails[0].token_of("auth/verify-email").unwrap(),
        mails[1].token_of("auth/verify-email").unwrap(),
    );
    // Claire follows her link: her password is the account's.
    let verify = |token: &str| {
        app.post("/api/v1/auth/verify-email", None)
            .json(&json!({ "token": token }))
    };
    assert_eq!(app.call(verify(&claire_link)).await.0, StatusCode::OK);
    // Pressing again is harmless; the other registration's link only says the address is
    // verified: it no longer sets its password.
    assert_eq!(app.call(verify(&claire_link)).await.0, StatusCode::OK);
    let (status, _) = app.call(verify(&squatter_link)).await;
    assert_eq!(status, StatusCode::OK);
    app.login(&email, PASSWORD, String::new()).await;
    problem(
        app.post("/api/v1/auth/login", None)
            .json(&json!({"email": email, "password": "squatter's long password"}))
            .send()
            .await
            .unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    // A link past its lifetime is refused.
    let late = format!("{}@test.example.org", unique("late"));
    app.register(&late, "Late").await;
    let token = app.smtp.wait_for(&late, "Confirmez votre adresse", 1).await[0]
        .token_of("auth/verify-email")
        .unwrap();
    app.advance_days(3);
    let (status, _) = app.call(verify(&token)).await;
    assert_eq!(status, StatusCode::GONE);
}

async fn a_forgotten_password_is_replaced_by_a_single_use_link(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let hugo = app.user("hugo").await;
    let other_device = app.login(&hugo.email, PASSWORD, hugo.id.clone()).await;
    let ask = |email: &str| {
        app.post("/api/v1/auth/password-reset", None)
            .json(&json!({ "email": email }))
    };
    let (s1, b1) = app.call(ask(&hugo.email)).await;
    let (s2, b2) = app.call(ask("personne@test.example.org")).await;
    assert_eq!((s1, s2), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(b1, b2, "the same answer for every address");
    let mail = app
        .smtp
        .wait_for(&hugo.email, "Choisir un nouveau mot de passe", 1)
        .await;
    let token = mail[0].token_of("auth/new-password").unwrap();
    assert!(
        app.smtp.to("personne@test.example.org").is_empty(),
        "no mail to strangers"
    );

    // Its page asks for the password; opening it changes nothing.
    let page = app
        .get(&format!("/api/v1/auth/new-password?token={token}"), None)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("type=\"password\"") && html.contains("name=\"new_password\""));
    let set = |password: &str| {
        app.post("/api/v1/auth/new-password", None)
            .json(&json!({"token": token, "new_password": password}))
    };
    // A weak password is refused, naming the field; the link still works.
    let (status, weak) = app.call(set("short")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{weak}");
    let (status, _) = app.call(set("a brand new long password")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Once.
    let (status, _) = app.call(set("yet another long password")).await;
    assert_eq!(status, StatusCode::GONE);
    // Every session ended; the new password works, the old one not; Hugo is told.
    for session in [&hugo, &other_device] {
        problem(
            app.get("/api/v1/me", Some(session)).send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
        )
        .await;
    }
    app.login(&hugo.email, "a brand new long password", hugo.id.clone())
        .await;
    app.smtp
        .wait_for(
            &hugo.email,
            "mot de passe de votre compte Agora a changé",
            1,
        )
        .await;
    // A newer request retires the older link; a link expires after an hour.
    app.call(ask(&hugo.email)).await;
    app.call(ask(&hugo.email)).await;
    let mails = app
        .smtp
        .wait_for(&hugo.email, "Choisir un nouveau mot de passe", 3)
        .await;
    let older = mails[1].token_of("auth/new-password").unwrap();
    let newer = mails[2].token_of("auth/new-password").unwrap();
    let (status, _) = app
        .call(
            app.post("/api/v1/auth/new-password", None)
                .json(&json!({"token": older, "new_password": "one more long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::GONE);
    app.clock.advance(chrono::Duration::minutes(61));
    let (status, _) = app
        .call(
            app.post("/api/v1/auth/new-password", None)
                .json(&json!({"token": newer, "new_password": "one more long password"})),
        )
        .await;
    assert_eq!(status, StatusCode::GONE);
}

async fn inviting_says_the_same_whether_the_address_has_an_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let known = app.user("known").await;
    let structure = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let invitations = format!(
        "/api/v1/structures/{}/invitations",
        structure["id"].as_str().unwrap()
    );
    let invite = |email: &str| {
        app.post(&invitations, Some(&owner))
            .json(&json!({"email": email, "role": "editor"}))
    };
    let stranger = format!("{}@test.example.org", unique("stranger"));
    let (s1, a) = app.call(invite(&known.email)).await;
    let (s2, b) = app.call(invite(&stranger)).await;
    assert_eq!((s1, s2), (StatusCode::CREATED, StatusCode::CREATED));
    let shape = |v: &Value| {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (keys, v["status"].clone(), v["role"].clone())
    };
    assert_eq!(shape(&a), shape(&b), "the same answer either way");
    // Both addresses get the invitation; the stranger joins once registered and verified.
    for email in [&known.email, &stranger] {
        app.smtp.wait_for(email, "Invitation à rejoindre", 1).await;
    }
    app.register(&stranger, "Stranger").await;
    app.verify_from_mail(&stranger).await;
    let mut newcomer = app.login(&stranger, PASSWORD, String::new()).await;
    newcomer.id = app.call(app.get("/api/v1/me", Some(&newcomer))).await.1["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, mine) = app
        .call(app.get("/api/v1/me/invitations", Some(&newcomer)))
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    let id = mine[0]["id"].as_str().unwrap();
    // Nobody else answers it: not the owner, not the other invitee.
    for who in [&owner, &known] {
        let (status, _) = app
            .call(app.post(&format!("/api/v1/me/invitations/{id}/accept"), Some(who)))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, joined) = app
        .call(app.post(
            &format!("/api/v1/me/invitations/{id}/accept"),
            Some(&newcomer),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["role"], "editor");
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/me/invitations/{id}/accept"),
            Some(&newcomer),
        ))
        .await;
    assert_eq!(status, StatusCode::GONE, "once");
    app.smtp.wait_for(&owner.email, "a rejoint", 1).await;
    // The known account finds it in their data export, then declines.
    let (_, export) = app.call(app.get("/api/v1/me/export", Some(&known))).await;
    assert_eq!(
        export["invitations"].as_array().unwrap().len(),
        1,
        "{export}"
    );
    let (_, mine) = app
        .call(app.get("/api/v1/me/invitations", Some(&known)))
        .await;
    let id = mine[0]["id"].as_str().unwrap();
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/me/invitations/{id}/decline"),
            Some(&known),
        ))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, pending) = app.call(app.get(&invitations, Some(&owner))).await;
    assert_eq!(pending, json!([]));
    let (_, members) = app
        .call(app.get(
            &format!(
                "/api/v1/structures/{}/members",
                structure["id"].as_str().unwrap()
            ),
            Some(&owner),
        ))
        .await;
    assert_eq!(
        members.as_array().unwrap().len(),
        2,
        "the owner and the newcomer"
    );
}

both_backends!(
    registration_says_the_same_for_every_address,
    a_registration_squatted_by_someone_else_is_the_owners_once_verified,
    a_forgotten_password_is_replaced_by_a_single_use_link,
    inviting_says_the_same_whether_the_address_has_an_account,
);

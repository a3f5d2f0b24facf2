//! Registration, sign-in, refresh-token rotation, sign-out and password change.

use crate::both_backends;
use crate::common::{Backend, PASSWORD, TestApp, pointers, problem, unique};
use reqwest::StatusCode;
use serde_json::json;

async fn register_login_refresh_logout(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice").await;

    let (status, me) = app.call(app.get("/api/v1/me", Some(&alice))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["email"], alice.email.as_str());
    assert!(me.get("password_hash").is_none() && !me.to_string().contains("argon2"));

    // A refresh token gives a new pair once; the new access token works.
    let (status, pair) = app
        .call(
            app.post("/api/v1/auth/refresh", None)
                .json(&json!({"refresh_token": alice.refresh})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(pair["token_type"], "Bearer");
    assert!(pair["expires_in"].as_i64().unwrap() <= 900);
    let renewed = crate::common::User {
        token: pair["access_token"].as_str().unwrap().into(),
        refresh: pair["refresh_token"].as_str().unwrap().into(),
        ..alice.clone()
    };
    assert_eq!(
        app.get("/api/v1/me", Some(&renewed))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // Signing out ends the session: its access and refresh tokens stop working at once.
    assert_eq!(
        app.post("/api/v1/auth/logout", Some(&renewed))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NO_CONTENT
    );
    problem(
        app.get("/api/v1/me", Some(&renewed)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let res = app
        .post("/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": renewed.refresh}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
}

async fn a_replayed_refresh_token_ends_the_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let bob = app.user("bob").await;
    let first = app
        .call(
            app.post("/api/v1/auth/refresh", None)
                .json(&json!({"refresh_token": bob.refresh})),
        )
        .await
        .1;
    // The old token again: someone copied it. The whole session ends, new tokens included.
    let res = app
        .post("/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": bob.refresh}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let res = app
        .post("/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": first["refresh_token"]}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let stolen = crate::common::User {
        token: first["access_token"].as_str().unwrap().into(),
        ..bob.clone()
    };
    problem(
        app.get("/api/v1/me", Some(&stolen)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn a_password_change_ends_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let carol = app.user("carol").await;
    let other_device = app.login(&carol.email, PASSWORD, carol.id.clone()).await;
    let res = app
        .post("/api/v1/auth/password", Some(&carol))
        .json(&json!({"current_password": "wrong password!!", "new_password": "another long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["/current_password"]
    );
    let res = app
        .post("/api/v1/auth/password", Some(&carol))
        .json(&json!({"current_password": PASSWORD, "new_password": "another long password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    for session in [&carol, &other_device] {
        problem(
            app.get("/api/v1/me", Some(session)).send().await.unwrap(),
            StatusCode::UNAUTHORIZED,
        )
        .await;
        let res = app
            .post("/api/v1/auth/refresh", None)
            .json(&json!({"refresh_token": session.refresh}))
            .send()
            .await
            .unwrap();
        problem(res, StatusCode::UNAUTHORIZED).await;
    }
    let res = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": carol.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    app.login(&carol.email, "another long password", carol.id.clone())
        .await;
}

async fn a_disabled_account_is_locked_out_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let dave = app.user("dave").await;
    agora_service::accounts::disable(&app.ctx, &dave.email)
        .await
        .unwrap();
    problem(
        app.get("/api/v1/me", Some(&dave)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let res = app
        .post("/api/v1/auth/refresh", None)
        .json(&json!({"refresh_token": dave.refresh}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    let res = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": dave.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
}

async fn registration_is_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Outside the published schema (lengths): malformed.
    let res = app
        .post("/api/v1/auth/register", None)
        .json(&json!({"email": "eve@test.example.org", "password": "short", "display_name": ""}))
        .send()
        .await
        .unwrap();
    let mut found = pointers(&problem(res, StatusCode::BAD_REQUEST).await);
    found.sort();
    assert_eq!(found, ["/display_name", "/password"]);
    // Within the schema but against the rules: invalid.
    let res = app
        .post("/api/v1/auth/register", None)
        .json(&json!({"email": "not-an-email", "password": "a fine long password", "display_name": "Eve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["/email"]
    );
    let res = app
        .post("/api/v1/auth/register", None)
        .json(&json!({"email": "evelyne@test.example.org", "password": "evelyne-password", "display_name": "Eve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::UNPROCESSABLE_ENTITY).await),
        ["/password"],
        "a password containing the address"
    );

    let email = format!("{}@test.example.org", unique("eve"));
    // Nobody grants themselves a role.
    let res = app
        .post("/api/v1/auth/register", None)
        .json(&json!({"email": format!("x{email}"), "password": PASSWORD, "display_name": "X", "role": "admin"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        pointers(&problem(res, StatusCode::BAD_REQUEST).await),
        ["/role"]
    );
}

async fn wrong_password_and_unknown_email_look_the_same(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let frank = app.user("frank").await;
    let wrong = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": frank.email, "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let wrong = problem(wrong, StatusCode::UNAUTHORIZED).await;
    let unknown = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": "nobody@test.example.org", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    let unknown = problem(unknown, StatusCode::UNAUTHORIZED).await;
    assert_eq!(wrong["detail"], unknown["detail"]);
}

async fn passwords_are_stored_as_argon2id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let grace = app.user("grace").await;
    let stored = agora_store::accounts::user_by_email(&app.ctx.db, &grace.email)
        .await
        .unwrap()
        .unwrap();
    // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
    let parts: Vec<&str> = stored.password_hash.split('$').collect();
    assert_eq!(parts[1], "argon2id");
    let params: std::collections::HashMap<&str, u32> = parts[3]
        .split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k, v.parse().unwrap()))
        .collect();
    assert!(params["m"] >= 19 * 1024, "memory {}", params["m"]);
    assert!(params["t"] >= 2);
    assert_eq!(params["p"], 1);
    assert!(!stored.password_hash.contains(PASSWORD));
}

async fn people_export_and_erase_their_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let hana = app.user("hana").await;
    let other = app.user("other").await;
    let moderator = app.moderator().await;
    let mut structure = crate::common::fixtures::structure();
    structure["summary"] = json!("canari-hana-ecrit-ceci");
    let sid = app
        .publish(
            "/api/v1/structures",
            "structures",
            &hana,
            &moderator,
            &structure,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.create(
        "/api/v1/structures",
        &other,
        &crate::common::fixtures::structure(),
    )
    .await;

    app.smtp.wait_for(&hana.email, "est publié", 1).await;
    let res = app
        .get("/api/v1/me/export", Some(&hana))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let export: serde_json::Value = res.json().await.unwrap();
    assert_eq!(export["account"]["email"], hana.email.as_str());
    assert_eq!(export["memberships"][0]["structure"]["id"], sid.as_str());
    assert!(!export["sessions"].as_array().unwrap().is_empty());
    assert!(
        export["contributions"]
            .to_string()
            .contains("canari-hana-ecrit-ceci")
    );
    assert!(
        export["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "submitted")
    );
    let text = export.to_string();
    assert!(
        !text.contains("argon2") && !text.contains(&other.email) && !text.contains(&other.id),
        "only Hana's data"
    );

    // The last owner of a structure with other members hands over first.
    app.join(&sid, &hana, &other, "editor").await;
    let erase = |password: &str| {
        app.request(reqwest::Method::DELETE, "/api/v1/me", Some(&hana))
            .json(&json!({ "current_password": password }))
    };
    problem(erase(PASSWORD).send().await.unwrap(), StatusCode::CONFLICT).await;
    app.request(
        reqwest::Method::DELETE,
        &format!("/api/v1/structures/{sid}/members/{}", other.id),
        Some(&hana),
    )
    .send()
    .await
    .unwrap();
    // A bearer token alone does not erase an account: the password is asked again.
    let res = app
        .request(reqwest::Method::DELETE, "/api/v1/me", Some(&hana))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        pointers(
            &problem(
                erase("not her password").send().await.unwrap(),
                StatusCode::UNPROCESSABLE_ENTITY
            )
            .await
        ),
        ["/current_password"]
    );
    assert_eq!(
        erase(PASSWORD).send().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );

    // Gone: no sign-in, no token, no trace of the address; the structure stays public.
    problem(
        app.get("/api/v1/me", Some(&hana)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let res = app
        .post("/api/v1/auth/login", None)
        .json(&json!({"email": hana.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    assert!(
        agora_store::accounts::user_by_email(&app.ctx.db, &hana.email)
            .await
            .unwrap()
            .is_none()
    );
    let (_, audit) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_id={sid}&limit=100"),
            Some(&moderator),
        ))
        .await;
    assert!(!audit.to_string().contains(&hana.email));
    // Mail to her, sent or queued, is forgotten with her (she had been told of the
    // submission and the approval).
    assert!(
        agora_store::mail_queue::to_recipient(&app.ctx.db, &hana.email)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["actor"]["display_name"] != "hana"),
        "no longer attributed by name"
    );
    let (status, public) = app
        .call(app.get(&format!("/api/v1/structures/{sid}"), None))
        .await;
    assert_eq!(
        (status, public["summary"].as_str()),
        (StatusCode::OK, Some("canari-hana-ecrit-ceci"))
    );
    // She kept the structure alone: the moderators are asked what becomes of it.
    let (status, reports) = app
        .call(app.get("/api/v1/moderation/reports", Some(&moderator)))
        .await;
    assert_eq!(status, StatusCode::OK, "{reports}");
    let report = reports["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["subject_id"] == sid.as_str())
        .unwrap_or_else(|| panic!("a report on the structure: {reports}"));
    assert_eq!(report["reason"], "no_members");
    assert!(report["reporter_id"].is_null());
    app.smtp
        .wait_for(
            &moderator.email,
            "n'a plus personne pour la tenir à jour",
            1,
        )
        .await;
}

both_backends!(
    people_export_and_erase_their_data,
    register_login_refresh_logout,
    a_replayed_refresh_token_ends_the_session,
    a_password_change_ends_every_session,
    a_disabled_account_is_locked_out_at_once,
    registration_is_validated,
    wrong_password_and_unknown_email_look_the_same,
    passwords_are_stored_as_argon2id,
);

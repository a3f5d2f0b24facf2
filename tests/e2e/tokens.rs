//! Forged and ill-formed access tokens are refused (security rows 6 and 7).

use crate::both_backends;
use crate::common::{Backend, TEST_SECRET, TestApp, User, problem};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(header: Header, claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

fn unsigned(header: Value, claims: &Value) -> String {
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

async fn refused(app: &TestApp, user: &User, token: String, why: &str) {
    let forged = User {
        token,
        ..user.clone()
    };
    let res = app.get("/api/v1/me", Some(&forged)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{why} was accepted");
    problem(res, StatusCode::UNAUTHORIZED).await;
}

async fn forged_tokens_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.user("mallory").await;
    let genuine = claims_of(&user.token);
    // The genuine token signed again with the real key passes: the refusals below are
    // about what was changed, not about the signing code.
    let resigned = sign(
        Header::new(Algorithm::HS256),
        &genuine,
        TEST_SECRET.as_bytes(),
    );
    assert_eq!(
        app.get(
            "/api/v1/me",
            Some(&User {
                token: resigned,
                ..user.clone()
            })
        )
        .send()
        .await
        .unwrap()
        .status(),
        StatusCode::OK
    );

    refused(
        &app,
        &user,
        unsigned(json!({"alg": "none", "typ": "JWT"}), &genuine),
        "alg=none",
    )
    .await;
    refused(
        &app,
        &user,
        sign(
            Header::new(Algorithm::HS512),
            &genuine,
            TEST_SECRET.as_bytes(),
        ),
        "HS512",
    )
    .await;
    refused(
        &app,
        &user,
        sign(
            Header::new(Algorithm::HS256),
            &genuine,
            b"someone else's secret, 32 bytes long",
        ),
        "wrong key",
    )
    .await;
    let mut kid = Header::new(Algorithm::HS256);
    kid.kid = Some("unknown".into());
    refused(
        &app,
        &user,
        sign(kid, &genuine, TEST_SECRET.as_bytes()),
        "unknown kid",
    )
    .await;
    let mut jku = Header::new(Algorithm::HS256);
    jku.jku = Some("https://evil.example/jwks.json".into());
    refused(
        &app,
        &user,
        sign(jku, &genuine, TEST_SECRET.as_bytes()),
        "jku header",
    )
    .await;
    // RS256 header over an HMAC signature made with the secret: algorithm confusion.
    refused(
        &app,
        &user,
        unsigned_with_hmac(json!({"alg": "RS256", "typ": "JWT"}), &genuine),
        "RS256 header",
    )
    .await;
    let mut tampered = user.token.clone();
    tampered.push('x');
    refused(&app, &user, tampered, "altered signature").await;
    refused(&app, &user, "not.a.jwt".into(), "garbage").await;
}

fn unsigned_with_hmac(header: Value, claims: &Value) -> String {
    use sha2::{Digest, Sha256};
    let head = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    // A plain hash stands in for any signature the server did not make.
    format!(
        "{head}.{}",
        URL_SAFE_NO_PAD.encode(Sha256::digest(head.as_bytes()))
    )
}

/// Alters one claim of a genuine token.
type ClaimChange = Box<dyn Fn(&mut Value)>;

async fn claims_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.user("trudy").await;
    let genuine = claims_of(&user.token);
    let now = genuine["iat"].as_i64().unwrap();
    let variants: Vec<(&str, ClaimChange)> = vec![
        (
            "wrong audience",
            Box::new(|c| c["aud"] = json!("another-api")),
        ),
        (
            "wrong issuer",
            Box::new(|c| c["iss"] = json!("someone-else")),
        ),
        (
            "missing exp",
            Box::new(|c| drop(c.as_object_mut().unwrap().remove("exp"))),
        ),
        (
            "string exp",
            Box::new(move |c| c["exp"] = json!((now + 600).to_string())),
        ),
        (
            "future nbf",
            Box::new(move |c| c["nbf"] = json!(now + 3600)),
        ),
        ("expired", Box::new(move |c| c["exp"] = json!(now - 6))),
        (
            "not an access token",
            Box::new(|c| c["typ"] = json!("refresh")),
        ),
        (
            "unknown session",
            Box::new(|c| c["sid"] = json!(uuid::Uuid::new_v4())),
        ),
        (
            "someone else's session",
            Box::new(|c| c["sub"] = json!(uuid::Uuid::new_v4())),
        ),
    ];
    for (why, change) in variants {
        let mut claims = genuine.clone();
        change(&mut claims);
        refused(
            &app,
            &user,
            sign(
                Header::new(Algorithm::HS256),
                &claims,
                TEST_SECRET.as_bytes(),
            ),
            why,
        )
        .await;
    }
    // A refresh token is not an access token.
    refused(
        &app,
        &user,
        user.refresh.clone(),
        "refresh token as access token",
    )
    .await;
}

async fn access_tokens_expire_after_their_lifetime(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let user = app.user("victor").await;
    let claims = claims_of(&user.token);
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!(lifetime <= 15 * 60, "access tokens live {lifetime} s");
    // Still valid within the leeway, refused one second past it.
    app.clock.advance(chrono::Duration::seconds(lifetime + 5));
    assert_eq!(
        app.get("/api/v1/me", Some(&user))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    app.clock.advance(chrono::Duration::seconds(1));
    let body = problem(
        app.get("/api/v1/me", Some(&user)).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("expired"),
        "{body}"
    );
}

both_backends!(
    forged_tokens_are_refused,
    claims_are_checked,
    access_tokens_expire_after_their_lifetime
);

//! Browser sessions: the cookie's attributes, the sessions that end (signing out, a new
//! password, a disabled account, too long idle, too long altogether), a form posted after
//! its session ended given back once signed in again, and forms from another site refused
//! even with the cookie.

use super::{Browser, csrf_in, field_value, form_fields, pairs};
use crate::both_backends;
use crate::common::{Backend, PASSWORD, TestApp};
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;

async fn the_session_cookie_is_guarded_and_ends_when_it_should(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;

    // The cookie: HttpOnly, SameSite=Lax, the whole site, no lifetime of its own.
    let res = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url("/connexion"))
        .header("Origin", app.url("").trim_end_matches('/'))
        .form(&[
            ("email", member.email.as_str()),
            ("password", PASSWORD),
            ("retour", "/espace"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get(SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("agora_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP here: Secure only over HTTPS"
    );

    // A wrong password: the same page, no cookie, the address kept.
    let mut stranger = Browser::new(&app);
    let wrong = stranger
        .sign_in(&member.email, "not the password at all")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .body
            .contains("Adresse e-mail ou mot de passe incorrect")
    );
    assert_eq!(
        field_value(&wrong.body, "email").as_deref(),
        Some(member.email.as_str())
    );
    assert!(stranger.cookie.is_none());
    // A cookie planted before sign-in (fixation) is replaced by a new session, and opens
    // nothing itself.
    let mut b = Browser::new(&app);
    b.cookie = Some("planted-by-another-site".into());
    let _ = b.sign_in(&member.email, PASSWORD).await;
    assert_ne!(b.cookie.as_deref(), Some("planted-by-another-site"));
    let mut planted = Browser::new(&app);
    planted.cookie = Some("planted-by-another-site".into());
    assert_eq!(planted.get("/espace").await.status, StatusCode::SEE_OTHER);
    // Signing in again in a browser that holds a session ends the old one.
    let old = b.cookie.clone();
    let _ = b.sign_in(&member.email, PASSWORD).await;
    let mut stale = Browser::new(&app);
    stale.cookie = old;
    assert_eq!(stale.get("/espace").await.status, StatusCode::SEE_OTHER);
    // After sign-in, only paths of this site are followed.
    for elsewhere in [
        "https://elsewhere.example/",
        "/\\elsewhere.example",
        "/\t/elsewhere.example",
        "/\n/elsewhere.example",
    ] {
        let away = Browser::new(&app)
            .submit(
                "/connexion",
                &[
                    ("email", &member.email),
                    ("password", PASSWORD),
                    ("retour", elsewhere),
                ],
            )
            .await;
        assert_eq!(away.location.as_deref(), Some("/espace"), "{elsewhere}");
    }
    let mut b = Browser::new(&app);
    let away = b
        .submit(
            "/connexion",
            &[
                ("email", &member.email),
                ("password", PASSWORD),
                ("retour", "//elsewhere.example/"),
            ],
        )
        .await;
    assert_eq!(away.location.as_deref(), Some("/espace"));

    // The account page: a new name, kept as typed when refused.
    let mut b = Browser::signed_in(&app, &member).await;
    let _ = b.get("/compte").await;
    let refused = b.submit("/compte/nom", &[("display_name", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let renamed = b
        .submit("/compte/nom", &[("display_name", "Camille Durand")])
        .await;
    assert_eq!(renamed.location.as_deref(), Some("/compte?fait=nom"));
    assert!(b.get("/compte").await.body.contains("Camille Durand"));
    let export = b.get("/compte/mes-donnees.json").await;
    assert_eq!(export.status, StatusCode::OK);
    assert!(export.body.contains(&member.email));
    assert_eq!(
        Browser::new(&app)
            .get("/compte/mes-donnees.json")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Erasure asks for the password and a ticked box; then the account is gone.
    let leaving = app.verified_user("partante").await;
    let mut b = Browser::signed_in(&app, &leaving).await;
    let _ = b.get("/compte").await;
    let unticked = b
        .submit("/compte/supprimer", &[("erase_password", PASSWORD)])
        .await;
    assert_eq!(unticked.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = b
        .submit(
            "/compte/supprimer",
            &[("erase_password", "not my password"), ("confirm", "oui")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("votre mot de passe actuel"));
    let erased = b
        .submit(
            "/compte/supprimer",
            &[("erase_password", PASSWORD), ("confirm", "oui")],
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK, "{}", erased.body);
    assert!(b.cookie.is_none());
    assert_eq!(
        Browser::new(&app)
            .sign_in(&leaving.email, PASSWORD)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // Signing out ends the session on the server: the old cookie opens nothing.
    let mut b = Browser::signed_in(&app, &member).await;
    let kept = b.cookie.clone();
    assert_eq!(b.get("/espace").await.status, StatusCode::OK);
    assert_eq!(b.get("/deconnexion").await.status, StatusCode::OK);
    let out = b.submit("/deconnexion", &[]).await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(b.cookie.is_none(), "the browser is told to forget it");
    b.cookie = kept;
    let after = b.get("/espace").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(
        after.location.as_deref(),
        Some("/connexion?retour=%2Fespace")
    );

    // A new password (here through the API) ends every browser session at once.
    let mut b = Browser::signed_in(&app, &member).await;
    let (status, body) = app
        .call(
            app.post("/api/v1/auth/password", Some(&member))
                .json(&serde_json::json!({"current_password": PASSWORD, "new_password": "another long password"})),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    assert_eq!(b.get("/espace").await.status, StatusCode::SEE_OTHER);

    // A disabled account too.
    let other = app.verified_user("autre").await;
    let mut b = Browser::signed_in(&app, &other).await;
    agora_service::accounts::disable(&app.ctx, &other.email)
        .await
        .unwrap();
    assert_eq!(b.get("/espace").await.status, StatusCode::SEE_OTHER);

    // Idle too long (two hours by default), or signed in too long ago (twelve hours)
    // however busy: signed out.
    let third = app.verified_user("troisieme").await;
    let mut b = Browser::signed_in(&app, &third).await;
    app.advance(chrono::Duration::minutes(119));
    assert_eq!(
        b.get("/espace").await.status,
        StatusCode::OK,
        "still within the idle limit"
    );
    app.advance(chrono::Duration::minutes(121));
    assert_eq!(
        b.get("/espace").await.status,
        StatusCode::SEE_OTHER,
        "idle too long"
    );
    let mut b = Browser::signed_in(&app, &third).await;
    for _ in 0..13 {
        app.advance(chrono::Duration::minutes(59));
        let _ = b.get("/espace").await;
    }
    assert_eq!(
        b.get("/espace").await.status,
        StatusCode::SEE_OTHER,
        "past the absolute limit"
    );
}

async fn a_form_posted_after_the_session_ended_comes_back(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&member, &moderator).await;
    let mut b = Browser::signed_in(&app, &member).await;
    let path = format!("/espace/structures/{structure}/modifier");
    let form = b.get(&path).await;
    let mut fields = form_fields(&form.body, &path);
    let typed = "Une présentation écrite longuement,\navant que la session ne prenne fin.";
    super::set(&mut fields, "description", typed);
    // The session ends while the person writes.
    app.advance(chrono::Duration::hours(3));
    let mut other_tab = Browser::new(&app);
    other_tab.cookie = b.cookie.clone();
    assert_eq!(
        other_tab.get("/espace").await.status,
        StatusCode::SEE_OTHER,
        "ended"
    );
    let before = super::stored(&app).await;
    let expired = b.submit(&path, &pairs(&fields)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.body.contains("Votre session a pris fin"));
    assert_eq!(
        super::stored(&app).await,
        before,
        "nothing saved without a session"
    );
    let kept = field_value(&expired.body, "_kept").expect("the form kept in the sign-in page");
    assert!(kept.contains("avant+que+la+session"), "{kept}");
    // Signing in again gives the form back, to check before saving.
    let again = b
        .submit(
            "/connexion",
            &[
                ("email", &member.email),
                ("password", PASSWORD),
                ("retour", &path),
                ("_kept", &kept),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.body.contains("Reprendre mon formulaire"));
    let back = form_fields(&again.body, &path);
    assert!(back.iter().any(|(k, v)| k == "_reprise" && v == "1"));
    let resumed = b.submit(&path, &pairs(&back)).await;
    assert_eq!(resumed.status, StatusCode::OK);
    assert_eq!(
        field_value(&resumed.body, "description").as_deref(),
        Some(typed)
    );
    // (The API token of the test's own calls expired with the clock too.)
    let member = app.relogin(&member).await;
    let (status, view) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), Some(&member)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(view["description"].is_null(), "shown again, not saved yet");
    // Saved once the person presses "Enregistrer".
    let fields = form_fields(&resumed.body, &path);
    let saved = b.submit(&path, &pairs(&fields)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (_, view) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), Some(&member)))
        .await;
    assert_eq!(view["description"], typed);
}

async fn another_site_cannot_post_in_someones_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&member, &moderator).await;
    let mut b = Browser::signed_in(&app, &member).await;
    let page = b.get("/espace").await;
    let token = csrf_in(&page.body).unwrap();
    let confirm = format!("/espace/structures/{structure}/a-jour");
    let before = super::stored(&app).await;
    // Another site's page, with the cookie the browser sends along: refused.
    for (origin, csrf) in [
        (Some("https://attaquant.example"), token.as_str()),
        (Some(app.url("").trim_end_matches('/')), "a-guessed-token"),
        (Some(app.url("").trim_end_matches('/')), ""),
    ] {
        let a = b.post_as(&confirm, &[("_csrf", csrf)], origin).await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "origin {origin:?}, token {csrf:?}"
        );
        assert!(a.body.contains("Formulaire refusé"));
    }
    let refused = reqwest::Client::new()
        .post(app.url(&confirm))
        .header(
            "Cookie",
            format!("agora_session={}", b.cookie.clone().unwrap()),
        )
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("_csrf", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    // Nor sign someone in to the attacker's account (login forgery).
    let forged = Browser::new(&app)
        .post_as(
            "/connexion",
            &[("email", member.email.as_str()), ("password", PASSWORD)],
            Some("https://attaquant.example"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(super::stored(&app).await, before, "nothing changed");
    // A form far too long gets a French page, and nothing is stored.
    let huge = "a".repeat(300 * 1024);
    let edit = format!("/espace/structures/{structure}/modifier");
    let too_long = b.submit(&edit, &[("name", &huge)]).await;
    assert_eq!(too_long.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_long.body.contains("Formulaire trop long"));
    assert_eq!(super::stored(&app).await, before, "nothing changed");
    // A form marked as given back after a new sign-in is refused by any action that is not
    // a form to check again (only those are ever given back).
    let origin = app.url("").trim_end_matches('/').to_owned();
    let marked = b
        .post_as(
            &confirm,
            &[("_csrf", token.as_str()), ("_reprise", "1")],
            Some(&origin),
        )
        .await;
    assert_eq!(marked.status, StatusCode::FORBIDDEN);
    // An action posted after the session ended is not kept for later: the person signs in
    // and does it again.
    let mut ended = Browser::new(&app);
    ended.cookie = Some("a-session-that-ended".into());
    let replay = ended
        .post_as(
            &confirm,
            &[("_csrf", "whatever"), ("current_password", PASSWORD)],
            Some(&origin),
        )
        .await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(
        super::field_value(&replay.body, "_kept").is_none(),
        "an action is not kept"
    );
    assert!(
        !replay.body.contains(PASSWORD),
        "no password written into a page"
    );
    // The same form from our own page works.
    let ok = b
        .post_as(
            &confirm,
            &[("_csrf", token.as_str())],
            Some(app.url("").trim_end_matches('/')),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

/// Registering and a forgotten password in pages: the same words whatever the address, a
/// mail either way, and the account usable at `/connexion` once its address is verified.
async fn registration_and_forgotten_password_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let known = app.verified_user("connue").await;
    let email = format!("{}@test.example.org", crate::common::unique("nouvelle"));
    let mut b = Browser::new(&app);
    let weak = b
        .submit(
            "/inscription",
            &[
                ("display_name", "Nouvelle"),
                ("email", &email),
                ("password", "court"),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_value(&weak.body, "email").as_deref(),
        Some(email.as_str())
    );
    assert!(
        field_value(&weak.body, "password")
            .unwrap_or_default()
            .is_empty(),
        "a password is never written back"
    );
    let new = b
        .submit(
            "/inscription",
            &[
                ("display_name", "Nouvelle"),
                ("email", &email),
                ("password", PASSWORD),
            ],
        )
        .await;
    let again = b
        .submit(
            "/inscription",
            &[
                ("display_name", "Connue"),
                ("email", &known.email),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!((new.status, again.status), (StatusCode::OK, StatusCode::OK));
    let words = |body: &str| body.contains("Un message vient de partir");
    assert!(
        words(&new.body) && words(&again.body),
        "the same answer for both addresses"
    );
    // Not before the address is verified; then at /connexion.
    assert_eq!(
        Browser::new(&app).sign_in(&email, PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
    app.verify_from_mail(&email).await;
    assert_eq!(
        Browser::new(&app).sign_in(&email, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // A forgotten password: the same page for an unknown address as for a known one.
    let unknown = b
        .submit(
            "/mot-de-passe-oublie",
            &[("email", "personne@test.example.org")],
        )
        .await;
    let real = b
        .submit("/mot-de-passe-oublie", &[("email", &known.email)])
        .await;
    assert_eq!(
        (unknown.status, real.status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert_eq!(
        unknown.body.replace("personne@test.example.org", "X"),
        real.body.replace(&known.email, "X")
    );
    app.smtp.wait_for(&known.email, "", 1).await;
}

both_backends!(
    registration_and_forgotten_password_in_pages,
    the_session_cookie_is_guarded_and_ends_when_it_should,
    a_form_posted_after_the_session_ended_comes_back,
    another_site_cannot_post_in_someones_name,
);

use super::{CONFIDENTIAL_CANARY, DRAFT_CANARY, OWNER_CANARY, PRIVATE_CANARY, page, world};
use crate::both_backends;
use crate::common::{Backend, TestApp};
use reqwest::StatusCode;

/// Every address a page or the markup loads from must be ours.
fn assert_no_third_party(path: &str, body: &str) {
    for attribute in ["src=\"", "<link rel=\"stylesheet\" href=\"", "action=\""] {
        for part in body.split(attribute).skip(1) {
            assert!(
                part.starts_with('/'),
                "{path}: {attribute}{} loads from elsewhere",
                &part[..part.len().min(40)]
            );
        }
    }
}

async fn every_page_shows_the_public_view_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let pages = [
        "/".to_owned(),
        "/recherche".to_owned(),
        "/recherche?q=sophrologie".to_owned(),
        "/recherche?q=t%C3%A9moignages".to_owned(),
        "/recherche?code_departement=25".to_owned(),
        "/projets".to_owned(),
        format!("/structures/{}", w.structure),
        format!("/services/{}", w.service),
        format!("/projets/{}", w.project),
        format!("/services/{}/signaler", w.service),
        format!("/projets/{}/signaler", w.project),
        "/annuaire".to_owned(),
        "/annuaire/25".to_owned(),
        "/annuaire/region/27".to_owned(),
        "/indicateurs".to_owned(),
        "/accessibilite".to_owned(),
        "/mentions-legales".to_owned(),
        "/donnees-personnelles".to_owned(),
        "/plan-du-site".to_owned(),
    ];
    for path in &pages {
        let (status, body) = page(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for canary in [CONFIDENTIAL_CANARY, PRIVATE_CANARY, DRAFT_CANARY] {
            assert!(!body.contains(canary), "{path} shows {canary}");
        }
        assert!(!body.contains(&w.draft), "{path} names the draft");
        assert_no_third_party(path, &body);
    }
    // The anonymous project: its page and every list it is in never name its structure,
    // and the structure's page does not list it.
    for path in [
        format!("/projets/{}", w.project),
        "/projets".to_owned(),
        "/recherche?q=t%C3%A9moignages".to_owned(),
    ] {
        let (_, body) = page(&app, &path).await;
        assert!(body.contains("Recueillir des témoignages"), "{path}");
        assert!(
            !body.contains(OWNER_CANARY) && !body.contains(&w.structure),
            "{path} names the anonymous project's owner"
        );
    }
    let (_, structure) = page(&app, &format!("/structures/{}", w.structure)).await;
    assert!(structure.contains(OWNER_CANARY));
    assert!(
        !structure.contains(&w.project),
        "the structure lists its anonymous project"
    );
    assert!(structure.contains(&format!("/services/{}", w.service)));
    // The draft does not exist for the public.
    let (status, body) = page(&app, &format!("/structures/{}", w.draft)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Fiche introuvable"));

    // A listing's page: how to reach it, when, where, whether it was verified, its data.
    let (_, service) = page(&app, &format!("/services/{}", w.service)).await;
    assert!(service.contains(&w.service_name));
    assert!(
        service.contains("href=\"tel:+33381471234\""),
        "phone as a link"
    );
    assert!(service.contains("Le mardi de 14 h à 17 h"));
    assert!(service.contains("2 place Saint-Pierre, 25000 Besançon"));
    assert!(service.contains("Doubs (25)"), "coverage in words");
    assert!(service.contains("Informations vérifiées par la structure le"));
    assert!(service.contains("Signaler une erreur"));
    assert!(service.contains("\"@type\":\"Service\""), "schema.org data");
    assert!(
        service.contains("Mieux-être") && service.contains("Santé"),
        "family named"
    );
    let (_, project) = page(&app, &format!("/projets/{}", w.project)).await;
    assert!(project.contains("Je propose mon aide"));
    assert!(project.contains("\"@type\":\"Project\""));

    // The designs system's assets are ours, cached for good.
    let (_, home) = page(&app, "/").await;
    let css = home
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let res = app.get(&css, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{css}");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(res.text().await.unwrap().contains(".fr-header"));
}

async fn bad_addresses_get_a_french_page_never_a_500(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let long = format!("/recherche?q={}", "a".repeat(5000));
    let cases = [
        (
            "/structures/00000000-0000-0000-0000-000000000000".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (
            "/services/pas-un-identifiant".to_owned(),
            StatusCode::NOT_FOUND,
        ),
        (format!("/services/{}", w.structure), StatusCode::NOT_FOUND),
        (
            format!("/projets/{}/signaler", w.draft),
            StatusCode::NOT_FOUND,
        ),
        (
            format!("/inconnu/{}/signaler", w.service),
            StatusCode::NOT_FOUND,
        ),
        ("/annuaire/99".to_owned(), StatusCode::NOT_FOUND),
        ("/annuaire/region/00".to_owned(), StatusCode::NOT_FOUND),
        ("/annuaire/%3Cscript%3E".to_owned(), StatusCode::NOT_FOUND),
        ("/page-qui-n-existe-pas".to_owned(), StatusCode::NOT_FOUND),
        (
            "/recherche?cursor=pas-un-curseur".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/recherche?radius_km=loin".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        ("/recherche?lat=47.2".to_owned(), StatusCode::BAD_REQUEST),
        ("/recherche?limit=0".to_owned(), StatusCode::BAD_REQUEST),
        (
            "/recherche?theme=inconnu".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "/recherche?code_region=27&code_departement=25".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (long, StatusCode::BAD_REQUEST),
    ];
    for (path, expected) in &cases {
        let (status, body) = page(&app, path).await;
        assert_eq!(status, *expected, "{}", &path[..path.len().min(80)]);
        assert!(body.contains("Page d'accueil"), "{path}: a way on");
    }
    // Hostile words are shown as text, never as markup.
    let (status, body) = page(
        &app,
        "/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("<script>alert(1)"));
    assert!(body.contains("&#60;script&#62;alert(1)") || body.contains("&lt;script&gt;alert(1)"));
    // The API keeps answering problem+json for its own addresses, outside /api/ too.
    let res = app.get("/api/v1/nothing-here", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    for path in ["/health", "/ready"] {
        let res = app
            .request(reqwest::Method::TRACE, path, None)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}

both_backends!(
    every_page_shows_the_public_view_only,
    bad_addresses_get_a_french_page_never_a_500
);

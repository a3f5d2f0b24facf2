use super::{page, world};
use crate::both_backends;
use crate::common::{Backend, TestApp, names};
use reqwest::StatusCode;

/// The result links of a page, in order.
fn result_names(body: &str) -> Vec<String> {
    body.split("<h3 class=\"agora-card__title\"><a href=\"")
        .skip(1)
        .filter_map(|part| {
            let name = part.split_once("\">")?.1.split("</a>").next()?;
            Some(name.replace("&#39;", "'").replace("&#x27;", "'"))
        })
        .collect()
}

async fn the_search_page_answers_what_the_api_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    for query in [
        "q=sophrologie",
        "q=emploi&kind=service,project",
        "theme=mieux-etre&code_departement=25",
        "q=sophrologie%20pr%C3%A8s%20de%20Besan%C3%A7on",
    ] {
        let api = names(&app.search(query).await);
        let (status, body) = page(&app, &format!("/recherche?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(!api.is_empty(), "{query} finds something");
        assert_eq!(result_names(&body), api, "{query}");
    }
    // Boxes ticked in a form (one parameter per value) read as the API's lists.
    let (_, ticked) = page(&app, "/recherche?kind=service&kind=project&q=emploi").await;
    assert_eq!(
        result_names(&ticked),
        names(&app.search("q=emploi&kind=service,project").await)
    );
    // A facet is a link that narrows the search, and the page says what is applied.
    let (_, all) = page(&app, "/recherche").await;
    assert!(
        all.contains("href=\"/recherche?theme=mieux-etre\""),
        "theme facet link"
    );
    let (_, narrowed) = page(&app, "/recherche?theme=mieux-etre").await;
    assert_eq!(result_names(&narrowed), vec![w.service_name.clone()]);
    assert!(narrowed.contains("retirer ce filtre"));
    // How wide an area is, and a project's format, filter the API and the catalogue.
    assert_eq!(
        names(&app.search("scope=local").await),
        vec![w.service_name.clone()]
    );
    assert_eq!(
        names(&app.search("scope=national&kind=project").await),
        vec!["Recueillir des témoignages".to_owned()]
    );
    let (status, _) = app
        .call(app.get("/api/v1/search?scope=partout", None))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, minis) = page(&app, "/projets?format=mini_mission").await;
    assert_eq!(
        result_names(&minis),
        vec!["Recueillir des témoignages".to_owned()]
    );
    assert!(minis.contains("Mini-mission"), "the format facet");
    let (_, long) = page(&app, "/projets?format=long_project").await;
    assert!(result_names(&long).is_empty());
    // A typed place becomes the API's parameter.
    let res = app
        .get("/recherche?q=sophrologie&lieu=Besan%C3%A7on", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()["location"],
        "/recherche?q=sophrologie&code_commune=25056"
    );
    let res = app
        .get("/recherche?q=sophrologie&lieu=25", None)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["location"],
        "/recherche?q=sophrologie&code_departement=25"
    );
    let (status, body) = page(&app, "/recherche?q=sophrologie&lieu=Nullepartville").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("n'a pas été reconnu"));
    // Pages of results follow the API's cursor.
    let (_, first) = page(&app, "/recherche?limit=1").await;
    let next = first
        .split("href=\"/recherche?")
        .filter_map(|p| p.split('"').next())
        .find(|href| href.contains("cursor="))
        .expect("a link to the next page")
        .replace("&amp;", "&");
    let (status, second) = page(&app, &format!("/recherche?{next}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(result_names(&first), result_names(&second));
    assert!(second.contains("Revenir aux premiers résultats"));
}

async fn an_error_reported_from_the_page_reaches_the_structure(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let path = format!("/services/{}/signaler", w.service);
    // Another site's form is refused, even aimed at the right address.
    let res = app
        .post(&path, None)
        .header("Origin", "https://ailleurs.example.net")
        .form(&[("reason", "wrong_hours")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A form sent without a reason comes back with the error beside it and the text kept.
    let res = app
        .post(&path, None)
        .header("Origin", app.base.as_str())
        .form(&[("details", "Le numéro sonne dans le vide.")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(body.contains("Choisissez ce qui ne va pas"));
    assert!(body.contains("Le numéro sonne dans le vide."));
    // "Other" needs words.
    let res = app
        .post(&path, None)
        .form(&[("reason", "other")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Dites en quelques mots"));
    assert!(
        app.smtp
            .all()
            .iter()
            .all(|m| !m.subject().contains("Une erreur a été signalée"))
    );
    // A good one is thanked and told to the structure's members.
    let res = app
        .post(&path, None)
        .header("Origin", app.base.as_str())
        .form(&[
            ("reason", "wrong_hours"),
            ("details", "Fermé le mardi désormais."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("votre signalement est envoyé")
    );
    let told = app
        .smtp
        .wait_for(&w.owner.email, "Une erreur a été signalée", 1)
        .await;
    assert!(told[0].text().contains("Fermé le mardi désormais."));
    let (_, reports) = app
        .call(app.get("/api/v1/moderation/reports", Some(&w.moderator)))
        .await;
    assert_eq!(
        reports["items"].as_array().map(Vec::len),
        Some(1),
        "{reports}"
    );
}

async fn the_printable_directory_lists_an_area_s_services(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let w = world(&app).await;
    let (_, doubs) = page(&app, "/annuaire/25").await;
    assert!(doubs.contains(&w.service_name));
    assert!(doubs.contains("Doubs (25)"));
    assert!(doubs.contains("03 81 47 12 34"));
    assert!(doubs.contains("Le mardi de 14 h à 17 h"));
    assert!(doubs.contains("Vérifié le"));
    assert!(doubs.contains("Santé"), "grouped by family");
    assert!(doubs.contains("0 805 123 124"), "the national helpline");
    let qr = format!("/annuaire/qr/services/{}.svg", w.service);
    assert!(doubs.contains(&qr));
    let res = app.get(&qr, None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().contains("<svg"));
    // The same directory as a PDF, typeset on the server.
    assert!(doubs.contains("href=\"/annuaire/25.pdf\""));
    let res = app.get("/annuaire/25.pdf", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.unwrap();
    assert!(
        pdf.starts_with(b"%PDF-") && pdf.len() > 5_000,
        "{} bytes",
        pdf.len()
    );
    let res = app
        .get("/annuaire/region/27.pdf", None)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (status, _) = page(&app, "/annuaire/98.pdf").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The région holds it too; another département does not.
    let (_, region) = page(&app, "/annuaire/region/27").await;
    assert!(region.contains(&w.service_name));
    let (_, gironde) = page(&app, "/annuaire/33").await;
    assert!(!gironde.contains(&w.service_name));
    // The indicators count it, and say it as CSV too.
    let (_, figures) = page(&app, "/indicateurs").await;
    assert!(figures.contains("Bourgogne-Franche-Comté"));
    let csv = app
        .get("/indicateurs.csv", None)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with("indicateur,code_region,famille,valeur\n"));
    assert!(
        csv.contains("Services et projets par région et famille,27,sante,"),
        "{csv}"
    );
}

both_backends!(
    the_search_page_answers_what_the_api_answers,
    an_error_reported_from_the_page_reaches_the_structure,
    the_printable_directory_lists_an_area_s_services
);

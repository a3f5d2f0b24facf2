//! The events' pages as a browser uses them, without JavaScript: an organiser creates an
//! event through the form (errors beside the fields, what was typed kept), sends it to
//! moderation; a moderator publishes it from their page; a member applies for their
//! structure; the committee decides from its review page; the public page names the
//! participant who consented. Forms carry the anti-forgery token; drafts are 404 to others.

use super::{organiser, structure_with_project};
use crate::both_backends;
use crate::common::{Backend, TestApp};
use crate::workspace::{Browser, form_fields, pairs, set};
use reqwest::StatusCode;

fn day(app: &TestApp, days: i64) -> String {
    (app.ctx.now() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn the_event_pages_work_without_javascript(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let moderator = app.moderator().await;
    let chair = organiser(&app, "chair").await;
    let owner = app.verified_user("owner").await;
    let (structure, project) =
        structure_with_project(&app, &owner, &moderator, "Entraide Portail").await;

    // The organiser creates an event through the form.
    let mut b = Browser::signed_in(&app, &chair).await;
    let a = b.get("/espace/evenements").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Créer un événement"));
    let a = b.get("/espace/evenements/nouveau").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let mut fields = form_fields(&a.body, "/espace/evenements/nouveau");
    for (name, value) in [
        ("title", "Édition régionale du portail"),
        (
            "summary",
            "Une journée pour se rencontrer entre associations de la région.",
        ),
        ("start_date", &day(&app, 40)),
        ("start_time", "09:30"),
        ("end_date", &day(&app, 39)),
        ("end_time", "18:00"),
        ("region", "27"),
        ("venue", "Maison des associations"),
        ("commune_code", "25056"),
        ("orientations", "Se connaître\nPartager les ressources"),
        ("close_date", &day(&app, 30)),
    ] {
        set(&mut fields, name, value);
    }
    let a = b
        .submit("/espace/evenements/nouveau", &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("La fin doit venir après le début."));
    assert!(
        a.body.contains("Maison des associations"),
        "what was typed is kept"
    );
    set(&mut fields, "end_date", &day(&app, 40));
    // Without the page's token, nothing is created.
    let origin = app.url("").trim_end_matches('/').to_owned();
    let tokenless: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| k != "_csrf")
        .cloned()
        .collect();
    let a = b
        .post_as(
            "/espace/evenements/nouveau",
            &pairs(&tokenless),
            Some(&origin),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = b
        .submit("/espace/evenements/nouveau", &pairs(&fields))
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let edit = a.location.unwrap();
    let event = edit
        .trim_start_matches("/espace/evenements/")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let a = b.get(&edit).await;
    assert!(a.body.contains("Brouillon"));
    assert!(
        a.body.contains("Le comité d&#39;organisation")
            || a.body.contains("Le comité d'organisation")
    );
    // Its page: a preview for the committee, nothing for anyone else.
    let a = b.get(&format!("/evenements/{event}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Maison des associations, Besançon"));
    let mut stranger = Browser::signed_in(&app, &owner).await;
    assert_eq!(
        stranger.get(&format!("/evenements/{event}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        Browser::new(&app)
            .get(&format!("/evenements/{event}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger
            .get(&format!("/espace/evenements/{event}/modifier"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let a = b
        .submit(&format!("/espace/evenements/{event}/soumettre"), &[])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);

    // The moderator publishes it from their page; a refusal needs a reason.
    let mut m = Browser::signed_in(&app, &moderator).await;
    let a = m.get("/moderation/evenements").await;
    assert!(a.body.contains("Édition régionale du portail"));
    let a = m
        .submit(
            &format!("/moderation/evenements/{event}/refuser"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Ce champ est à remplir."));
    let a = m
        .submit(
            &format!("/moderation/evenements/{event}/publier"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let list = Browser::new(&app).get("/evenements").await;
    assert!(list.body.contains("Édition régionale du portail"));
    let region = Browser::new(&app).get("/evenements?region=84").await;
    assert!(!region.body.contains("Édition régionale du portail"));

    // A member applies for their structure.
    let path = format!("/evenements/{event}/candidater");
    let a = stranger.get(&path).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Entraide Portail"));
    let mut fields = form_fields(&a.body, &path);
    set(
        &mut fields,
        "message",
        "Nous viendrons à deux présenter nos ateliers.",
    );
    fields.push(("project_ids".into(), project.clone()));
    fields.push(("offers".into(), "animation".into()));
    fields.push(("public_consent".into(), "oui".into()));
    let a = stranger.submit(&path, &pairs(&fields)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains("Cochez la case pour signer la charte"));
    fields.push(("charter".into(), "2024".into()));
    let a = stranger.submit(&path, &pairs(&fields)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = stranger.get("/espace/candidatures").await;
    assert!(a.body.contains("En attente de la décision du comité"));

    // The committee decides from its page.
    let review = format!("/espace/evenements/{event}/candidatures");
    let a = b.get(&review).await;
    assert!(a.body.contains("Entraide Portail") && a.body.contains("Animation"));
    let application = agora_store::events::application_of_structure(
        &app.ctx.db,
        event.parse().unwrap(),
        structure.parse().unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    let a = b
        .submit(
            &format!("{review}/{application}/decliner"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        stranger.get(&review).await.status,
        StatusCode::FORBIDDEN,
        "applicants do not read the committee's page"
    );
    let a = b
        .submit(
            &format!("{review}/{application}/accepter"),
            &[("reason", "Bienvenue !")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = Browser::new(&app)
        .get(&format!("/evenements/{event}"))
        .await;
    assert!(page.body.contains("Entraide Portail"), "named with consent");

    // Withdrawn, it leaves the public page.
    let a = stranger
        .submit(
            &format!("/espace/candidatures/{event}/{application}/retirer"),
            &[],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = Browser::new(&app)
        .get(&format!("/evenements/{event}"))
        .await;
    assert!(!page.body.contains("Entraide Portail"));
}

both_backends!(the_event_pages_work_without_javascript);

//! The pages: a participant's wishes form and schedule, the committee's page, and the
//! printable table plan (HTML and a real PDF) for the committee only.

use super::{Setup, event, run};
use crate::both_backends;
use crate::common::{Backend, TestApp};
use crate::workspace::Browser;
use reqwest::StatusCode;

async fn the_table_plan_is_the_committees(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(&app, Setup::default()).await;
    let base = format!("/espace/evenements/{}/rencontres", e.id);
    let plan = format!("{base}/plan");

    // The committee computes the schedule from its page.
    let mut committee = Browser::signed_in(&app, &e.committee).await;
    let page = committee.get(&format!("{base}/organisation")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Calculer le programme"));
    let done = committee
        .submit(&format!("{base}/organisation/calculer"), &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = committee
        .get(&format!("{base}/organisation?fait=calcul"))
        .await;
    assert!(page.body.contains("maximum démontré"), "{}", page.body);

    let html = committee.get(&plan).await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("Plan de table"));
    for p in &e.participants {
        assert!(html.body.contains(&p.name), "{} on the plan", p.name);
    }
    let pdf = app
        .client
        .get(app.url(&format!("{plan}.pdf")))
        .header(
            "cookie",
            format!("agora_session={}", committee.cookie.clone().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(
        pdf.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(
        bytes.len() > 5_000 && bytes.len() < 2_000_000,
        "{} bytes",
        bytes.len()
    );
    let tail = String::from_utf8_lossy(&bytes[bytes.len() - 64..]).to_string();
    assert!(tail.contains("%%EOF"), "a complete PDF");

    // A participant reads neither; an anonymous visitor is sent to sign in.
    let mut participant = Browser::signed_in(&app, &e.participants[0].user).await;
    for path in [
        plan.clone(),
        format!("{plan}.pdf"),
        format!("{base}/organisation"),
    ] {
        let a = participant.get(&path).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
        for p in &e.participants[1..] {
            assert!(!a.body.contains(&p.name), "{path} names nobody");
        }
    }
    let mut anonymous = Browser::new(&app);
    for path in [plan.clone(), format!("{plan}.pdf")] {
        let a = anonymous.get(&path).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}");
        assert!(a.location.unwrap_or_default().starts_with("/connexion"));
    }
}

async fn a_participant_sets_wishes_on_the_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = event(&app, Setup::default()).await;
    let base = format!("/espace/evenements/{}/rencontres", e.id);
    let me = &e.participants[0];
    let mut b = Browser::signed_in(&app, &me.user).await;
    let page = b.get(&base).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Choix n° 15"));
    assert!(page.body.contains(&e.participants[1].name));

    // Oneself is not offered; forced in, it is refused beside the list it was chosen in.
    let refused = b
        .submit(
            &format!("{base}/souhaits"),
            &[
                ("application_id", &me.application),
                ("wish1", &e.participants[1].application),
                ("wish2", &me.application),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("fr-select-group--error"));

    let saved = b
        .submit(
            &format!("{base}/souhaits"),
            &[
                ("application_id", &me.application),
                ("wish1", &e.participants[2].application),
                ("wish3", &e.participants[1].application),
                ("absent", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (_, views) = app
        .call(app.get(&e.path("/preferences"), Some(&me.user)))
        .await;
    assert_eq!(
        views[0]["wishes"][0]["application_id"],
        e.participants[2].application
    );
    assert_eq!(
        views[0]["wishes"][1]["application_id"],
        e.participants[1].application
    );
    assert_eq!(views[0]["unavailable_rounds"], serde_json::json!([2]));

    // Once published, the schedule shows on the page.
    run(&app, &e).await;
    let (status, _) = app
        .call(app.post(&e.path("/publish"), Some(&e.committee)))
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = b.get(&base).await;
    assert!(
        page.body.contains("Mes rencontres, dans l'ordre"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Enregistrer mes souhaits"));
}

both_backends!(
    the_table_plan_is_the_committees,
    a_participant_sets_wishes_on_the_page
);

//! The portal's pages of evaluations.

use super::{COMMENT, established, evaluate};
use crate::both_backends;
use crate::common::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::json;

/// The portal: the block on the service's page, the questionnaire for a signed-in visitor
/// (a plain form with its anti-forgery token), its errors, the thanks; the member's
/// workspace with the private comments and the public answer.
async fn the_portal_shows_the_figures_and_takes_the_questionnaire(backend: Backend) {
    use crate::workspace::Browser;
    let app = TestApp::spawn_with(backend, |c| {
        established(c);
        c.evaluations.min_answers = 2;
    })
    .await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let service = app.published_service(&owner, &moderator).await;
    let page = format!("/services/{service}");
    let action = format!("/services/{service}/avis");

    // Anonymous: the block, no figure yet, and the way to sign in.
    let mut anonymous = Browser::new(&app);
    let a = anonymous.get(&page).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Avis des personnes accompagnées"));
    assert!(a.body.contains("pas encore assez de réponses"));
    assert!(a.body.contains("Connectez-vous pour donner votre avis"));
    assert!(!a.body.contains(&format!("action=\"{action}\"")));

    // Signed in: the questionnaire on the page, never kept by a shared cache.
    let person = app.verified_user("usagere").await;
    let mut b = Browser::signed_in(&app, &person).await;
    let res = app
        .get(&page, None)
        .header(
            "cookie",
            format!("agora_session={}", b.cookie.clone().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["cache-control"], "no-store");
    let a = b.get(&page).await;
    assert!(a.body.contains(&format!("action=\"{action}\"")), "the form");
    // Without the page's token, nothing is recorded.
    let refused = b
        .post_as(&action, &[("contact_correct", "oui")], Some(&app.url("")))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Errors are shown beside their questions, what was written is kept.
    let a = b
        .submit(
            &action,
            &[("answer_days", "douze"), ("comment", "Gardé tel quel")],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Écrivez un nombre de jours"), "{}", a.body);
    assert!(a.body.contains("Gardé tel quel"));
    let a = b
        .submit(&action, &[("comment", "Un commentaire seul")])
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Répondez à au moins une question"));
    let a = b
        .submit(
            &action,
            &[
                ("contact_correct", "oui"),
                ("answer_days", "2"),
                ("information_clear", "4"),
                ("would_recommend", "sans"),
                ("comment", COMMENT),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(
        a.location.as_deref(),
        Some(format!("{page}?fait=avis#avis").as_str())
    );
    let a = b.get(&format!("{page}?fait=avis")).await;
    assert!(a.body.contains("votre avis est enregistré"));
    let a = b.get(&page).await;
    assert!(a.body.contains("Vous avez déjà donné votre avis"));
    let (_, mine) = app
        .call(app.get("/api/v1/me/evaluations", Some(&person)))
        .await;
    assert_eq!(mine[0]["contact_correct"], true);
    assert!(
        mine[0].get("would_recommend").is_none(),
        "« je ne sais pas » is no answer"
    );
    assert_eq!(mine[0]["answer_days"], 2);

    // A second person: the figures show on the page.
    let other = app.verified_user("usager").await;
    evaluate(&app, &service, &other, json!({"contact_correct": false})).await;
    let a = anonymous.get(&page).await;
    assert!(a.body.contains("50 % de oui"), "{}", a.body);
    assert!(a.body.contains("sur 2 réponses"));
    assert!(
        !a.body.contains("Canari commentaire"),
        "the comment is never public"
    );

    // The structure's member: no questionnaire; the comments and the answer's form in
    // the workspace.
    let mut m = Browser::signed_in(&app, &owner).await;
    let a = m.get(&page).await;
    assert!(a.body.contains("Vous faites partie de la structure"));
    let a = m.get(&format!("/espace/services/{service}")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Canari commentaire"), "the member reads it");
    let respond = format!("/espace/services/{service}/reponse");
    let a = m.submit(&respond, &[("body", "ok")]).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = m
        .submit(
            &respond,
            &[("body", "Merci, nous avons corrigé notre numéro.")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let a = anonymous.get(&page).await;
    assert!(a.body.contains("La réponse de la structure"));
    assert!(a.body.contains("nous avons corrigé notre numéro"));
    m.get(&format!("/espace/services/{service}")).await;
    let a = m.submit(&format!("{respond}/retirer"), &[]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(
        !anonymous
            .get(&page)
            .await
            .body
            .contains("La réponse de la structure")
    );
    // Someone else's workspace page of the service is not theirs.
    let a = b.get(&format!("/espace/services/{service}")).await;
    assert!(!a.body.contains("Canari commentaire"));
    assert!(
        a.status == StatusCode::FORBIDDEN || a.status == StatusCode::NOT_FOUND,
        "{}",
        a.status
    );
}

both_backends!(the_portal_shows_the_figures_and_takes_the_questionnaire);

//! Moderators and the committee in pages: the queue oldest first, an item beside its
//! published version, a decision refused without its reason (kept as typed), the next item
//! after each decision; reports resolved; a reviewer scores the rubric and only then sees
//! the others' reviews, unnamed.

use super::{Browser, field_value};
use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures};
use crate::label::{committee, under_review};
use agora_domain::label::Seat;
use reqwest::StatusCode;
use serde_json::json;

async fn a_moderator_works_through_the_queue_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let published = app.published_structure(&member, &moderator).await;
    // An edit of the published structure, then a new structure: two items, oldest first.
    let path = format!("/api/v1/structures/{published}");
    let etag = app.etag(&path, &member).await;
    let (status, _) = app
        .call(
            app.patch(&path, Some(&member))
                .header("If-Match", etag)
                .json(&json!({"summary": "Un résumé tout neuf."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let edit = app.submit("structures", &published, &member).await;
    let mut second = fixtures::structure();
    second["name"] = json!("Deuxième Association du Jura");
    let second = app.create("/api/v1/structures", &member, &second).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let new_item = app.submit("structures", &second, &member).await;

    let mut m = Browser::signed_in(&app, &moderator).await;
    let queue = m.get("/moderation").await;
    assert_eq!(queue.status, StatusCode::OK);
    let first = queue
        .body
        .find(&format!("/moderation/file/{edit}"))
        .expect("the edit listed");
    let then = queue
        .body
        .find(&format!("/moderation/file/{new_item}"))
        .expect("the new one listed");
    assert!(first < then, "oldest first");

    // The edit beside the published version: the changed field, before and after.
    let item = m.get(&format!("/moderation/file/{edit}")).await;
    assert!(
        item.body.contains("modification d&#39;une fiche publiée")
            || item.body.contains("modification d'une fiche publiée")
    );
    assert!(
        item.body.contains("<del>Une association de test.</del>"),
        "published value"
    );
    assert!(
        item.body.contains("<ins>Un résumé tout neuf.</ins>"),
        "proposed value"
    );
    assert!(
        item.body.contains(&format!("/moderation/file/{new_item}")),
        "the next item"
    );

    // Changes asked without saying why: refused, the choice kept.
    let refused = m
        .submit(
            &format!("/moderation/file/{edit}/decision"),
            &[("decision", "request_changes"), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("la structure le lira"));
    assert!(refused.body.contains("value=\"request_changes\" checked"));
    // Approved: the next item opens.
    let approved = m
        .submit(
            &format!("/moderation/file/{edit}/decision"),
            &[("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert_eq!(
        approved.location.as_deref(),
        Some(format!("/moderation/file/{new_item}?fait=decide").as_str())
    );
    let (_, public) = app.call(app.get(&path, None)).await;
    assert_eq!(public["summary"], "Un résumé tout neuf.");
    let reason = "Cette structure existe déjà sur Agora sous un autre nom.";
    let last = m
        .submit(
            &format!("/moderation/file/{new_item}/decision"),
            &[("decision", "reject"), ("reason", reason)],
        )
        .await;
    assert_eq!(last.location.as_deref(), Some("/moderation?fait=vide"));
    // The member reads the reason in their workspace; the mails link to the workspace's
    // form (on this server, the tests' configured address).
    let mut b = Browser::signed_in(&app, &member).await;
    let home = b.get("/espace").await;
    assert!(home.body.contains("Refusée"));
    assert!(home.body.contains("Cette structure existe déjà sur Agora"));
    let link = format!("/espace/structures/{published}/modifier");
    let mut linked = false;
    for _ in 0..100 {
        if app
            .smtp
            .to(&member.email)
            .iter()
            .any(|m| m.text().contains(&link))
        {
            linked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(linked, "a mail links to {link}");

    // A report, resolved from its page.
    let (status, _) = app
        .call(app.post("/api/v1/reports", None).json(&json!({
            "subject_type": "structure", "subject_id": published, "reason": "wrong_hours", "details": "Fermé le lundi."
        })))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let reports = m.get("/moderation/signalements").await;
    assert!(reports.body.contains("Fermé le lundi."));
    let (_, rest) = reports
        .body
        .split_once("/moderation/signalements/")
        .unwrap();
    let report = rest.split('/').next().unwrap().to_owned();
    let short = m
        .submit(
            &format!("/moderation/signalements/{report}/traiter"),
            &[("resolution", "ok")],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_value(&short.body, "resolution").as_deref(),
        Some("ok")
    );
    let done = m
        .submit(
            &format!("/moderation/signalements/{report}/traiter"),
            &[("resolution", "Horaires corrigés par la structure.")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        !m.get("/moderation/signalements")
            .await
            .body
            .contains("Fermé le lundi.")
    );
    // The audit trail names what happened.
    let trail = m
        .get(&format!("/moderation/historique/structures/{published}"))
        .await;
    assert!(trail.body.contains("approbation"));
}

async fn a_reviewer_scores_in_pages_and_then_sees_the_others(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let patient = committee(&app, "patient", Seat::Patient).await;
    let professional = committee(&app, "pro", Seat::Professional).await;
    let third = committee(&app, "tiers", Seat::Professional).await;
    let id = under_review(
        &app,
        &owner,
        &moderator,
        &structure,
        &[&patient, &professional, &third],
    )
    .await;
    // Another reviewer has scored already (through the API).
    let (status, body) = app
        .call(
            app.post(
                &format!("/api/v1/label-applications/{id}/reviews"),
                Some(&professional),
            )
            .json(&fixtures::review(3)),
        )
        .await;
    assert!(status.is_success(), "{body}");

    let mut r = Browser::signed_in(&app, &patient).await;
    let list = r.get("/comite").await;
    assert!(list.body.contains(&format!("/comite/dossiers/{id}")));
    let page = r.get(&format!("/comite/dossiers/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Gouvernance"), "the rubric");
    assert!(
        !page.body.contains("Évaluations des autres membres"),
        "not before one's own"
    );
    // Half the rubric: refused, nothing lost.
    let half = r
        .submit(
            &format!("/comite/dossiers/{id}/evaluation"),
            &[("score.gouvernance", "4"), ("recommendation", "grant")],
        )
        .await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(half.body.contains("value=\"4\" checked"));
    let slugs = [
        "gouvernance",
        "independance",
        "personnes-concernees",
        "qualite-information",
        "confidentialite",
        "evaluation",
    ];
    let names: Vec<String> = slugs.iter().map(|s| format!("score.{s}")).collect();
    let mut fields: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "3")).collect();
    fields.push(("recommendation", "grant"));
    fields.push(("comment", "Un dossier solide."));
    let sent = r
        .submit(&format!("/comite/dossiers/{id}/evaluation"), &fields)
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let after = r.get(&format!("/comite/dossiers/{id}")).await;
    assert!(after.body.contains("Évaluations des autres membres"));
    assert!(
        !after.body.contains(&professional.email) && !after.body.contains("pro@"),
        "never names"
    );
    // The third reviewer withdraws in one step.
    let mut t = Browser::signed_in(&app, &third).await;
    let _ = t.get(&format!("/comite/dossiers/{id}")).await;
    let withdrawn = t
        .submit(
            &format!("/comite/dossiers/{id}/conflit"),
            &[("conflict", "Je suis adhérent de cette association.")],
        )
        .await;
    assert_eq!(
        withdrawn.status,
        StatusCode::SEE_OTHER,
        "{}",
        withdrawn.body
    );
    // The applicant is not a reviewer: no review page for them.
    let mut o = Browser::signed_in(&app, &owner).await;
    let denied = o.get(&format!("/comite/dossiers/{id}")).await;
    assert!(
        matches!(denied.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        denied.status
    );
}

async fn a_moderator_takes_a_label_application_to_its_decision_in_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let patient = committee(&app, "patiente", Seat::Patient).await;
    let professional = committee(&app, "oncologue", Seat::Professional).await;
    let caregiver = committee(&app, "aidante", Seat::Caregiver).await;
    let (status, created) = app
        .call(
            app.post(
                &format!("/api/v1/structures/{structure}/label-applications"),
                Some(&owner),
            )
            .json(&fixtures::label_application()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/label-applications/{id}/submit"),
            Some(&owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);

    let mut m = Browser::signed_in(&app, &moderator).await;
    let page = m.get("/moderation/label").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("patiente (patient)") && page.body.contains("oncologue (professionnel)")
    );
    let assign = format!("/moderation/label/{id}/comite");
    let none = m.submit(&assign, &[]).await;
    assert_eq!(
        none.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a panel of nobody"
    );
    let unbalanced = m.submit(&assign, &[("reviewer", &professional.id)]).await;
    assert_eq!(
        unbalanced.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unbalanced.status
    );
    assert!(
        unbalanced
            .body
            .contains(&format!("value=\"{}\" checked", professional.id)),
        "the choice kept"
    );
    let assigned = m
        .submit(
            &assign,
            &[
                ("reviewer", &patient.id),
                ("reviewer", &professional.id),
                ("reviewer", &caregiver.id),
            ],
        )
        .await;
    assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
    for reviewer in [&patient, &professional, &caregiver] {
        let (status, body) = app
            .call(
                app.post(
                    &format!("/api/v1/label-applications/{id}/reviews"),
                    Some(reviewer),
                )
                .json(&fixtures::review(4)),
            )
            .await;
        assert!(status.is_success(), "{body}");
    }
    let page = m.get("/moderation/label").await;
    assert!(
        page.body
            .contains("la règle propose d&#39;accorder le label")
            || page.body.contains("la règle propose d'accorder le label"),
        "the proposal"
    );
    assert!(
        page.body.contains("patiente (patient)"),
        "moderators see the reviewers' names"
    );
    let decided = m
        .submit(
            &format!("/moderation/label/{id}/decision"),
            &[("decision", "granted"), ("reasons", "")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let (_, s) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), None))
        .await;
    assert_eq!(s["labelled"], true);
}

both_backends!(
    a_moderator_takes_a_label_application_to_its_decision_in_pages,
    a_moderator_works_through_the_queue_in_pages,
    a_reviewer_scores_in_pages_and_then_sees_the_others,
);

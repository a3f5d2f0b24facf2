//! Applications to take part: only members of a published structure, for that structure,
//! with its own published projects and the event's charter; one per structure (a second
//! one changes a pending one); the committee decides with reasons; withdrawal; a mail at
//! each step, read from the real SMTP receiver; nobody else reads an application.

use super::{
    application_body, apply, decide, draft, id, organiser, published, structure_with_project,
};
use crate::both_backends;
use crate::common::{Backend, TestApp, User, pointers, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn post(app: &TestApp, path: &str, who: &User, body: &Value) -> reqwest::Response {
    app.post(path, Some(who)).json(body).send().await.unwrap()
}

async fn structures_apply_and_the_committee_decides(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let moderator = app.moderator().await;
    let chair = organiser(&app, "chair").await;
    let owner = app.verified_user("owner").await;
    let editor = app.verified_user("editor").await;
    let rival = app.verified_user("rival").await;
    let stranger = app.verified_user("stranger").await;
    let (structure, project) =
        structure_with_project(&app, &owner, &moderator, "Entraide Doubs").await;
    app.join(&structure, &owner, &editor, "editor").await;
    let (other, other_project) =
        structure_with_project(&app, &rival, &moderator, "Rivale Jura").await;
    let event = published(&app, &chair, &moderator, "Cancerthon des candidatures").await;
    let applications = format!("/api/v1/events/{event}/applications");

    // Without a published structure, the door is closed before the body is read.
    let res = post(&app, &applications, &stranger, &json!({"junk": true})).await;
    problem(res, StatusCode::FORBIDDEN).await;
    // For a structure one does not belong to: refused.
    let res = post(
        &app,
        &applications,
        &rival,
        &application_body(&structure, &[], true),
    )
    .await;
    problem(res, StatusCode::FORBIDDEN).await;
    // Another structure's project, another charter, an unknown skill: each named.
    let mut body = application_body(&structure, &[&project, &other_project], true);
    body["charter_version"] = json!("2023");
    body["offers"] = json!(["experience-patient", "jonglage"]);
    body["themes"] = json!(["travail-emploi", "astrologie"]);
    body["region"] = json!("99");
    let p = problem(
        post(&app, &applications, &editor, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let mut got = pointers(&p);
    got.sort();
    assert_eq!(
        got,
        [
            "/charter_version",
            "/offers/1",
            "/project_ids/1",
            "/region",
            "/themes/1"
        ],
        "{p}"
    );
    assert!(
        p.to_string().contains("2024"),
        "the event's version is named: {p}"
    );
    // A draft structure does not apply.
    let draft_structure = id(&app
        .create(
            "/api/v1/structures",
            &owner,
            &crate::common::fixtures::structure(),
        )
        .await);
    let res = post(
        &app,
        &applications,
        &owner,
        &application_body(&draft_structure, &[], true),
    )
    .await;
    problem(res, StatusCode::CONFLICT).await;
    // An event not published takes none (and is not even known).
    let unpublished = draft(&app, &chair, "Brouillon").await;
    let res = post(
        &app,
        &format!("/api/v1/events/{unpublished}/applications"),
        &owner,
        &application_body(&structure, &[], true),
    )
    .await;
    problem(res, StatusCode::NOT_FOUND).await;

    // An editor applies: the applicant and the committee are told.
    let application = apply(
        &app,
        &event,
        &editor,
        &application_body(&structure, &[&project], true),
    )
    .await;
    let received = app.smtp.wait_for(&editor.email, "Candidature re", 1).await;
    assert!(received[0].text().contains("Entraide Doubs"));
    app.smtp
        .wait_for(&chair.email, "Nouvelle candidature", 1)
        .await;
    // Sent again, it changes the pending application: one per structure.
    let mut again = application_body(&structure, &[&project], false);
    again["message"] = json!("Nous avons précisé notre venue : deux personnes.");
    let (status, changed) = app
        .call(app.post(&applications, Some(&owner)).json(&again))
        .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(id(&changed), application);
    assert_eq!(changed["public_consent"], false);
    assert_eq!(changed["projects"][0]["id"], project.as_str());

    // Who reads it: the committee (with the applicant), the structure's members.
    let one = format!("{applications}/{application}");
    let (status, seen) = app.call(app.get(&one, Some(&chair))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(seen["applicant"]["id"], owner.id.as_str());
    let (status, seen) = app.call(app.get(&one, Some(&editor))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(seen.get("applicant").is_none());
    for who in [&rival, &stranger] {
        let res = app.get(&one, Some(who)).send().await.unwrap();
        problem(res, StatusCode::NOT_FOUND).await;
        let res = app.get(&applications, Some(who)).send().await.unwrap();
        problem(res, StatusCode::FORBIDDEN).await;
    }
    let res = app.get(&one, None).send().await.unwrap();
    problem(res, StatusCode::UNAUTHORIZED).await;
    // An application of another event is not found through this one.
    let elsewhere = published(&app, &chair, &moderator, "Autre édition").await;
    let res = app
        .get(
            &format!("/api/v1/events/{elsewhere}/applications/{application}"),
            Some(&chair),
        )
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
    let (_, list) = app.call(app.get(&applications, Some(&chair))).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, mine) = app
        .call(app.get("/api/v1/me/event-applications", Some(&editor)))
        .await;
    assert_eq!(mine[0]["id"], application.as_str());
    let (_, theirs) = app
        .call(app.get("/api/v1/me/event-applications", Some(&rival)))
        .await;
    assert_eq!(theirs, json!([]));

    // Declining needs a reason, which the applicant receives; then it is settled.
    let (status, p) = decide(
        &app,
        &event,
        &application,
        &chair,
        json!({"decision": "declined"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(pointers(&p), ["/reason"]);
    let (status, _) = decide(
        &app,
        &event,
        &application,
        &owner,
        json!({"decision": "accepted"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "applicants do not decide");
    let reason = "Cette édition porte sur l'emploi ; revenez à la prochaine.";
    let (status, decided) = decide(
        &app,
        &event,
        &application,
        &chair,
        json!({"decision": "declined", "reason": reason}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(decided["state"], "declined");
    let mail = app.smtp.wait_for(&owner.email, "candidature", 1).await;
    let decision_mail = mail
        .iter()
        .find(|m| m.subject().contains("cision"))
        .expect("the decision mail");
    assert!(decision_mail.text().contains("revenez à la prochaine"));
    let (status, _) = decide(
        &app,
        &event,
        &application,
        &chair,
        json!({"decision": "accepted"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let res = post(
        &app,
        &applications,
        &owner,
        &application_body(&structure, &[], true),
    )
    .await;
    problem(res, StatusCode::CONFLICT).await;
    let res = app
        .post(&format!("{one}/withdraw"), Some(&owner))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT).await;

    // Accepted, then withdrawn by its structure: the committee is told.
    let accepted = apply(
        &app,
        &event,
        &rival,
        &application_body(&other, &[&other_project], true),
    )
    .await;
    let (status, view) = decide(
        &app,
        &event,
        &accepted,
        &chair,
        json!({"decision": "accepted"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    app.smtp
        .wait_for(&rival.email, "Participation accept", 1)
        .await;
    let withdraw = format!("{applications}/{accepted}/withdraw");
    let res = app.post(&withdraw, Some(&chair)).send().await.unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let res = app.post(&withdraw, Some(&owner)).send().await.unwrap();
    problem(res, StatusCode::NOT_FOUND).await;
    let (status, view) = app.call(app.post(&withdraw, Some(&rival))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["state"], "withdrawn");
    app.smtp
        .wait_for(&chair.email, "Candidature retir", 1)
        .await;

    // The charter they signed stays the event's.
    let path = format!("/api/v1/events/{event}");
    let etag = app.etag(&path, &chair).await;
    let p = problem(
        app.patch(&path, Some(&chair))
            .header("If-Match", etag)
            .json(&json!({"charter_version": "2025"}))
            .send()
            .await
            .unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(pointers(&p), ["/charter_version"]);

    // Every step is in the audit trail.
    let (_, trail) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=event&subject_id={event}&limit=100"),
            Some(&moderator),
        ))
        .await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "event_application_created",
        "event_application_updated",
        "event_application_declined",
        "event_application_accepted",
        "event_application_withdrawn",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // Once applications close, none are taken.
    app.advance_days(31);
    let (stranger, moderator) = (app.relogin(&stranger).await, app.relogin(&moderator).await);
    let (third, _) = structure_with_project(&app, &stranger, &moderator, "Tardive").await;
    let res = post(
        &app,
        &applications,
        &stranger,
        &application_body(&third, &[], true),
    )
    .await;
    let p = problem(res, StatusCode::CONFLICT).await;
    assert!(p["detail"].as_str().unwrap().contains("applications"));
}

both_backends!(structures_apply_and_the_committee_decides);

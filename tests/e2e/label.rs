//! The label end to end: an incomplete application, a balanced panel, a conflict of
//! interest, reviews kept from each other and from the applicant, the rule's proposal, a
//! grant shown on listings and in search, expiry with a moved clock, a re-evaluation, and
//! a refusal with reasons.

use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures};
use agora_domain::PlatformRole;
use agora_domain::label::Seat;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub async fn committee(app: &TestApp, name: &str, seat: Seat) -> User {
    let user = app.with_role(name, PlatformRole::Committee).await;
    agora_service::label::set_seat(&app.ctx, &user.email, Some(seat))
        .await
        .unwrap();
    user
}

fn complete_application() -> Value {
    fixtures::label_application()
}

fn scores(n: u8) -> Value {
    fixtures::review(n)
}

async fn patch(app: &TestApp, id: &str, user: &User, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/label-applications/{id}");
    let etag = app.etag(&path, user).await;
    app.call(
        app.patch(&path, Some(user))
            .header("If-Match", etag)
            .json(&body),
    )
    .await
}

async fn post(app: &TestApp, path: &str, user: &User, body: Value) -> (StatusCode, Value) {
    app.call(app.post(path, Some(user)).json(&body)).await
}

/// Applies, submits and gets a balanced panel assigned; returns the application id.
pub async fn under_review(
    app: &TestApp,
    owner: &User,
    moderator: &User,
    structure: &str,
    panel: &[&User],
) -> String {
    let (status, created) = post(
        app,
        &format!("/api/v1/structures/{structure}/label-applications"),
        owner,
        complete_application(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, body) = app
        .call(app.post(
            &format!("/api/v1/label-applications/{id}/submit"),
            Some(owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ids: Vec<&str> = panel.iter().map(|u| u.id.as_str()).collect();
    let (status, body) = post(
        app,
        &format!("/api/v1/label-applications/{id}/assign"),
        moderator,
        json!({"reviewer_ids": ids}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

async fn the_whole_path(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let (status, charter) = app.call(app.get("/api/v1/label/charter", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(charter["version"], "2026-1");
    assert_eq!(charter["rubric"].as_array().unwrap().len(), 6);

    // A draft; one at a time.
    let create = format!("/api/v1/structures/{structure}/label-applications");
    let (status, draft) = post(
        &app,
        &create,
        &owner,
        json!({"category": "soutien-psychologique"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let id = draft["id"].as_str().unwrap().to_owned();
    let (status, _) = post(&app, &create, &owner, json!({})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "duplicate application (row 11)"
    );
    let stranger = app.user("stranger").await;
    let (status, _) = post(&app, &create, &stranger, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Incomplete: each missing piece named; the number must be the structure's own.
    let submit = format!("/api/v1/label-applications/{id}/submit");
    let (status, problem) = app.call(app.post(&submit, Some(&owner))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for piece in [
        "/governance",
        "/solution",
        "/contributors",
        "/charter",
        "/registration_number",
    ] {
        assert!(problem.to_string().contains(piece), "{piece}: {problem}");
    }
    let mut wrong = complete_application();
    wrong["registration_number"] = json!("W999999999");
    let (status, _) = patch(&app, &id, &owner, wrong).await;
    assert_eq!(status, StatusCode::OK);
    let (status, problem) = app.call(app.post(&submit, Some(&owner))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem.to_string().contains("mismatch"), "{problem}");
    let (status, _) = patch(
        &app,
        &id,
        &owner,
        json!({"registration_number": "W251000123"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, submitted) = app.call(app.post(&submit, Some(&owner))).await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["state"], "submitted");
    app.smtp
        .wait_for(&moderator.email, "Demande de label", 1)
        .await;

    // Moderators ask for a missing piece; the structure completes and resubmits.
    let (status, back) = post(
        &app,
        &format!("/api/v1/label-applications/{id}/request-pieces"),
        &moderator,
        json!({"missing": "Joignez le dernier rapport d'activité."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["state"], "incomplete");
    app.smtp
        .wait_for(&owner.email, "des pièces manquent", 1)
        .await;
    let (status, _) = patch(&app, &id, &owner, json!({"documents": [{"title": "Rapport d'activité 2025", "text": "Deux cents personnes accueillies."}]})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call(app.post(&submit, Some(&owner))).await;
    assert_eq!(status, StatusCode::OK);

    // The panel: seated, not members of the structure, balanced.
    let patient = committee(&app, "patiente", Seat::Patient).await;
    let caregiver = committee(&app, "aidant", Seat::Caregiver).await;
    let doctor = committee(&app, "oncologue", Seat::Professional).await;
    let nurse = committee(&app, "infirmiere", Seat::Professional).await;
    let insider = committee(&app, "adherent", Seat::Professional).await;
    app.join(&structure, &owner, &insider, "editor").await;
    let assign = format!("/api/v1/label-applications/{id}/assign");
    let (status, p) = post(
        &app,
        &assign,
        &moderator,
        json!({"reviewer_ids": [insider.id]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.to_string().contains("member of the applying structure"),
        "{p}"
    );
    let (status, p) = post(
        &app,
        &assign,
        &moderator,
        json!({"reviewer_ids": [patient.id, caregiver.id]}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no professional: {p}"
    );
    let (status, p) = post(
        &app,
        &assign,
        &moderator,
        json!({"reviewer_ids": [stranger.id]}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not on the committee: {p}"
    );
    let (status, assigned) = post(
        &app,
        &assign,
        &moderator,
        json!({"reviewer_ids": [patient.id, caregiver.id, doctor.id]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{assigned}");
    assert_eq!(assigned["state"], "in_review");
    app.smtp
        .wait_for(&doctor.email, "vous est confiée", 1)
        .await;

    // A conflict of interest withdraws the doctor; the nurse replaces them.
    let review = format!("/api/v1/label-applications/{id}/reviews");
    let (status, mine) = post(
        &app,
        &review,
        &doctor,
        json!({"conflict_of_interest": "J'ai présidé cette association jusqu'en 2024."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["state"], "withdrawn");
    app.smtp
        .wait_for(&moderator.email, "Conflit d'intérêts", 1)
        .await;
    let (status, _) = post(&app, &review, &doctor, scores(4)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a withdrawn reviewer is off the application"
    );
    let (status, _) = post(
        &app,
        &assign,
        &moderator,
        json!({"reviewer_ids": [nurse.id]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Who sees what (rows 1 and 5).
    let application = format!("/api/v1/label-applications/{id}");
    for outsider in [
        &stranger,
        &doctor,
        &committee(&app, "autre", Seat::Patient).await,
    ] {
        let (status, _) = app.call(app.get(&application, Some(outsider))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{}", outsider.email);
        let (status, _) = app.call(app.get(&review, Some(outsider))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, _) = app.call(app.get(&application, None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, r) = post(&app, &review, &patient, scores(3)).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    let (status, _) = post(&app, &review, &patient, scores(4)).await;
    assert_eq!(status, StatusCode::CONFLICT, "once");
    // The caregiver has not reviewed yet: only their own place, no one else's scores.
    let (_, seen) = app.call(app.get(&review, Some(&caregiver))).await;
    assert_eq!(seen.as_array().unwrap().len(), 1, "{seen}");
    assert!(seen[0]["scores"].is_null());
    let (_, own) = app.call(app.get(&application, Some(&caregiver))).await;
    assert!(
        own["reviews"].is_null() && own["proposal"].is_null(),
        "{own}"
    );
    let (status, _) = post(&app, &review, &caregiver, scores(3)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = app.call(app.get(&review, Some(&caregiver))).await;
    assert_eq!(
        seen.as_array().unwrap().len(),
        2,
        "now theirs and the patient's: {seen}"
    );
    assert!(
        !seen.to_string().contains(&patient.id) && !seen.to_string().contains("patiente"),
        "unnamed: {seen}"
    );

    let (_, m) = app.call(app.get(&application, Some(&moderator))).await;
    assert_eq!(m["proposal"]["outcome"], "wait", "{m}");
    assert!(
        m["reviews"].to_string().contains(&doctor.id),
        "moderators see the panel"
    );
    let (status, _) = post(&app, &review, &nurse, scores(3)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, m) = app.call(app.get(&application, Some(&moderator))).await;
    assert_eq!(m["proposal"]["outcome"], "grant", "{m}");
    assert_eq!(m["proposal"]["mean"], 3.0);

    // The applicant: the state, never the reviews nor who reviewed.
    let (_, a) = app.call(app.get(&application, Some(&owner))).await;
    let text = a.to_string();
    assert!(a["reviews"].is_null() && a["proposal"].is_null() && a["my_review"].is_null());
    for who in [&patient, &caregiver, &nurse, &doctor] {
        assert!(!text.contains(&who.id), "{text}");
    }
    let (status, _) = app.call(app.get(&review, Some(&owner))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Granted: on the structure, its listings and as a search filter.
    let decide = format!("/api/v1/label-applications/{id}/decide");
    let (status, granted) = post(
        &app,
        &decide,
        &moderator,
        json!({"decision": "granted", "reasons": "Gouvernance exemplaire."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["state"], "granted");
    let mail = app
        .smtp
        .wait_for(&owner.email, "Label Agora accordé", 1)
        .await;
    assert!(mail[0].text().contains("Gouvernance exemplaire."));
    assert!(
        !mail[0].data.contains(&patient.email),
        "no reviewer named to the applicant"
    );
    let (_, s) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), None))
        .await;
    assert_eq!(s["labelled"], true);
    let name = s["name"].as_str().unwrap().to_owned();
    app.eventually(
        "labelled=true&kind=structure",
        &[name.as_str()],
        std::time::Duration::from_secs(3),
    )
    .await;
    let (status, _) = post(&app, &create, &owner, json!({})).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a re-evaluation may start while the label holds"
    );

    // Reminders before expiry (once each), then expiry with a moved clock.
    app.advance_days(730 - 89);
    let r = app.sweep().await;
    assert_eq!(r.labels_reminded, 1, "{r:?}");
    assert_eq!(app.sweep().await.labels_reminded, 0, "once");
    app.smtp.wait_for(&owner.email, "expire le", 1).await;
    // (The structure keeps its own information confirmed meanwhile.)
    let owner = app.relogin(&owner).await;
    let (status, _) = app
        .call(app.post(
            &format!("/api/v1/structures/{structure}/confirm"),
            Some(&owner),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.advance_days(90);
    let r = app.sweep().await;
    assert_eq!(r.labels_expired, 1, "{r:?}");
    app.smtp.wait_for(&owner.email, "a expiré", 1).await;
    let (_, s) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), None))
        .await;
    assert_eq!(s["labelled"], false);
    app.eventually(
        "labelled=true&kind=structure",
        &[],
        std::time::Duration::from_secs(3),
    )
    .await;
}

async fn a_re_evaluation_and_a_refusal_with_reasons(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let panel = [
        committee(&app, "patient", Seat::Patient).await,
        committee(&app, "aidante", Seat::Caregiver).await,
        committee(&app, "medecin", Seat::Professional).await,
    ];
    let refs: Vec<&User> = panel.iter().collect();

    let first = under_review(&app, &owner, &moderator, &structure, &refs).await;
    for r in &panel {
        let (status, review) = post(
            &app,
            &format!("/api/v1/label-applications/{first}/reviews"),
            r,
            scores(4),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{review}");
    }
    let (status, _) = post(
        &app,
        &format!("/api/v1/label-applications/{first}/decide"),
        &moderator,
        json!({"decision": "granted"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Twenty-two months later the structure asks for a re-evaluation; the panel finds it
    // has weakened and the label is refused with reasons. The current label runs on.
    app.advance_days(670);
    let moderator = app.relogin(&moderator).await;
    let owner = app.relogin(&owner).await;
    let panel: Vec<User> = futures_relogin(&app, &panel).await;
    let refs: Vec<&User> = panel.iter().collect();
    let second = under_review(&app, &owner, &moderator, &structure, &refs).await;
    let (_, view) = app
        .call(app.get(
            &format!("/api/v1/label-applications/{second}"),
            Some(&owner),
        ))
        .await;
    assert_eq!(view["previous_id"], first.as_str());
    for r in &panel {
        let (status, review) = post(
            &app,
            &format!("/api/v1/label-applications/{second}/reviews"),
            r,
            scores(1),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{review}");
    }
    let (_, m) = app
        .call(app.get(
            &format!("/api/v1/label-applications/{second}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(m["proposal"]["outcome"], "refuse");
    let decide = format!("/api/v1/label-applications/{second}/decide");
    let (status, p) = post(&app, &decide, &moderator, json!({"decision": "refused"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reasons required: {p}"
    );
    let reasons = "Le comité de patients ne se réunit plus depuis 2027.";
    let (status, refused) = post(
        &app,
        &decide,
        &moderator,
        json!({"decision": "refused", "reasons": reasons}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{refused}");
    assert_eq!(refused["reasons"], reasons);
    let mail = app.smtp.wait_for(&owner.email, "décision", 1).await;
    assert!(mail[0].text().contains(reasons));
    let (_, s) = app
        .call(app.get(&format!("/api/v1/structures/{structure}"), None))
        .await;
    assert_eq!(s["labelled"], true, "the current label holds until it ends");

    // An incomplete application can be refused outright, with reasons.
    let (status, third) = post(
        &app,
        &format!("/api/v1/structures/{structure}/label-applications"),
        &owner,
        complete_application(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let third = third["id"].as_str().unwrap();
    app.call(app.post(
        &format!("/api/v1/label-applications/{third}/submit"),
        Some(&owner),
    ))
    .await;
    let (status, _) = post(
        &app,
        &format!("/api/v1/label-applications/{third}/decide"),
        &moderator,
        json!({"decision": "granted"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "no grant without review");
    let (status, r) = post(
        &app,
        &format!("/api/v1/label-applications/{third}/decide"),
        &moderator,
        json!({"decision": "refused", "reasons": "Dossier incomplet malgré nos relances."}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["state"], "refused");
}

async fn futures_relogin(app: &TestApp, users: &[User]) -> Vec<User> {
    let mut out = Vec::new();
    for u in users {
        out.push(app.relogin(u).await);
    }
    out
}

/// The rule holds: no label without `label.min_reviews` complete reviews, whoever decides;
/// a grant against the committee's proposal needs written reasons and is recorded as an
/// override.
async fn the_decision_rule_holds(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app.published_structure(&owner, &moderator).await;
    let panel = [
        committee(&app, "patient", Seat::Patient).await,
        committee(&app, "aidante", Seat::Caregiver).await,
        committee(&app, "medecin", Seat::Professional).await,
    ];
    let refs: Vec<&User> = panel.iter().collect();
    let id = under_review(&app, &owner, &moderator, &structure, &refs).await;
    let decide = format!("/api/v1/label-applications/{id}/decide");
    let review = format!("/api/v1/label-applications/{id}/reviews");
    let grant = |reasons: Option<&str>| {
        let mut body = json!({"decision": "granted"});
        if let Some(r) = reasons {
            body["reasons"] = json!(r);
        }
        body
    };
    // Nobody has written anything: no label, with or without reasons.
    for body in [grant(None), grant(Some("Structure connue de l'équipe."))] {
        let (status, p) = post(&app, &decide, &moderator, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{p}");
        assert!(
            p["detail"].as_str().unwrap().contains("3 complete reviews"),
            "{p}"
        );
    }
    // Two of three are not enough either.
    for r in &panel[..2] {
        let (status, body) = post(&app, &review, r, scores(1)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = post(&app, &decide, &moderator, grant(Some("Urgent."))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = post(&app, &review, &panel[2], scores(1)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The committee proposes a refusal: granting anyway needs reasons, and is an override.
    let (_, m) = app
        .call(app.get(
            &format!("/api/v1/label-applications/{id}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(m["proposal"]["outcome"], "refuse", "{m}");
    let (status, p) = post(&app, &decide, &moderator, grant(None)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["pointer"], "/reasons");
    let reasons =
        "Le comité a noté des critères déjà corrigés depuis la relecture (pièces jointes).";
    let (status, granted) = post(&app, &decide, &moderator, grant(Some(reasons))).await;
    assert_eq!(status, StatusCode::OK, "{granted}");
    assert_eq!(granted["state"], "granted");
    let (_, trail) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=structure&subject_id={structure}&limit=100"),
            Some(&moderator),
        ))
        .await;
    let entry = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "label_granted_against_proposal")
        .unwrap_or_else(|| panic!("an override in the trail: {trail}"));
    assert_eq!(entry["reason"], reasons);
    assert_eq!(entry["details"]["override"], true);
    assert_eq!(entry["details"]["proposal"], "refuse");
    assert_eq!(entry["details"]["complete_reviews"], 3);
}

both_backends!(
    the_decision_rule_holds,
    the_whole_path,
    a_re_evaluation_and_a_refusal_with_reasons
);

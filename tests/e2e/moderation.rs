//! The moderation queue: order and filters, duplicates beside each item, and the audit
//! trail of every decision.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn every_decision_is_in_the_audit_trail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap();
    let item = app.submit("structures", id, &owner).await;
    app.decide(
        &item,
        "request-changes",
        &moderator,
        Some("Précisez l'adresse."),
    )
    .await;
    let etag = app.etag(&format!("/api/v1/structures/{id}"), &owner).await;
    app.patch(&format!("/api/v1/structures/{id}"), Some(&owner))
        .header("If-Match", etag)
        .json(&json!({"summary": "Adresse précisée."}))
        .send()
        .await
        .unwrap();
    app.submit("structures", id, &owner).await;
    app.decide(&item, "approve", &moderator, None).await;

    let (status, audit) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_type=structure&subject_id={id}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "submitted",
            "changes_requested",
            "edited",
            "submitted",
            "approved"
        ]
    );
    let request = &audit["items"][2];
    assert_eq!(request["reason"], "Précisez l'adresse.");
    assert_eq!(request["actor"]["id"], moderator.id.as_str());
    assert_eq!(audit["items"][3]["details"]["changed"], json!(["/summary"]));
    assert!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["at"].is_string())
    );
    // The trail is for moderators.
    problem(
        app.get(&format!("/api/v1/audit?subject_id={id}"), Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    problem(
        app.get("/api/v1/audit", None).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
    )
    .await;
}

async fn likely_duplicates_are_shown(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first_owner = app.user("first").await;
    let second_owner = app.user("second").await;
    let moderator = app.moderator().await;
    let mut original = fixtures::structure();
    original["name"] = json!("Ligue contre le cancer – Doubs");
    original["siren"] = json!("999000441");
    let original_id = app
        .publish(
            "/api/v1/structures",
            "structures",
            &first_owner,
            &moderator,
            &original,
        )
        .await["id"]
        .clone();

    // Same SIREN (through a SIRET of the same company).
    let mut same_company = fixtures::structure();
    same_company["siret"] = json!("99900044100009");
    same_company["rna"] = Value::Null;
    same_company["address"] =
        json!({"postcode": "39000", "commune_code": "39300", "commune_name": "Lons-le-Saunier"});
    let by_siren = app
        .create("/api/v1/structures", &second_owner, &same_company)
        .await;
    let item = app
        .submit(
            "structures",
            by_siren["id"].as_str().unwrap(),
            &second_owner,
        )
        .await;
    let (_, detail) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{item}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(
        detail["duplicates"],
        json!([{
            "subject_type": "structure", "subject_id": original_id, "name": "Ligue contre le cancer – Doubs",
            "state": "approved", "reasons": ["same_siren"]
        }])
    );

    // Near-identical name in the same commune.
    let mut same_name = fixtures::structure();
    same_name["name"] = json!("LIGUE CONTRE LE CANCER DOUBS");
    same_name["rna"] = json!("W251999999");
    let by_name = app
        .create("/api/v1/structures", &second_owner, &same_name)
        .await;
    let item = app
        .submit("structures", by_name["id"].as_str().unwrap(), &second_owner)
        .await;
    let (_, detail) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{item}"),
            Some(&moderator),
        ))
        .await;
    let reasons: Vec<(Value, Value)> = detail["duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["subject_id"].clone(), d["reasons"].clone()))
        .collect();
    assert!(
        reasons.contains(&(original_id.clone(), json!(["similar_name_same_commune"]))),
        "{reasons:?}"
    );

    // A different structure elsewhere is not a duplicate.
    let mut other = fixtures::structure();
    other["name"] = json!("Entraide Cancer Bretagne");
    other["rna"] = json!("W353000123");
    other["address"] =
        json!({"postcode": "35000", "commune_code": "35238", "commune_name": "Rennes"});
    let unrelated = app
        .create("/api/v1/structures", &second_owner, &other)
        .await;
    let item = app
        .submit(
            "structures",
            unrelated["id"].as_str().unwrap(),
            &second_owner,
        )
        .await;
    let (_, detail) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{item}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(detail["duplicates"], json!([]));
    assert_eq!(
        detail["diff"].as_array().unwrap().len(),
        detail["content"].as_object().unwrap().len(),
        "a first submission differs in every field"
    );
}

async fn the_queue_is_oldest_first_and_filtered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let mut items = Vec::new();
    for _ in 0..3 {
        let s = app
            .create("/api/v1/structures", &owner, &fixtures::structure())
            .await;
        items.push(
            app.submit("structures", s["id"].as_str().unwrap(), &owner)
                .await,
        );
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let service = app
        .create(
            &format!("/api/v1/structures/{sid}/services"),
            &owner,
            &fixtures::service(),
        )
        .await;
    let service_item = app
        .submit("services", service["id"].as_str().unwrap(), &owner)
        .await;

    let (_, all) = app
        .call(app.get("/api/v1/moderation/queue", Some(&moderator)))
        .await;
    let ids: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [items[0].as_str(), &items[1], &items[2], &service_item]
    );
    let (_, services) = app
        .call(app.get("/api/v1/moderation/queue?kind=service", Some(&moderator)))
        .await;
    assert_eq!(services["items"].as_array().unwrap().len(), 1);
    assert_eq!(services["items"][0]["structure"]["id"], sid.as_str());
    let (_, page) = app
        .call(app.get("/api/v1/moderation/queue?limit=2", Some(&moderator)))
        .await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, rest) = app
        .call(app.get(
            &format!("/api/v1/moderation/queue?limit=2&cursor={cursor}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(rest["items"][0]["id"], items[2].as_str());
    app.decide(
        &items[0],
        "reject",
        &moderator,
        Some("Doublon d'une structure existante."),
    )
    .await;
    let (_, rejected) = app
        .call(app.get("/api/v1/moderation/queue?state=rejected", Some(&moderator)))
        .await;
    assert_eq!(rejected["items"][0]["id"], items[0].as_str());
    assert_eq!(
        rejected["items"][0]["reason"],
        "Doublon d'une structure existante."
    );
    let body = problem(
        app.get("/api/v1/moderation/queue?state=lost", Some(&moderator))
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(crate::common::pointers(&body), ["/state"]);
}

async fn two_moderators_cannot_both_decide(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let first = app.moderator().await;
    let second = app.moderator().await;
    let s = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let item = app
        .submit("structures", s["id"].as_str().unwrap(), &owner)
        .await;
    let (a, b) = tokio::join!(
        app.decide(&item, "approve", &first, None),
        app.decide(&item, "reject", &second, Some("Hors du champ du portail."))
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let (_, audit) = app
        .call(app.get(
            &format!("/api/v1/audit?subject_id={}", s["id"].as_str().unwrap()),
            Some(&first),
        ))
        .await;
    let decisions = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| ["approved", "rejected"].contains(&e["action"].as_str().unwrap()))
        .count();
    assert_eq!(decisions, 1);
}

/// In a commune with many listings, a near-identical name is still found: duplicates are
/// looked up by the words of names, not in the first few hundred rows of the commune.
async fn a_busy_commune_hides_no_duplicate(backend: Backend) {
    use agora_domain::names::name_key;
    use agora_domain::{Freshness, ListingKind, ListingStatus, RevisionState, SubjectType};
    use agora_store::listings::ListingRecord;
    use agora_store::revisions::RevisionRecord;
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    // Six hundred structures of Besançon, older than the one that matters.
    let now = chrono::Utc::now();
    let (mut listings, mut revisions) = (Vec::new(), Vec::new());
    for n in 0..600 {
        let (id, revision) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let name = format!("Groupe de parole numéro {n}");
        let mut content = fixtures::structure();
        content["name"] = json!(name);
        content["rna"] = Value::Null;
        revisions.push(RevisionRecord {
            id: revision,
            subject_type: SubjectType::Structure,
            subject_id: id,
            structure_id: id,
            number: 1,
            state: RevisionState::Approved,
            content,
            name_key: name_key(&name),
            name: name.clone(),
            commune_code: Some("25056".into()),
            rna: None,
            siren: None,
            siret: None,
            author_id: None,
            created_at: now,
            updated_at: now,
            submitted_at: Some(now),
            decided_at: Some(now),
            decided_by: None,
            reason: None,
        });
        listings.push(ListingRecord {
            kind: ListingKind::Structure,
            id,
            structure_id: id,
            status: ListingStatus::Published,
            name,
            working_revision_id: Some(revision),
            published_revision_id: Some(revision),
            lock_version: 1,
            created_by: None,
            created_at: now,
            updated_at: now,
            submitted_at: Some(now),
            published_at: Some(now),
            verified_at: Some(now),
            freshness: Freshness::Fresh,
            reminder_step: 0,
            labelled_until: None,
            anonymous: false,
        });
    }
    agora_store::listings::insert_many(&app.ctx.db, &listings)
        .await
        .unwrap();
    agora_store::revisions::insert_many(&app.ctx.db, &revisions)
        .await
        .unwrap();
    let mut original = fixtures::structure();
    original["name"] = json!("Rose Espoir Besançon");
    original["rna"] = json!("W251000111");
    let original_id = app
        .publish(
            "/api/v1/structures",
            "structures",
            &owner,
            &moderator,
            &original,
        )
        .await["id"]
        .clone();
    let mut again = fixtures::structure();
    again["name"] = json!("ROSE ESPOIR BESANCON");
    again["rna"] = json!("W251000222");
    let created = app.create("/api/v1/structures", &owner, &again).await;
    let item = app
        .submit("structures", created["id"].as_str().unwrap(), &owner)
        .await;
    let (_, detail) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{item}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(
        detail["duplicates"],
        json!([{
            "subject_type": "structure", "subject_id": original_id, "name": "Rose Espoir Besançon",
            "state": "approved", "reasons": ["similar_name_same_commune"]
        }])
    );
}

both_backends!(
    a_busy_commune_hides_no_duplicate,
    every_decision_is_in_the_audit_trail,
    likely_duplicates_are_shown,
    the_queue_is_oldest_first_and_filtered,
    two_moderators_cannot_both_decide,
);

//! Structures, services and projects from draft to publication, edits of published
//! listings, conditional updates, project life and members.

use crate::both_backends;
use crate::common::{Backend, TestApp, fixtures, pointers, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn create_submit_approve_then_public(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["status"], "draft");
    assert_eq!(created["review"]["state"], "draft");

    // Not public before approval.
    problem(
        app.get(&format!("/api/v1/structures/{id}"), None)
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let item = app.submit("structures", id, &owner).await;
    problem(
        app.get(&format!("/api/v1/structures/{id}"), None)
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let (_, queue) = app
        .call(app.get("/api/v1/moderation/queue", Some(&moderator)))
        .await;
    assert!(
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == item.as_str())
    );

    let (status, _) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, public) = app
        .call(app.get(&format!("/api/v1/structures/{id}"), None))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(public["status"], "published");
    assert!(
        public.get("review").is_none(),
        "the public does not see the review state"
    );
    assert!(public["verified_at"].is_string() && public["published_at"].is_string());
    let (_, list) = app.call(app.get("/api/v1/structures", None)).await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == id)
    );

    // Its services: draft until approved, then public under the structure.
    let service = app
        .create(
            &format!("/api/v1/structures/{id}/services"),
            &owner,
            &fixtures::service(),
        )
        .await;
    let sid = service["id"].as_str().unwrap();
    let (_, children) = app
        .call(app.get(&format!("/api/v1/structures/{id}/services"), None))
        .await;
    assert_eq!(children.as_array().unwrap().len(), 0);
    let item = app.submit("services", sid, &owner).await;
    app.decide(&item, "approve", &moderator, None).await;
    let (_, children) = app
        .call(app.get(&format!("/api/v1/structures/{id}/services"), None))
        .await;
    assert_eq!(children[0]["id"], sid);
    assert_eq!(children[0]["structure"]["id"], id);
}

async fn services_wait_for_their_structure(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let structure = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = structure["id"].as_str().unwrap();
    let service = app
        .create(
            &format!("/api/v1/structures/{id}/services"),
            &owner,
            &fixtures::service(),
        )
        .await;
    let sid = service["id"].as_str().unwrap();
    let res = app
        .post(&format!("/api/v1/services/{sid}/submit"), Some(&owner))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT).await;
    app.submit("structures", id, &owner).await;
    let item = app.submit("services", sid, &owner).await;
    let (status, body) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a service is not published before its structure: {body}"
    );
}

async fn reject_with_reason(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap();
    let item = app.submit("structures", id, &owner).await;
    let (status, body) = app.decide(&item, "reject", &moderator, None).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a rejection needs a reason: {body}"
    );
    assert_eq!(pointers(&body), ["/reason"]);
    let (status, _) = app
        .decide(
            &item,
            "reject",
            &moderator,
            Some("Ce n'est pas une structure d'accompagnement."),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, view) = app
        .call(app.get(&format!("/api/v1/structures/{id}"), Some(&owner)))
        .await;
    assert_eq!(view["status"], "rejected");
    assert_eq!(
        view["review"]["reason"],
        "Ce n'est pas une structure d'accompagnement."
    );
    problem(
        app.get(&format!("/api/v1/structures/{id}"), None)
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    // A decided item is not decided twice; resubmitting needs an edit.
    let (status, _) = app.decide(&item, "approve", &moderator, None).await;
    assert_eq!(status, StatusCode::CONFLICT);
    problem(
        app.post(&format!("/api/v1/structures/{id}/submit"), Some(&owner))
            .send()
            .await
            .unwrap(),
        StatusCode::CONFLICT,
    )
    .await;
}

async fn changes_requested_then_resubmitted(backend: Backend) {
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
        Some("Ajoutez une description de vos actions."),
    )
    .await;
    let res = app
        .get(&format!("/api/v1/structures/{id}"), Some(&owner))
        .send()
        .await
        .unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "changes_requested");
    assert_eq!(
        view["review"]["reason"],
        "Ajoutez une description de vos actions."
    );
    let (status, edited) = app
        .call(
            app.patch(&format!("/api/v1/structures/{id}"), Some(&owner))
                .header("If-Match", etag)
                .json(&json!({"description": "Groupes de parole et ateliers."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["review"]["state"], "changes_requested");
    let again = app.submit("structures", id, &owner).await;
    assert_eq!(again, item, "the same revision goes back to the queue");
    app.decide(&item, "approve", &moderator, None).await;
    let (_, public) = app
        .call(app.get(&format!("/api/v1/structures/{id}"), None))
        .await;
    assert_eq!(public["description"], "Groupes de parole et ateliers.");
}

async fn an_edit_of_a_published_listing_waits_for_approval(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let id = app.published_structure(&owner, &moderator).await;
    let path = format!("/api/v1/structures/{id}");
    let (_, before) = app.call(app.get(&path, None)).await;
    let original = before["name"].as_str().unwrap().to_owned();

    let etag = app.etag(&path, &owner).await;
    let (status, edited) = app
        .call(
            app.patch(&path, Some(&owner))
                .header("If-Match", etag)
                .json(&json!({"name": "Nouveau nom de l'association"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["status"], "published", "the listing stays published");
    assert_eq!(edited["review"]["state"], "draft");
    assert_eq!(edited["review"]["number"], 2);
    let (_, public) = app.call(app.get(&path, None)).await;
    assert_eq!(
        public["name"],
        original.as_str(),
        "the public still sees the published version"
    );

    let item = app.submit("structures", &id, &owner).await;
    let (_, public) = app.call(app.get(&path, None)).await;
    assert_eq!(
        public["name"],
        original.as_str(),
        "still, while the edit is reviewed"
    );
    let (_, detail) = app
        .call(app.get(
            &format!("/api/v1/moderation/items/{item}"),
            Some(&moderator),
        ))
        .await;
    assert_eq!(detail["is_edit_of_published"], true);
    assert_eq!(
        detail["diff"],
        json!([{"pointer": "/name", "before": original, "after": "Nouveau nom de l'association"}])
    );
    app.decide(&item, "approve", &moderator, None).await;
    let (_, public) = app.call(app.get(&path, None)).await;
    assert_eq!(public["name"], "Nouveau nom de l'association");
}

async fn conditional_requests(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let path = format!("/api/v1/structures/{}", created["id"].as_str().unwrap());
    let res = app.get(&path, Some(&owner)).send().await.unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");
    let res = app
        .get(&path, Some(&owner))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    let change = json!({"summary": "Résumé modifié."});
    problem(
        app.patch(&path, Some(&owner))
            .json(&change)
            .send()
            .await
            .unwrap(),
        StatusCode::PRECONDITION_REQUIRED,
    )
    .await;
    problem(
        app.patch(&path, Some(&owner))
            .header("If-Match", "\"stale\"")
            .json(&change)
            .send()
            .await
            .unwrap(),
        StatusCode::PRECONDITION_FAILED,
    )
    .await;
    let res = app
        .patch(&path, Some(&owner))
        .header("If-Match", &etag)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let new_etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(new_etag, etag);
    // The old ETag is now stale: a second writer with it is refused, nothing is lost.
    let res = app
        .patch(&path, Some(&owner))
        .header("If-Match", &etag)
        .json(&json!({"summary": "Écrasé ?"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::PRECONDITION_FAILED).await;
    let (_, now) = app.call(app.get(&path, Some(&owner))).await;
    assert_eq!(now["summary"], "Résumé modifié.");
    // `null` clears an optional field; required ones cannot be cleared.
    let (status, cleared) = app
        .call(
            app.patch(&path, Some(&owner))
                .header("If-Match", &new_etag)
                .json(&json!({"summary": null})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(cleared.get("summary").is_none());
    let etag = app.etag(&path, &owner).await;
    let body = problem(
        app.patch(&path, Some(&owner))
            .header("If-Match", &etag)
            .json(&json!({"name": null}))
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(pointers(&body), ["/name"]);
}

async fn project_life(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let sid = app.published_structure(&owner, &moderator).await;
    let project = app
        .publish(
            &format!("/api/v1/structures/{sid}/projects"),
            "projects",
            &owner,
            &moderator,
            &fixtures::project(),
        )
        .await;
    let pid = project["id"].as_str().unwrap();
    let act = |action: &str| app.post(&format!("/api/v1/projects/{pid}/{action}"), Some(&owner));
    problem(act("resume").send().await.unwrap(), StatusCode::CONFLICT).await;
    let (status, paused) = app.call(act("pause")).await;
    assert_eq!(
        (status, paused["status"].as_str()),
        (StatusCode::OK, Some("paused"))
    );
    let (_, public) = app
        .call(app.get(&format!("/api/v1/projects/{pid}"), None))
        .await;
    assert_eq!(public["status"], "paused", "a paused project stays visible");
    assert_eq!(app.call(act("resume")).await.1["status"], "published");

    // Progress updates are moderated.
    let (status, update) = app
        .call(
            app.post(&format!("/api/v1/projects/{pid}/updates"), Some(&owner))
                .json(&json!({"body": "Dix témoignages enregistrés."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(update["status"], "pending");
    let (_, public_updates) = app
        .call(app.get(&format!("/api/v1/projects/{pid}/updates"), None))
        .await;
    assert_eq!(public_updates, json!([]));
    let (_, queue) = app
        .call(app.get(
            "/api/v1/moderation/queue?kind=project_update",
            Some(&moderator),
        ))
        .await;
    let item = queue["items"][0]["id"].as_str().unwrap().to_owned();
    app.decide(&item, "approve", &moderator, None).await;
    let (_, public_updates) = app
        .call(app.get(&format!("/api/v1/projects/{pid}/updates"), None))
        .await;
    assert_eq!(public_updates[0]["body"], "Dix témoignages enregistrés.");

    assert_eq!(app.call(act("complete")).await.1["status"], "completed");
    assert_eq!(app.call(act("archive")).await.1["status"], "archived");
    problem(
        app.get(&format!("/api/v1/projects/{pid}"), None)
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
}

async fn members_are_managed_by_owners(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let editor = app.user("editor").await;
    let created = app
        .create("/api/v1/structures", &owner, &fixtures::structure())
        .await;
    let id = created["id"].as_str().unwrap();
    let members = format!("/api/v1/structures/{id}/members");
    let invitations = format!("/api/v1/structures/{id}/invitations");
    app.join(id, &owner, &editor, "editor").await;
    let (_, list) = app.call(app.get(&members, Some(&owner))).await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    problem(
        app.post(&invitations, Some(&owner))
            .json(&json!({"email": editor.email, "role": "editor"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CONFLICT,
    )
    .await;
    // The editor edits and reads the draft, but does not manage members.
    let (status, _) = app
        .call(app.get(&format!("/api/v1/structures/{id}"), Some(&editor)))
        .await;
    assert_eq!(status, StatusCode::OK);
    problem(
        app.post(&invitations, Some(&editor))
            .json(&json!({"email": "quelqu-un@test.example.org", "role": "editor"}))
            .send()
            .await
            .unwrap(),
        StatusCode::FORBIDDEN,
    )
    .await;
    // The last owner cannot leave; an editor can.
    let res = app
        .request(
            reqwest::Method::DELETE,
            &format!("{members}/{}", owner.id),
            Some(&owner),
        )
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::CONFLICT).await;
    // An editor does not remove someone else.
    let res = app
        .request(
            reqwest::Method::DELETE,
            &format!("{members}/{}", owner.id),
            Some(&editor),
        )
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let res = app
        .request(
            reqwest::Method::DELETE,
            &format!("{members}/{}", editor.id),
            Some(&editor),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    problem(
        app.get(&format!("/api/v1/structures/{id}"), Some(&editor))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
    )
    .await;
    let (_, me) = app.call(app.get("/api/v1/me", Some(&owner))).await;
    assert_eq!(me["memberships"][0]["structure"]["id"], id);
    assert_eq!(me["memberships"][0]["role"], "owner");
}

async fn pagination_is_stable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let moderator = app.moderator().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(app.published_structure(&owner, &moderator).await);
    }
    let mut seen = Vec::new();
    let mut next = Some("/api/v1/structures?limit=2".to_owned());
    while let Some(path) = next {
        let res = app.get(&path, None).send().await.unwrap();
        let link = res
            .headers()
            .get("link")
            .map(|v| v.to_str().unwrap().to_owned());
        let page: Value = res.json().await.unwrap();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_owned()),
        );
        // A listing published meanwhile does not shift or repeat anything.
        if seen.len() == 2 {
            ids.push(app.published_structure(&owner, &moderator).await);
        }
        next = page["next_cursor"]
            .as_str()
            .map(|c| format!("/api/v1/structures?limit=2&cursor={c}"));
        assert_eq!(
            link.is_some(),
            next.is_some(),
            "Link header when more pages follow"
        );
    }
    assert_eq!(seen, ids);
    let (_, capped) = app
        .call(app.get("/api/v1/structures?limit=1000000", None))
        .await;
    assert_eq!(capped["items"].as_array().unwrap().len(), 6);
    let body = problem(
        app.get("/api/v1/structures?cursor=garbage", None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(pointers(&body), ["/cursor"]);
    let body = problem(
        app.get("/api/v1/structures?limit=ten", None)
            .send()
            .await
            .unwrap(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(pointers(&body), ["/limit"]);
}

both_backends!(
    create_submit_approve_then_public,
    services_wait_for_their_structure,
    reject_with_reason,
    changes_requested_then_resubmitted,
    an_edit_of_a_published_listing_waits_for_approval,
    conditional_requests,
    project_life,
    members_are_managed_by_owners,
    pagination_is_stable,
);

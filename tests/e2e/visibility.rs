//! Nobody reads what they are not entitled to: other users' drafts (security row 1),
//! confidential and private sections, and the structure behind an anonymous project
//! (row 3), whichever route they try.

use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures, problem};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const OWNER_CANARY: &str = "Canari Structure Anonyme 7f3a";
const CONFIDENTIAL_CANARY: &str = "canari-confidentiel-91c2";
const PRIVATE_CANARY: &str = "canari-prive@asso.example.org";

async fn other_users_drafts_stay_hidden(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let alice = app.user("alice").await;
    let bob = app.user("bob").await;
    let moderator = app.moderator().await;
    let published = app.published_structure(&alice, &moderator).await;
    let draft = app
        .create("/api/v1/structures", &alice, &fixtures::structure())
        .await;
    let draft_id = draft["id"].as_str().unwrap().to_owned();
    let draft_service = app
        .create(
            &format!("/api/v1/structures/{published}/services"),
            &alice,
            &fixtures::service(),
        )
        .await;
    let service_id = draft_service["id"].as_str().unwrap().to_owned();
    let before = app
        .call(app.get(&format!("/api/v1/structures/{draft_id}"), Some(&alice)))
        .await
        .1;

    for reader in [None, Some(&bob)] {
        for path in [
            format!("/api/v1/structures/{draft_id}"),
            format!("/api/v1/services/{service_id}"),
        ] {
            problem(
                app.get(&path, reader).send().await.unwrap(),
                StatusCode::NOT_FOUND,
            )
            .await;
        }
        let (_, services) = app
            .call(app.get(&format!("/api/v1/structures/{published}/services"), reader))
            .await;
        assert_eq!(services, json!([]), "a draft service is not listed");
        problem(
            app.get(&format!("/api/v1/structures/{draft_id}/members"), reader)
                .send()
                .await
                .unwrap(),
            if reader.is_some() {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::UNAUTHORIZED
            },
        )
        .await;
        let (_, list) = app
            .call(app.get("/api/v1/structures?limit=100", reader))
            .await;
        assert!(!list.to_string().contains(&draft_id));
    }
    // Writes: anonymous is asked to sign in; Bob may not even learn the draft exists.
    let etag = "\"anything\"";
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/api/v1/structures/{draft_id}"),
            json!({"name": "Pris par Bob"}),
        ),
        (
            Method::POST,
            format!("/api/v1/structures/{draft_id}/submit"),
            Value::Null,
        ),
        (
            Method::PATCH,
            format!("/api/v1/services/{service_id}"),
            json!({"name": "Pris par Bob"}),
        ),
        (
            Method::POST,
            format!("/api/v1/structures/{draft_id}/services"),
            fixtures::service(),
        ),
        (
            Method::POST,
            format!("/api/v1/structures/{draft_id}/invitations"),
            json!({"email": bob.email, "role": "owner"}),
        ),
    ] {
        let anonymous = app
            .request(method.clone(), &path, None)
            .header("If-Match", etag)
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(anonymous, StatusCode::UNAUTHORIZED).await;
        let as_bob = app
            .request(method, &path, Some(&bob))
            .header("If-Match", etag)
            .json(&body)
            .send()
            .await
            .unwrap();
        problem(as_bob, StatusCode::NOT_FOUND).await;
    }
    // On a published structure Bob is told he may not, and nothing changes.
    let etag = app
        .etag(&format!("/api/v1/structures/{published}"), &bob)
        .await;
    let res = app
        .patch(&format!("/api/v1/structures/{published}"), Some(&bob))
        .header("If-Match", etag)
        .json(&json!({"name": "Pris par Bob"}))
        .send()
        .await
        .unwrap();
    problem(res, StatusCode::FORBIDDEN).await;
    let after = app
        .call(app.get(&format!("/api/v1/structures/{draft_id}"), Some(&alice)))
        .await
        .1;
    assert_eq!(before, after, "Alice's draft is unchanged");
    let (_, me) = app.call(app.get("/api/v1/me", Some(&bob))).await;
    assert_eq!(me["memberships"], json!([]));
}

/// Every response body a non-entitled reader can obtain about these listings.
async fn everything_readable(
    app: &TestApp,
    reader: Option<&User>,
    structure: &str,
    project: &str,
) -> String {
    let mut bodies = String::new();
    for path in [
        format!("/api/v1/projects/{project}"),
        format!("/api/v1/projects/{project}/updates"),
        "/api/v1/projects?limit=100".to_owned(),
        format!("/api/v1/structures/{structure}"),
        format!("/api/v1/structures/{structure}/projects"),
        format!("/api/v1/structures/{structure}/members"),
        "/api/v1/structures?limit=100".to_owned(),
        format!("/api/v1/projects/{project}/submit"),
        format!("/api/v1/projects/{}", uuid::Uuid::new_v4()),
    ] {
        let res = app.get(&path, reader).send().await.unwrap();
        bodies.push_str(&res.text().await.unwrap());
    }
    let res = app
        .patch(&format!("/api/v1/projects/{project}"), reader)
        .header("If-Match", "\"x\"")
        .json(&json!({"title": "x"}))
        .send()
        .await
        .unwrap();
    bodies.push_str(&res.text().await.unwrap());
    bodies
}

async fn confidential_sections_and_anonymous_owners_never_leak(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = app.user("owner").await;
    let outsider = app.user("outsider").await;
    let moderator = app.moderator().await;
    let mut structure = fixtures::structure();
    structure["name"] = json!(OWNER_CANARY);
    structure["contact"] = json!({"email": PRIVATE_CANARY});
    structure["visibility"] = json!({"contact": "private"});
    let sid = app
        .publish(
            "/api/v1/structures",
            "structures",
            &owner,
            &moderator,
            &structure,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let project = fixtures::project_with_secrets(CONFIDENTIAL_CANARY, PRIVATE_CANARY);
    let pid = app
        .publish(
            &format!("/api/v1/structures/{sid}/projects"),
            "projects",
            &owner,
            &moderator,
            &project,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The public and other users: no owner, no confidential or private section, anywhere.
    for reader in [None, Some(&outsider)] {
        let bodies = everything_readable(&app, reader, &sid, &pid).await;
        assert!(
            !bodies.contains(CONFIDENTIAL_CANARY),
            "confidential section leaked"
        );
        assert!(!bodies.contains(PRIVATE_CANARY), "private contact leaked");
        // The structure itself is public; what must never appear is the link to the project.
        let (status, project) = app
            .call(app.get(&format!("/api/v1/projects/{pid}"), reader))
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(project["anonymous"], true);
        let text = project.to_string();
        assert!(
            !text.contains(OWNER_CANARY) && !text.contains(&sid),
            "the anonymous project names its owner: {text}"
        );
        let (_, list) = app
            .call(app.get("/api/v1/projects?limit=100", reader))
            .await;
        let listed = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == pid.as_str())
            .unwrap()
            .to_string();
        assert!(
            !listed.contains(OWNER_CANARY) && !listed.contains(&sid),
            "{listed}"
        );
        let (_, children) = app
            .call(app.get(&format!("/api/v1/structures/{sid}/projects"), reader))
            .await;
        assert!(
            !children.to_string().contains(&pid),
            "the structure's project list reveals the anonymous project"
        );
    }
    // Members see private sections but not confidential ones; moderators see everything.
    let (_, as_member) = app
        .call(app.get(&format!("/api/v1/projects/{pid}"), Some(&owner)))
        .await;
    assert_eq!(as_member["structure"]["id"], sid.as_str());
    assert!(as_member.to_string().contains(PRIVATE_CANARY));
    assert!(!as_member.to_string().contains(CONFIDENTIAL_CANARY));
    assert_eq!(as_member["hidden_sections"], json!(["description"]));
    let (_, as_moderator) = app
        .call(app.get(&format!("/api/v1/projects/{pid}"), Some(&moderator)))
        .await;
    assert!(as_moderator.to_string().contains(CONFIDENTIAL_CANARY));
    // A member's edit that leaves the hidden section out keeps it.
    let etag = app.etag(&format!("/api/v1/projects/{pid}"), &owner).await;
    app.patch(&format!("/api/v1/projects/{pid}"), Some(&owner))
        .header("If-Match", etag)
        .json(&json!({"summary": "Nouveau résumé."}))
        .send()
        .await
        .unwrap();
    let (_, item_list) = app
        .call(app.get("/api/v1/moderation/queue", Some(&moderator)))
        .await;
    assert_eq!(
        item_list["items"].as_array().unwrap().len(),
        0,
        "not submitted yet"
    );
    let (_, as_moderator) = app
        .call(app.get(&format!("/api/v1/projects/{pid}"), Some(&moderator)))
        .await;
    assert!(
        as_moderator.to_string().contains(CONFIDENTIAL_CANARY),
        "the confidential section survived the edit"
    );
}

both_backends!(
    other_users_drafts_stay_hidden,
    confidential_sections_and_anonymous_owners_never_leak
);

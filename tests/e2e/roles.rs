//! The role matrix (security row 5): every operation of the route table, called by every
//! kind of caller. Each operation declares who may call it (`x-access`); every forbidden
//! cell must answer 401 (anonymous) or 403/404 (signed in), and no cell may answer 5xx.

use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures};
use agora_domain::PlatformRole;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ROLES: [&str; 7] = [
    "anonymous",
    "user",
    "member",
    "owner",
    "moderator",
    "committee",
    "admin",
];

/// Whether `role` may call an operation declared with `access`.
fn allowed(access: &str, role: &str) -> bool {
    match access {
        "public" => true,
        "user" => role != "anonymous",
        "member" => matches!(role, "member" | "owner"),
        "member_or_moderator" => matches!(role, "member" | "owner" | "moderator" | "admin"),
        "owner" => role == "owner",
        "moderator" => matches!(role, "moderator" | "admin"),
        other => panic!("unknown x-access `{other}`"),
    }
}

struct World {
    structure: String,
    service: String,
    project: String,
    item: String,
    spare_member: String,
    newcomer_email: String,
}

async fn world(app: &TestApp, owner: &User, editor: &User, moderator: &User) -> World {
    let structure = app.published_structure(owner, moderator).await;
    let members = format!("/api/v1/structures/{structure}/members");
    let spare = app.user("spare").await;
    for (who, role) in [(editor, "editor"), (&spare, "editor")] {
        let (status, _) = app
            .call(
                app.post(&members, Some(owner))
                    .json(&json!({"email": who.email, "role": role})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let service = app
        .publish(
            &format!("/api/v1/structures/{structure}/services"),
            "services",
            owner,
            moderator,
            &fixtures::service(),
        )
        .await;
    let project = app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            owner,
            moderator,
            &fixtures::project(),
        )
        .await;
    let pending = app
        .create("/api/v1/structures", owner, &fixtures::structure())
        .await;
    let item = app
        .submit("structures", pending["id"].as_str().unwrap(), owner)
        .await;
    World {
        structure,
        service: service["id"].as_str().unwrap().into(),
        project: project["id"].as_str().unwrap().into(),
        item,
        spare_member: spare.id,
        newcomer_email: app.user("newcomer").await.email,
    }
}

fn concrete_path(template: &str, w: &World) -> String {
    let id = if template.starts_with("/api/v1/structures/") {
        &w.structure
    } else if template.starts_with("/api/v1/services/") {
        &w.service
    } else if template.starts_with("/api/v1/projects/") {
        &w.project
    } else {
        &w.item
    };
    template
        .replace("{id}", id)
        .replace("{user_id}", &w.spare_member)
}

fn body_for(operation_id: &str, w: &World) -> Option<Value> {
    Some(match operation_id {
        "register" => {
            json!({"email": format!("{}@test.example.org", crate::common::unique("r")), "password": crate::common::PASSWORD, "display_name": "R"})
        }
        "login" => json!({"email": "nobody@test.example.org", "password": "not the password"}),
        "refresh" => json!({"refresh_token": "not-a-token"}),
        "change_password" => {
            json!({"current_password": "not the password", "new_password": "a brand new password"})
        }
        "create_structure" => fixtures::structure(),
        "create_service" => fixtures::service(),
        "create_project" => fixtures::project(),
        "patch_structure" | "patch_service" | "patch_project" => json!({"summary": "Résumé revu."}),
        "add_member" => json!({"email": w.newcomer_email, "role": "editor"}),
        "add_update" | "add_success_story" => json!({"body": "Point d'étape."}),
        "report" => {
            json!({"subject_type": "service", "subject_id": w.service, "reason": "wrong_hours"})
        }
        "resolve_report" => json!({"resolution": "Vérifié avec la structure."}),
        "create_label_application" | "patch_label_application" => json!({}),
        "request_pieces" => json!({"missing": "Le rapport d'activité."}),
        "assign_reviewers" => json!({"reviewer_ids": [w.spare_member]}),
        "post_review" => json!({"conflict_of_interest": "Ancienne adhérente."}),
        "decide_label" => json!({"decision": "refused", "reasons": "Dossier incomplet."}),
        "offer_help" => {
            json!({"message": "Je peux aider à la communication.", "skills": [], "wants": "details", "contact": {"email": "aide@test.example.org"}})
        }
        "put_contributor_profile" => json!({"skills": [], "contact_channel": "email"}),
        "decline_offer" => json!({"reason": "Hors du champ du projet."}),
        "close_offer" => json!({"outcome": "successful"}),
        "reject" | "request_changes" => json!({"reason": "Motif de test."}),
        _ => return None,
    })
}

/// Sessions end last, and destructive calls after the others, so that one cell does not
/// change what the next one tests.
fn order(path: &str, method: &str) -> u8 {
    match (path, method) {
        ("/api/v1/me", "delete") => 4,
        ("/api/v1/auth/logout", _) => 3,
        (_, "delete") => 2,
        (p, _) if p.ends_with("/archive") || p.ends_with("/complete") => 1,
        _ => 0,
    }
}

async fn every_route_for_every_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let document = serde_json::to_value(agora_api::openapi()).unwrap();
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let access = op["x-access"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} declares no x-access"));
            operations.push((
                order(path, method),
                path.clone(),
                method.clone(),
                op["operationId"].as_str().unwrap().to_owned(),
                access.to_owned(),
            ));
        }
    }
    operations.sort();
    assert!(
        operations.len() >= 40,
        "the route table shrank: {}",
        operations.len()
    );

    let mut cells = 0;
    for role in ROLES {
        let owner = app.user("owner").await;
        let editor = app.user("editor").await;
        let moderator = app.moderator().await;
        let w = world(&app, &owner, &editor, &moderator).await;
        let caller = match role {
            "anonymous" => None,
            "user" => Some(app.user("user").await),
            "member" => Some(editor.clone()),
            "owner" => Some(owner.clone()),
            "moderator" => Some(moderator.clone()),
            "committee" => Some(app.with_role("committee", PlatformRole::Committee).await),
            "admin" => Some(app.with_role("admin", PlatformRole::Admin).await),
            _ => unreachable!(),
        };
        for (rank, template, method, operation_id, access) in &operations {
            let path = concrete_path(template, &w);
            // Sign-out and erasure each end a session: give each a session of its own.
            let caller = match &caller {
                Some(u) if *rank >= 3 => Some(
                    app.login(&u.email, crate::common::PASSWORD, u.id.clone())
                        .await,
                ),
                other => other.clone(),
            };
            let mut rb = app.request(
                Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                &path,
                caller.as_ref(),
            );
            if method == "patch" {
                rb = rb.header("If-Match", "*");
            }
            if let Some(body) = body_for(operation_id, &w) {
                rb = rb.json(&body);
            }
            let status = rb.send().await.unwrap().status();
            cells += 1;
            assert!(
                !status.is_server_error(),
                "{role} {method} {path}: {status}"
            );
            if allowed(access, role) {
                // Public routes may refuse on their own terms (wrong credentials are a 401).
                if access != "public" {
                    assert!(
                        status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                        "{role} may call {method} {template} ({access}) but got {status}"
                    );
                }
            } else if role == "anonymous" {
                assert_eq!(
                    status,
                    StatusCode::UNAUTHORIZED,
                    "anonymous {method} {template} ({access})"
                );
            } else {
                assert!(
                    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                    "{role} must not call {method} {template} ({access}) but got {status}"
                );
            }
        }
    }
    assert_eq!(cells, operations.len() * ROLES.len());
}

both_backends!(every_route_for_every_role);

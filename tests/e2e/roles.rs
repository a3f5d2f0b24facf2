//! The role matrix (security rows 5 and 1): every operation of the route table, called by
//! every kind of caller, in a world where each operation has something to act on. Each
//! operation declares who may call it (`x-access`):
//!
//! - a caller who may not gets 401 (anonymous) or 403/404 (signed in), first with an
//!   invalid body (authorisation comes before validation: the body must not be judged),
//!   then with a valid one;
//! - a caller who may gets the operation's success (2xx), except where the world makes a
//!   rule of the product refuse it, listed in [`refused_by_a_rule`] with the reason.

use crate::both_backends;
use crate::common::world::{self, World, committee};
use crate::common::{Backend, PASSWORD, TestApp, User, fixtures, unique};
use agora_domain::PlatformRole;
use agora_domain::label::Seat;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const ROLES: [&str; 8] = [
    "anonymous",
    "user",
    "member",
    "owner",
    "moderator",
    "committee",
    "admin",
    "partner",
];

/// The password `change_password` sets, which the caller's later sessions use.
const NEW_PASSWORD: &str = "another long enough password";

/// Whether `role` may call an operation declared with `access`, in this world (the
/// committee member is the assigned reviewer; each signed-in caller has been invited).
fn allowed(access: &str, role: &str) -> bool {
    let signed_in = !matches!(role, "anonymous" | "partner");
    match access {
        "public" => true,
        a if a.starts_with("partner:") => role == "partner",
        "partner_itself_or_admin" => matches!(role, "partner" | "admin"),
        "admin" => role == "admin",
        "user" | "invitee" => signed_in,
        "member" | "offer_owner" => matches!(role, "member" | "owner"),
        "member_or_moderator" | "offer_party" => {
            matches!(role, "member" | "owner" | "moderator" | "admin")
        }
        "owner" | "owner_or_self" => role == "owner",
        "moderator" => matches!(role, "moderator" | "admin"),
        "reviewer" => role == "committee",
        "reviewer_or_moderator" => matches!(role, "committee" | "moderator" | "admin"),
        "label_party" => matches!(
            role,
            "member" | "owner" | "moderator" | "admin" | "committee"
        ),
        "event_organiser" => matches!(
            role,
            "member" | "owner" | "moderator" | "committee" | "admin"
        ),
        "structure_member" | "event_applicant" => matches!(role, "member" | "owner"),
        // The committee member chairs the world's events.
        "event_committee" | "event_chair" => role == "committee",
        // The world's structure (owner and editor) takes part in its speed-meeting events.
        "event_participant" => matches!(role, "member" | "owner"),
        // Another organiser invited every signed-in caller to their committee.
        "event_invitee" => signed_in,
        "event_application_party" => matches!(
            role,
            "member" | "owner" | "committee" | "moderator" | "admin"
        ),
        other => panic!("unknown x-access `{other}`"),
    }
}

/// Allowed cells that a rule of the product refuses in this world, and why.
fn refused_by_a_rule(operation_id: &str, role: &str) -> Option<(StatusCode, &'static str)> {
    match (operation_id, role) {
        ("offer_help", "member" | "owner") => Some((
            StatusCode::CONFLICT,
            "nobody offers help to their own project",
        )),
        ("erase", "owner") => Some((
            StatusCode::CONFLICT,
            "the last owner of a structure with other members hands over first",
        )),
        ("evaluate_service", "member" | "owner") => Some((
            StatusCode::FORBIDDEN,
            "the structure's members cannot evaluate its services",
        )),
        ("delete_evaluation_response", "moderator" | "admin") => Some((
            StatusCode::NOT_FOUND,
            "in their world nobody of the structure wrote an answer to remove",
        )),
        _ => None,
    }
}

fn body_for(operation_id: &str, w: &World, reviewers: (&User, &User)) -> Option<Value> {
    Some(match operation_id {
        "register" => {
            json!({"email": format!("{}@test.example.org", unique("r")), "password": PASSWORD, "display_name": "R"})
        }
        "login" => json!({"email": "nobody@test.example.org", "password": "not the password"}),
        "refresh" => json!({"refresh_token": "not-a-token"}),
        "verify_email" | "confirm_by_link" => json!({"token": "not-a-token"}),
        "new_password" => json!({"token": "not-a-token", "new_password": NEW_PASSWORD}),
        "request_password_reset" => json!({"email": "nobody@test.example.org"}),
        "change_password" => json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
        "erase" => json!({"current_password": NEW_PASSWORD}),
        "create_structure" => fixtures::structure(),
        "create_service" => fixtures::service(),
        "create_project" => fixtures::project(),
        "patch_structure" | "patch_service" | "patch_project" => json!({"summary": "Résumé revu."}),
        "invite" => json!({"email": w.newcomer_email, "role": "editor"}),
        "add_update" | "add_success_story" => json!({"body": "Point d'étape."}),
        "report" => {
            json!({"subject_type": "service", "subject_id": w.ids["@service"], "reason": "wrong_hours"})
        }
        "resolve_report" => json!({"resolution": format!("Vérifié ({}).", w.report)}),
        "create_label_application" => fixtures::label_application(),
        "patch_label_application" => json!({"contributors": "Quinze bénévoles formés."}),
        "request_pieces" => json!({"missing": "Le rapport d'activité."}),
        "assign_reviewers" => json!({"reviewer_ids": [reviewers.0.id, reviewers.1.id]}),
        "post_review" => fixtures::review(3),
        "decide_label" => json!({"decision": "refused", "reasons": "Dossier incomplet."}),
        "offer_help" => fixtures::help_offer("aide@test.example.org"),
        "put_contributor_profile" => fixtures::contributor_profile(),
        "decline_offer" => json!({"reason": "Hors du champ du projet."}),
        "forward_offer" => json!({"note": "Profil sérieux."}),
        "close_offer" => json!({"outcome": "successful"}),
        "approve" => json!({}),
        "create_webhook" => json!({"url": "http://127.0.0.1:9/hook", "events": ["published"]}),
        "reject" | "request_changes" => json!({"reason": "Motif de test."}),
        "evaluate_service" => json!({"contact_correct": true, "would_recommend": true}),
        "put_evaluation_response" => json!({"body": "Merci pour vos retours."}),
        "put_meeting_preferences" => json!({"wishes": [w.ids["@pin_second"]]}),
        "add_meeting_constraint" => {
            json!({"first": w.ids["@pin_first"], "second": w.ids["@pin_second"], "kind": "pin"})
        }
        "follow_up_meeting" => json!({"follow_up": true}),
        "answer_meeting_feedback" => {
            json!({"collaboration": true, "project": false, "help_offer": false})
        }
        "create_event" => world::event_body("Nouvel événement"),
        "patch_event" => json!({"summary": "Une journée pour se rencontrer, revue."}),
        "decide_event" => json!({"decision": "publish"}),
        "invite_to_committee" => json!({"email": w.newcomer_email}),
        "apply_to_event" => json!({
            "structure_id": w.ids["@structure"],
            "message": "Nous venons présenter nos ateliers.",
            "charter_version": "2024"
        }),
        "decide_event_application" => json!({"decision": "accepted"}),
        _ => return None,
    })
}

/// What the document says an operation's body is, broken: wrong types and a field of no
/// schema, or (for operations without a body) a body anyway.
fn invalid_body() -> Value {
    json!({"reason": 42, "email": ["not", "text"], "status": "published", "no_such_field": {"x": [1]}})
}

/// Sessions end last, and destructive calls after the others, so that one cell does not
/// change what the next one tests.
fn order(path: &str, method: &str) -> u8 {
    match (path, method) {
        ("/api/v1/me", "delete") => 4,
        ("/api/v1/auth/logout" | "/api/v1/auth/password", _) => 3,
        (_, "delete") => 2,
        (p, _) if p.ends_with("/archive") || p.ends_with("/complete") => 1,
        _ => 0,
    }
}

async fn every_route_for_every_role(backend: Backend) {
    // The partner's webhooks point at a local address nothing listens on.
    let app = TestApp::spawn_with(backend, |c| {
        c.partners.webhook_allow_networks = vec!["127.0.0.1/32".into()]
    })
    .await;
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
        operations.len() >= 60,
        "the route table shrank: {}",
        operations.len()
    );

    let mut cells = 0;
    let mut succeeded = 0;
    for role in ROLES {
        let owner = app.user("owner").await;
        let editor = app.user("editor").await;
        let moderator = app.moderator().await;
        let reviewers = (
            committee(&app, "patiente", Seat::Patient).await,
            committee(&app, "oncologue", Seat::Professional).await,
        );
        let caller = match role {
            "anonymous" => None,
            "user" => Some(app.user("user").await),
            "member" => Some(editor.clone()),
            "owner" => Some(owner.clone()),
            "moderator" => Some(moderator.clone()),
            "committee" => Some(reviewers.0.clone()),
            "admin" => Some(app.with_role("admin", PlatformRole::Admin).await),
            "partner" => None,
            _ => unreachable!(),
        };
        let mut w = world::build(
            &app,
            caller.as_ref(),
            &owner,
            &editor,
            &moderator,
            (&reviewers.0, &reviewers.1),
        )
        .await;
        // A partner key with every scope, and a webhook of its own, for every role: the
        // others must not reach them.
        let (partner, key) = crate::partners::partner(
            &app,
            &unique("Partenaire"),
            &agora_service::partners::Scope::ALL,
            100_000,
        )
        .await;
        let hook = agora_service::webhooks::create(
            &app.ctx,
            &agora_service::Actor::Partner(
                agora_service::partners::authenticate(&app.ctx, &key)
                    .await
                    .unwrap(),
            ),
            serde_json::from_value(json!({"url": "http://127.0.0.1:9/hook"})).unwrap(),
        )
        .await
        .unwrap();
        for op in [
            "get_webhook",
            "delete_webhook",
            "enable_webhook",
            "webhook_deliveries",
        ] {
            w.ids.insert(op, hook.webhook.id.to_string());
        }
        w.ids.insert("partner_usage", partner.id.to_string());
        let mut password = PASSWORD;
        for (rank, template, method, operation_id, access) in &operations {
            let path = w.path(template, operation_id);
            // Sign-out, password change and erasure each end a session: each gets one
            // of its own.
            let caller = match &caller {
                Some(u) if *rank >= 3 => Some(app.login(&u.email, password, u.id.clone()).await),
                other => other.clone(),
            };
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let send = |body: Option<Value>| {
                let mut rb = app.request(method.clone(), &path, caller.as_ref());
                if role == "partner" {
                    rb = rb.header("x-api-key", &key);
                }
                if method == Method::PATCH {
                    rb = rb.header("If-Match", "*");
                }
                if let Some(b) = body {
                    rb = rb.json(&b);
                }
                rb.send()
            };
            let where_ = format!("{role} {method} {template} ({access})");
            cells += 1;
            if !allowed(access, role) {
                for body in [
                    Some(invalid_body()),
                    body_for(operation_id, &w, (&reviewers.0, &reviewers.1)),
                ] {
                    let status = send(body).await.unwrap().status();
                    // A partner key is no account: it is asked for one.
                    if matches!(role, "anonymous" | "partner") {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{where_}");
                    } else {
                        assert!(
                            status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                            "{where_} must be refused, whatever the body, but got {status}"
                        );
                    }
                }
                continue;
            }
            let res = send(body_for(operation_id, &w, (&reviewers.0, &reviewers.1)))
                .await
                .unwrap();
            let status = res.status();
            let text = res.text().await.unwrap_or_default();
            assert!(!status.is_server_error(), "{where_}: {status} {text}");
            if access == "public" {
                // Public operations may refuse on their own terms (wrong credentials, a
                // token that is no link): never as if the caller lacked rights.
                assert_ne!(status, StatusCode::FORBIDDEN, "{where_}: {text}");
                continue;
            }
            match refused_by_a_rule(operation_id, role) {
                Some((expected, why)) => {
                    assert_eq!(status, expected, "{where_} ({why}): {text}")
                }
                None => {
                    assert!(
                        status.is_success(),
                        "{where_} is allowed, but got {status}: {text}"
                    );
                    succeeded += 1;
                }
            }
            if operation_id == "change_password" {
                password = NEW_PASSWORD;
            }
        }
    }
    assert_eq!(cells, operations.len() * ROLES.len());
    assert!(succeeded > 150, "only {succeeded} allowed cells succeeded");
}

both_backends!(every_route_for_every_role);

//! Authorisation on pages as on routes: every workspace page and form action tried as
//! anonymous, a member of another structure, the member, a moderator and a committee
//! member; the visibility canaries never appear in a page that role may not read.

use super::Browser;
use crate::both_backends;
use crate::common::{Backend, TestApp, User, fixtures};
use agora_domain::PlatformRole;
use reqwest::StatusCode;
use serde_json::json;

const CONFIDENTIAL: &str = "canari-confidentiel-espace-61f2";
const PRIVATE: &str = "canari-prive-espace@asso.example.org";
const DRAFT: &str = "Canari Brouillon Espace 2d7e";

/// A form's address, its fields, and which roles (in the order of `users`) may post it.
type Action<'a> = (String, Vec<(&'a str, &'a str)>, [bool; 5]);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Anonymous,
    Stranger,
    Member,
    Moderator,
    Committee,
}

/// What a role gets: the page, a way to sign in, or a refusal.
#[derive(Debug, PartialEq)]
enum Outcome {
    Shown,
    SignIn,
    Refused,
    Unexpected(StatusCode),
}

fn outcome(status: StatusCode) -> Outcome {
    match status {
        StatusCode::OK => Outcome::Shown,
        StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED => Outcome::SignIn,
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND => Outcome::Refused,
        other => Outcome::Unexpected(other),
    }
}

async fn every_page_and_form_holds_for_every_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.verified_user("membre").await;
    let moderator = app.moderator().await;
    let committee = app.with_role("jury", PlatformRole::Committee).await;
    let stranger = app.verified_user("voisin").await;
    let _their_own = app.published_structure(&stranger, &moderator).await;
    let structure = app.published_structure(&member, &moderator).await;
    let project = app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            &member,
            &moderator,
            &fixtures::project_with_secrets(CONFIDENTIAL, PRIVATE),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut draft = fixtures::structure();
    draft["name"] = json!(DRAFT);
    let draft = app.create("/api/v1/structures", &member, &draft).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Something in the queue for the moderation pages.
    app.submit("structures", &draft, &member).await;
    let item = super::flows::in_review(&app, &member, "structures", &draft).await;

    // Moderators read listings through moderation (the queue, the audit trail); editing is
    // the structure's members' own, as on the API.
    let pages: Vec<(String, [Outcome; 5])> = vec![
        (
            "/espace".into(),
            [
                Outcome::SignIn,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
            ],
        ),
        (
            "/compte".into(),
            [
                Outcome::SignIn,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
            ],
        ),
        (
            format!("/espace/structures/{structure}"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            format!("/espace/structures/{structure}/modifier"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            format!("/espace/projets/{project}"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            format!("/espace/projets/{project}/modifier"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            format!("/espace/structures/{draft}"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            format!("/espace/structures/{structure}/services/nouveau"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
                Outcome::Refused,
            ],
        ),
        (
            "/moderation".into(),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            format!("/moderation/file/{item}"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            "/moderation/signalements".into(),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            "/moderation/offres".into(),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            "/moderation/fraicheur".into(),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            format!("/moderation/historique/structures/{structure}"),
            [
                Outcome::SignIn,
                Outcome::Refused,
                Outcome::Refused,
                Outcome::Shown,
                Outcome::Refused,
            ],
        ),
        (
            "/comite".into(),
            [
                Outcome::SignIn,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
                Outcome::Shown,
            ],
        ),
    ];
    let users: [(Role, Option<&User>); 5] = [
        (Role::Anonymous, None),
        (Role::Stranger, Some(&stranger)),
        (Role::Member, Some(&member)),
        (Role::Moderator, Some(&moderator)),
        (Role::Committee, Some(&committee)),
    ];
    for (i, (role, user)) in users.iter().enumerate() {
        let mut b = match user {
            Some(u) => Browser::signed_in(&app, u).await,
            None => Browser::new(&app),
        };
        for (path, expected) in &pages {
            let a = b.get(path).await;
            assert_eq!(
                outcome(a.status),
                expected[i],
                "{role:?} GET {path}: {}",
                a.status
            );
            if a.status == StatusCode::SEE_OTHER {
                assert!(
                    a.location
                        .as_deref()
                        .unwrap_or_default()
                        .starts_with("/connexion?retour="),
                    "{role:?} {path}"
                );
            }
            // The canaries: confidential for moderators only, private and drafts for the
            // structure's members and moderators.
            if *role != Role::Moderator {
                assert!(
                    !a.body.contains(CONFIDENTIAL),
                    "{role:?} {path}: confidential"
                );
            }
            if !matches!(role, Role::Member | Role::Moderator) {
                assert!(
                    !a.body.contains(PRIVATE),
                    "{role:?} {path}: private contact"
                );
                assert!(!a.body.contains(DRAFT), "{role:?} {path}: draft");
            }
        }
    }

    // Form actions: each role posts with its own valid token; only the entitled change
    // anything.
    let actions: Vec<Action> = vec![
        (
            format!("/espace/structures/{structure}/a-jour"),
            vec![],
            [false, false, true, false, false],
        ),
        (
            format!("/espace/projets/{project}/pause"),
            vec![],
            [false, false, true, false, false],
        ),
        (
            format!("/espace/structures/{structure}/invitations"),
            vec![("email", "x@example.org"), ("role", "editor")],
            [false, false, true, true, false],
        ),
        (
            format!("/moderation/file/{item}/decision"),
            vec![
                ("decision", "reject"),
                ("reason", "Doublon d'une autre fiche."),
            ],
            [false, false, false, true, false],
        ),
    ];
    for (path, fields, allowed) in &actions {
        for (i, (role, user)) in users.iter().enumerate() {
            if allowed[i] {
                continue;
            }
            let mut b = match user {
                Some(u) => Browser::signed_in(&app, u).await,
                None => Browser::new(&app),
            };
            let _ = b.get("/espace").await;
            let before = super::stored(&app).await;
            let a = b.submit(path, fields).await;
            assert!(
                matches!(
                    a.status,
                    StatusCode::FORBIDDEN | StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED
                ),
                "{role:?} POST {path}: {}",
                a.status
            );
            assert_eq!(
                super::stored(&app).await,
                before,
                "{role:?} POST {path} changed something"
            );
        }
    }
}

both_backends!(every_page_and_form_holds_for_every_role);

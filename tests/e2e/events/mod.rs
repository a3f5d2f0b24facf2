//! Community events end to end, on both databases: the lifecycle moderated like a
//! listing with drafts hidden from everyone but the committee and moderators; the
//! organising committee invited by address without telling who has an account; the
//! applications of published structures (their own projects, the event's charter, one per
//! structure), the committee's decisions and the mails of each step; the public list of
//! participants that names only those who consented; the portal's pages and forms.

mod applications;
mod committee;
mod demo;
mod lifecycle;
mod participants;
mod portal;

use crate::common::{TestApp, User, fixtures};
use agora_domain::PlatformRole;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// An RFC 3339 instant `days` from the test clock's now.
pub fn in_days(app: &TestApp, days: i64) -> String {
    (app.ctx.now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A national Cancerthon in Paris, two months from now, applications open for a month.
pub fn event_body(app: &TestApp, title: &str) -> Value {
    json!({
        "kind": "cancerthon",
        "title": title,
        "summary": "La journée des associations signataires de la charte : mettre en commun, trouver des ressources, gagner en visibilité.",
        "charter_version": "2024",
        "starts_at": in_days(app, 60),
        "ends_at": in_days(app, 61),
        "mode": "on_site",
        "venue": "Centre de conférences",
        "commune_code": "75056",
        "orientations": ["Mettre en commun les moyens", "Trouver des ressources"],
        "applications_close_at": in_days(app, 30),
        "speed_meetings": {"rounds": 6, "round_minutes": 7, "tables": 10}
    })
}

/// An account with the platform's committee role (it may organise events).
pub async fn organiser(app: &TestApp, name: &str) -> User {
    app.with_role(name, PlatformRole::Committee).await
}

pub fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_owned()
}

/// A draft event created by `chair`; its id.
pub async fn draft(app: &TestApp, chair: &User, title: &str) -> String {
    let (status, body) = app
        .call(
            app.post("/api/v1/events", Some(chair))
                .json(&event_body(app, title)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id(&body)
}

/// A published event chaired by `chair`; its id.
pub async fn published(app: &TestApp, chair: &User, moderator: &User, title: &str) -> String {
    let event = draft(app, chair, title).await;
    let (status, body) = app
        .call(app.post(&format!("/api/v1/events/{event}/submit"), Some(chair)))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app
        .call(
            app.post(&format!("/api/v1/events/{event}/decision"), Some(moderator))
                .json(&json!({"decision": "publish"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    event
}

/// A published structure named `name` owned by `owner`, with one published project; their
/// ids.
pub async fn structure_with_project(
    app: &TestApp,
    owner: &User,
    moderator: &User,
    name: &str,
) -> (String, String) {
    let mut s = fixtures::structure();
    s["name"] = json!(name);
    let structure = id(&app
        .publish("/api/v1/structures", "structures", owner, moderator, &s)
        .await);
    let project = id(&app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            owner,
            moderator,
            &fixtures::project(),
        )
        .await);
    (structure, project)
}

/// A valid application of `structure` bringing `projects`.
pub fn application_body(structure: &str, projects: &[&str], consent: bool) -> Value {
    json!({
        "structure_id": structure,
        "project_ids": projects,
        "offers": ["experience-patient", "animation"],
        "needs": ["financement"],
        "themes": ["travail-emploi"],
        "region": "27",
        "message": "Nous venons présenter nos ateliers et chercher des relais.",
        "charter_version": "2024",
        "public_consent": consent
    })
}

/// Applies and returns the application's id.
pub async fn apply(app: &TestApp, event: &str, who: &User, body: &Value) -> String {
    let (status, created) = app
        .call(
            app.post(&format!("/api/v1/events/{event}/applications"), Some(who))
                .json(body),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    id(&created)
}

/// The committee's decision on an application.
pub async fn decide(
    app: &TestApp,
    event: &str,
    application: &str,
    who: &User,
    body: Value,
) -> (StatusCode, Value) {
    app.call(
        app.post(
            &format!("/api/v1/events/{event}/applications/{application}/decision"),
            Some(who),
        )
        .json(&body),
    )
    .await
}

//! The portal's pages over HTTP, on both databases: every page answers in French with
//! the public view only (the visibility canaries never appear in any HTML), bad input in
//! addresses gets a French page with the right status, the search page takes the API's
//! parameters, the report form reaches the structure, the printable directory lists an
//! area's services.

mod forms;
mod pages;

use crate::common::{TestApp, User, fixtures};
use reqwest::StatusCode;
use serde_json::json;

pub const OWNER_CANARY: &str = "Canari Porteur Anonyme 5b1e";
pub const CONFIDENTIAL_CANARY: &str = "canari-confidentiel-portail-77d0";
pub const PRIVATE_CANARY: &str = "canari-prive-portail@asso.example.org";
pub const DRAFT_CANARY: &str = "Canari Brouillon Portail 3c9a";

/// A small directory: a published structure (its contact private), a service for the
/// Doubs, an anonymous project with a confidential description, and a draft structure.
pub struct World {
    pub owner: User,
    pub moderator: User,
    pub structure: String,
    pub service: String,
    pub project: String,
    pub draft: String,
    pub service_name: String,
}

pub async fn world(app: &TestApp) -> World {
    let owner = app.verified_user("owner").await;
    let moderator = app.moderator().await;
    let mut structure = fixtures::structure();
    structure["name"] = json!(OWNER_CANARY);
    structure["contact"] = json!({"email": PRIVATE_CANARY, "phone": "03 81 00 00 00"});
    structure["visibility"] = json!({"contact": "private"});
    let structure = app
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
    let service_name = "Sophrologie au centre de Besançon".to_owned();
    let mut service = fixtures::service();
    service["name"] = json!(service_name);
    service["summary"] = json!("Des séances de sophrologie en petit groupe, près de chez vous.");
    service["themes"] = json!(["mieux-etre", "soutien-psychologique"]);
    service["modes"] = json!(["presentiel"]);
    service["coverage"] = json!({"kind": "departements", "codes": ["25"]});
    service["opening_hours"] = json!("Le mardi de 14 h à 17 h");
    service["contact"] = json!({"phone": "03 81 47 12 34"});
    service["locations"] = json!([{"address": {"street": "2 place Saint-Pierre", "postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"}}]);
    let service = app
        .publish(
            &format!("/api/v1/structures/{structure}/services"),
            "services",
            &owner,
            &moderator,
            &service,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let project = fixtures::project_with_secrets(CONFIDENTIAL_CANARY, PRIVATE_CANARY);
    let project = app
        .publish(
            &format!("/api/v1/structures/{structure}/projects"),
            "projects",
            &owner,
            &moderator,
            &project,
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut draft = fixtures::structure();
    draft["name"] = json!(DRAFT_CANARY);
    let draft = app.create("/api/v1/structures", &owner, &draft).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.index_caught_up().await;
    World {
        owner,
        moderator,
        structure,
        service,
        project,
        draft,
        service_name,
    }
}

/// A page as a browser gets it: status, headers checked, body.
pub async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let res = app
        .get(path, None)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.text().await.unwrap();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("text/html"),
        "{path}: {content_type}"
    );
    let csp = headers
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{path}: CSP {csp:?}"
    );
    assert!(body.starts_with("<!doctype html>"), "{path}");
    assert!(body.contains("<html lang=\"fr\""), "{path}: French");
    assert_eq!(body.matches("<h1").count(), 1, "{path}: one h1");
    assert!(body.contains("href=\"#contenu\""), "{path}: skip link");
    for needle in ["panicked", "stack backtrace", "sqlx", "SELECT "] {
        assert!(!body.contains(needle), "{path}: {needle}");
    }
    (status, body)
}

//! The OpenAPI document: generated from the route table, checked in, and true.

use serde_json::Value;
use std::path::PathBuf;

fn checked_in() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../openapi/openapi.json")
}

#[test]
fn the_checked_in_document_matches_the_code() {
    let generated = agora_api::openapi().to_pretty_json().unwrap() + "\n";
    let on_disk = std::fs::read_to_string(checked_in()).unwrap_or_default();
    assert!(
        generated == on_disk,
        "openapi/openapi.json is out of date: run `cargo run -- openapi --output openapi/openapi.json` and commit it"
    );
}

#[test]
fn the_document_is_complete_openapi_3_1() {
    let doc: Value = serde_json::to_value(agora_api::openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(
                operation_ids.insert(id.to_owned()),
                "operationId {id} is used twice"
            );
            assert!(
                op["x-access"].is_string(),
                "{method} {path} declares no access"
            );
            let responses = op["responses"].as_object().unwrap();
            assert!(
                responses.contains_key("default"),
                "{method} {path}: errors undocumented"
            );
            for (status, r) in responses {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status}: no description"
                );
            }
            for p in path.split('/').filter(|s| s.starts_with('{')) {
                let name = p.trim_matches(['{', '}']);
                let declared = op["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["name"] == name && x["in"] == "path");
                assert!(
                    declared,
                    "{method} {path}: path parameter {name} undeclared"
                );
            }
        }
    }
    // Every reference resolves.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling reference to {name}");
    }
    // The routes the contract names are there.
    for (method, path) in [
        ("post", "/api/v1/auth/register"),
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/refresh"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/vocabularies"),
        ("post", "/api/v1/structures"),
        ("get", "/api/v1/structures"),
        ("patch", "/api/v1/structures/{id}"),
        ("post", "/api/v1/structures/{id}/services"),
        ("post", "/api/v1/structures/{id}/projects"),
        ("post", "/api/v1/projects/{id}/pause"),
        ("post", "/api/v1/projects/{id}/resume"),
        ("post", "/api/v1/projects/{id}/updates"),
        ("get", "/api/v1/moderation/queue"),
        ("get", "/api/v1/moderation/items/{id}"),
        ("post", "/api/v1/moderation/items/{id}/approve"),
        ("post", "/api/v1/moderation/items/{id}/reject"),
        ("post", "/api/v1/moderation/items/{id}/request-changes"),
        ("get", "/api/v1/audit"),
        ("get", "/health"),
        ("get", "/ready"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing"
        );
    }
}

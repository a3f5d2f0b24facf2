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
    // Every link leads to an operation that exists.
    let mut links = 0;
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            for response in op["responses"].as_object().unwrap().values() {
                for (name, link) in response["links"].as_object().into_iter().flatten() {
                    let target = link["operationId"].as_str().unwrap();
                    assert!(
                        operation_ids.contains(target),
                        "link {name} leads to unknown operation {target}"
                    );
                    links += 1;
                }
            }
        }
    }
    assert!(
        links >= 20,
        "creation responses link to what follows them ({links} links)"
    );
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

/// The routes of actix's resource tree, as full patterns, from its pretty debug form:
/// `ResourceMap`s held in `nodes` lists nest by indentation, each with its pattern (the
/// `named` index repeats some of them and is skipped).
fn served_patterns(tree: &str) -> Vec<String> {
    let lines: Vec<&str> = tree.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut leaves = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let depth = indent(line);
        if line.trim_end().ends_with("ResourceMap {") && line.trim_start().starts_with('"') {
            // A named entry: skip its whole block.
            let end = (i + 1..lines.len())
                .find(|&j| indent(lines[j]) == depth && lines[j].trim_start().starts_with('}'))
                .unwrap();
            i = end + 1;
            continue;
        }
        if line.trim() == "ResourceMap {" {
            let pattern_at = (i..lines.len())
                .find(|&j| lines[j].trim() == "patterns: Single(")
                .unwrap();
            let pattern = lines[pattern_at + 1]
                .trim()
                .trim_end_matches(',')
                .trim_matches('"')
                .to_owned();
            while stack.last().is_some_and(|(d, _)| *d >= depth) {
                stack.pop();
            }
            let full = format!(
                "{}{pattern}",
                stack.last().map(|(_, p)| p.as_str()).unwrap_or("")
            );
            let end = (i + 1..lines.len())
                .find(|&j| indent(lines[j]) == depth && lines[j].trim_start().starts_with('}'))
                .unwrap();
            let is_leaf = lines[i..end]
                .iter()
                .any(|l| indent(l) == depth + 4 && l.trim() == "nodes: None,");
            if is_leaf {
                leaves.push(full.clone());
            }
            stack.push((depth, full));
        }
        i += 1;
    }
    leaves.sort();
    leaves.dedup();
    leaves
}

/// The routes actix serves are the paths the document lists (security row 20): none
/// undocumented, none documented that does not exist, and each documented method reaches
/// a handler while the others get 405.
#[actix_web::test]
async fn the_served_routes_are_the_documented_ones() {
    use actix_web::{HttpRequest, HttpResponse, test, web};
    let dir = tempfile::tempdir().unwrap();
    let config = agora::config::Config {
        data_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let ctx = agora::app::open_context(&config, std::sync::Arc::new(agora_domain::SystemClock))
        .await
        .unwrap();
    let shared = agora_api::Shared::new(agora_api::ApiState::new(ctx)).unwrap();
    const PROBE: &str = "/__routes-under-test";
    let service = test::init_service(agora_api::app(shared).route(
        PROBE,
        web::get().to(|req: HttpRequest| async move {
            HttpResponse::Ok().body(format!("{:#?}", req.resource_map()))
        }),
    ))
    .await;
    let tree =
        test::call_and_read_body(&service, test::TestRequest::get().uri(PROBE).to_request()).await;
    let served: Vec<String> = served_patterns(std::str::from_utf8(&tree).unwrap())
        .into_iter()
        // The documentation itself: the Swagger UI, its redirect, and the document.
        .filter(|p| {
            p != PROBE && p != "/docs" && p != "/docs/{_:.*}" && p != agora_api::OPENAPI_PATH
        })
        .collect();
    let doc = serde_json::to_value(agora_api::openapi()).unwrap();
    let mut documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    documented.sort();
    assert!(served.len() > 30, "the route tree was not read: {served:?}");
    assert_eq!(
        served, documented,
        "served routes and documented paths differ"
    );

    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    for (path, item) in doc["paths"].as_object().unwrap() {
        let concrete = path
            .replace("{id}", &uuid::Uuid::nil().to_string())
            .replace("{user_id}", &uuid::Uuid::nil().to_string());
        for method in methods {
            let documented = item.get(method.to_lowercase()).is_some();
            let req = test::TestRequest::default()
                .method(actix_web::http::Method::from_bytes(method.as_bytes()).unwrap())
                .uri(&concrete)
                .to_request();
            let res = test::call_service(&service, req).await;
            let body: Value =
                serde_json::from_slice(&test::read_body(res).await).unwrap_or(Value::Null);
            let unrouted =
                body["type"] == "/problems/method-not-allowed" || body["detail"] == "nothing here";
            assert_eq!(
                !unrouted, documented,
                "{method} {path}: documented {documented}, answered {body}"
            );
        }
    }
}

//! The API document is one a partner's developer can work from: every operation declares
//! its security and shows realistic examples, and every example is valid against its
//! schema (formats included), as a client would check it.

#![allow(clippy::expect_used)]

use serde_json::{Value, json};

fn document() -> Value {
    serde_json::to_value(agora_api::openapi()).expect("the document serialises")
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Every operation as (`METHOD path`, operation).
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((format!("{} {path}", method.to_uppercase()), op));
            }
        }
    }
    ops
}

/// `schema`, followed through a `$ref` to a component.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or(&Value::Null),
        None => schema,
    }
}

/// Whether a media type (or its schema) carries an example.
fn exemplified(doc: &Value, media: &Value) -> bool {
    let schema = resolve(doc, &media["schema"]);
    media.get("example").is_some()
        || media.get("examples").is_some()
        || schema.get("example").is_some()
        || schema.get("examples").is_some()
}

/// Checks `example` against `schema`, resolving references in the document's components;
/// the messages of what does not match.
fn check(doc: &Value, schema: &Value, example: &Value) -> Vec<String> {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "allOf": [schema],
        "components": doc["components"],
    });
    match jsonschema::options()
        .should_validate_formats(true)
        .build(&root)
    {
        Ok(validator) => validator
            .iter_errors(example)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect(),
        Err(e) => vec![format!("the schema does not compile: {e}")],
    }
}

#[test]
fn every_example_is_valid_against_its_schema() {
    let doc = document();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut verify = |place: String, schema: &Value, example: &Value| {
        checked += 1;
        for error in check(&doc, schema, example) {
            failures.push(format!("{place}: {error}"));
        }
    };
    for (name, op) in operations(&doc) {
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            if let Some(example) = parameter.get("example") {
                let place = format!("{name} parameter {}", parameter["name"]);
                verify(place, &parameter["schema"], example);
            }
        }
        for (media_type, media) in op["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if let Some(example) = media.get("example") {
                verify(
                    format!("{name} request {media_type}"),
                    &media["schema"],
                    example,
                );
            }
        }
        for (status, response) in op["responses"].as_object().into_iter().flatten() {
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                if let Some(example) = media.get("example") {
                    verify(
                        format!("{name} {status} {media_type}"),
                        &media["schema"],
                        example,
                    );
                }
            }
        }
    }
    for (name, schema) in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        if let Some(example) = schema.get("example") {
            verify(format!("schema {name}"), schema, example);
        }
        for example in schema["examples"].as_array().into_iter().flatten() {
            verify(format!("schema {name}"), schema, example);
        }
    }
    assert!(
        failures.is_empty(),
        "invalid examples:\n{}",
        failures.join("\n")
    );
    assert!(checked > 150, "only {checked} examples were checked");
}

#[test]
fn every_operation_shows_what_it_takes_and_answers() {
    let doc = document();
    let mut missing = Vec::new();
    let mut shown = 0;
    let ops = operations(&doc);
    for (name, op) in &ops {
        let mut has_one = false;
        for parameter in op["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] == "path" {
                if parameter.get("example").is_some() {
                    has_one = true;
                } else {
                    missing.push(format!("{name}: path parameter {}", parameter["name"]));
                }
            }
        }
        for (media_type, media) in op["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flatten()
        {
            if exemplified(&doc, media) {
                has_one = true;
            } else {
                missing.push(format!("{name}: request body {media_type}"));
            }
        }
        // The main answer: the first success answer with a JSON body.
        let main = op["responses"]
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .find_map(|(status, r)| r["content"].get("application/json").map(|m| (status, m)));
        if let Some((status, media)) = main {
            if exemplified(&doc, media) {
                has_one = true;
            } else {
                missing.push(format!("{name}: answer {status}"));
            }
        } else {
            // A page: the HTML it answers with.
            has_one |= op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .flat_map(|(_, r)| r["content"].as_object().into_iter().flatten())
                .any(|(_, media)| exemplified(&doc, media));
        }
        // An operation that takes no body and answers none (sign-out, a deletion) has
        // nothing to show.
        let silent = op.get("requestBody").is_none()
            && op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .all(|(_, r)| r.get("content").is_none());
        if has_one || silent {
            shown += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "without an example:\n{}",
        missing.join("\n")
    );
    assert!(
        shown == ops.len(),
        "{shown} of {} operations show an example",
        ops.len()
    );
}

#[test]
fn every_operation_declares_its_security() {
    let doc = document();
    let schemes = doc["components"]["securitySchemes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, op) in operations(&doc) {
        let Some(security) = op["security"].as_array() else {
            panic!("{name} declares no security (public operations declare `security: []`)");
        };
        let anonymous = security.is_empty()
            || security
                .iter()
                .any(|r| r.as_object().is_some_and(|o| o.is_empty()));
        let public = op["x-access"] == "public";
        assert_eq!(
            anonymous, public,
            "{name}: x-access {} but security {security:?}",
            op["x-access"]
        );
        for requirement in security {
            for scheme in requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                assert!(
                    schemes.contains_key(scheme),
                    "{name}: unknown security scheme {scheme}"
                );
            }
        }
        if !public {
            assert!(
                op["responses"].get("401").is_some(),
                "{name}: signing in is needed, 401 is not documented"
            );
        }
    }
}

#[test]
fn the_document_names_its_server() {
    let doc = document();
    // Paths are absolute (`/api/v1/…`, `/health`, `/metrics`): the server is the root of the
    // site.
    assert_eq!(doc["servers"][0]["url"], "/");
    assert!(doc["paths"].as_object().is_some_and(|p| {
        p.keys().all(|k| {
            k.starts_with("/api/v1/") || ["/health", "/ready", "/metrics"].contains(&k.as_str())
        })
    }));
}

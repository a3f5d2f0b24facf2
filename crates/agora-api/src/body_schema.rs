//! Request bodies are checked against the schema the API document publishes for their
//! route before anything reads them: a body the document calls invalid (wrong type, an
//! array where an object belongs, a text too long, an unknown field) is refused as
//! malformed, whatever serde would have tolerated.

use agora_domain::FieldError;
use agora_domain::validation::{READ_ONLY_FIELDS, pointer_segment};
use jsonschema::error::ValidationErrorKind;
use serde_json::{Value, json};
use std::collections::HashMap;

/// At most this many field errors are reported for one body.
const MAX_ERRORS: usize = 20;

#[derive(Default)]
pub struct BodySchemas {
    /// (method in upper case, route template) → validator of its JSON body.
    validators: HashMap<(String, String), jsonschema::Validator>,
}

impl std::fmt::Debug for BodySchemas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodySchemas")
            .field("routes", &self.validators.len())
            .finish()
    }
}

impl BodySchemas {
    /// Compiles a validator for every JSON request body of the document.
    pub fn from_document(document: &utoipa::openapi::OpenApi) -> Result<Self, String> {
        let doc = serde_json::to_value(document).map_err(|e| e.to_string())?;
        let components = doc.get("components").cloned().unwrap_or(Value::Null);
        let mut validators = HashMap::new();
        for (path, item) in doc["paths"].as_object().into_iter().flatten() {
            for (method, operation) in item.as_object().into_iter().flatten() {
                let Some(schema) =
                    operation.pointer("/requestBody/content/application~1json/schema")
                else {
                    continue;
                };
                // References point into the document's components, carried along.
                let root = json!({
                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "allOf": [schema],
                    "components": components,
                });
                let validator = jsonschema::validator_for(&root)
                    .map_err(|e| format!("{} {path}: {e}", method.to_uppercase()))?;
                validators.insert((method.to_uppercase(), path.clone()), validator);
            }
        }
        Ok(Self { validators })
    }

    /// Checks `body` against the schema of the route `pattern` answered by `method`.
    pub fn check(&self, method: &str, pattern: &str, body: &Value) -> Result<(), Vec<FieldError>> {
        let Some(validator) = self
            .validators
            .get(&(method.to_owned(), pattern.to_owned()))
        else {
            return Ok(());
        };
        let mut errors = Vec::new();
        for error in validator.iter_errors(body).take(MAX_ERRORS) {
            describe(&error, &mut errors);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Turns one schema violation into field errors. For `oneOf`/`anyOf` (an optional object
/// is `oneOf [object, null]`; coverage zones are a tagged union) the branch whose errors
/// reach deepest is the one the client meant, and its errors are the precise ones.
fn describe(error: &jsonschema::ValidationError<'_>, out: &mut Vec<FieldError>) {
    let at = error.instance_path().to_string();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(FieldError {
                pointer: format!("{at}/{}", pointer_segment(name)),
                code: "required".into(),
                detail: format!("`{name}` is required"),
            });
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let read_only = READ_ONLY_FIELDS.contains(&name.as_str());
                out.push(FieldError {
                    pointer: format!("{at}/{}", pointer_segment(name)),
                    code: if read_only {
                        "read_only_field"
                    } else {
                        "unknown_field"
                    }
                    .into(),
                    detail: if read_only {
                        format!("`{name}` is read-only")
                    } else {
                        format!("`{name}` is not a field here")
                    },
                });
            }
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            let depth = |branch: &Vec<jsonschema::ValidationError<'static>>| {
                branch
                    .iter()
                    .map(|e| e.instance_path().to_string().matches('/').count())
                    .max()
                    .unwrap_or(0)
            };
            match context.iter().max_by_key(|branch| depth(branch)) {
                Some(branch) if depth(branch) > at.matches('/').count() => {
                    branch.iter().for_each(|e| describe(e, out))
                }
                _ => out.push(FieldError {
                    pointer: at,
                    code: "schema".into(),
                    detail: error.masked().to_string(),
                }),
            }
        }
        _ => out.push(FieldError {
            pointer: at,
            code: "schema".into(),
            detail: error.masked().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schemas() -> BodySchemas {
        BodySchemas::from_document(&crate::openapi()).unwrap()
    }

    fn pointers(errors: Vec<FieldError>) -> Vec<(String, String)> {
        errors.into_iter().map(|e| (e.pointer, e.code)).collect()
    }

    #[test]
    fn every_json_body_of_the_document_has_a_validator() {
        let s = schemas();
        assert!(
            s.validators
                .contains_key(&("POST".into(), "/api/v1/structures".into()))
        );
        assert!(
            s.validators
                .contains_key(&("PATCH".into(), "/api/v1/projects/{id}".into()))
        );
        assert!(s.validators.len() >= 14, "{}", s.validators.len());
    }

    #[test]
    fn bodies_that_break_the_schema_are_named() {
        let s = schemas();
        let body = json!({"name": "x".repeat(201), "structure_kind": "association", "contact": [null, null], "status": "published"});
        let mut found = pointers(s.check("POST", "/api/v1/structures", &body).unwrap_err());
        found.sort();
        assert_eq!(
            found,
            [
                ("/contact".to_owned(), "schema".to_owned()),
                ("/name".to_owned(), "schema".to_owned()),
                ("/status".to_owned(), "read_only_field".to_owned()),
            ]
        );
        let inner = pointers(s.check("POST", "/api/v1/structures", &json!({"name": "Asso", "structure_kind": "association", "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "B", "lat": "north"}})).unwrap_err());
        assert_eq!(inner, [("/address/lat".to_owned(), "schema".to_owned())]);
        let missing = pointers(
            s.check("POST", "/api/v1/auth/login", &json!({"email": "a@b.fr"}))
                .unwrap_err(),
        );
        assert_eq!(missing, [("/password".to_owned(), "required".to_owned())]);
        assert!(
            s.check(
                "POST",
                "/api/v1/auth/login",
                &json!({"email": "a@b.fr", "password": "x"})
            )
            .is_ok()
        );
        // A partial update needs nothing, but what it names must fit.
        assert!(
            s.check(
                "PATCH",
                "/api/v1/structures/{id}",
                &json!({"summary": "ok"})
            )
            .is_ok()
        );
        assert!(
            s.check(
                "PATCH",
                "/api/v1/structures/{id}",
                &json!({"address": "Besançon"})
            )
            .is_err()
        );
    }
}

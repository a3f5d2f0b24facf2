//! Field-level validation errors, each pointing at the offending value with a JSON pointer
//! (RFC 6901) so that clients can show the message beside the right input.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// JSON pointer to the invalid value in the request body or query, e.g. `/contact/email`.
    pub pointer: String,
    /// Stable machine-readable code, e.g. `invalid_siret`.
    pub code: String,
    /// Human-readable explanation.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn single(pointer: impl Into<String>, code: &str, detail: impl Into<String>) -> Self {
        Self(vec![FieldError {
            pointer: pointer.into(),
            code: code.to_owned(),
            detail: detail.into(),
        }])
    }
}

/// Collects every problem of a document instead of stopping at the first one.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, pointer: impl Into<String>, code: &str, detail: impl Into<String>) {
        self.errors.push(FieldError {
            pointer: pointer.into(),
            code: code.to_owned(),
            detail: detail.into(),
        });
    }

    pub fn check(&mut self, ok: bool, pointer: &str, code: &str, detail: impl Into<String>) {
        if !ok {
            self.push(pointer, code, detail);
        }
    }

    /// Checks the length in characters (the maximum on the value as sent, as the API
    /// document states it), then trims `value` in place and checks the minimum.
    pub fn text(&mut self, pointer: &str, value: &mut String, min: usize, max: usize) {
        if value.chars().count() > max {
            self.push(
                pointer,
                "too_long",
                format!("must be at most {max} characters"),
            );
            return;
        }
        let trimmed = value.trim();
        if trimmed.len() != value.len() {
            *value = trimmed.to_owned();
        }
        if value.chars().count() < min {
            if min == 1 {
                self.push(pointer, "required", "must not be empty");
            } else {
                self.push(
                    pointer,
                    "too_short",
                    format!("must be at least {min} characters"),
                );
            }
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        {
            self.push(
                pointer,
                "control_characters",
                "must not contain control characters",
            );
        }
    }

    /// Like [`Validator::text`] for an optional value; a blank one becomes `None`.
    pub fn opt_text(&mut self, pointer: &str, value: &mut Option<String>, max: usize) {
        if let Some(v) = value {
            if v.chars().count() > max {
                self.push(
                    pointer,
                    "too_long",
                    format!("must be at most {max} characters"),
                );
            } else if v.trim().is_empty() {
                *value = None;
            } else {
                self.text(pointer, v, 1, max);
            }
        }
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

/// Escapes a key for use as one segment of a JSON pointer (RFC 6901).
pub fn pointer_segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_trims_and_reports_every_problem() {
        let mut v = Validator::new();
        let mut a = "  ok  ".to_owned();
        let mut b = String::new();
        let mut c = "x".repeat(11);
        v.text("/a", &mut a, 1, 10);
        v.text("/b", &mut b, 1, 10);
        v.text("/c", &mut c, 1, 10);
        assert_eq!(a, "ok");
        let errors = v.finish().unwrap_err().0;
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/b", "/c"]);
        assert_eq!(errors[0].code, "required");
        assert_eq!(errors[1].code, "too_long");
    }

    #[test]
    fn pointer_segments_are_escaped() {
        assert_eq!(pointer_segment("a/b~c"), "a~1b~0c");
    }
}

/// Fields that clients read but never write: naming them in a body is refused as such.
pub const READ_ONLY_FIELDS: &[&str] = &[
    "id",
    "status",
    "published_at",
    "verified_at",
    "created_at",
    "updated_at",
    "submitted_at",
    "owner_id",
    "structure_id",
    "label",
    "review",
    "hidden_sections",
    "structure",
];

/// Deserialises `T`, turning the first failure into a field error that points at the
/// offending value (unknown and missing fields point at the field itself).
pub fn deserialize_located<'de, D, T>(de: D) -> Result<T, FieldError>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde_path_to_error::deserialize(de).map_err(|err| {
        let mut pointer = String::new();
        for segment in err.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                Segment::Map { key } => pointer.push_str(&format!("/{}", pointer_segment(key))),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        let message = err.inner().to_string();
        let named = |prefix: &str| {
            message
                .strip_prefix(prefix)
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned)
        };
        // The path of an unknown field already ends with it; a missing one's does not.
        let at_field = |field: &str| {
            let segment = format!("/{}", pointer_segment(field));
            if pointer.ends_with(&segment) {
                pointer.clone()
            } else {
                format!("{pointer}{segment}")
            }
        };
        if let Some(field) = named("unknown field `") {
            let read_only = READ_ONLY_FIELDS.contains(&field.as_str());
            let pointer = at_field(&field);
            return if read_only {
                FieldError {
                    pointer,
                    code: "read_only_field".into(),
                    detail: format!("`{field}` is read-only"),
                }
            } else {
                FieldError {
                    pointer,
                    code: "unknown_field".into(),
                    detail: message,
                }
            };
        }
        if let Some(field) = named("missing field `") {
            return FieldError {
                pointer: at_field(&field),
                code: "required".into(),
                detail: format!("`{field}` is required"),
            };
        }
        FieldError {
            pointer,
            code: "invalid".into(),
            detail: message,
        }
    })
}

#[cfg(test)]
mod located_tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        n: u32,
    }

    fn error(json: &str) -> FieldError {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        deserialize_located::<_, Doc>(v).unwrap_err()
    }

    #[test]
    fn errors_point_at_the_value() {
        let e = error(r#"{"name":"a","items":[{"n":1},{"n":"x"}]}"#);
        assert_eq!(
            (e.pointer.as_str(), e.code.as_str()),
            ("/items/1/n", "invalid")
        );
        let e = error(r#"{"name":"a","items":[],"status":"published"}"#);
        assert_eq!(
            (e.pointer.as_str(), e.code.as_str()),
            ("/status", "read_only_field")
        );
        let e = error(r#"{"name":"a","items":[],"colour":"red"}"#);
        assert_eq!(
            (e.pointer.as_str(), e.code.as_str()),
            ("/colour", "unknown_field")
        );
        let e = error(r#"{"items":[]}"#);
        assert_eq!((e.pointer.as_str(), e.code.as_str()), ("/name", "required"));
    }
}

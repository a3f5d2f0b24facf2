//! What changed between two versions of a listing, field by field, for moderators.

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    /// JSON pointer of the changed field.
    pub pointer: String,
    /// The published value; absent when the field is new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The submitted value; absent when the field was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

/// Field-level differences: objects are compared key by key, anything else (text, lists)
/// as a whole value.
pub fn diff(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk(String::new(), Some(before), Some(after), &mut changes);
    changes
}

fn walk(
    pointer: String,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<FieldChange>,
) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let p = format!("{pointer}/{}", crate::validation::pointer_segment(key));
                walk(p, b.get(key), a.get(key), out);
            }
        }
        (b, a) if b != a => out.push(FieldChange {
            pointer,
            before: b.cloned(),
            after: a.cloned(),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_changed_added_and_removed_fields() {
        let before =
            json!({"name": "A", "contact": {"email": "a@x.fr", "phone": "01"}, "themes": ["x"]});
        let after = json!({"name": "A", "contact": {"email": "b@x.fr"}, "themes": ["x", "y"], "summary": "s"});
        let changes = diff(&before, &after);
        let pointers: Vec<_> = changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["/contact/email", "/contact/phone", "/summary", "/themes"]
        );
        assert_eq!(changes[1].after, None);
        assert_eq!(changes[2].before, None);
        assert!(diff(&before, &before).is_empty());
    }
}

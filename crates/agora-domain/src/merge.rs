//! Partial updates: a `PATCH` body replaces the top-level fields it names; `null` clears an
//! optional field. Nested objects (an address, a contact) are replaced as a whole, so a
//! client never has to reason about deep merges.

use serde_json::{Map, Value};

/// Applies `patch` onto `document`. Both must be JSON objects.
pub fn merge_top_level(document: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        if value.is_null() {
            document.remove(&key);
        } else {
            document.insert(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replaces_clears_and_keeps() {
        let Value::Object(mut doc) =
            json!({"name": "A", "summary": "s", "contact": {"email": "a@x.fr", "phone": "01"}})
        else {
            unreachable!()
        };
        let Value::Object(patch) = json!({"summary": null, "contact": {"email": "b@x.fr"}}) else {
            unreachable!()
        };
        merge_top_level(&mut doc, patch);
        assert_eq!(
            Value::Object(doc),
            json!({"name": "A", "contact": {"email": "b@x.fr"}})
        );
    }
}

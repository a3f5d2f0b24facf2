//! Two versions of a listing side by side, field by field, in words: what a moderator
//! reads before deciding, and what a member sees when someone else saved meanwhile.

use agora_domain::diff::diff;
use agora_domain::{Coverage, Vocabularies, VocabularyKind};
use serde_json::Value;

/// One field that differs.
pub struct Row {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn field_words(segment: &str) -> &str {
    match segment {
        "name" => "Nom",
        "title" => "Titre",
        "structure_kind" => "Type de structure",
        "rna" => "Numéro RNA",
        "siren" => "SIREN",
        "siret" => "SIRET",
        "summary" => "En une phrase",
        "description" => "Présentation",
        "need" => "Besoin",
        "address" => "Adresse",
        "contact" => "Contact",
        "visibility" => "Qui peut voir quoi",
        "themes" => "Thèmes",
        "audiences" => "Publics",
        "cancer_types" => "Cancers",
        "stages" => "Étapes du parcours",
        "modes" => "Façons d'être accompagné",
        "cost" => "Coût",
        "cost_details" => "Précisions sur le coût",
        "coverage" => "Zone couverte",
        "locations" => "Lieux",
        "opening_hours" => "Horaires",
        "skills" => "Compétences",
        "project_kind" => "Format",
        "anonymous" => "Anonyme",
        "street" => "rue",
        "postcode" => "code postal",
        "commune_code" => "code commune",
        "commune_name" => "commune",
        "email" => "e-mail",
        "phone" => "téléphone",
        "website" => "site web",
        "kind" => "type",
        "codes" => "codes",
        other => other,
    }
}

/// A pointer in words: `/contact/phone` → "Contact — téléphone".
pub fn pointer_words(pointer: &str) -> String {
    let words: Vec<&str> = pointer
        .split('/')
        .filter(|s| !s.is_empty())
        .map(field_words)
        .collect();
    let mut out = words.join(" — ");
    if let Some(first) = out.get(..1) {
        out = first.to_uppercase() + out.get(1..).unwrap_or_default();
    }
    out
}

fn vocabulary_of(pointer: &str) -> Option<VocabularyKind> {
    match pointer.trim_start_matches('/').split('/').next()? {
        "themes" => Some(VocabularyKind::Theme),
        "audiences" => Some(VocabularyKind::Audience),
        "cancer_types" => Some(VocabularyKind::CancerType),
        "stages" => Some(VocabularyKind::Stage),
        "modes" => Some(VocabularyKind::Mode),
        "skills" => Some(VocabularyKind::Skill),
        "structure_kind" => Some(VocabularyKind::StructureKind),
        _ => None,
    }
}

/// A value in words (lists of vocabulary slugs by their labels).
pub fn value_words(vocab: &Vocabularies, pointer: &str, value: Option<&Value>) -> String {
    let kind = vocabulary_of(pointer);
    let word = |s: &str| match kind {
        Some(k) => vocab.label(k, s).unwrap_or(s).to_owned(),
        None => s.to_owned(),
    };
    if pointer == "/coverage"
        && let Some(c) = value.and_then(|v| serde_json::from_value::<Coverage>(v.clone()).ok())
    {
        return crate::format::coverage(&c);
    }
    match value {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) if pointer == "/cost" => match s.as_str() {
            "free" => "Gratuit".into(),
            "paid" => "Payant".into(),
            other => other.to_owned(),
        },
        Some(Value::String(s)) => word(s),
        Some(Value::Bool(b)) => if *b { "oui" } else { "non" }.into(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) if items.is_empty() => "—".into(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => word(s),
                other => compact(other),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => compact(other),
    }
}

fn compact(value: &Value) -> String {
    // An address reads as one.
    if let Some(commune) = value.get("commune_name").and_then(Value::as_str) {
        let street = value
            .get("street")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let postcode = value
            .get("postcode")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let place = format!("{postcode} {commune}").trim().to_owned();
        return if street.is_empty() {
            place
        } else {
            format!("{street}, {place}")
        };
    }
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{} : {}", field_words(k), compact(v)))
            .collect::<Vec<_>>()
            .join(" ; "),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(compact).collect::<Vec<_>>().join(", "),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// The fields that differ between two content documents.
pub fn rows(vocab: &Vocabularies, before: &Value, after: &Value) -> Vec<Row> {
    diff(before, after)
        .into_iter()
        .map(|c| Row {
            field: pointer_words(&c.pointer),
            before: value_words(vocab, &c.pointer, c.before.as_ref()),
            after: value_words(vocab, &c.pointer, c.after.as_ref()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_fields_are_named_in_words() {
        assert_eq!(pointer_words("/contact/phone"), "Contact — téléphone");
        let v = Vocabularies::default();
        let r = rows(
            &v,
            &json!({"contact": {"phone": "03"}}),
            &json!({"contact": {"phone": "04"}}),
        );
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].before.as_str(), r[0].after.as_str()), ("03", "04"));
    }

    #[test]
    fn the_cost_reads_in_french() {
        let v = Vocabularies::default();
        let r = rows(&v, &json!({"cost": "free"}), &json!({"cost": "paid"}));
        assert_eq!(
            (r[0].before.as_str(), r[0].after.as_str()),
            ("Gratuit", "Payant")
        );
    }
}

//! A listing's form, both ways: the flat fields a browser posts become the content document
//! the registry takes (places typed in words resolved to their INSEE codes), and a stored
//! document becomes the same flat fields for the form to show. Whatever the person typed
//! that cannot be resolved is reported beside its field and kept as typed.

use crate::form::FormData;
use agora_domain::ListingKind;
use agora_geo::names::fold;
use serde_json::{Map, Value, json};

/// Most places a service may have (the content model's own limit); the form shows those
/// there are and one more.
pub const MAX_LOCATIONS: usize = 50;
/// Most places one coverage field may list (the content model's own limit).
const MAX_TYPED_PLACES: usize = 200;

/// Sections each kind lets its members show or hide.
pub fn sections(kind: ListingKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ListingKind::Structure => &[
            ("description", "Présentation"),
            ("address", "Adresse"),
            ("contact", "Contact"),
        ],
        ListingKind::Service => &[
            ("description", "Présentation"),
            ("locations", "Lieux"),
            ("opening_hours", "Horaires"),
            ("contact", "Contact"),
        ],
        ListingKind::Project => &[
            ("need", "Besoin"),
            ("description", "Présentation"),
            ("contact", "Contact"),
        ],
    }
}

/// Fields the person typed that do not resolve to a place: (JSON pointer, message).
pub type PlaceErrors = Vec<(String, String)>;

fn text(form: &FormData, name: &str) -> Value {
    let v = form.raw(name);
    if v.trim().is_empty() {
        Value::Null
    } else {
        Value::String(v.trim().to_owned())
    }
}

fn required_text(form: &FormData, name: &str) -> Value {
    Value::String(form.raw(name).trim().to_owned())
}

fn list(form: &FormData, name: &str) -> Value {
    Value::Array(form.all(name).into_iter().map(Value::String).collect())
}

fn contact(form: &FormData) -> Value {
    let mut c = Map::new();
    for key in ["name", "email", "phone", "website"] {
        if let Value::String(s) = text(form, &format!("contact.{key}")) {
            c.insert(key.into(), Value::String(s));
        }
    }
    if c.is_empty() {
        Value::Null
    } else {
        Value::Object(c)
    }
}

fn visibility(form: &FormData, kind: ListingKind) -> Value {
    let mut v = Map::new();
    for (section, _) in sections(kind) {
        let level = form.text(&format!("vis.{section}"));
        if matches!(level.as_str(), "private" | "confidential") {
            v.insert((*section).into(), Value::String(level));
        }
    }
    Value::Object(v)
}

/// The commune a person means by a name and a postcode (either may be missing when the
/// other is enough).
fn commune_of(name: &str, postcode: &str) -> Result<&'static agora_geo::Commune, String> {
    let key = fold(name);
    if !postcode.is_empty() {
        let found: Vec<_> = agora_geo::communes_with_postcode(postcode)
            .into_iter()
            .filter(|c| key.is_empty() || fold(c.name) == key)
            .collect();
        return match found.as_slice() {
            [one] => Ok(one),
            [] if agora_geo::communes_with_postcode(postcode).is_empty() => {
                Err(format!("Aucune commune n'a le code postal {postcode}."))
            }
            [] => Err(format!(
                "Aucune commune « {name} » n'a le code postal {postcode}."
            )),
            _ => Err(format!(
                "Plusieurs communes ont le code postal {postcode} : écrivez aussi le nom de la commune."
            )),
        };
    }
    if let Some(c) = agora_geo::commune(name) {
        return Ok(c);
    }
    let found: Vec<_> = agora_geo::autocomplete(name, 20)
        .into_iter()
        .filter(|m| fold(m.commune.name) == key)
        .map(|m| m.commune)
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(format!("Aucune commune ne s'appelle « {name} ».")),
        _ => Err(format!(
            "Plusieurs communes s'appellent « {name} » : ajoutez le code postal, par exemple « {name} {} ».",
            found[0].postcodes.first().copied().unwrap_or("00000")
        )),
    }
}

/// An address from its fields `{prefix}.street`, `.postcode`, `.commune`; `Null` when
/// all are empty.
fn address(form: &FormData, prefix: &str, pointer: &str, errors: &mut PlaceErrors) -> Value {
    let street = form.text(&format!("{prefix}.street"));
    let postcode = form.text(&format!("{prefix}.postcode"));
    let commune = form.text(&format!("{prefix}.commune"));
    if street.is_empty() && postcode.is_empty() && commune.is_empty() {
        return Value::Null;
    }
    if postcode.is_empty() && commune.is_empty() {
        errors.push((
            format!("{pointer}/commune_name"),
            "Donnez la commune ou le code postal.".into(),
        ));
        return Value::Null;
    }
    match commune_of(&commune, &postcode) {
        Ok(c) => {
            let postcode = if postcode.is_empty() {
                c.postcodes.first().copied().unwrap_or_default().to_owned()
            } else {
                postcode
            };
            let mut a = json!({
                "postcode": postcode,
                "commune_code": c.code,
                "commune_name": c.name,
            });
            if !street.is_empty() {
                a["street"] = Value::String(street);
            }
            a
        }
        Err(message) => {
            errors.push((format!("{pointer}/commune_name"), message));
            Value::Null
        }
    }
}

/// Splits a list typed by hand ("Doubs, 39; Haute-Saône").
fn items(typed: &str) -> Vec<String> {
    typed
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The items of a list typed by hand, or the error when there are more than the content
/// model allows (each is looked up in the commune table: the count is bounded first).
fn bounded_items(typed: &str, errors: &mut PlaceErrors) -> Vec<String> {
    let all = items(typed);
    if all.len() > MAX_TYPED_PLACES {
        errors.push((
            "/coverage/codes".into(),
            format!("Trop de lieux : {MAX_TYPED_PLACES} au plus. Choisissez plutôt des départements ou des régions."),
        ));
        return Vec::new();
    }
    all
}

fn departement_code(typed: &str) -> Option<&'static str> {
    let t = typed.trim();
    if let Some(d) = agora_geo::departement(&t.to_uppercase()) {
        return Some(d.code);
    }
    // "25 — Doubs", "Doubs (25)" or "Doubs".
    let code: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    if let Some(d) = agora_geo::departement(&code.to_uppercase()) {
        return Some(d.code);
    }
    let key =
        fold(t.trim_end_matches(|c: char| c == ')' || c.is_ascii_digit() || c == '(' || c == ' '));
    agora_geo::departements()
        .iter()
        .find(|d| fold(d.name) == key)
        .map(|d| d.code)
}

fn commune_item(typed: &str) -> Result<&'static str, String> {
    // "Besançon", "25000", "Besançon 25000", "25056".
    let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
    let name: String = typed
        .chars()
        .filter(|c| !c.is_ascii_digit() && *c != '(' && *c != ')')
        .collect();
    let name = name.trim().trim_end_matches(['—', '-']).trim();
    if name.is_empty() && digits.len() == 5 && agora_geo::is_known_commune_code(&digits) {
        return Ok(agora_geo::commune(&digits)
            .map(|c| c.code)
            .unwrap_or_default());
    }
    let postcode = if digits.len() == 5 {
        digits.as_str()
    } else {
        ""
    };
    commune_of(name, postcode).map(|c| c.code)
}

fn coverage(form: &FormData, errors: &mut PlaceErrors) -> Value {
    match form.text("coverage.kind").as_str() {
        "regions" => json!({"kind": "regions", "codes": form.all("coverage.regions")}),
        "departements" => {
            let mut codes: Vec<String> = form.all("coverage.departements");
            for typed in bounded_items(&form.raw("coverage.departements_typed"), errors) {
                match departement_code(&typed) {
                    Some(code) => codes.push(code.to_owned()),
                    None => errors.push((
                        "/coverage/codes".into(),
                        format!(
                            "« {typed} » n'est pas un département : écrivez son nom ou son numéro."
                        ),
                    )),
                }
            }
            codes.sort();
            codes.dedup();
            json!({"kind": "departements", "codes": codes})
        }
        "communes" => {
            let mut codes = Vec::new();
            for typed in bounded_items(&form.raw("coverage.communes"), errors) {
                match commune_item(&typed) {
                    Ok(code) => codes.push(code.to_owned()),
                    Err(message) => errors.push(("/coverage/codes".into(), message)),
                }
            }
            codes.dedup();
            json!({"kind": "communes", "codes": codes})
        }
        _ => json!({"kind": "national"}),
    }
}

fn locations(form: &FormData, errors: &mut PlaceErrors) -> Value {
    let mut out = Vec::new();
    for i in 0..MAX_LOCATIONS {
        let prefix = format!("loc{i}");
        let pointer = format!("/locations/{}", out.len());
        let address = address(form, &prefix, &format!("{pointer}/address"), errors);
        if address.is_null() {
            continue;
        }
        let mut l = json!({ "address": address });
        if let Value::String(name) = text(form, &format!("{prefix}.name")) {
            l["name"] = Value::String(name);
        }
        out.push(l);
    }
    Value::Array(out)
}

/// The content document a posted form describes, every top-level field present (`null`
/// clears), so that it replaces the version being edited as a whole.
pub fn document(kind: ListingKind, form: &FormData) -> (Map<String, Value>, PlaceErrors) {
    let mut errors = Vec::new();
    let doc = match kind {
        ListingKind::Structure => json!({
            "name": required_text(form, "name"),
            "structure_kind": required_text(form, "structure_kind"),
            "rna": text(form, "rna"),
            "siren": text(form, "siren"),
            "siret": text(form, "siret"),
            "summary": text(form, "summary"),
            "description": text(form, "description"),
            "address": address(form, "address", "/address", &mut errors),
            "contact": contact(form),
            "visibility": visibility(form, kind),
        }),
        ListingKind::Service => json!({
            "name": required_text(form, "name"),
            "summary": required_text(form, "summary"),
            "description": text(form, "description"),
            "themes": list(form, "themes"),
            "cancer_types": list(form, "cancer_types"),
            "audiences": list(form, "audiences"),
            "stages": list(form, "stages"),
            "modes": list(form, "modes"),
            "cost": if form.text("cost") == "paid" { "paid" } else { "free" },
            "cost_details": text(form, "cost_details"),
            "coverage": coverage(form, &mut errors),
            "locations": locations(form, &mut errors),
            "opening_hours": text(form, "opening_hours"),
            "contact": contact(form),
            "visibility": visibility(form, kind),
        }),
        ListingKind::Project => json!({
            "title": required_text(form, "title"),
            "summary": required_text(form, "summary"),
            "need": required_text(form, "need"),
            "description": text(form, "description"),
            "themes": list(form, "themes"),
            "skills": list(form, "skills"),
            "project_kind": if form.text("project_kind") == "mini_mission" { "mini_mission" } else { "long_project" },
            "coverage": coverage(form, &mut errors),
            "anonymous": form.text("anonymous") == "oui",
            "contact": contact(form),
            "visibility": visibility(form, kind),
        }),
    };
    let map = match doc {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    (map, errors)
}

/// Puts back the positions (`lat`, `lon`) a stored address had, when the address typed is
/// the same place: the form does not show them, and saving must not lose them.
pub fn keep_positions(doc: &mut Map<String, Value>, stored: &Value) {
    fn same_place(a: &Value, b: &Value) -> bool {
        ["street", "postcode", "commune_code"]
            .iter()
            .all(|k| a.get(*k) == b.get(*k))
    }
    fn restore(new: &mut Value, old: &Value) {
        if new.is_object() && same_place(new, old) {
            for k in ["lat", "lon"] {
                if let Some(v) = old.get(k) {
                    new[k] = v.clone();
                }
            }
        }
    }
    if let (Some(new), Some(old)) = (doc.get_mut("address"), stored.get("address")) {
        restore(new, old);
    }
    if let (Some(Value::Array(new)), Some(Value::Array(old))) =
        (doc.get_mut("locations"), stored.get("locations"))
    {
        for n in new.iter_mut() {
            let Some(na) = n.get_mut("address") else {
                continue;
            };
            if let Some(oa) = old
                .iter()
                .filter_map(|o| o.get("address"))
                .find(|oa| same_place(oa, na))
            {
                restore(na, oa);
            }
        }
    }
}

fn push(out: &mut Vec<(String, String)>, name: &str, value: Option<&Value>) {
    match value {
        Some(Value::String(s)) => out.push((name.to_owned(), s.clone())),
        Some(Value::Bool(true)) => out.push((name.to_owned(), "oui".into())),
        Some(Value::Array(items)) => {
            for i in items {
                if let Value::String(s) = i {
                    out.push((name.to_owned(), s.clone()));
                }
            }
        }
        _ => {}
    }
}

fn push_address(out: &mut Vec<(String, String)>, prefix: &str, a: Option<&Value>) {
    let Some(a) = a else { return };
    push(out, &format!("{prefix}.street"), a.get("street"));
    push(out, &format!("{prefix}.postcode"), a.get("postcode"));
    push(out, &format!("{prefix}.commune"), a.get("commune_name"));
}

/// The flat fields of a stored content document, as the form shows them.
pub fn fields_of(content: &Value) -> FormData {
    let mut out = Vec::new();
    for key in [
        "name",
        "title",
        "structure_kind",
        "rna",
        "siren",
        "siret",
        "summary",
        "description",
        "need",
        "themes",
        "cancer_types",
        "audiences",
        "stages",
        "modes",
        "skills",
        "cost",
        "cost_details",
        "opening_hours",
        "project_kind",
        "anonymous",
    ] {
        push(&mut out, key, content.get(key));
    }
    push_address(&mut out, "address", content.get("address"));
    if let Some(Value::Object(c)) = content.get("contact") {
        for (k, v) in c {
            push(&mut out, &format!("contact.{k}"), Some(v));
        }
    }
    if let Some(Value::Object(v)) = content.get("visibility") {
        for (section, level) in v {
            push(&mut out, &format!("vis.{section}"), Some(level));
        }
    }
    if let Some(cov) = content.get("coverage") {
        push(&mut out, "coverage.kind", cov.get("kind"));
        let codes: Vec<String> = cov
            .get("codes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        match cov.get("kind").and_then(Value::as_str) {
            Some("regions") => codes
                .iter()
                .for_each(|c| out.push(("coverage.regions".into(), c.clone()))),
            Some("departements") => codes
                .iter()
                .for_each(|c| out.push(("coverage.departements".into(), c.clone()))),
            Some("communes") => {
                let words: Vec<String> = codes
                    .iter()
                    .map(|c| match agora_geo::commune(c) {
                        Some(m) => format!(
                            "{} {}",
                            m.name,
                            m.postcodes.first().copied().unwrap_or_default()
                        ),
                        None => c.clone(),
                    })
                    .collect();
                out.push(("coverage.communes".into(), words.join(", ")));
            }
            _ => {}
        }
    }
    if let Some(Value::Array(locs)) = content.get("locations") {
        for (i, l) in locs.iter().enumerate().take(MAX_LOCATIONS) {
            push(&mut out, &format!("loc{i}.name"), l.get("name"));
            push_address(&mut out, &format!("loc{i}"), l.get("address"));
        }
    }
    FormData::from_pairs(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData::from_pairs(
            pairs
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
        )
    }

    #[test]
    fn places_typed_in_words_become_codes() {
        let f = form(&[
            ("name", "Groupes de parole"),
            ("coverage.kind", "departements"),
            ("coverage.departements", "70"),
            ("coverage.departements_typed", "Doubs, 39"),
        ]);
        let (doc, errors) = document(ListingKind::Service, &f);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            doc["coverage"],
            json!({"kind": "departements", "codes": ["25", "39", "70"]})
        );
    }

    #[test]
    fn an_unknown_place_is_reported_not_dropped_silently() {
        let f = form(&[
            ("coverage.kind", "departements"),
            ("coverage.departements_typed", "Atlantide"),
        ]);
        let (_, errors) = document(ListingKind::Service, &f);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].1.contains("Atlantide"));
    }

    #[test]
    fn an_address_resolves_its_commune_and_round_trips() {
        let f = form(&[
            ("name", "Entraide"),
            ("address.street", "1 rue de la Paix"),
            ("address.postcode", "25000"),
            ("address.commune", "besancon"),
            ("vis.contact", "private"),
        ]);
        let (doc, errors) = document(ListingKind::Structure, &f);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(doc["address"]["commune_code"], "25056");
        assert_eq!(doc["visibility"], json!({"contact": "private"}));
        let back = fields_of(&Value::Object(doc));
        assert_eq!(back.text("address.commune"), "Besançon");
        assert_eq!(back.text("vis.contact"), "private");
    }

    #[test]
    fn saving_keeps_the_positions_the_form_does_not_show() {
        let stored = json!({"address": {"street": "1 rue A", "postcode": "25000", "commune_code": "25056", "commune_name": "Besançon", "lat": 47.2, "lon": 6.0}});
        let f = form(&[
            ("address.street", "1 rue A"),
            ("address.postcode", "25000"),
            ("address.commune", "Besançon"),
        ]);
        let (mut doc, _) = document(ListingKind::Structure, &f);
        keep_positions(&mut doc, &stored);
        assert_eq!(doc["address"]["lat"], 47.2);
        let moved = form(&[
            ("address.street", "3 rue B"),
            ("address.postcode", "25000"),
            ("address.commune", "Besançon"),
        ]);
        let (mut doc, _) = document(ListingKind::Structure, &moved);
        keep_positions(&mut doc, &stored);
        assert!(
            doc["address"].get("lat").is_none(),
            "a new address has no stale position"
        );
    }

    #[test]
    fn a_list_too_long_is_refused_before_any_lookup() {
        let many = vec!["Besançon"; 201].join(",");
        let f = form(&[("coverage.kind", "communes"), ("coverage.communes", &many)]);
        let (doc, errors) = document(ListingKind::Service, &f);
        assert_eq!(errors.len(), 1);
        assert_eq!(doc["coverage"]["codes"], json!([]));
    }

    #[test]
    fn communes_are_read_by_name_postcode_or_code() {
        assert_eq!(commune_item("25056"), Ok("25056"));
        assert_eq!(commune_item("Besançon 25000"), Ok("25056"));
        assert!(
            commune_item("Saint-Denis").is_err(),
            "several communes share the name"
        );
    }
}

//! Open Referral HSDS 3.0: structures as `organization`s, services as `service`s, each
//! valid for the specification's compiled schemas (`schema/compiled/organization.json`,
//! `service.json`). Every object HSDS identifies gets a UUID: the listing's own, or one
//! derived from it and the part's name (stable from one export to the next). Agora's
//! vocabularies (themes, audiences, cancers, stages, modes) are taxonomy terms in
//! `attributes`, each taxonomy named `agora:<vocabulary>`.

use super::common::{self, Env, part_id};
use crate::views::AnyListingView;
use agora_domain::content::{Address, Contact, Cost};
use agora_domain::{ListingContent, VocabularyKind};
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Inserts `value` under `key` when there is one.
fn put(obj: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        obj.insert(key.to_owned(), v.into());
    }
}

fn location(owner: Uuid, part: &str, name: Option<&str>, a: &Address) -> Value {
    let id = part_id(owner, part);
    let departement = common::departement_name(&a.commune_code);
    let mut address = Map::new();
    address.insert(
        "id".into(),
        json!(part_id(owner, &format!("{part}/address"))),
    );
    address.insert("location_id".into(), json!(id));
    address.insert(
        "address_1".into(),
        json!(a.street.clone().unwrap_or_else(|| a.commune_name.clone())),
    );
    address.insert("city".into(), json!(a.commune_name));
    put(
        &mut address,
        "region",
        departement
            .and_then(|d| agora_geo::region(d.region_code))
            .map(|r| r.name),
    );
    address.insert(
        "state_province".into(),
        json!(departement.map_or("", |d| d.name)),
    );
    address.insert("postal_code".into(), json!(a.postcode));
    address.insert("country".into(), json!("FR"));
    address.insert("address_type".into(), json!("physical"));
    let mut loc = Map::new();
    loc.insert("id".into(), json!(id));
    loc.insert("location_type".into(), json!("physical"));
    put(&mut loc, "name", name);
    put(&mut loc, "latitude", a.lat);
    put(&mut loc, "longitude", a.lon);
    loc.insert("external_identifier".into(), json!(a.commune_code));
    loc.insert("external_identifier_type".into(), json!("code INSEE"));
    loc.insert("addresses".into(), json!([address]));
    Value::Object(loc)
}

/// The phone of a contact, as HSDS `phones` (linked to `link` = `service_id` or
/// `organization_id`).
fn phones(owner: Uuid, link: &str, contact: Option<&Contact>) -> Option<Value> {
    let number = contact.and_then(|c| c.phone.as_deref())?;
    let mut phone = Map::new();
    phone.insert("id".into(), json!(part_id(owner, "phone")));
    phone.insert(link.into(), json!(owner));
    phone.insert("number".into(), json!(number));
    Some(json!([phone]))
}

/// Agora's vocabularies as HSDS attributes with their taxonomy terms.
fn attributes(
    env: &Env,
    owner: Uuid,
    link_entity: &str,
    terms: &[(VocabularyKind, &[String])],
) -> Value {
    let mut out = Vec::new();
    for (kind, slugs) in terms {
        let taxonomy = format!("agora:{}", kind.as_str());
        for slug in *slugs {
            let label = env.label(*kind, slug);
            let term_id = part_id(Uuid::nil(), &format!("{taxonomy}/{slug}"));
            out.push(json!({
                "id": part_id(owner, &format!("attribute/{taxonomy}/{slug}")),
                "link_id": owner,
                "link_type": taxonomy,
                "link_entity": link_entity,
                "taxonomy_term_id": term_id,
                "taxonomy_term": {
                    "id": term_id,
                    "code": slug,
                    "name": label,
                    "description": label,
                    "taxonomy": taxonomy,
                    "language": "fr",
                },
            }));
        }
    }
    Value::Array(out)
}

pub fn organization(env: &Env, view: &AnyListingView) -> Option<Value> {
    let ListingContent::Structure(c) = &view.content else {
        return None;
    };
    let id = view.id;
    let mut org = Map::new();
    org.insert("id".into(), json!(id));
    org.insert("name".into(), json!(c.name));
    let description = c
        .description
        .as_deref()
        .or(c.summary.as_deref())
        .unwrap_or(&c.name);
    org.insert("description".into(), json!(description));
    put(
        &mut org,
        "email",
        c.contact.as_ref().and_then(|c| c.email.clone()),
    );
    put(
        &mut org,
        "website",
        c.contact.as_ref().and_then(|c| c.website.clone()),
    );
    org.insert(
        "legal_status".into(),
        json!(env.label(VocabularyKind::StructureKind, &c.structure_kind)),
    );
    org.insert("uri".into(), json!(env.page(view.kind, id)));
    let identifiers: Vec<Value> = [
        ("FR-RNA", "RNA", c.rna.as_deref()),
        ("FR-SIRENE", "SIREN", c.siren.as_deref()),
        ("FR-SIRENE", "SIRET", c.siret.as_deref()),
    ]
    .into_iter()
    .filter_map(|(scheme, kind, value)| {
        value.map(|v| {
            json!({
                "id": part_id(id, &format!("identifier/{kind}")),
                "organization_id": id,
                "identifier_scheme": scheme,
                "identifier_type": kind,
                "identifier": v,
            })
        })
    })
    .collect();
    org.insert("organization_identifiers".into(), Value::Array(identifiers));
    put(
        &mut org,
        "phones",
        phones(id, "organization_id", c.contact.as_ref()),
    );
    if let Some(a) = &c.address {
        let mut loc = location(id, "address", Some(&c.name), a);
        if let Value::Object(o) = &mut loc {
            o.insert("organization_id".into(), json!(id));
        }
        org.insert("locations".into(), json!([loc]));
    }
    org.insert(
        "attributes".into(),
        attributes(
            env,
            id,
            "organization",
            &[(
                VocabularyKind::StructureKind,
                std::slice::from_ref(&c.structure_kind),
            )],
        ),
    );
    Some(Value::Object(org))
}

/// The service; `organization_id` only when its structure is public (and so in the
/// organizations export).
pub fn service(env: &Env, view: &AnyListingView, structure_public: bool) -> Option<Value> {
    let ListingContent::Service(c) = &view.content else {
        return None;
    };
    let id = view.id;
    let mut s = Map::new();
    s.insert("id".into(), json!(id));
    put(
        &mut s,
        "organization_id",
        view.structure
            .as_ref()
            .filter(|_| structure_public)
            .map(|st| json!(st.id)),
    );
    s.insert("name".into(), json!(c.name));
    let description = match &c.description {
        Some(d) => format!("{}\n\n{d}", c.summary),
        None => c.summary.clone(),
    };
    s.insert("description".into(), json!(description));
    put(
        &mut s,
        "url",
        c.contact.as_ref().and_then(|c| c.website.clone()),
    );
    put(
        &mut s,
        "email",
        c.contact.as_ref().and_then(|c| c.email.clone()),
    );
    s.insert("status".into(), json!("active"));
    let cost = match c.cost {
        Cost::Free => "Gratuit",
        Cost::Paid => "Payant",
    };
    s.insert(
        "fees_description".into(),
        json!(match &c.cost_details {
            Some(d) => format!("{cost}. {d}"),
            None => cost.to_owned(),
        }),
    );
    if c.cost == Cost::Free {
        s.insert(
            "cost_options".into(),
            json!([{"id": part_id(id, "cost"), "service_id": id, "option": "Gratuit", "currency": "EUR", "amount": 0}]),
        );
    }
    let mut eligibility = env.labels(VocabularyKind::Audience, &c.audiences);
    eligibility.extend(env.labels(VocabularyKind::CancerType, &c.cancer_types));
    if !eligibility.is_empty() {
        s.insert(
            "eligibility_description".into(),
            json!(eligibility.join(", ")),
        );
    }
    s.insert(
        "last_modified".into(),
        json!(
            view.updated_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
    );
    put(&mut s, "assured_date", view.verified_at.map(common::date));
    // Agora's own field (HSDS allows more): the evaluations' figures.
    put(
        &mut s,
        "agora_evaluations",
        view.evaluations
            .as_ref()
            .and_then(|e| serde_json::to_value(e).ok()),
    );
    put(
        &mut s,
        "phones",
        phones(id, "service_id", c.contact.as_ref()),
    );
    if let Some(hours) = &c.opening_hours {
        s.insert(
            "schedules".into(),
            json!([{"id": part_id(id, "schedule"), "service_id": id, "description": hours}]),
        );
    }
    s.insert(
        "service_areas".into(),
        json!([{
            "id": part_id(id, "area"),
            "service_id": id,
            "name": common::zone_in_words(&c.coverage),
            "extent_type": "text",
            "extent": c.coverage.kind_str(),
        }]),
    );
    let at_locations: Vec<Value> = c
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let part = format!("location/{i}");
            let loc = location(id, &part, l.name.as_deref(), &l.address);
            json!({
                "id": part_id(id, &format!("{part}/at")),
                "service_id": id,
                "location_id": loc["id"],
                "location": loc,
            })
        })
        .collect();
    if !at_locations.is_empty() {
        s.insert("service_at_locations".into(), Value::Array(at_locations));
    }
    if let Some(name) = c.contact.as_ref().and_then(|c| c.name.as_deref()) {
        s.insert(
            "contacts".into(),
            json!([{"id": part_id(id, "contact"), "service_id": id, "name": name}]),
        );
    }
    s.insert(
        "attributes".into(),
        attributes(
            env,
            id,
            "service",
            &[
                (VocabularyKind::Theme, &c.themes),
                (VocabularyKind::Audience, &c.audiences),
                (VocabularyKind::CancerType, &c.cancer_types),
                (VocabularyKind::Stage, &c.stages),
                (VocabularyKind::Mode, &c.modes),
            ],
        ),
    );
    Some(Value::Object(s))
}

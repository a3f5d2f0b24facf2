//! data·inclusion schema v1 (`data_inclusion.schema.v1.Structure` and `.Service`, package
//! `data-inclusion-schema` 1.0.x). Field names are the schema's; fields the schema does not
//! define start with `agora_` (its models ignore them): Agora's themes, audiences and other
//! vocabularies by slug, the identifiers it has no field for (RNA, SIREN), the opening hours
//! as written (the schema's `horaires_accueil` must be in OpenStreetMap syntax, which
//! Agora's free text is not).

use super::common::{self, Env};
use super::thematiques;
use crate::views::AnyListingView;
use agora_domain::content::{Address, Contact, Cost, ServiceContent, StructureContent};
use agora_domain::{ListingContent, VocabularyKind};
use serde::Serialize;
use uuid::Uuid;

/// The producer's name, and the prefix of every id (`agora--<uuid>`), as data·inclusion
/// composes ids from the source and the producer's own id.
pub const SOURCE: &str = "agora";

const NAME_MIN: usize = 3;
const NAME_MAX: usize = 150;
const DESCRIPTION_MIN: usize = 5;
const DESCRIPTION_MAX: usize = 10_000;

fn id(uuid: Uuid) -> String {
    format!("{SOURCE}--{uuid}")
}

/// A name within the schema's bounds (3 to 150 characters, no final full stop): a shorter
/// one gets `what` after it in brackets.
fn name(raw: &str, what: &str) -> String {
    let mut name = common::truncate(raw.trim(), NAME_MAX);
    while name.ends_with('.') && !name.ends_with("etc.") {
        name.pop();
    }
    if name.chars().count() < NAME_MIN {
        name = common::truncate(&format!("{name} ({what})"), NAME_MAX);
    }
    name
}

fn description(text: String) -> Option<String> {
    let text = text.trim();
    (text.chars().count() >= DESCRIPTION_MIN).then(|| common::truncate(text, DESCRIPTION_MAX))
}

/// Where the schema places a listing.
#[derive(Serialize, Default)]
struct Place {
    #[serde(skip_serializing_if = "Option::is_none")]
    commune: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_postal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_insee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adresse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
}

impl Place {
    fn of(a: Option<&Address>) -> Self {
        let Some(a) = a else {
            return Self::default();
        };
        Self {
            commune: Some(a.commune_name.clone()),
            code_postal: Some(a.postcode.clone()),
            code_insee: Some(a.commune_code.clone()),
            adresse: a.street.clone().filter(|s| !s.is_empty()),
            longitude: a.lon,
            latitude: a.lat,
        }
    }
}

#[derive(Serialize)]
pub struct Structure {
    source: &'static str,
    id: String,
    nom: String,
    date_maj: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    lien_source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    siret: Option<String>,
    #[serde(flatten)]
    place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    courriel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site_web: Option<String>,
    agora_type_structure: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    agora_rna: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agora_siren: Option<String>,
    agora_labellise: bool,
}

fn contact_of(c: Option<&Contact>) -> (Option<String>, Option<String>, Option<String>) {
    c.map_or((None, None, None), |c| {
        (c.phone.clone(), c.email.clone(), c.website.clone())
    })
}

pub fn structure(env: &Env, view: &AnyListingView) -> Option<Structure> {
    let ListingContent::Structure(c) = &view.content else {
        return None;
    };
    Some(structure_of(env, view, c))
}

fn structure_of(env: &Env, view: &AnyListingView, c: &StructureContent) -> Structure {
    let kind = env.label(VocabularyKind::StructureKind, &c.structure_kind);
    let (telephone, courriel, site_web) = contact_of(c.contact.as_ref());
    let text = c
        .description
        .clone()
        .or_else(|| c.summary.clone())
        .unwrap_or_default();
    Structure {
        source: SOURCE,
        id: id(view.id),
        nom: name(&c.name, &kind),
        date_maj: common::date(view.updated_at),
        description: description(text),
        lien_source: env.page(view.kind, view.id),
        siret: c.siret.clone(),
        place: Place::of(c.address.as_ref()),
        telephone,
        courriel,
        site_web,
        agora_type_structure: c.structure_kind.clone(),
        agora_rna: c.rna.clone(),
        agora_siren: c.siren.clone(),
        agora_labellise: view.labelled,
    }
}

#[derive(Serialize)]
pub struct Service {
    source: &'static str,
    structure_id: String,
    id: String,
    nom: String,
    description: String,
    lien_source: String,
    date_maj: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    thematiques: Vec<&'static str>,
    frais: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    frais_precisions: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    publics: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publics_precisions: Option<String>,
    #[serde(flatten)]
    place: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    courriel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contact_nom_prenom: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    modes_accueil: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zone_eligibilite: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    lien_mobilisation: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    modes_mobilisation: Vec<&'static str>,
    agora_thematiques: Vec<String>,
    agora_types_cancer: Vec<String>,
    agora_publics: Vec<String>,
    agora_etapes: Vec<String>,
    agora_modes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agora_horaires: Option<String>,
    agora_labellise: bool,
    /// What the people who used it say, criterion by criterion (Agora's own field, which
    /// data·inclusion's model ignores).
    #[serde(skip_serializing_if = "Option::is_none")]
    agora_evaluations: Option<crate::evaluations::EvaluationSummary>,
}

/// The service as a data·inclusion `Service`; `None` when its structure is not public (the
/// schema requires the structure's id, which must then be in the structures export).
pub fn service(env: &Env, view: &AnyListingView, structure_public: bool) -> Option<Service> {
    let ListingContent::Service(c) = &view.content else {
        return None;
    };
    let structure = view.structure.as_ref().filter(|_| structure_public)?;
    Some(service_of(env, view, c, structure.id))
}

fn service_of(env: &Env, view: &AnyListingView, c: &ServiceContent, structure: Uuid) -> Service {
    let (telephone, courriel, website) = contact_of(c.contact.as_ref());
    let mut modes_mobilisation = Vec::new();
    if courriel.is_some() {
        modes_mobilisation.push("envoyer-un-courriel");
    }
    if telephone.is_some() {
        modes_mobilisation.push("telephoner");
    }
    if website.is_some() {
        modes_mobilisation.push("utiliser-lien-mobilisation");
    }
    let theme = c
        .themes
        .first()
        .map(|t| env.label(VocabularyKind::Theme, t))
        .unwrap_or_default();
    let nom = name(&c.name, &theme);
    let text = match &c.description {
        Some(d) => format!("{}\n\n{d}", c.summary),
        None => c.summary.clone(),
    };
    let description = description(text.clone())
        .unwrap_or_else(|| common::truncate(&format!("{nom} : {text}"), DESCRIPTION_MAX));
    Service {
        source: SOURCE,
        structure_id: id(structure),
        id: id(view.id),
        nom,
        description,
        lien_source: env.page(view.kind, view.id),
        date_maj: common::date(view.updated_at),
        thematiques: thematiques::thematiques(&c.themes),
        frais: match c.cost {
            Cost::Free => "gratuit",
            Cost::Paid => "payant",
        },
        frais_precisions: c.cost_details.clone(),
        publics: thematiques::publics(&c.audiences),
        publics_precisions: publics_in_words(env, c),
        place: Place::of(c.locations.first().map(|l| &l.address)),
        telephone,
        courriel,
        contact_nom_prenom: c.contact.as_ref().and_then(|c| c.name.clone()),
        modes_accueil: thematiques::modes_accueil(&c.modes),
        zone_eligibilite: common::zone_codes(&c.coverage, env.points),
        lien_mobilisation: website,
        modes_mobilisation,
        agora_thematiques: c.themes.clone(),
        agora_types_cancer: c.cancer_types.clone(),
        agora_publics: c.audiences.clone(),
        agora_etapes: c.stages.clone(),
        agora_modes: c.modes.clone(),
        agora_horaires: c.opening_hours.clone(),
        agora_labellise: view.labelled,
        agora_evaluations: view.evaluations.clone(),
    }
}

/// Who the service is for, in words: the audiences and the cancers.
fn publics_in_words(env: &Env, c: &ServiceContent) -> Option<String> {
    let mut parts = Vec::new();
    if !c.audiences.is_empty() {
        parts.push(
            env.labels(VocabularyKind::Audience, &c.audiences)
                .join(", "),
        );
    }
    if !c.cancer_types.is_empty() {
        parts.push(format!(
            "Cancers : {}",
            env.labels(VocabularyKind::CancerType, &c.cancer_types)
                .join(", ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join(". "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_the_schema() {
        assert_eq!(name("AB", "Association"), "AB (Association)");
        assert_eq!(name("Groupe de parole.", "x"), "Groupe de parole");
        assert_eq!(name("Ateliers, etc.", "x"), "Ateliers, etc.");
        assert!(name(&"mot ".repeat(60), "x").chars().count() <= NAME_MAX);
    }
}

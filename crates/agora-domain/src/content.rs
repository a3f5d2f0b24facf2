//! The content of listings (structures, services, projects) as members write it: the wire
//! format of create/update requests and the document stored in each revision.

use crate::contact::{parse_email, parse_phone_fr, parse_web_url};
use crate::coverage::{Coverage, check_point};
use crate::identifiers::{parse_rna, parse_siren, parse_siret, siren_of_siret};
use crate::lifecycle::ListingKind;
use crate::roles::Access;
use crate::validation::{ValidationErrors, Validator, deserialize_located, pointer_segment};
use crate::visibility::{Redactor, SectionVisibility};
use crate::vocabulary::{Vocabularies, VocabularyKind};
use serde::{Deserialize, Serialize};

const NAME_MAX: usize = 200;
const SUMMARY_MAX: usize = 300;
const LONG_TEXT_MAX: usize = 10_000;

/// A postal address with its commune's INSEE code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub street: Option<String>,
    pub postcode: String,
    /// INSEE code of the commune (5 characters, e.g. `25056`), not the postcode.
    pub commune_code: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub commune_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// Ways to reach a structure, a service or a project team.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A French number; stored in its grouped national form (`03 81 47 99 99`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
}

/// A place where an on-site service is delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub name: Option<String>,
    pub address: Address,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Cost {
    Free,
    Paid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    /// A project over months, with a team of contributors.
    LongProject,
    /// A short, well-delimited contribution.
    MiniMission,
}

/// An organisation: association, health establishment, local authority, company…
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Entraide Cancer Doubs", "structure_kind": "association", "rna": "W251000123", "summary": "Patients et proches s'entraident dans le Doubs.", "address": {"postcode": "25000", "commune_code": "25056", "commune_name": "Besançon"}, "contact": {"email": "contact@entraide.example.org", "phone": "03 81 00 00 00"}})))]
pub struct StructureContent {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    pub name: String,
    /// Slug from the `structure_kind` vocabulary (association, start-up…).
    pub structure_kind: String,
    /// RNA number of an association (`W` + 9 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rna: Option<String>,
    /// SIREN (9 digits, Luhn key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siren: Option<String>,
    /// SIRET of the registered establishment (14 digits, Luhn key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub summary: Option<String>,
    /// Section `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    /// Section `address`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// Section `contact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Visibility of each section (`description`, `address`, `contact`); public when absent.
    #[serde(default, skip_serializing_if = "SectionVisibility::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, crate::visibility::VisibilityLevel>))]
    pub visibility: SectionVisibility,
}

/// A support service (dispositif de soutien) a patient or caregiver can use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"name": "Groupes de parole", "summary": "Un soir par mois, entre personnes touchées par un cancer.", "themes": ["rencontres-pair-aidance"], "audiences": ["patients", "aidants"], "modes": ["visio"], "cost": "free", "coverage": {"kind": "departements", "codes": ["25", "39"]}})))]
pub struct ServiceContent {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub summary: String,
    /// Section `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    /// Slugs from the `theme` vocabulary (1 to 6).
    pub themes: Vec<String>,
    /// Slugs from the `cancer_type` vocabulary; empty means every cancer.
    #[serde(default)]
    pub cancer_types: Vec<String>,
    /// Slugs from the `audience` vocabulary.
    #[serde(default)]
    pub audiences: Vec<String>,
    /// Slugs from the `stage` vocabulary (pathway stages).
    #[serde(default)]
    pub stages: Vec<String>,
    /// Slugs from the `mode` vocabulary (présentiel, visio, téléphone, en ligne).
    pub modes: Vec<String>,
    pub cost: Cost,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub cost_details: Option<String>,
    pub coverage: Coverage,
    /// Section `locations`: where the on-site service takes place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// Section `opening_hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub opening_hours: Option<String>,
    /// Section `contact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Visibility of each section (`description`, `locations`, `opening_hours`, `contact`).
    #[serde(default, skip_serializing_if = "SectionVisibility::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, crate::visibility::VisibilityLevel>))]
    pub visibility: SectionVisibility,
}

/// A Lab Agora project looking for contributors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", schema(example = json!({"title": "Témoignages de retour au travail", "summary": "Des personnes pour raconter leur reprise.", "need": "Deux entretiens filmés d'une heure.", "themes": ["travail-emploi"], "skills": ["experience-patient"], "project_kind": "mini_mission", "coverage": {"kind": "national"}})))]
pub struct ProjectContent {
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub summary: String,
    /// Section `need`: what the project needs from contributors (required in requests;
    /// absent from views that may not show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub need: Option<String>,
    /// Section `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    /// Slugs from the `theme` vocabulary (1 to 6).
    pub themes: Vec<String>,
    /// Slugs from the `skill` vocabulary: the skills sought (1 to 10).
    pub skills: Vec<String>,
    pub project_kind: ProjectKind,
    pub coverage: Coverage,
    /// When true, only moderators and the structure's members know who runs the project.
    #[serde(default)]
    pub anonymous: bool,
    /// Section `contact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Visibility of each section (`need`, `description`, `contact`).
    #[serde(default, skip_serializing_if = "SectionVisibility::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::HashMap<String, crate::visibility::VisibilityLevel>))]
    pub visibility: SectionVisibility,
}

/// Fields used to spot likely duplicates among listings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DuplicateKeys {
    pub name: String,
    pub commune_code: Option<String>,
    pub rna: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
}

/// The content of one listing, whichever its kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ListingContent {
    Structure(StructureContent),
    Service(ServiceContent),
    Project(ProjectContent),
}

impl ListingContent {
    /// Reads the stored or submitted document of a listing of `kind`, reporting the path of
    /// the first value that does not fit as a JSON pointer.
    pub fn from_json(
        kind: ListingKind,
        value: serde_json::Value,
    ) -> Result<Self, ValidationErrors> {
        fn read<T: serde::de::DeserializeOwned>(
            v: serde_json::Value,
        ) -> Result<T, ValidationErrors> {
            deserialize_located(v).map_err(|e| ValidationErrors(vec![e]))
        }
        Ok(match kind {
            ListingKind::Structure => Self::Structure(read(value)?),
            ListingKind::Service => Self::Service(read(value)?),
            ListingKind::Project => Self::Project(read(value)?),
        })
    }

    pub fn to_json(&self) -> serde_json::Value {
        // Serialising plain data structures cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    pub fn kind(&self) -> ListingKind {
        match self {
            Self::Structure(_) => ListingKind::Structure,
            Self::Service(_) => ListingKind::Service,
            Self::Project(_) => ListingKind::Project,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Self::Structure(c) => &c.name,
            Self::Service(c) => &c.name,
            Self::Project(c) => &c.title,
        }
    }

    pub fn anonymous(&self) -> bool {
        matches!(self, Self::Project(p) if p.anonymous)
    }

    pub fn coverage(&self) -> Option<&Coverage> {
        match self {
            Self::Structure(_) => None,
            Self::Service(c) => Some(&c.coverage),
            Self::Project(c) => Some(&c.coverage),
        }
    }

    /// Normalises the document in place (trimmed text, canonical identifiers and phone
    /// numbers) and reports every invalid field.
    pub fn validate(&mut self, vocab: &Vocabularies) -> Result<(), ValidationErrors> {
        let mut v = Validator::new();
        match self {
            Self::Structure(c) => c.validate(&mut v, vocab),
            Self::Service(c) => c.validate(&mut v, vocab),
            Self::Project(c) => c.validate(&mut v, vocab),
        }
        v.finish()
    }

    /// Removes the sections `access` may not read; returns their names.
    pub fn redact(&mut self, access: Access) -> Vec<String> {
        let visibility = self.effective_visibility();
        let mut r = Redactor::new(&visibility, access);
        match self {
            Self::Structure(c) => {
                r.section("description", &mut c.description);
                r.section("address", &mut c.address);
                r.section("contact", &mut c.contact);
            }
            Self::Service(c) => {
                r.section("description", &mut c.description);
                r.section("locations", &mut c.locations);
                r.section("opening_hours", &mut c.opening_hours);
                r.section("contact", &mut c.contact);
            }
            Self::Project(c) => {
                r.section("need", &mut c.need);
                r.section("description", &mut c.description);
                r.section("contact", &mut c.contact);
            }
        }
        let hidden = r.hidden;
        // How a listing's sections are configured is the members' business.
        if access == Access::Public {
            self.visibility_mut().clear();
        }
        hidden
    }

    /// The visibility applied: what the members chose, made stricter where a rule demands.
    fn effective_visibility(&self) -> SectionVisibility {
        match self {
            Self::Structure(c) => c.visibility.clone(),
            Self::Service(c) => c.visibility.clone(),
            Self::Project(c) => {
                let mut v = c.visibility.clone();
                if c.anonymous {
                    // A contact address would name the structure an anonymous project hides;
                    // contributors reach it through mediated help offers instead.
                    let level = v.entry("contact".into()).or_default();
                    *level = level.max_private();
                }
                v
            }
        }
    }

    fn visibility_mut(&mut self) -> &mut SectionVisibility {
        match self {
            Self::Structure(c) => &mut c.visibility,
            Self::Service(c) => &mut c.visibility,
            Self::Project(c) => &mut c.visibility,
        }
    }

    pub fn duplicate_keys(&self) -> DuplicateKeys {
        match self {
            Self::Structure(c) => DuplicateKeys {
                name: c.name.clone(),
                commune_code: c.address.as_ref().map(|a| a.commune_code.clone()),
                rna: c.rna.clone(),
                siren: c.siren.clone().or_else(|| {
                    c.siret
                        .as_deref()
                        .and_then(siren_of_siret)
                        .map(str::to_owned)
                }),
                siret: c.siret.clone(),
            },
            Self::Service(c) => DuplicateKeys {
                name: c.name.clone(),
                commune_code: c.locations.first().map(|l| l.address.commune_code.clone()),
                ..DuplicateKeys::default()
            },
            Self::Project(c) => DuplicateKeys {
                name: c.title.clone(),
                ..DuplicateKeys::default()
            },
        }
    }
}

/// The section names a listing kind has.
pub fn sections(kind: ListingKind) -> &'static [&'static str] {
    match kind {
        ListingKind::Structure => &["description", "address", "contact"],
        ListingKind::Service => &["description", "locations", "opening_hours", "contact"],
        ListingKind::Project => &["need", "description", "contact"],
    }
}

fn check_slugs(
    v: &mut Validator,
    vocab: &Vocabularies,
    pointer: &str,
    slugs: &mut Vec<String>,
    kind: VocabularyKind,
    (min, max): (usize, usize),
) {
    let mut seen = std::collections::HashSet::new();
    slugs.retain(|s| seen.insert(s.clone()));
    if slugs.len() < min {
        v.push(
            pointer,
            "required",
            format!(
                "at least {min} value(s) from the {} vocabulary",
                kind.as_str()
            ),
        );
    }
    if slugs.len() > max {
        v.push(pointer, "too_many", format!("at most {max} values"));
    }
    for (i, s) in slugs.iter().enumerate() {
        if !vocab.contains(kind, s) {
            v.push(
                format!("{pointer}/{i}"),
                "unknown_term",
                format!("`{s}` is not in the {} vocabulary", kind.as_str()),
            );
        }
    }
}

fn check_visibility(v: &mut Validator, vis: &SectionVisibility, kind: ListingKind) {
    let allowed = sections(kind);
    for key in vis.keys() {
        if !allowed.contains(&key.as_str()) {
            v.push(
                format!("/visibility/{}", pointer_segment(key)),
                "unknown_section",
                format!("sections are: {}", allowed.join(", ")),
            );
        }
    }
}

fn check_address(v: &mut Validator, pointer: &str, a: &mut Address) {
    v.opt_text(&format!("{pointer}/street"), &mut a.street, 300);
    a.postcode = a.postcode.trim().to_owned();
    v.check(
        agora_geo::is_postcode(&a.postcode),
        &format!("{pointer}/postcode"),
        "invalid_postcode",
        "must be a French postcode (5 digits)",
    );
    a.commune_code = a.commune_code.trim().to_ascii_uppercase();
    v.check(
        agora_geo::is_known_commune_code(&a.commune_code),
        &format!("{pointer}/commune_code"),
        "invalid_commune_code",
        "must be a commune INSEE code (5 characters, e.g. 25056), not a postcode",
    );
    v.text(
        &format!("{pointer}/commune_name"),
        &mut a.commune_name,
        1,
        100,
    );
    match (a.lat, a.lon) {
        (Some(lat), Some(lon)) => check_point(v, pointer, lat, lon),
        (None, None) => {}
        _ => v.push(
            pointer,
            "incomplete_point",
            "give both lat and lon, or neither",
        ),
    }
}

fn check_contact(v: &mut Validator, pointer: &str, c: &mut Contact) {
    v.opt_text(&format!("{pointer}/name"), &mut c.name, 200);
    normalise(
        v,
        &format!("{pointer}/email"),
        &mut c.email,
        parse_email,
        "invalid_email",
        "must be an e-mail address",
    );
    normalise(
        v,
        &format!("{pointer}/phone"),
        &mut c.phone,
        parse_phone_fr,
        "invalid_phone",
        "must be a French phone number (10 digits, or +33…)",
    );
    normalise(
        v,
        &format!("{pointer}/website"),
        &mut c.website,
        parse_web_url,
        "invalid_url",
        "must be an http(s) address",
    );
}

/// Replaces an optional value by its canonical form, or reports it.
fn normalise(
    v: &mut Validator,
    pointer: &str,
    value: &mut Option<String>,
    parse: fn(&str) -> Option<String>,
    code: &str,
    detail: &str,
) {
    if let Some(raw) = value.as_deref() {
        if raw.trim().is_empty() {
            *value = None;
        } else if let Some(ok) = parse(raw) {
            *value = Some(ok);
        } else {
            v.push(pointer, code, detail);
        }
    }
}

impl StructureContent {
    fn validate(&mut self, v: &mut Validator, vocab: &Vocabularies) {
        v.text("/name", &mut self.name, 2, NAME_MAX);
        v.check(
            vocab.contains(VocabularyKind::StructureKind, &self.structure_kind),
            "/structure_kind",
            "unknown_term",
            format!(
                "`{}` is not in the structure_kind vocabulary",
                self.structure_kind
            ),
        );
        normalise(
            v,
            "/rna",
            &mut self.rna,
            parse_rna,
            "invalid_rna",
            "must be W followed by 9 digits",
        );
        normalise(
            v,
            "/siren",
            &mut self.siren,
            parse_siren,
            "invalid_siren",
            "must be 9 digits with a valid check digit",
        );
        normalise(
            v,
            "/siret",
            &mut self.siret,
            parse_siret,
            "invalid_siret",
            "must be 14 digits with a valid check digit",
        );
        let both_valid =
            |siren: &str, siret: &str| parse_siren(siren).is_some() && parse_siret(siret).is_some();
        if let (Some(siren), Some(siret)) = (&self.siren, &self.siret)
            && both_valid(siren, siret)
        {
            v.check(
                siren_of_siret(siret) == Some(siren.as_str()),
                "/siret",
                "siret_siren_mismatch",
                "the SIRET must start with the structure's SIREN",
            );
        }
        v.check(
            self.rna.is_some() || self.siren.is_some() || self.siret.is_some(),
            "/rna",
            "identifier_required",
            "give the structure's RNA number, SIREN or SIRET",
        );
        v.opt_text("/summary", &mut self.summary, SUMMARY_MAX);
        v.opt_text("/description", &mut self.description, LONG_TEXT_MAX);
        if let Some(a) = &mut self.address {
            check_address(v, "/address", a);
        }
        if let Some(c) = &mut self.contact {
            check_contact(v, "/contact", c);
        }
        check_visibility(v, &self.visibility, ListingKind::Structure);
    }
}

impl ServiceContent {
    fn validate(&mut self, v: &mut Validator, vocab: &Vocabularies) {
        v.text("/name", &mut self.name, 2, NAME_MAX);
        v.text("/summary", &mut self.summary, 1, SUMMARY_MAX);
        v.opt_text("/description", &mut self.description, LONG_TEXT_MAX);
        check_slugs(
            v,
            vocab,
            "/themes",
            &mut self.themes,
            VocabularyKind::Theme,
            (1, 6),
        );
        check_slugs(
            v,
            vocab,
            "/cancer_types",
            &mut self.cancer_types,
            VocabularyKind::CancerType,
            (0, 30),
        );
        check_slugs(
            v,
            vocab,
            "/audiences",
            &mut self.audiences,
            VocabularyKind::Audience,
            (0, 20),
        );
        check_slugs(
            v,
            vocab,
            "/stages",
            &mut self.stages,
            VocabularyKind::Stage,
            (0, 20),
        );
        check_slugs(
            v,
            vocab,
            "/modes",
            &mut self.modes,
            VocabularyKind::Mode,
            (1, 10),
        );
        v.opt_text("/cost_details", &mut self.cost_details, 500);
        self.coverage.validate(v, "/coverage");
        v.check(
            self.locations.len() <= 50,
            "/locations",
            "too_many",
            "at most 50 locations",
        );
        for (i, l) in self.locations.iter_mut().enumerate() {
            v.opt_text(&format!("/locations/{i}/name"), &mut l.name, 200);
            check_address(v, &format!("/locations/{i}/address"), &mut l.address);
        }
        v.check(
            !self.modes.iter().any(|m| m == "presentiel") || !self.locations.is_empty(),
            "/locations",
            "required",
            "an on-site (présentiel) service needs at least one location",
        );
        v.opt_text("/opening_hours", &mut self.opening_hours, 1000);
        if let Some(c) = &mut self.contact {
            check_contact(v, "/contact", c);
        }
        check_visibility(v, &self.visibility, ListingKind::Service);
    }
}

impl ProjectContent {
    fn validate(&mut self, v: &mut Validator, vocab: &Vocabularies) {
        v.text("/title", &mut self.title, 2, NAME_MAX);
        v.text("/summary", &mut self.summary, 1, SUMMARY_MAX);
        v.opt_text("/need", &mut self.need, LONG_TEXT_MAX);
        v.check(
            self.need.is_some(),
            "/need",
            "required",
            "say what the project needs from contributors",
        );
        v.opt_text("/description", &mut self.description, LONG_TEXT_MAX);
        check_slugs(
            v,
            vocab,
            "/themes",
            &mut self.themes,
            VocabularyKind::Theme,
            (1, 6),
        );
        check_slugs(
            v,
            vocab,
            "/skills",
            &mut self.skills,
            VocabularyKind::Skill,
            (1, 10),
        );
        self.coverage.validate(v, "/coverage");
        if let Some(c) = &mut self.contact {
            check_contact(v, "/contact", c);
        }
        check_visibility(v, &self.visibility, ListingKind::Project);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visibility::VisibilityLevel;
    use crate::vocabulary::Term;
    use serde_json::json;

    fn vocab() -> Vocabularies {
        let term = |kind, slug: &str| Term {
            kind,
            slug: slug.into(),
            label: slug.into(),
            family: None,
            colour: None,
            position: 0,
        };
        Vocabularies::new(
            1,
            vec![
                term(VocabularyKind::Theme, "travail-emploi"),
                term(VocabularyKind::Mode, "visio"),
                term(VocabularyKind::Mode, "presentiel"),
                term(VocabularyKind::Skill, "experience-patient"),
                term(VocabularyKind::StructureKind, "association"),
            ],
        )
    }

    fn pointers(kind: ListingKind, doc: serde_json::Value) -> Vec<String> {
        let mut c = ListingContent::from_json(kind, doc).unwrap();
        c.validate(&vocab())
            .err()
            .map(|e| e.0.into_iter().map(|e| e.pointer).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_valid_service_is_normalised() {
        let doc = json!({
            "name": "  ONCONNECTE À L'EMPLOI ", "summary": "Retour à l'emploi en visio",
            "themes": ["travail-emploi"], "modes": ["visio"], "cost": "free",
            "coverage": {"kind": "departements", "codes": ["39", "25"]},
            "contact": {"phone": "0381479999", "email": "aprescancer@irfc-fc.fr"}
        });
        let mut c = ListingContent::from_json(ListingKind::Service, doc).unwrap();
        c.validate(&vocab()).unwrap();
        let ListingContent::Service(s) = c else {
            unreachable!()
        };
        assert_eq!(s.name, "ONCONNECTE À L'EMPLOI");
        assert_eq!(s.contact.unwrap().phone.as_deref(), Some("03 81 47 99 99"));
        assert_eq!(
            s.coverage,
            Coverage::Departements {
                codes: vec!["25".into(), "39".into()]
            }
        );
    }

    #[test]
    fn every_invalid_field_is_pointed_at() {
        let doc = json!({
            "name": "X", "summary": "", "themes": ["cuisine"], "modes": ["presentiel"], "cost": "free",
            "coverage": {"kind": "communes", "codes": ["75O13"]},
            "contact": {"phone": "12", "email": "nope", "website": "javascript:alert(1)"},
            "visibility": {"secret": "private"}
        });
        assert_eq!(
            pointers(ListingKind::Service, doc),
            [
                "/name",
                "/summary",
                "/themes/0",
                "/coverage/codes/0",
                "/locations",
                "/contact/email",
                "/contact/phone",
                "/contact/website",
                "/visibility/secret"
            ]
        );
    }

    #[test]
    fn structures_need_a_valid_legal_identifier() {
        let base = json!({"name": "Entraide Cancer", "structure_kind": "association"});
        assert_eq!(pointers(ListingKind::Structure, base), ["/rna"]);
        let doc = json!({"name": "Entraide Cancer", "structure_kind": "association", "siret": "73282932000075", "siren": "130007347"});
        assert_eq!(pointers(ListingKind::Structure, doc), ["/siret"]);
        let doc = json!({"name": "Entraide Cancer", "structure_kind": "association", "siret": "73282932000074", "siren": "130007347"});
        assert_eq!(
            pointers(ListingKind::Structure, doc),
            ["/siret"],
            "SIRET of another SIREN"
        );
        let doc = json!({"name": "Entraide Cancer", "structure_kind": "association", "rna": "W251000123"});
        assert!(pointers(ListingKind::Structure, doc).is_empty());
    }

    #[test]
    fn read_only_fields_are_refused_when_read() {
        let doc = json!({"name": "A", "structure_kind": "association", "rna": "W251000123", "status": "published"});
        let e = ListingContent::from_json(ListingKind::Structure, doc).unwrap_err();
        assert_eq!(e.0[0].pointer, "/status");
        assert_eq!(e.0[0].code, "read_only_field");
    }

    #[test]
    fn redaction_hides_sections_by_reader() {
        let mut project = ProjectContent {
            title: "Témoignages".into(),
            summary: "s".into(),
            need: Some("need".into()),
            description: Some("budget".into()),
            themes: vec!["travail-emploi".into()],
            skills: vec!["experience-patient".into()],
            project_kind: ProjectKind::MiniMission,
            coverage: Coverage::National,
            anonymous: true,
            contact: Some(Contact {
                email: Some("p@x.fr".into()),
                ..Contact::default()
            }),
            visibility: SectionVisibility::new(),
        };
        project
            .visibility
            .insert("description".into(), VisibilityLevel::Confidential);
        project
            .visibility
            .insert("contact".into(), VisibilityLevel::Private);
        let content = ListingContent::Project(project);

        let mut public = content.clone();
        assert_eq!(public.redact(Access::Public), ["description", "contact"]);
        let json = public.to_json().to_string();
        assert!(
            !json.contains("budget") && !json.contains("p@x.fr") && !json.contains("visibility"),
            "{json}"
        );

        let mut member = content.clone();
        assert_eq!(member.redact(Access::Member), ["description"]);
        assert!(member.to_json().to_string().contains("p@x.fr"));

        let mut moderator = content;
        assert!(moderator.redact(Access::Moderator).is_empty());
        assert!(moderator.to_json().to_string().contains("budget"));
    }
}

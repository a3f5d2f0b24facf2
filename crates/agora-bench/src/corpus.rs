//! A synthetic corpus that looks like Agora's: French names and descriptions built from the
//! vocabularies, listings placed in communes in proportion to their population, coverage
//! zones of every kind. Deterministic: listing `i` of seed `s` is always the same, so a
//! corpus of a million is generated in batches and never held in memory.
//!
//! Listings come in blocks of eight: a structure, then four services and three projects
//! that belong to it and work where it is.

use agora_domain::content::{
    Address, Contact, Cost, Location, ProjectContent, ProjectKind, ServiceContent, StructureContent,
};
use agora_domain::{Coverage, ListingContent, ListingKind, Term, Vocabularies, VocabularyKind};
use agora_geo::{Commune, CommunePoints};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

pub const BLOCK: u64 = 8;

const ACTIVITIES: &[&str] = &[
    "Atelier",
    "Groupe de parole",
    "Permanence",
    "Consultation",
    "Programme",
    "Accompagnement",
    "Rencontres",
    "Ligne d'écoute",
    "Café",
    "Formation",
    "Séances",
    "Parcours",
    "Espace",
    "Plateforme",
    "Cercle",
];
const FOR: &[&str] = &[
    "pour les personnes malades",
    "pour les proches aidants",
    "après un cancer",
    "pendant les traitements",
    "pour les jeunes adultes",
    "pour les salariés",
    "pour les familles",
    "entre pairs",
    "à domicile",
    "en visioconférence",
];
const SENTENCES: &[&str] = &[
    "Un lieu d'écoute et d'échange animé par des bénévoles formés.",
    "Des professionnels accompagnent chaque personne selon ses besoins.",
    "Les séances ont lieu en petits groupes, dans un cadre bienveillant.",
    "Ouvert à toutes et à tous, sans condition de ressources.",
    "L'association propose aussi des temps conviviaux et des sorties.",
    "Un suivi personnalisé est possible après un premier entretien.",
    "Les proches sont les bienvenus aux rencontres mensuelles.",
    "Une psychologue et une assistante sociale assurent les permanences.",
    "Le programme dure huit semaines, à raison d'une séance par semaine.",
    "Des ateliers pratiques aident à reprendre confiance en soi.",
    "Inscription gratuite par téléphone ou en ligne.",
    "Les informations sont mises à jour régulièrement par l'équipe.",
    "Une socio-esthéticienne propose des soins pendant les traitements.",
    "Un enseignant en activité physique adaptée encadre les séances.",
    "Une juriste répond aux questions sur le maintien dans l'emploi.",
    "Une diététicienne donne des conseils de nutrition adaptés.",
];
const NEEDS: &[&str] = &[
    "Nous cherchons des personnes prêtes à partager leur expérience.",
    "Un appui ponctuel suffit : deux ou trois rencontres.",
    "Le projet a besoin de compétences variées pour avancer.",
];
const STRUCTURE_NAMES: &[&str] = &[
    "Association",
    "Comité",
    "Maison des patients",
    "Espace ressources",
    "Réseau",
    "Ligue",
];

/// One listing of the corpus: its content as a member would have written it, and what the
/// PostgreSQL baseline needs of it.
pub struct Synthetic {
    pub kind: ListingKind,
    pub id: Uuid,
    pub structure_id: Uuid,
    pub content: ListingContent,
    pub verified_at: DateTime<Utc>,
    pub baseline: BaselineRow,
}

/// A listing as a PostgreSQL full-text directory would store it.
pub struct BaselineRow {
    pub name: String,
    /// The public words the index holds: texts and vocabulary labels.
    pub body: String,
    pub themes: Vec<String>,
    /// A national zone.
    pub everywhere: bool,
    /// The zone's régions, départements and communes (a structure's: its own commune).
    pub cover_regions: Vec<String>,
    pub cover_departements: Vec<String>,
    pub cover_communes: Vec<String>,
    /// Every département the zone reaches, for département searches.
    pub departements: Vec<String>,
    /// An on-site listing's place.
    pub point: Option<(f64, f64)>,
}

pub struct Corpus {
    seed: u64,
    communes: Vec<&'static Commune>,
    cumulative: Vec<u64>,
    points: CommunePoints,
    vocab: Vocabularies,
    /// When the corpus is written: confirmations fall in the eight months before.
    now: DateTime<Utc>,
}

fn label(vocab: &Vocabularies, kind: VocabularyKind, slugs: &[String]) -> Vec<String> {
    slugs
        .iter()
        .filter_map(|s| vocab.label(kind, s).map(str::to_owned))
        .collect()
}

impl Corpus {
    pub fn new(seed: u64, vocab: Vocabularies, points: CommunePoints, now: DateTime<Utc>) -> Self {
        let communes: Vec<&'static Commune> = agora_geo::communes()
            .iter()
            .filter(|c| {
                c.population > 0 && c.parent_code.is_none() && points.point(c.code).is_some()
            })
            .collect();
        let mut total = 0u64;
        let cumulative = communes
            .iter()
            .map(|c| {
                total += u64::from(c.population);
                total
            })
            .collect();
        Self {
            seed,
            communes,
            cumulative,
            points,
            vocab,
            now,
        }
    }

    fn rng(&self, stream: u64, i: u64) -> StdRng {
        StdRng::seed_from_u64(
            self.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream.rotate_left(40) ^ i,
        )
    }

    /// A commune drawn in proportion to population.
    pub fn commune(&self, rng: &mut impl Rng) -> &'static Commune {
        let total = self.cumulative.last().copied().unwrap_or(1);
        let x = rng.random_range(0..total);
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.communes[i.min(self.communes.len() - 1)]
    }

    pub fn points(&self) -> &CommunePoints {
        &self.points
    }

    pub fn point_of(&self, commune: &Commune) -> (f64, f64) {
        self.points.point(commune.code).unwrap_or((46.6, 2.4))
    }

    pub fn id(&self, i: u64) -> Uuid {
        // Ids sort in corpus order, as the time-ordered ids of the product do.
        Uuid::from_u64_pair(
            0x0190_0000_0000_7000 | (self.seed & 0xFFF),
            0x8000_0000_0000_0000 | i,
        )
    }

    fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
        &items[rng.random_range(0..items.len())]
    }

    fn some(&self, rng: &mut StdRng, kind: VocabularyKind, max: usize) -> Vec<String> {
        let terms: Vec<&Term> = self.vocab.of_kind(kind).collect();
        let n = rng.random_range(1..=max.max(1));
        let mut chosen: Vec<String> = (0..n)
            .map(|_| Self::pick(rng, &terms).slug.clone())
            .collect();
        chosen.sort();
        chosen.dedup();
        chosen
    }

    fn address(&self, rng: &mut StdRng, commune: &Commune) -> Address {
        let (lat, lon) = self.point_of(commune);
        Address {
            street: Some(format!("{} rue de la République", rng.random_range(1..120))),
            postcode: commune
                .postcodes
                .first()
                .map_or_else(|| "75001".to_owned(), |p| (*p).to_owned()),
            commune_code: commune.code.to_owned(),
            commune_name: commune.name.to_owned(),
            // Within a few kilometres of the commune's centre.
            lat: Some(lat + rng.random_range(-0.02..0.02)),
            lon: Some(lon + rng.random_range(-0.03..0.03)),
        }
    }

    fn coverage(&self, rng: &mut StdRng, commune: &Commune) -> Coverage {
        match rng.random_range(0..100) {
            0..5 => Coverage::National,
            5..20 => Coverage::Regions {
                codes: vec![commune.region_code.to_owned()],
            },
            20..50 => Coverage::Departements {
                codes: vec![commune.departement_code.to_owned()],
            },
            50..80 => Coverage::Communes {
                codes: vec![commune.code.to_owned()],
            },
            _ => {
                let (lat, lon) = self.point_of(commune);
                Coverage::Radius {
                    lat,
                    lon,
                    radius_km: f64::from(rng.random_range(5..40)),
                }
            }
        }
    }

    fn text(rng: &mut StdRng, sentences: usize) -> String {
        (0..sentences)
            .map(|_| *Self::pick(rng, SENTENCES))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn listing(&self, i: u64) -> Synthetic {
        let block = i / BLOCK;
        let mut home = self.rng(1, block);
        let commune = self.commune(&mut home);
        let structure_id = self.id(block * BLOCK);
        let mut rng = self.rng(2, i);
        let kind = match i % BLOCK {
            0 => ListingKind::Structure,
            1..=4 => ListingKind::Service,
            _ => ListingKind::Project,
        };
        let v = &self.vocab;
        let mut keywords = Vec::new();
        let mut themes = Vec::new();
        let (content, point) = match kind {
            ListingKind::Structure => {
                let structure_kind = self
                    .some(&mut home, VocabularyKind::StructureKind, 1)
                    .remove(0);
                keywords.extend(label(
                    v,
                    VocabularyKind::StructureKind,
                    std::slice::from_ref(&structure_kind),
                ));
                let address = self.address(&mut rng, commune);
                let point = address.lat.zip(address.lon);
                let content = StructureContent {
                    name: format!(
                        "{} {} {}",
                        Self::pick(&mut home, STRUCTURE_NAMES),
                        commune.name,
                        block
                    ),
                    structure_kind,
                    // An RNA number starts with the département it was registered in.
                    rna: Some(format!(
                        "W{}{:07}",
                        &commune.departement_code[..2],
                        block % 10_000_000
                    )),
                    siren: None,
                    siret: None,
                    summary: Some(format!(
                        "{} à {}.",
                        Self::text(&mut rng, 1).trim_end_matches('.'),
                        commune.name
                    )),
                    description: Some(Self::text(&mut rng, 3)),
                    address: Some(address),
                    contact: Some(Contact {
                        email: Some(format!("contact{block}@structure.example.org")),
                        ..Contact::default()
                    }),
                    visibility: Default::default(),
                };
                (ListingContent::Structure(content), point)
            }
            ListingKind::Service => {
                themes = self.some(&mut rng, VocabularyKind::Theme, 3);
                let cancer_types = if rng.random_bool(0.7) {
                    Vec::new()
                } else {
                    self.some(&mut rng, VocabularyKind::CancerType, 2)
                };
                let audiences = self.some(&mut rng, VocabularyKind::Audience, 2);
                let stages = self.some(&mut rng, VocabularyKind::Stage, 2);
                let modes = self.some(&mut rng, VocabularyKind::Mode, 2);
                for (k, slugs) in [
                    (VocabularyKind::Theme, &themes),
                    (VocabularyKind::CancerType, &cancer_types),
                    (VocabularyKind::Audience, &audiences),
                    (VocabularyKind::Stage, &stages),
                    (VocabularyKind::Mode, &modes),
                ] {
                    keywords.extend(label(v, k, slugs));
                }
                let theme = label(v, VocabularyKind::Theme, &themes[..1])
                    .remove(0)
                    .to_lowercase();
                let on_site = modes.iter().any(|m| m == "presentiel");
                let locations = if on_site {
                    vec![Location {
                        name: None,
                        address: self.address(&mut rng, commune),
                    }]
                } else {
                    Vec::new()
                };
                let point = locations
                    .first()
                    .and_then(|l| l.address.lat.zip(l.address.lon));
                let content = ServiceContent {
                    name: format!(
                        "{} {} {}",
                        Self::pick(&mut rng, ACTIVITIES),
                        theme,
                        Self::pick(&mut rng, FOR)
                    ),
                    summary: format!(
                        "{} à {}.",
                        Self::text(&mut rng, 1).trim_end_matches('.'),
                        commune.name
                    ),
                    description: Some({
                        let sentences = rng.random_range(2..5);
                        Self::text(&mut rng, sentences)
                    }),
                    themes: themes.clone(),
                    cancer_types,
                    audiences,
                    stages,
                    modes,
                    cost: if rng.random_bool(0.8) {
                        Cost::Free
                    } else {
                        Cost::Paid
                    },
                    cost_details: None,
                    coverage: self.coverage(&mut rng, commune),
                    locations,
                    opening_hours: Some("Du lundi au vendredi, de 9 h à 17 h.".to_owned()),
                    contact: None,
                    visibility: Default::default(),
                };
                (ListingContent::Service(content), point)
            }
            ListingKind::Project => {
                themes = self.some(&mut rng, VocabularyKind::Theme, 2);
                let skills = self.some(&mut rng, VocabularyKind::Skill, 3);
                keywords.extend(label(v, VocabularyKind::Theme, &themes));
                keywords.extend(label(v, VocabularyKind::Skill, &skills));
                let content = ProjectContent {
                    title: format!(
                        "Projet : {} {}",
                        Self::pick(&mut rng, ACTIVITIES).to_lowercase(),
                        Self::pick(&mut rng, FOR)
                    ),
                    summary: format!(
                        "{} à {}.",
                        Self::text(&mut rng, 1).trim_end_matches('.'),
                        commune.name
                    ),
                    need: Some((*Self::pick(&mut rng, NEEDS)).to_owned()),
                    description: Some(Self::text(&mut rng, 2)),
                    themes: themes.clone(),
                    skills,
                    project_kind: if rng.random_bool(0.5) {
                        ProjectKind::LongProject
                    } else {
                        ProjectKind::MiniMission
                    },
                    coverage: self.coverage(&mut rng, commune),
                    anonymous: rng.random_bool(0.1),
                    contact: None,
                    visibility: Default::default(),
                };
                (ListingContent::Project(content), None)
            }
        };
        // Confirmed over the last eight months: some are due for a refresh.
        let verified_at = self.now - Duration::hours(rng.random_range(0..24 * 240));
        let baseline = self.baseline_row(&content, commune, keywords, themes, point);
        Synthetic {
            kind,
            id: self.id(i),
            structure_id,
            content,
            verified_at,
            baseline,
        }
    }

    fn baseline_row(
        &self,
        content: &ListingContent,
        commune: &Commune,
        keywords: Vec<String>,
        themes: Vec<String>,
        point: Option<(f64, f64)>,
    ) -> BaselineRow {
        let mut texts: Vec<String> = match content {
            ListingContent::Structure(c) => {
                c.summary.iter().chain(&c.description).cloned().collect()
            }
            ListingContent::Service(c) => std::iter::once(c.summary.clone())
                .chain(c.description.iter().chain(&c.opening_hours).cloned())
                .collect(),
            ListingContent::Project(c) => std::iter::once(c.summary.clone())
                .chain(c.need.iter().chain(&c.description).cloned())
                .collect(),
        };
        texts.extend(keywords);
        let reach = reach(content.coverage(), commune, &self.points);
        BaselineRow {
            name: content.name().to_owned(),
            body: texts.join(" "),
            themes,
            everywhere: reach.everywhere,
            cover_regions: reach.cover_regions,
            cover_departements: reach.cover_departements,
            cover_communes: reach.cover_communes,
            departements: reach.departements,
            point,
        }
    }
}

/// Where a zone is, as a directory without the index's zone model would record it.
#[derive(Default)]
struct Reach {
    everywhere: bool,
    cover_regions: Vec<String>,
    cover_departements: Vec<String>,
    cover_communes: Vec<String>,
    departements: Vec<String>,
}

fn reach(coverage: Option<&Coverage>, commune: &Commune, points: &CommunePoints) -> Reach {
    let communes = |codes: Vec<String>| {
        let mut departements: Vec<String> = codes
            .iter()
            .filter_map(|c| agora_geo::departement_of_commune(c).map(|d| d.code.to_owned()))
            .collect();
        departements.sort();
        departements.dedup();
        Reach {
            cover_communes: codes,
            departements,
            ..Reach::default()
        }
    };
    match coverage {
        Some(Coverage::National) => Reach {
            everywhere: true,
            ..Reach::default()
        },
        Some(Coverage::Regions { codes }) => Reach {
            cover_regions: codes.clone(),
            departements: codes
                .iter()
                .flat_map(|r| agora_geo::departements_of_region(r).map(|d| d.code.to_owned()))
                .collect(),
            ..Reach::default()
        },
        Some(Coverage::Departements { codes }) => Reach {
            cover_departements: codes.clone(),
            departements: codes.clone(),
            ..Reach::default()
        },
        Some(Coverage::Communes { codes }) => communes(codes.clone()),
        Some(Coverage::Radius {
            lat,
            lon,
            radius_km,
        }) => communes(
            points
                .communes_within(*lat, *lon, *radius_km)
                .iter()
                .map(|c| c.code.to_owned())
                .collect(),
        ),
        None => communes(vec![commune.code.to_owned()]),
    }
}

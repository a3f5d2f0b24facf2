//! The fixed mix of searches, the same for every system measured: what patients and
//! caregivers type, with and without a place.

use crate::corpus::Corpus;
use agora_domain::{Vocabularies, VocabularyKind};
use agora_search::{Place, SearchRequest};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Results asked for per search, as a result page shows them.
pub const PAGE: usize = 10;
pub const AROUND_KM: f64 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    Words,
    WordsThemeDepartement,
    AroundMe,
    FacetOnly,
    Typos,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Self::Words,
        Self::WordsThemeDepartement,
        Self::AroundMe,
        Self::FacetOnly,
        Self::Typos,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Words => "words",
            Self::WordsThemeDepartement => "words + theme + département",
            Self::AroundMe => "around me, 20 km",
            Self::FacetOnly => "facets only (theme)",
            Self::Typos => "words with typos",
        }
    }
}

const WORDS: &[&str] = &[
    "groupe de parole",
    "soutien psychologique",
    "activité physique adaptée",
    "retour à l'emploi",
    "aidants",
    "nutrition",
    "juriste emploi",
    "diététicienne",
    "ligne d'écoute",
    "jeunes adultes",
    "socio-esthéticienne",
    "assistante sociale",
    "cancer du sein",
    "après-cancer",
    "psychologue",
    "bénévoles formés",
    "droits",
    "atelier nutrition",
    "séances en petits groupes",
    "permanence",
];

const TYPOS: &[&str] = &[
    "psycologue",
    "nutrision",
    "activite phisique",
    "diététisienne",
    "acompagnement",
    "aidents",
    "emplio",
    "benevoles formes",
    "socio-esthetitienne",
    "permanance",
];

#[derive(Debug, Clone, PartialEq)]
pub struct BenchQuery {
    pub category: Category,
    pub q: Option<String>,
    pub theme: Option<String>,
    pub departement: Option<String>,
    /// "Around me": the person's position and the commune nearest to it.
    pub point: Option<(f64, f64)>,
    pub commune: Option<&'static agora_geo::Commune>,
}

impl BenchQuery {
    fn new(category: Category) -> Self {
        Self {
            category,
            q: None,
            theme: None,
            departement: None,
            point: None,
            commune: None,
        }
    }

    /// The request as the search-index crate takes it.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            q: self.q.clone(),
            themes: self.theme.iter().cloned().collect(),
            place: match (&self.departement, self.point) {
                (Some(d), _) => Some(Place::Departement(d.clone())),
                (None, Some((lat, lon))) => Some(Place::Point { lat, lon }),
                (None, None) => None,
            },
            radius_km: self.point.map(|_| AROUND_KM),
            limit: PAGE,
            ..SearchRequest::default()
        }
    }

    /// The same request on the HTTP API.
    pub fn path(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &self.q {
            query.append_pair("q", q);
        }
        if let Some(t) = &self.theme {
            query.append_pair("theme", t);
        }
        if let Some(d) = &self.departement {
            query.append_pair("code_departement", d);
        }
        if let Some((lat, lon)) = self.point {
            query.append_pair("lat", &format!("{lat:.5}"));
            query.append_pair("lon", &format!("{lon:.5}"));
            query.append_pair("radius_km", &AROUND_KM.to_string());
        }
        query.append_pair("limit", &PAGE.to_string());
        format!("/api/v1/search?{}", query.finish())
    }
}

/// The searches of the mix of one category.
pub fn of_category(mix: &[BenchQuery], category: Category) -> Vec<BenchQuery> {
    mix.iter()
        .filter(|q| q.category == category)
        .cloned()
        .collect()
}

/// `per_category` searches of each category, always the same for a seed.
pub fn mix(
    seed: u64,
    corpus: &Corpus,
    vocab: &Vocabularies,
    per_category: usize,
) -> Vec<BenchQuery> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5EA5C4);
    let themes: Vec<String> = vocab
        .of_kind(VocabularyKind::Theme)
        .map(|t| t.slug.clone())
        .collect();
    let mut out = Vec::new();
    for category in Category::ALL {
        for n in 0..per_category {
            let mut query = BenchQuery::new(category);
            match category {
                Category::Words => query.q = Some(WORDS[n % WORDS.len()].to_owned()),
                Category::WordsThemeDepartement => {
                    query.q = Some(WORDS[rng.random_range(0..WORDS.len())].to_owned());
                    query.theme = Some(themes[rng.random_range(0..themes.len())].clone());
                    query.departement = Some(corpus.commune(&mut rng).departement_code.to_owned());
                }
                Category::AroundMe => {
                    // Someone at home, a few kilometres from their commune's centre.
                    let commune = corpus.commune(&mut rng);
                    let (lat, lon) = corpus.point_of(commune);
                    // Rounded as the URL carries it, so that both sides search the same point.
                    let round = |v: f64| (v * 1e5).round() / 1e5;
                    let at = (
                        round(lat + rng.random_range(-0.02..0.02)),
                        round(lon + rng.random_range(-0.03..0.03)),
                    );
                    query.point = Some(at);
                    query.commune = corpus.points().nearest_commune(at.0, at.1);
                }
                Category::FacetOnly => query.theme = Some(themes[n % themes.len()].clone()),
                Category::Typos => query.q = Some(TYPOS[n % TYPOS.len()].to_owned()),
            }
            out.push(query);
        }
    }
    out
}

//! The embedded reference, parsed once on first use.

use crate::names::fold;
use crate::{Commune, Departement, FormerCommune, Region};
use std::collections::HashMap;
use std::sync::OnceLock;

static REGIONS: &str = include_str!("../data/regions.csv");
static DEPARTEMENTS: &str = include_str!("../data/departements.csv");
static COMMUNES: &str = include_str!("../data/communes.csv");
static FORMER_COMMUNES: &str = include_str!("../data/anciennes_communes.csv");

pub(crate) struct Reference {
    pub regions: Vec<Region>,
    pub departements: Vec<Departement>,
    pub communes: Vec<Commune>,
    pub former: Vec<FormerCommune>,
    pub commune_index: HashMap<&'static str, usize>,
    pub postcode_index: HashMap<&'static str, Vec<usize>>,
    /// Paris, Lyon and Marseille's municipal arrondissements.
    pub arrondissements: HashMap<&'static str, Vec<usize>>,
}

/// The data rows of an embedded `;`-separated file (its header skipped).
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').collect())
}

fn field(row: &[&'static str], i: usize) -> &'static str {
    row.get(i).copied().unwrap_or_default()
}

fn parse() -> Reference {
    let regions = rows(REGIONS)
        .map(|r| Region {
            code: field(&r, 0),
            name: field(&r, 1),
        })
        .collect();
    let departements = rows(DEPARTEMENTS)
        .map(|r| Departement {
            code: field(&r, 0),
            name: field(&r, 1),
            region_code: field(&r, 2),
        })
        .collect();
    let communes: Vec<Commune> = rows(COMMUNES)
        .map(|r| Commune {
            code: field(&r, 0),
            name: field(&r, 1),
            departement_code: field(&r, 2),
            region_code: field(&r, 3),
            postcodes: field(&r, 4).split(' ').filter(|p| !p.is_empty()).collect(),
            population: field(&r, 5).parse().unwrap_or(0),
            parent_code: Some(field(&r, 6)).filter(|p| !p.is_empty()),
            key: fold(field(&r, 1)),
        })
        .collect();
    let former = rows(FORMER_COMMUNES)
        .map(|r| FormerCommune {
            code: field(&r, 0),
            name: field(&r, 1),
            commune_code: field(&r, 3),
            key: fold(field(&r, 1)),
        })
        .collect();
    let commune_index = communes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.code, i))
        .collect();
    let mut postcode_index: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        for pc in &c.postcodes {
            postcode_index.entry(pc).or_default().push(i);
        }
    }
    let mut arrondissements: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        if let Some(parent) = c.parent_code {
            arrondissements.entry(parent).or_default().push(i);
        }
    }
    Reference {
        regions,
        departements,
        communes,
        former,
        commune_index,
        postcode_index,
        arrondissements,
    }
}

pub(crate) fn get() -> &'static Reference {
    static REFERENCE: OnceLock<Reference> = OnceLock::new();
    REFERENCE.get_or_init(parse)
}

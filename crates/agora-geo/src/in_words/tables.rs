//! The names of places, read once from the reference data: every région, département and
//! commune name (and aliases, short names, arrondissements) to the places it names.

use super::words::*;
use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    Region(&'static Region),
    Departement(&'static Departement),
    /// A commune, reached by its name or (`former`) by that of a commune merged into it.
    Commune {
        commune: &'static Commune,
        former: bool,
    },
}

impl Target {
    pub(super) fn code(self) -> &'static str {
        match self {
            Target::Region(r) => r.code,
            Target::Departement(d) => d.code,
            Target::Commune { commune, .. } => commune.code,
        }
    }

    pub(super) fn kind(self) -> PlaceKind {
        match self {
            Target::Region(_) => PlaceKind::Region,
            Target::Departement(_) => PlaceKind::Departement,
            Target::Commune { .. } => PlaceKind::Commune,
        }
    }
}

pub(super) struct Tables {
    /// Folded name → the places of that name.
    pub(super) names: HashMap<String, Vec<Target>>,
    /// Folded first words of a large commune's name → that commune (see
    /// [`SHORT_NAME_POPULATION`]); never a key of `names`.
    pub(super) short_names: HashMap<String, Target>,
}

pub(super) static TABLES: LazyLock<Tables> = LazyLock::new(build_tables);

impl Tables {
    /// The places named `key`, or the large commune whose name begins with it.
    pub(super) fn lookup(&self, key: &str) -> Option<&[Target]> {
        self.names
            .get(key)
            .map(Vec::as_slice)
            .or_else(|| self.short_names.get(key).map(std::slice::from_ref))
    }
}

pub(super) fn build_tables() -> Tables {
    let r = reference::get();
    let mut names: HashMap<String, Vec<Target>> = HashMap::new();
    let mut add = |key: String, target: Target| {
        if key.is_empty() {
            return;
        }
        let list = names.entry(key).or_default();
        let same = |t: &Target| t.kind() == target.kind() && t.code() == target.code();
        if !list.iter().any(same) {
            list.push(target);
        }
    };
    for region in &r.regions {
        add(fold(region.name), Target::Region(region));
    }
    for (alias, code) in REGION_ALIASES {
        if let Some(region) = r.regions.iter().find(|x| x.code == *code) {
            add(fold(alias), Target::Region(region));
        }
    }
    for departement in &r.departements {
        add(fold(departement.name), Target::Departement(departement));
    }
    for (alias, code) in DEPARTEMENT_ALIASES {
        if let Some(departement) = r.departements.iter().find(|x| x.code == *code) {
            add(fold(alias), Target::Departement(departement));
        }
    }
    for commune in &r.communes {
        let target = Target::Commune {
            commune,
            former: false,
        };
        add(commune.key.clone(), target);
        if let Some(parent) = commune.parent_code.and_then(|p| r.commune_index.get(p)) {
            for key in arrondissement_keys(&r.communes[*parent].key, commune.name) {
                add(key, target);
            }
        }
    }
    for former in &r.former {
        if let Some(&i) = r.commune_index.get(former.commune_code) {
            let commune = &r.communes[i];
            add(
                former.key.clone(),
                Target::Commune {
                    commune,
                    former: true,
                },
            );
        }
    }
    let short_names = short_names(&names, &r.communes);
    Tables { names, short_names }
}

/// "cherbourg" → Cherbourg-en-Cotentin: the words before a linking word ("en", "sur",
/// "lès"…) in the name of a commune of [`SHORT_NAME_POPULATION`] inhabitants or more, when
/// they start the name of no other such commune, name no place themselves, and are not
/// ordinary words ([`SHORT_NAME_WORDS`], [`COMMON_WORDS`]).
pub(super) fn short_names(
    names: &HashMap<String, Vec<Target>>,
    communes: &'static [Commune],
) -> HashMap<String, Target> {
    let large: Vec<&'static Commune> = communes
        .iter()
        .filter(|c| c.population >= SHORT_NAME_POPULATION && c.parent_code.is_none())
        .collect();
    let mut short = HashMap::new();
    for &commune in &large {
        let words: Vec<&str> = commune.key.split(' ').collect();
        for k in 1..words.len() {
            if !NAME_LINKS.contains(&words[k]) || NAME_LINKS.contains(&words[k - 1]) {
                continue;
            }
            let prefix = words[..k].join(" ");
            let starts_with_it = |c: &&&Commune| {
                c.key
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            };
            if names.contains_key(&prefix)
                || guard_of(&prefix).is_some()
                || SHORT_NAME_WORDS.contains(&prefix.as_str())
                || large.iter().filter(starts_with_it).count() != 1
            {
                continue;
            }
            short.insert(
                prefix,
                Target::Commune {
                    commune,
                    former: false,
                },
            );
        }
    }
    short
}

/// "paris 13", "paris 13e", "paris 13eme", "paris 13 e", "paris 1er", … with or without
/// "arrondissement" after, for the arrondissement named `name` ("Paris 13e Arrondissement").
pub(super) fn arrondissement_keys(city: &str, name: &str) -> Vec<String> {
    let folded = fold(name);
    let Some(number) = folded
        .split(' ')
        .nth(city.split(' ').count())
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_alphabetic()))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    else {
        return Vec::new();
    };
    let mut suffixes = vec!["", "e", "eme", "ieme"];
    if number == "1" {
        suffixes.extend(["er", "ere"]);
    }
    let mut keys = Vec::new();
    for suffix in suffixes {
        let mut stems = vec![format!("{city} {number}{suffix}")];
        if !suffix.is_empty() {
            stems.push(format!("{city} {number} {suffix}"));
        }
        for stem in stems {
            for tail in ["", " arrondissement", " arr", " arrdt"] {
                keys.push(format!("{stem}{tail}"));
            }
        }
    }
    keys
}

pub(super) fn guard_of(key: &str) -> Option<Guard> {
    COMMON_WORDS
        .iter()
        .find(|(word, _)| *word == key)
        .map(|&(_, guard)| guard)
}

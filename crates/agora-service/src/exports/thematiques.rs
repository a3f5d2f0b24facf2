//! How Agora's vocabularies meet data·inclusion's (schema v1, package
//! `data-inclusion-schema` 1.0.x): themes → `thematiques`, audiences → `publics`, modes →
//! `modes_accueil`.
//!
//! data·inclusion describes the offer of social and professional inclusion; Agora, support
//! around a cancer. They meet on work, rights, caregivers, mental and sexual health, social
//! ties and well-being; an Agora theme is mapped only where a data·inclusion worker looking
//! under that thématique would expect the service. The rest has no counterpart and is not
//! forced into one: every Agora theme is also exported, by slug, in the service's own field
//! `agora_thematiques` (data·inclusion's models ignore fields they do not define, so the
//! items stay valid).
//!
//! Reviewing a row: read the data·inclusion label (`Thematique.<X>.label`) next to Agora's
//! (`migrations/src/m20261101_000004_vocabularies.rs`), and keep the comment saying why.

/// Agora theme slug → data·inclusion thématiques (empty: no counterpart).
pub const THEMES: &[(&str, &[&str])] = &[
    // Keeping or getting back one's job during and after treatment: "Maintien dans
    // l'emploi" is exactly that; job-search thématiques would be wrong for most services.
    (
        "travail-emploi",
        &["trouver-un-emploi--maintien-dans-lemploi"],
    ),
    // A stage of the pathway, not a need: the service's other themes carry the mapping.
    ("apres-cancer", &[]),
    // Supportive care (pain, fatigue, aesthetics…) given alongside treatment: not "access
    // to care", which in data·inclusion means getting into the health system at all.
    ("soins-de-support", &[]),
    // Socio-aesthetics, relaxation, self-image: data·inclusion's "Bien-être et confiance
    // en soi".
    (
        "mieux-etre",
        &["remobilisation--bien-etre-confiance-en-soi"],
    ),
    // Help with forms and procedures (sick leave, disability files): the same words.
    (
        "aide-administrative",
        &[
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        ],
    ),
    // Social workers opening the rights and benefits a patient is entitled to.
    (
        "aide-sociale",
        &["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
    ),
    // Information on rights (insurance, AERAS, work law): "accès aux droits". Not the
    // discrimination thématique, which only some of these services address.
    (
        "droits",
        &["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"],
    ),
    // The same subject on both sides.
    ("sexualite", &["sante--sante-sexuelle"]),
    // Finding one's way in the care pathway, getting to the right consultation.
    ("parcours-de-soin", &["sante--acces-aux-soins"]),
    // Medical stage, no inclusion counterpart.
    ("diagnostic", &[]),
    // Peer groups and meetings: what data·inclusion calls "Lien social".
    ("rencontres-pair-aidance", &["remobilisation--lien-social"]),
    // Support for caregivers: the same thématique.
    ("aidants", &["famille--soutien-aidants"]),
    // Screening campaigns are public-health programmes, not an inclusion service.
    ("prevention-depistage", &[]),
    // Adapted physical activity: data·inclusion's sports activities are its closest home,
    // and where its users look for a sports offer.
    (
        "activite-physique-adaptee",
        &["remobilisation--activites-sportives-et-culturelles"],
    ),
    // Dietary advice: data·inclusion's "Alimentation" is food aid (food banks), another
    // need; mapping it would send people to the wrong place.
    ("nutrition", &[]),
    // Psychologists, listening lines: "Santé mentale".
    ("soutien-psychologique", &["sante--sante-mentale"]),
    // Grants and funds that keep a household afloat through the illness.
    (
        "aide-financiere",
        &["difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere"],
    ),
    // Help at home (cleaning, meals, everyday tasks): "Aide ménagère".
    (
        "vie-quotidienne",
        &["equipement-et-alimentation--aide-menagere"],
    ),
    // Health information and patient education; data·inclusion's "Se former" is vocational
    // training.
    ("information-formation", &[]),
];

/// Agora audience slug → data·inclusion `publics` (empty: no counterpart; the audience is
/// then said in words in `publics_precisions`).
pub const AUDIENCES: &[(&str, &[&str])] = &[
    // Being ill is not a public of data·inclusion's list (which is about social situation).
    ("patients", &[]),
    ("aidants", &[]),
    // data·inclusion's "Jeunes": "jeunes au sens large, jeunes adultes, adolescents".
    ("enfants-adolescents", &["jeunes"]),
    ("jeunes-adultes", &["jeunes"]),
    ("seniors", &["seniors"]),
    // Professionals are who mobilise a service in data·inclusion, not a public.
    ("professionnels-sante", &[]),
    ("professionnels-social", &[]),
    ("employeurs", &[]),
    // Open to everyone: data·inclusion's own value, which stands alone.
    ("grand-public", &["tous-publics"]),
];

/// Agora mode slug → data·inclusion `modes_accueil`.
pub const MODES: &[(&str, &str)] = &[
    ("presentiel", "en-presentiel"),
    // Video, phone and online are all "à distance, par téléphone ou internet".
    ("visio", "a-distance"),
    ("telephone", "a-distance"),
    ("en-ligne", "a-distance"),
];

fn mapped<'a>(table: &'a [(&str, &'a [&'a str])], slugs: &[String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = slugs
        .iter()
        .filter_map(|s| table.iter().find(|(k, _)| k == s))
        .flat_map(|(_, v)| v.iter().copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The data·inclusion thématiques of Agora themes.
pub fn thematiques(themes: &[String]) -> Vec<&'static str> {
    mapped(THEMES, themes)
}

/// The data·inclusion publics of Agora audiences; `tous-publics` only alone, as the schema
/// requires (a service for everyone and for seniors is for everyone).
pub fn publics(audiences: &[String]) -> Vec<&'static str> {
    let out = mapped(AUDIENCES, audiences);
    if out.contains(&"tous-publics") {
        vec!["tous-publics"]
    } else {
        out
    }
}

pub fn modes_accueil(modes: &[String]) -> Vec<&'static str> {
    let mut out: Vec<&str> = modes
        .iter()
        .filter_map(|m| MODES.iter().find(|(k, _)| k == m).map(|(_, v)| *v))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn themes_map_where_they_meet_and_nowhere_else() {
        assert_eq!(
            thematiques(&s(&["aide-sociale", "droits", "nutrition"])),
            ["difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"]
        );
        assert!(thematiques(&s(&["diagnostic", "inconnu"])).is_empty());
    }

    #[test]
    fn tous_publics_stands_alone() {
        assert_eq!(publics(&s(&["grand-public", "seniors"])), ["tous-publics"]);
        assert_eq!(
            publics(&s(&["enfants-adolescents", "jeunes-adultes"])),
            ["jeunes"]
        );
    }

    #[test]
    fn every_agora_theme_has_a_reviewed_row() {
        // The vocabulary of migration 4: a theme added later needs its row here.
        for theme in [
            "travail-emploi",
            "apres-cancer",
            "soins-de-support",
            "mieux-etre",
            "aide-administrative",
            "aide-sociale",
            "droits",
            "sexualite",
            "parcours-de-soin",
            "diagnostic",
            "rencontres-pair-aidance",
            "aidants",
            "prevention-depistage",
            "activite-physique-adaptee",
            "nutrition",
            "soutien-psychologique",
            "aide-financiere",
            "vie-quotidienne",
            "information-formation",
        ] {
            assert!(THEMES.iter().any(|(k, _)| *k == theme), "{theme}");
        }
    }
}

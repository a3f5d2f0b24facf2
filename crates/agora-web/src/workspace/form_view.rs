//! The listing form as the person sees it: sections of inputs and boxes, each with its
//! error, the vocabularies as boxes grouped by family, coverage chosen among régions and
//! départements or typed in words, and who may see each section said in plain words.

use super::content_form::{MAX_LOCATIONS, sections};
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::format::family_label;
use agora_domain::{ListingKind, Vocabularies, VocabularyKind};

/// One part of the form, under a heading.
pub struct Section {
    pub title: &'static str,
    pub hint: &'static str,
    pub parts: Vec<String>,
}

fn input(
    v: &FormData,
    e: &Errors,
    name: &str,
    pointer: &str,
    label: &str,
    kind: &'static str,
) -> Input {
    Input::new(name, label, kind)
        .value(if kind == "textarea" {
            v.raw(name)
        } else {
            v.text(name)
        })
        .error(e.at(pointer))
}

fn vocab_group(
    vocab: &Vocabularies,
    v: &FormData,
    e: &Errors,
    kind: VocabularyKind,
    name: &str,
    legend: &str,
    hint: &str,
) -> ChoiceGroup {
    let chosen = v.all(name);
    let choice = |t: &agora_domain::vocabulary::Term| Choice {
        value: t.slug.clone(),
        label: t.label.clone(),
        checked: chosen.contains(&t.slug),
    };
    let mut groups: Vec<(String, Vec<Choice>)> = Vec::new();
    for t in vocab.of_kind(kind) {
        let title = t
            .family
            .as_deref()
            .map(family_label)
            .unwrap_or("")
            .to_owned();
        match groups.iter_mut().find(|(g, _)| *g == title) {
            Some((_, list)) => list.push(choice(t)),
            None => groups.push((title, vec![choice(t)])),
        }
    }
    ChoiceGroup {
        name: name.into(),
        legend: legend.into(),
        hint: hint.into(),
        groups,
        error: e.at(&format!("/{name}")),
        radio: kind == VocabularyKind::StructureKind,
    }
}

fn radios(
    name: &str,
    legend: &str,
    options: &[(&str, &str)],
    current: &str,
    error: Option<String>,
) -> ChoiceGroup {
    ChoiceGroup {
        name: name.into(),
        legend: legend.into(),
        groups: vec![(
            String::new(),
            options
                .iter()
                .map(|(value, label)| Choice {
                    value: (*value).into(),
                    label: (*label).into(),
                    checked: current == *value,
                })
                .collect(),
        )],
        error,
        radio: true,
        ..ChoiceGroup::default()
    }
}

fn contact(v: &FormData, e: &Errors) -> Section {
    Section {
        title: "Contact",
        hint: "Comment vous joindre. Un numéro de téléphone aide les personnes qui n'ont pas internet.",
        parts: vec![
            input(
                v,
                e,
                "contact.name",
                "/contact/name",
                "Nom du contact",
                "text",
            )
            .max(200)
            .render_html(),
            input(v, e, "contact.phone", "/contact/phone", "Téléphone", "tel")
                .hint("Un numéro français, par exemple 03 81 00 00 00.")
                .render_html(),
            input(
                v,
                e,
                "contact.email",
                "/contact/email",
                "Adresse e-mail",
                "email",
            )
            .render_html(),
            input(
                v,
                e,
                "contact.website",
                "/contact/website",
                "Site web",
                "url",
            )
            .hint("Commençant par https://")
            .render_html(),
        ],
    }
}

fn address_inputs(v: &FormData, e: &Errors, prefix: &str, pointer: &str) -> Vec<String> {
    vec![
        input(
            v,
            e,
            &format!("{prefix}.street"),
            &format!("{pointer}/street"),
            "Numéro et rue",
            "text",
        )
        .max(300)
        .render_html(),
        input(
            v,
            e,
            &format!("{prefix}.postcode"),
            &format!("{pointer}/postcode"),
            "Code postal",
            "text",
        )
        .render_html(),
        input(
            v,
            e,
            &format!("{prefix}.commune"),
            &format!("{pointer}/commune_name"),
            "Commune",
            "text",
        )
        .hint("Le nom suffit ; avec le code postal s'il y a plusieurs communes de ce nom.")
        .render_html(),
    ]
}

fn coverage(v: &FormData, e: &Errors) -> Section {
    let kind = v.text("coverage.kind");
    let kind = if kind.is_empty() {
        "national".to_owned()
    } else {
        kind
    };
    let regions = v.all("coverage.regions");
    let departements = v.all("coverage.departements");
    let region_group = ChoiceGroup {
        name: "coverage.regions".into(),
        legend: "Régions couvertes (si « des régions »)".into(),
        groups: vec![(
            String::new(),
            agora_geo::regions()
                .iter()
                .map(|r| Choice {
                    value: r.code.into(),
                    label: r.name.into(),
                    checked: regions.iter().any(|c| c == r.code),
                })
                .collect(),
        )],
        ..ChoiceGroup::default()
    };
    let departement_group = ChoiceGroup {
        name: "coverage.departements".into(),
        legend: "Départements couverts (si « des départements »)".into(),
        hint: "Cochez-les par région, ou écrivez-les dans le champ qui suit.".into(),
        groups: agora_geo::regions()
            .iter()
            .map(|r| {
                (
                    r.name.to_owned(),
                    agora_geo::departements_of_region(r.code)
                        .map(|d| Choice {
                            value: d.code.into(),
                            label: format!("{} ({})", d.name, d.code),
                            checked: departements.iter().any(|c| c == d.code),
                        })
                        .collect(),
                )
            })
            .collect(),
        ..ChoiceGroup::default()
    };
    Section {
        title: "Où",
        hint: "La zone où des personnes peuvent en profiter : la recherche montre la fiche à celles qui habitent dans cette zone.",
        parts: vec![
            radios(
                "coverage.kind",
                "Zone couverte",
                &[
                    ("national", "Toute la France"),
                    ("regions", "Des régions"),
                    ("departements", "Des départements"),
                    ("communes", "Des communes"),
                ],
                &kind,
                e.at("/coverage"),
            )
            .render_html(),
            format!(
                "<details class=\"agora-choices\"{}><summary>Choisir les régions</summary>{}</details>",
                if kind == "regions" { " open" } else { "" },
                region_group.render_html()
            ),
            format!(
                "<details class=\"agora-choices\"{}><summary>Choisir les départements</summary>{}</details>",
                if kind == "departements" { " open" } else { "" },
                departement_group.render_html()
            ),
            input(
                v,
                e,
                "coverage.departements_typed",
                "/coverage/departements_typed",
                "Départements, écrits (si « des départements »)",
                "text",
            )
            .hint("Nom ou numéro, séparés par des virgules : Doubs, 39, Haute-Saône.")
            .render_html(),
            Input::new(
                "coverage.communes",
                "Communes (si « des communes »)",
                "text",
            )
            .hint("Nom, code postal ou les deux, séparés par des virgules : Besançon, Dole 39100.")
            .value(v.text("coverage.communes"))
            .render_html()
            .replace(
                "<input ",
                "<input list=\"communes-proposees\" data-communes ",
            ),
            "<datalist id=\"communes-proposees\"></datalist>".to_owned(),
        ],
    }
}

fn visibility(kind: ListingKind, v: &FormData, e: &Errors) -> Section {
    Section {
        title: "Qui peut voir quoi",
        hint: "Le nom et le résumé sont toujours publics. Pour chaque autre partie, choisissez qui la voit.",
        parts: sections(kind)
            .iter()
            .map(|(section, label)| {
                let current = v.text(&format!("vis.{section}"));
                let current = if current.is_empty() {
                    "public".to_owned()
                } else {
                    current
                };
                radios(
                    &format!("vis.{section}"),
                    label,
                    &[
                        ("public", "Tout le monde"),
                        (
                            "private",
                            "Les membres de la structure et l'équipe de modération",
                        ),
                        ("confidential", "L'équipe de modération seulement"),
                    ],
                    &current,
                    e.at(&format!("/visibility/{section}")),
                )
                .render_html()
            })
            .collect(),
    }
}

/// The sections of the form of `kind`, filled with `v`, with `e` beside their fields.
pub fn sections_of(
    kind: ListingKind,
    vocab: &Vocabularies,
    v: &FormData,
    e: &Errors,
) -> Vec<Section> {
    match kind {
        ListingKind::Structure => vec![
            Section {
                title: "L'essentiel",
                hint: "",
                parts: vec![
                    input(v, e, "name", "/name", "Nom de la structure", "text").required().max(200).render_html(),
                    vocab_group(vocab, v, e, VocabularyKind::StructureKind, "structure_kind", "Type de structure", "").render_html(),
                    input(v, e, "summary", "/summary", "En une phrase", "text").max(300).hint("Ce que fait la structure, en 300 caractères au plus.").render_html(),
                    input(v, e, "description", "/description", "Présentation", "textarea").max(10_000).render_html(),
                ],
            },
            Section {
                title: "Identifiants",
                hint: "Une association donne son numéro RNA ; les autres structures leur SIREN ou SIRET. Ils évitent les doublons.",
                parts: vec![
                    input(v, e, "rna", "/rna", "Numéro RNA", "text").hint("W suivi de 9 caractères, par exemple W251000123.").render_html(),
                    input(v, e, "siren", "/siren", "SIREN", "text").hint("9 chiffres.").render_html(),
                    input(v, e, "siret", "/siret", "SIRET", "text").hint("14 chiffres.").render_html(),
                ],
            },
            Section { title: "Adresse", hint: "", parts: address_inputs(v, e, "address", "/address") },
            contact(v, e),
            visibility(kind, v, e),
        ],
        ListingKind::Service => {
            let mut places: Vec<String> = Vec::new();
            if let Some((_, m)) = e.0.iter().find(|(p, _)| p == "/locations") {
                places.push(format!("<p class=\"fr-error-text\" id=\"locations-error\">{}</p>", crate::fields::escape(m)));
            }
            let filled = (0..MAX_LOCATIONS)
                .filter(|i| !v.text(&format!("loc{i}.commune")).is_empty() || !v.text(&format!("loc{i}.postcode")).is_empty())
                .count();
            for i in 0..(filled + 1).min(MAX_LOCATIONS) {
                places.push(format!("<h3 class=\"fr-h6\">Lieu {}</h3>", i + 1));
                places.push(input(v, e, &format!("loc{i}.name"), &format!("/locations/{i}/name"), "Nom du lieu", "text").hint("Par exemple : Maison des associations.").render_html());
                places.extend(address_inputs(v, e, &format!("loc{i}"), &format!("/locations/{i}/address")));
            }
            vec![
                Section {
                    title: "L'essentiel",
                    hint: "",
                    parts: vec![
                        input(v, e, "name", "/name", "Nom du service", "text").required().max(200).render_html(),
                        input(v, e, "summary", "/summary", "En une phrase", "text").required().max(300).hint("Ce que la personne y trouve, en 300 caractères au plus.").render_html(),
                        input(v, e, "description", "/description", "Présentation", "textarea").max(10_000).render_html(),
                    ],
                },
                Section {
                    title: "Pour qui, pour quoi",
                    hint: "",
                    parts: vec![
                        vocab_group(vocab, v, e, VocabularyKind::Theme, "themes", "Thèmes", "De 1 à 6, par famille.").render_html(),
                        vocab_group(vocab, v, e, VocabularyKind::Audience, "audiences", "Publics", "").render_html(),
                        vocab_group(vocab, v, e, VocabularyKind::CancerType, "cancer_types", "Cancers", "Aucune case : tous les cancers.").render_html(),
                        vocab_group(vocab, v, e, VocabularyKind::Stage, "stages", "Étapes du parcours", "").render_html(),
                    ],
                },
                Section {
                    title: "Comment",
                    hint: "",
                    parts: vec![
                        vocab_group(vocab, v, e, VocabularyKind::Mode, "modes", "Façons d'être accompagné", "Au moins une. « Sur place » demande au moins un lieu.").render_html(),
                        radios("cost", "Coût", &[("free", "Gratuit"), ("paid", "Payant")], if v.text("cost") == "paid" { "paid" } else { "free" }, e.at("/cost")).render_html(),
                        input(v, e, "cost_details", "/cost_details", "Précisions sur le coût", "text").max(500).render_html(),
                        input(v, e, "opening_hours", "/opening_hours", "Horaires", "textarea").max(1000).hint("Par exemple : le mardi de 14 h à 17 h, sur rendez-vous.").render_html(),
                    ],
                },
                coverage(v, e),
                Section { title: "Lieux", hint: "Où le service a lieu, s'il a lieu sur place.", parts: places },
                contact(v, e),
                visibility(kind, v, e),
            ]
        }
        ListingKind::Project => vec![
            Section {
                title: "L'essentiel",
                hint: "",
                parts: vec![
                    input(v, e, "title", "/title", "Titre du projet", "text").required().max(200).render_html(),
                    input(v, e, "summary", "/summary", "En une phrase", "text").required().max(300).render_html(),
                    input(v, e, "need", "/need", "Ce dont le projet a besoin", "textarea").required().max(10_000).hint("Qui vous cherchez, pour quoi faire, combien de temps.").render_html(),
                    input(v, e, "description", "/description", "Présentation", "textarea").max(10_000).render_html(),
                    radios("project_kind", "Format", &[("long_project", "Projet au long cours (une équipe, plusieurs mois)"), ("mini_mission", "Mini-mission (une contribution courte et bien délimitée)")], if v.text("project_kind") == "mini_mission" { "mini_mission" } else { "long_project" }, e.at("/project_kind")).render_html(),
                ],
            },
            Section {
                title: "Thèmes et compétences",
                hint: "",
                parts: vec![
                    vocab_group(vocab, v, e, VocabularyKind::Theme, "themes", "Thèmes", "De 1 à 6, par famille.").render_html(),
                    vocab_group(vocab, v, e, VocabularyKind::Skill, "skills", "Compétences recherchées", "De 1 à 10.").render_html(),
                ],
            },
            coverage(v, e),
            Section {
                title: "Anonymat",
                hint: "",
                parts: vec![ChoiceGroup {
                    name: "anonymous".into(),
                    legend: "Projet anonyme".into(),
                    hint: "Le public ne saura pas quelle structure porte le projet ; seuls vos membres et l'équipe de modération le sauront.".into(),
                    groups: vec![(String::new(), vec![Choice { value: "oui".into(), label: "Ne pas dire que ce projet est le nôtre".into(), checked: v.text("anonymous") == "oui" }])],
                    error: e.at("/anonymous"),
                    radio: false,
                }
                .render_html()],
            },
            contact(v, e),
            visibility(kind, v, e),
        ],
    }
}

/// The form without the sections its reader may not read (set confidential by the
/// structure: moderators only): neither their fields nor their visibility are offered, so
/// nothing typed there can be lost and nothing can make them public.
pub fn without_hidden(sections: Vec<Section>, hidden: &[String]) -> Vec<Section> {
    let names = |section: &str| -> Vec<String> {
        let mut n = vec![
            format!("name=\"{section}\""),
            format!("name=\"{section}."),
            format!("name=\"vis.{section}\""),
        ];
        if section == "locations" {
            n.push("name=\"loc".into());
        }
        n
    };
    let banned: Vec<String> = hidden.iter().flat_map(|h| names(h)).collect();
    sections
        .into_iter()
        .map(|mut s| {
            s.parts
                .retain(|p| !banned.iter().any(|b| p.contains(b.as_str())));
            s
        })
        .filter(|s| s.parts.iter().any(|p| p.contains("name=\"")))
        .collect()
}

/// Pointers the form shows beside a field (others are listed at the top).
pub const SHOWN: [&str; 25] = [
    "/name",
    "/title",
    "/structure_kind",
    "/summary",
    "/description",
    "/need",
    "/rna",
    "/siren",
    "/siret",
    "/address",
    "/contact",
    "/visibility",
    "/themes",
    "/audiences",
    "/cancer_types",
    "/stages",
    "/modes",
    "/cost",
    "/cost_details",
    "/opening_hours",
    "/coverage",
    "/locations",
    "/skills",
    "/project_kind",
    "/anonymous",
];

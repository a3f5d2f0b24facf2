//! CSV for French spreadsheets: UTF-8 with a byte-order mark (so that Excel and LibreOffice
//! read accents right), `;` between cells (the French list separator: `,` is the decimal
//! comma), CRLF line ends, French headers, one row per public listing.
//!
//! Cells are written so that LibreOffice's standard import keeps their meaning: dates in
//! ISO form (`2026-11-02`, read as a date in any locale); numbers with leading zeros never
//! alone in a cell (a postcode goes with its commune, `01000 Bourg-en-Bresse`; a
//! département with its name; SIREN and SIRET with their names), since a lone `01000`
//! would become the number 1000. A cell starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return would be run as a formula: it gets a leading `'` (OWASP's advice on
//! CSV injection), which shows and keeps it as text.

use super::common::{self, Env};
use crate::views::AnyListingView;
use agora_domain::content::{Contact, Cost, ProjectKind};
use agora_domain::{Freshness, ListingContent, ListingKind, ListingStatus, VocabularyKind};

pub const HEADERS: [&str; 40] = [
    "Type",
    "Identifiant",
    "Nom",
    "Structure",
    "Identifiant de la structure",
    "Résumé",
    "Description",
    "Thématiques",
    "Publics",
    "Types de cancer",
    "Étapes du parcours",
    "Modalités",
    "Compétences recherchées",
    "Catégorie",
    "Coût",
    "Précisions sur le coût",
    "Zone d'intervention",
    "Adresse",
    "Département",
    "Horaires",
    "Contact",
    "Courriel",
    "Téléphone",
    "Site web",
    "Identifiants légaux",
    "Labellisée",
    "Statut",
    "Fraîcheur",
    "Publiée le",
    "Mise à jour le",
    "Vérifiée le",
    "Page Agora",
    // Services: what the people who used it say (empty below the minimum of answers).
    "Avis : personnes",
    "Avis : coordonnées exactes (%)",
    "Avis : délai de réponse médian (jours)",
    "Avis : sans réponse (%)",
    "Avis : gratuit comme annoncé (%)",
    "Avis : lieu accessible (%)",
    "Avis : information claire (sur 4)",
    "Avis : recommandé (%)",
];

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Whether a spreadsheet would take a cell starting like this for a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// One cell, neutralised and quoted as needed.
pub fn cell(out: &mut Vec<u8>, value: &str) {
    let neutralised = value.starts_with(is_formula_start);
    if neutralised || value.contains([';', '"', '\n', '\r']) {
        out.push(b'"');
        if neutralised {
            out.push(b'\'');
        }
        out.extend_from_slice(value.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(value.as_bytes());
    }
}

fn line(out: &mut Vec<u8>, cells: &[String]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b';');
        }
        cell(out, c);
    }
    out.extend_from_slice(b"\r\n");
}

pub fn header(out: &mut Vec<u8>) {
    out.extend_from_slice(BOM);
    let headers: Vec<String> = HEADERS.iter().map(|h| (*h).to_owned()).collect();
    line(out, &headers);
}

/// The evaluation cells of a row: a service's figures, criterion by criterion; nothing
/// for a criterion below the minimum, and for the number of people only "moins de N".
fn evaluation_cells(view: &AnyListingView) -> Vec<String> {
    use crate::evaluations::EvaluationCriterion;
    let mut cells = vec![String::new(); 8];
    let Some(e) = &view.evaluations else {
        return cells;
    };
    cells[0] = match e.evaluations {
        Some(n) => n.to_string(),
        None => format!("moins de {}", e.min_answers),
    };
    let percent = |share: Option<f64>| share.map(|s| format!("{:.0}", s * 100.0));
    for c in &e.criteria {
        let (i, value) = match c.criterion {
            EvaluationCriterion::ContactCorrect => (1, percent(c.yes_share)),
            EvaluationCriterion::AnswerDays => {
                cells[3] = percent(c.no_answer_share).unwrap_or_default();
                (2, c.median_days.map(|d| d.to_string()))
            }
            EvaluationCriterion::FreeAsListed => (4, percent(c.yes_share)),
            EvaluationCriterion::Accessible => (5, percent(c.yes_share)),
            // The French decimal comma, as the spreadsheets of the field read it.
            EvaluationCriterion::InformationClear => {
                (6, c.mean.map(|m| format!("{m:.1}").replace('.', ",")))
            }
            EvaluationCriterion::WouldRecommend => (7, percent(c.yes_share)),
        };
        cells[i] = value.unwrap_or_default();
    }
    cells
}

fn yes_no(b: bool) -> String {
    if b { "Oui" } else { "Non" }.to_owned()
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn departement(commune_code: &str) -> String {
    common::departement_name(commune_code)
        .map(|d| format!("{} {}", d.code, d.name))
        .unwrap_or_default()
}

fn grouped(digits: &str, groups: &[usize]) -> String {
    let mut out = String::new();
    let mut rest = digits;
    for &n in groups {
        if rest.len() < n {
            break;
        }
        let (head, tail) = rest.split_at(n);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(head);
        rest = tail;
    }
    if !rest.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(rest);
    }
    out
}

/// `RNA W251000123, SIREN 732 829 320, SIRET 732 829 320 00074`.
fn legal_identifiers(
    rna: &Option<String>,
    siren: &Option<String>,
    siret: &Option<String>,
) -> String {
    let mut parts = Vec::new();
    if let Some(r) = rna {
        parts.push(format!("RNA {r}"));
    }
    if let Some(s) = siren {
        parts.push(format!("SIREN {}", grouped(s, &[3, 3, 3])));
    }
    if let Some(s) = siret {
        parts.push(format!("SIRET {}", grouped(s, &[3, 3, 3, 5])));
    }
    parts.join(", ")
}

/// The row's columns 14 to 25 that depend on the kind, in order.
struct Specific {
    themes: Vec<String>,
    audiences: Vec<String>,
    cancers: Vec<String>,
    stages: Vec<String>,
    modes: Vec<String>,
    skills: Vec<String>,
    category: String,
    cost: String,
    cost_details: String,
    zone: String,
    address: String,
    departement: String,
    hours: String,
    contact: Option<Contact>,
    identifiers: String,
}

fn specific(env: &Env, content: &ListingContent) -> Specific {
    let l = |kind, slugs: &[String]| env.labels(kind, slugs);
    match content {
        ListingContent::Structure(c) => Specific {
            themes: Vec::new(),
            audiences: Vec::new(),
            cancers: Vec::new(),
            stages: Vec::new(),
            modes: Vec::new(),
            skills: Vec::new(),
            category: env.label(VocabularyKind::StructureKind, &c.structure_kind),
            cost: String::new(),
            cost_details: String::new(),
            zone: String::new(),
            address: c
                .address
                .as_ref()
                .map(common::postal_line)
                .unwrap_or_default(),
            departement: c
                .address
                .as_ref()
                .map(|a| departement(&a.commune_code))
                .unwrap_or_default(),
            hours: String::new(),
            contact: c.contact.clone(),
            identifiers: legal_identifiers(&c.rna, &c.siren, &c.siret),
        },
        ListingContent::Service(c) => {
            let mut deps: Vec<String> = c
                .locations
                .iter()
                .map(|l| departement(&l.address.commune_code))
                .collect();
            deps.dedup();
            Specific {
                themes: l(VocabularyKind::Theme, &c.themes),
                audiences: l(VocabularyKind::Audience, &c.audiences),
                cancers: if c.cancer_types.is_empty() {
                    vec!["Tous les cancers".to_owned()]
                } else {
                    l(VocabularyKind::CancerType, &c.cancer_types)
                },
                stages: l(VocabularyKind::Stage, &c.stages),
                modes: l(VocabularyKind::Mode, &c.modes),
                skills: Vec::new(),
                category: String::new(),
                cost: match c.cost {
                    Cost::Free => "Gratuit",
                    Cost::Paid => "Payant",
                }
                .to_owned(),
                cost_details: opt(&c.cost_details),
                zone: common::zone_in_words(&c.coverage),
                address: c
                    .locations
                    .iter()
                    .map(|l| match &l.name {
                        Some(n) => format!("{n} : {}", common::postal_line(&l.address)),
                        None => common::postal_line(&l.address),
                    })
                    .collect::<Vec<_>>()
                    .join(" | "),
                departement: deps.join(", "),
                hours: opt(&c.opening_hours),
                contact: c.contact.clone(),
                identifiers: String::new(),
            }
        }
        ListingContent::Project(c) => Specific {
            themes: l(VocabularyKind::Theme, &c.themes),
            audiences: Vec::new(),
            cancers: Vec::new(),
            stages: Vec::new(),
            modes: Vec::new(),
            skills: l(VocabularyKind::Skill, &c.skills),
            category: match c.project_kind {
                ProjectKind::LongProject => "Projet au long cours",
                ProjectKind::MiniMission => "Mini-mission",
            }
            .to_owned(),
            cost: String::new(),
            cost_details: String::new(),
            zone: common::zone_in_words(&c.coverage),
            address: String::new(),
            departement: String::new(),
            hours: String::new(),
            contact: c.contact.clone(),
            identifiers: String::new(),
        },
    }
}

/// The row of one listing's public view.
pub fn row(env: &Env, view: &AnyListingView, out: &mut Vec<u8>) {
    let (kind, summary, description) = match &view.content {
        ListingContent::Structure(c) => ("Structure", opt(&c.summary), opt(&c.description)),
        ListingContent::Service(c) => ("Service", c.summary.clone(), opt(&c.description)),
        ListingContent::Project(c) => ("Projet", c.summary.clone(), {
            // A project's need is part of what it says to the public.
            [c.need.as_deref(), c.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n\n")
        }),
    };
    let s = specific(env, &view.content);
    let contact = s.contact.unwrap_or_default();
    let status = match view.status {
        ListingStatus::Paused => "En pause",
        ListingStatus::Completed => "Terminé",
        _ => "Publié",
    };
    let freshness = match view.freshness {
        Freshness::Stale => "À actualiser",
        _ => "À jour",
    };
    let date = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(common::date).unwrap_or_default();
    let join = |v: Vec<String>| v.join(", ");
    let (structure, structure_id) = match (&view.structure, view.kind) {
        (Some(s), ListingKind::Service | ListingKind::Project) => {
            (s.name.clone(), s.id.to_string())
        }
        _ => (String::new(), String::new()),
    };
    let mut cells = vec![
        kind.to_owned(),
        view.id.to_string(),
        view.content.name().to_owned(),
        structure,
        structure_id,
        summary,
        description,
        join(s.themes),
        join(s.audiences),
        join(s.cancers),
        join(s.stages),
        join(s.modes),
        join(s.skills),
        s.category,
        s.cost,
        s.cost_details,
        s.zone,
        s.address,
        s.departement,
        s.hours,
        opt(&contact.name),
        opt(&contact.email),
        opt(&contact.phone),
        opt(&contact.website),
        s.identifiers,
        yes_no(view.labelled),
        status.to_owned(),
        freshness.to_owned(),
        date(view.published_at),
        date(Some(view.updated_at)),
        date(view.verified_at),
        env.page(view.kind, view.id),
    ];
    cells.extend(evaluation_cells(view));
    line(out, &cells);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(value: &str) -> String {
        let mut out = Vec::new();
        cell(&mut out, value);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(one("=1+1"), "\"'=1+1\"");
        assert_eq!(one("+33 3 81"), "\"'+33 3 81\"");
        assert_eq!(one("-2"), "\"'-2\"");
        assert_eq!(one("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(one("\t=cmd"), "\"'\t=cmd\"");
        assert_eq!(one("a=b"), "a=b");
    }

    #[test]
    fn separators_and_quotes_are_quoted() {
        assert_eq!(one("a;b"), "\"a;b\"");
        assert_eq!(one("dit \"oui\""), "\"dit \"\"oui\"\"\"");
        assert_eq!(one("deux\nlignes"), "\"deux\nlignes\"");
    }

    #[test]
    fn legal_identifiers_are_grouped_as_insee_writes_them() {
        assert_eq!(
            legal_identifiers(
                &None,
                &Some("732829320".into()),
                &Some("73282932000074".into())
            ),
            "SIREN 732 829 320, SIRET 732 829 320 00074"
        );
    }
}

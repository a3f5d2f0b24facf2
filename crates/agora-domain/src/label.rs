//! The label: the charter, the rubric the committee scores against, the committee's
//! seats, an application's life, and the rule that turns reviews into a proposal.

use crate::validation::Validator;
use serde::{Deserialize, Serialize};

/// The charter a structure signs (versioned reference data).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charter {
    pub version: &'static str,
    pub title: &'static str,
    /// The commitments, one per entry.
    pub commitments: &'static [&'static str],
}

pub const CHARTER: Charter = Charter {
    version: "2026-1",
    title: "Charte des acteurs labellisés Agora",
    commitments: &[
        "Agir sans but lucratif, dans l'intérêt des personnes touchées par un cancer et de leurs proches.",
        "Rester indépendant de tout intérêt commercial et rendre publiques ses sources de financement.",
        "Ne jamais se substituer au suivi médical ni promettre de guérison ; orienter vers les équipes soignantes.",
        "Respecter la confidentialité des personnes accompagnées et ne collecter que les données nécessaires.",
        "Associer des personnes concernées (patients, aidants) à la conception et à l'évaluation des actions.",
        "Tenir à jour les informations publiées dans l'annuaire et signaler tout changement.",
    ],
};

/// One criterion of the rubric, scored 0 (absent) to 4 (exemplary).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub slug: String,
    pub label: String,
    /// What is looked at, in a sentence.
    pub description: String,
}

/// The default rubric: objective criteria, each with what a reviewer checks.
pub fn default_rubric() -> Vec<Criterion> {
    [
        (
            "gouvernance",
            "Gouvernance",
            "Instances élues, comptes rendus accessibles, décisions collégiales.",
        ),
        (
            "independance",
            "Indépendance",
            "Financements publiés ; aucun lien commercial qui oriente les personnes.",
        ),
        (
            "personnes-concernees",
            "Place des personnes concernées",
            "Patients et aidants associés à la conception et à l'évaluation.",
        ),
        (
            "qualite-information",
            "Qualité de l'information",
            "Informations sourcées, relues par des professionnels, datées.",
        ),
        (
            "confidentialite",
            "Confidentialité",
            "Données limitées au nécessaire, consentement recueilli, accès restreint.",
        ),
        (
            "evaluation",
            "Évaluation des actions",
            "Indicateurs suivis et partagés ; retours des bénéficiaires recueillis.",
        ),
    ]
    .into_iter()
    .map(|(slug, label, description)| Criterion {
        slug: slug.into(),
        label: label.into(),
        description: description.into(),
    })
    .collect()
}

/// What a labelled action is about.
pub const CATEGORIES: [(&str, &str); 8] = [
    ("prevention", "Prévention"),
    ("accompagnement-social", "Accompagnement social"),
    ("soutien-psychologique", "Soutien psychologique"),
    ("soins-de-support", "Soins de support"),
    ("aidants", "Aide aux aidants"),
    ("apres-cancer", "Après-cancer"),
    ("information", "Information et orientation"),
    ("retour-emploi", "Retour à l'emploi"),
];

/// Where a committee member sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Patient,
    Caregiver,
    Professional,
}

impl Seat {
    pub const ALL: [Self; 3] = [Self::Patient, Self::Caregiver, Self::Professional];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Patient => "patient",
            Self::Caregiver => "caregiver",
            Self::Professional => "professional",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Patients and caregivers speak from experience.
    pub fn lived_experience(self) -> bool {
        matches!(self, Self::Patient | Self::Caregiver)
    }
}

/// The decision rule and the label's life (configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelRules {
    /// Complete reviews needed before a proposal.
    pub min_reviews: usize,
    /// Mean of all scores (0–4) at or above which the proposal is to grant.
    pub threshold: f64,
    /// No criterion's mean may fall below this.
    pub floor: f64,
    /// At least one patient or caregiver and one professional among the reviewers.
    pub balanced_panel: bool,
    /// How long a granted label lasts.
    pub validity_days: i64,
    /// Reminders before expiry, in days before it, inviting a re-evaluation.
    pub reminder_days_before: Vec<i64>,
    /// The rubric; the default one when empty.
    pub rubric: Vec<Criterion>,
}

impl Default for LabelRules {
    fn default() -> Self {
        Self {
            min_reviews: 3,
            threshold: 2.5,
            floor: 1.0,
            balanced_panel: true,
            validity_days: 730,
            reminder_days_before: vec![90, 30],
            rubric: Vec::new(),
        }
    }
}

/// What the rule proposes from the reviews so far.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub complete_reviews: usize,
    /// Mean of every score of every complete review.
    pub mean: Option<f64>,
    /// The lowest criterion mean.
    pub lowest_criterion: Option<f64>,
    pub outcome: ProposalOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProposalOutcome {
    /// Not enough complete reviews yet.
    Wait,
    Grant,
    Refuse,
}

impl LabelRules {
    pub fn rubric(&self) -> Vec<Criterion> {
        if self.rubric.is_empty() {
            default_rubric()
        } else {
            self.rubric.clone()
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if self.min_reviews == 0 {
            return Err("label.min_reviews must be at least 1".into());
        }
        if !(0.0..=4.0).contains(&self.threshold) || !(0.0..=4.0).contains(&self.floor) {
            return Err("label.threshold and label.floor are on the 0–4 scale".into());
        }
        if self.validity_days < 1 {
            return Err("label.validity_days must be at least 1".into());
        }
        Ok(())
    }

    /// The proposal from complete reviews, each a score per criterion of the rubric.
    pub fn propose(&self, reviews: &[Vec<u8>]) -> Proposal {
        let n = reviews.len();
        if n == 0 {
            return Proposal {
                complete_reviews: 0,
                mean: None,
                lowest_criterion: None,
                outcome: ProposalOutcome::Wait,
            };
        }
        let criteria = reviews.iter().map(Vec::len).min().unwrap_or(0);
        let all: Vec<f64> = reviews.iter().flatten().map(|s| f64::from(*s)).collect();
        let mean = all.iter().sum::<f64>() / all.len().max(1) as f64;
        let lowest = (0..criteria)
            .map(|c| reviews.iter().map(|r| f64::from(r[c])).sum::<f64>() / n as f64)
            .fold(f64::INFINITY, f64::min);
        let outcome = if n < self.min_reviews {
            ProposalOutcome::Wait
        } else if mean >= self.threshold && lowest >= self.floor {
            ProposalOutcome::Grant
        } else {
            ProposalOutcome::Refuse
        };
        Proposal {
            complete_reviews: n,
            mean: Some((mean * 100.0).round() / 100.0),
            lowest_criterion: lowest.is_finite().then(|| (lowest * 100.0).round() / 100.0),
            outcome,
        }
    }

    /// Whether reviewers sitting in `seats` make a panel the rule accepts.
    pub fn panel_is_balanced(&self, seats: &[Seat]) -> bool {
        !self.balanced_panel
            || (seats.iter().any(|s| s.lived_experience()) && seats.contains(&Seat::Professional))
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// Being written by the structure.
    Draft,
    /// Waiting for moderators to check completeness.
    Submitted,
    /// Moderators asked for missing pieces.
    Incomplete,
    /// With the committee.
    InReview,
    Granted,
    Refused,
    /// A granted label that reached its end.
    Expired,
}

impl ApplicationState {
    pub const ALL: [Self; 7] = [
        Self::Draft,
        Self::Submitted,
        Self::Incomplete,
        Self::InReview,
        Self::Granted,
        Self::Refused,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Incomplete => "incomplete",
            Self::InReview => "in_review",
            Self::Granted => "granted",
            Self::Refused => "refused",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still on its way to a decision: a structure has one at a time.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Draft | Self::Submitted | Self::Incomplete | Self::InReview
        )
    }

    /// The structure may still change it.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Incomplete)
    }
}

/// The signed charter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CharterSignature {
    pub version: String,
    /// Who signed, for the structure (name and role).
    pub signed_by: String,
    /// When (YYYY-MM-DD).
    pub signed_on: chrono::NaiveDate,
}

/// A supporting document: a title and a link, or text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SupportingDocument {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// What a structure writes in its application (every field optional while drafting).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationContent {
    /// The structure's RNA (W + 9 digits) or SIREN (9 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charter: Option<CharterSignature>,
    /// How the structure is governed (up to 5000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance: Option<String>,
    /// The solution it proposes (up to 5000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<String>,
    /// Who contributes to it (up to 5000 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributors: Option<String>,
    /// One of the categories of `GET /label/charter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<SupportingDocument>,
}

impl ApplicationContent {
    /// Checks what is written (lengths, forms); with `complete`, also that nothing the
    /// committee needs is missing and the charter signed is the current one.
    pub fn validate(&mut self, complete: bool, v: &mut Validator) {
        if let Some(n) = &mut self.registration_number {
            *n = n.trim().to_ascii_uppercase();
            let rna =
                n.len() == 10 && n.starts_with('W') && n[1..].bytes().all(|b| b.is_ascii_digit());
            let siren = n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit());
            v.check(
                rna || siren,
                "/registration_number",
                "format",
                "an RNA (W and 9 digits) or a SIREN (9 digits)",
            );
        }
        for (pointer, field) in [
            ("/governance", &mut self.governance),
            ("/solution", &mut self.solution),
            ("/contributors", &mut self.contributors),
        ] {
            if let Some(text) = field {
                v.text(pointer, text, 20, 5000);
            }
        }
        if let Some(c) = &self.category {
            v.check(
                CATEGORIES.iter().any(|(slug, _)| slug == c),
                "/category",
                "unknown_term",
                "one of the categories of GET /label/charter",
            );
        }
        if let Some(sig) = &mut self.charter {
            v.text("/charter/signed_by", &mut sig.signed_by, 3, 200);
        }
        v.check(
            self.documents.len() <= 20,
            "/documents",
            "too_many",
            "at most 20 documents",
        );
        for (i, d) in self.documents.iter_mut().enumerate() {
            v.text(&format!("/documents/{i}/title"), &mut d.title, 1, 200);
            if let Some(url) = &d.url {
                v.check(
                    url.starts_with("https://") || url.starts_with("http://"),
                    &format!("/documents/{i}/url"),
                    "format",
                    "an http(s) address",
                );
            }
            if let Some(t) = &mut d.text {
                v.text(&format!("/documents/{i}/text"), t, 1, 10_000);
            }
        }
        if !complete {
            return;
        }
        let missing = |v: &mut Validator, present: bool, pointer: &str| {
            v.check(
                present,
                pointer,
                "required",
                "needed before the committee can review",
            );
        };
        missing(
            v,
            self.registration_number.is_some(),
            "/registration_number",
        );
        missing(v, self.governance.is_some(), "/governance");
        missing(v, self.solution.is_some(), "/solution");
        missing(v, self.contributors.is_some(), "/contributors");
        missing(v, self.category.is_some(), "/category");
        match &self.charter {
            None => missing(v, false, "/charter"),
            Some(sig) => v.check(
                sig.version == CHARTER.version,
                "/charter/version",
                "outdated",
                format!("sign the current charter, version {}", CHARTER.version),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_needs_enough_reviews_a_mean_and_a_floor() {
        let rules = LabelRules::default();
        let good = vec![3, 3, 3, 3, 3, 3];
        assert_eq!(rules.propose(&[]).outcome, ProposalOutcome::Wait);
        assert_eq!(
            rules.propose(&[good.clone(), good.clone()]).outcome,
            ProposalOutcome::Wait
        );
        let p = rules.propose(&[good.clone(), good.clone(), good.clone()]);
        assert_eq!(p.outcome, ProposalOutcome::Grant);
        assert_eq!(p.mean, Some(3.0));
        // A high mean does not make up for a criterion everyone scored 0.
        let uneven = vec![4, 4, 4, 4, 4, 0];
        let p = rules.propose(&[uneven.clone(), uneven.clone(), uneven]);
        assert_eq!(p.outcome, ProposalOutcome::Refuse);
        assert_eq!(p.lowest_criterion, Some(0.0));
        let weak = vec![2, 2, 2, 2, 2, 2];
        assert_eq!(
            rules.propose(&[weak.clone(), weak.clone(), weak]).outcome,
            ProposalOutcome::Refuse
        );
    }

    #[test]
    fn a_panel_needs_experience_and_a_professional() {
        let rules = LabelRules::default();
        assert!(rules.panel_is_balanced(&[Seat::Caregiver, Seat::Professional]));
        assert!(!rules.panel_is_balanced(&[Seat::Patient, Seat::Caregiver]));
        assert!(!rules.panel_is_balanced(&[Seat::Professional, Seat::Professional]));
        let lax = LabelRules {
            balanced_panel: false,
            ..LabelRules::default()
        };
        assert!(lax.panel_is_balanced(&[Seat::Professional]));
    }

    #[test]
    fn completeness_names_each_missing_piece() {
        let mut c = ApplicationContent {
            registration_number: Some("w751234567".into()),
            ..ApplicationContent::default()
        };
        let mut v = Validator::new();
        c.validate(true, &mut v);
        let errors = v.finish().unwrap_err();
        let pointers: Vec<&str> = errors.0.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/governance",
                "/solution",
                "/contributors",
                "/category",
                "/charter"
            ]
        );
        assert_eq!(c.registration_number.as_deref(), Some("W751234567"));
    }
}

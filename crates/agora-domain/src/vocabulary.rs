//! Controlled vocabularies (themes, cancer types, audiences, pathway stages, skills,
//! structure kinds, modes): stable slugs with French labels, versioned in the database.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VocabularyKind {
    Theme,
    CancerType,
    Audience,
    Stage,
    Skill,
    StructureKind,
    Mode,
}

impl VocabularyKind {
    pub const ALL: [VocabularyKind; 7] = [
        Self::Theme,
        Self::CancerType,
        Self::Audience,
        Self::Stage,
        Self::Skill,
        Self::StructureKind,
        Self::Mode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Theme => "theme",
            Self::CancerType => "cancer_type",
            Self::Audience => "audience",
            Self::Stage => "stage",
            Self::Skill => "skill",
            Self::StructureKind => "structure_kind",
            Self::Mode => "mode",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    pub kind: VocabularyKind,
    pub slug: String,
    pub label: String,
    /// Themes only: the colour-coded family (`social`, `travail`, `sante`, `institutionnel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Themes only: the family's colour, as `#RRGGBB`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    pub position: i32,
}

/// The active vocabularies, loaded once from the database and used to validate content.
#[derive(Debug, Clone, Default)]
pub struct Vocabularies {
    terms: Vec<Term>,
    slugs: HashSet<(VocabularyKind, String)>,
    /// Version of the reference data these terms come from.
    pub version: i32,
}

impl Vocabularies {
    pub fn new(version: i32, mut terms: Vec<Term>) -> Self {
        terms.sort_by(|a, b| (a.kind, a.position, &a.slug).cmp(&(b.kind, b.position, &b.slug)));
        let slugs = terms.iter().map(|t| (t.kind, t.slug.clone())).collect();
        Self {
            terms,
            slugs,
            version,
        }
    }

    pub fn contains(&self, kind: VocabularyKind, slug: &str) -> bool {
        self.slugs.contains(&(kind, slug.to_owned()))
    }

    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    pub fn of_kind(&self, kind: VocabularyKind) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(move |t| t.kind == kind)
    }

    pub fn label(&self, kind: VocabularyKind, slug: &str) -> Option<&str> {
        self.of_kind(kind)
            .find(|t| t.slug == slug)
            .map(|t| t.label.as_str())
    }
}

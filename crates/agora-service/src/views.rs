//! What callers get back. Every listing representation is built here, from a redacted
//! copy of its content, so no response can carry a section its reader may not see.

use agora_domain::diff::FieldChange;
use agora_domain::{
    Freshness, ListingKind, ListingStatus, MemberRole, PlatformRole, RevisionState, SubjectType,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StructureRef {
    pub id: Uuid,
    pub name: String,
}

/// Where the version being edited stands in moderation (members and moderators only).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub revision_id: Uuid,
    pub number: i32,
    pub state: RevisionState,
    /// The moderator's reason, after a rejection or a change request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// Whether a published version exists (and stays visible while this one is reviewed).
    pub has_published_version: bool,
}

/// A structure, service or project as one reader may see it. The public gets the
/// published version; the structure's members and moderators get the version being
/// edited, with its review state.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingView<C> {
    pub id: Uuid,
    pub kind: ListingKind,
    pub status: ListingStatus,
    /// The owning structure (services and projects); absent for anonymous projects unless
    /// the reader is a member or a moderator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<StructureRef>,
    #[serde(flatten)]
    pub content: C,
    /// Sections this reader may not see.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_sections: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// Last time a person confirmed the information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
    /// `stale` is shown as "à actualiser"; `hidden` listings are seen by their members and
    /// moderators only, until someone confirms them.
    pub freshness: Freshness,
    /// Whether the structure (or the owning structure) holds the Agora label; for an
    /// anonymous project, the public is not told.
    pub labelled: bool,
    /// Services, in their public view: what the people who used it say, criterion by
    /// criterion (a criterion with too few answers shows no figure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<crate::evaluations::EvaluationSummary>,
}

pub type AnyListingView = ListingView<agora_domain::ListingContent>;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<PlatformRole>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MembershipView {
    pub structure: StructureRef,
    pub role: MemberRole,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeView {
    #[serde(flatten)]
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: MemberRole,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// News of the project's progress.
    Update,
    /// What a completed project achieved with the help it found.
    SuccessStory,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    Pending,
    Published,
    Rejected,
}

/// A progress update of a project.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUpdateView {
    pub id: Uuid,
    pub project_id: Uuid,
    pub body: String,
    pub kind: UpdateKind,
    pub status: UpdateStatus,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: Uuid,
    pub display_name: String,
}

/// An item of the moderation queue: one submitted revision.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    /// The revision's id; moderation routes take it.
    pub id: Uuid,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub structure: StructureRef,
    pub name: String,
    pub number: i32,
    pub state: RevisionState,
    /// True when this revision would replace a published version.
    pub is_edit_of_published: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<UserRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A listing that looks like the one under review.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateView {
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub name: String,
    pub state: RevisionState,
    /// Why it looks the same: `same_rna`, `same_siren`, `same_siret`,
    /// `similar_name_same_commune`, `similar_name_same_structure`.
    pub reasons: Vec<String>,
}

/// Everything a moderator needs to decide on one item.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationItemView {
    #[serde(flatten)]
    pub item: QueueItem,
    /// The submitted content, unredacted.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub content: serde_json::Value,
    /// The version currently published, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub published_content: Option<serde_json::Value>,
    /// Field-level differences from the published version (everything, for a first
    /// submission).
    pub diff: Vec<FieldChange>,
    pub duplicates: Vec<DuplicateView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditView {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Absent for actions of the system itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserRef>,
    pub action: String,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
}

//! The life of a listing: its public status, and the review state of each revision in the
//! moderation queue. Every legal transition is here; anything else is a `TransitionError`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingKind {
    Structure,
    Service,
    Project,
}

impl ListingKind {
    pub const ALL: [ListingKind; 3] = [Self::Structure, Self::Service, Self::Project];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Structure => "structure",
            Self::Service => "service",
            Self::Project => "project",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The API collection of this kind (`structures`, `services`, `projects`).
    pub fn collection(self) -> &'static str {
        match self {
            Self::Structure => "structures",
            Self::Service => "services",
            Self::Project => "projects",
        }
    }
}

/// What an audit entry, a revision or a change-log entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Structure,
    Service,
    Project,
    ProjectUpdate,
    User,
    /// A community event (its lifecycle, committee and applications).
    Event,
}

impl SubjectType {
    pub const ALL: [SubjectType; 6] = [
        Self::Structure,
        Self::Service,
        Self::Project,
        Self::ProjectUpdate,
        Self::User,
        Self::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Structure => "structure",
            Self::Service => "service",
            Self::Project => "project",
            Self::ProjectUpdate => "project_update",
            Self::User => "user",
            Self::Event => "event",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn listing_kind(self) -> Option<ListingKind> {
        match self {
            Self::Structure => Some(ListingKind::Structure),
            Self::Service => Some(ListingKind::Service),
            Self::Project => Some(ListingKind::Project),
            Self::ProjectUpdate | Self::User | Self::Event => None,
        }
    }
}

impl From<ListingKind> for SubjectType {
    fn from(kind: ListingKind) -> Self {
        match kind {
            ListingKind::Structure => Self::Structure,
            ListingKind::Service => Self::Service,
            ListingKind::Project => Self::Project,
        }
    }
}

/// Where a listing stands for the public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListingStatus {
    Draft,
    Pending,
    ChangesRequested,
    Rejected,
    Published,
    /// A project that temporarily does not look for contributors; still public.
    Paused,
    /// A project that reached its goal; still public.
    Completed,
    /// Withdrawn from public view by its structure.
    Archived,
}

impl ListingStatus {
    pub const ALL: [ListingStatus; 8] = [
        Self::Draft,
        Self::Pending,
        Self::ChangesRequested,
        Self::Rejected,
        Self::Published,
        Self::Paused,
        Self::Completed,
        Self::Archived,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Pending => "pending",
            Self::ChangesRequested => "changes_requested",
            Self::Rejected => "rejected",
            Self::Published => "published",
            Self::Paused => "paused",
            Self::Completed => "completed",
            Self::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether anyone may read the listing's published version.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Published | Self::Paused | Self::Completed)
    }

    /// The status of a listing that was never published mirrors its revision's review.
    pub fn before_publication(review: RevisionState) -> Self {
        match review {
            RevisionState::Draft => Self::Draft,
            RevisionState::Pending => Self::Pending,
            RevisionState::ChangesRequested => Self::ChangesRequested,
            RevisionState::Rejected => Self::Rejected,
            RevisionState::Approved | RevisionState::Superseded => Self::Published,
        }
    }

    /// Whether a service or project of a structure in this status may be submitted: its
    /// structure must at least be in the queue.
    pub fn admits_child_submission(self) -> bool {
        matches!(self, Self::Pending) || self.is_public()
    }

    pub fn pause(self) -> Result<Self, TransitionError> {
        match self {
            Self::Published => Ok(Self::Paused),
            other => Err(TransitionError::new(other.as_str(), "pause")),
        }
    }

    pub fn resume(self) -> Result<Self, TransitionError> {
        match self {
            Self::Paused => Ok(Self::Published),
            other => Err(TransitionError::new(other.as_str(), "resume")),
        }
    }

    pub fn complete(self) -> Result<Self, TransitionError> {
        match self {
            Self::Published | Self::Paused => Ok(Self::Completed),
            other => Err(TransitionError::new(other.as_str(), "complete")),
        }
    }

    pub fn archive(self) -> Result<Self, TransitionError> {
        match self {
            Self::Published | Self::Paused | Self::Completed => Ok(Self::Archived),
            other => Err(TransitionError::new(other.as_str(), "archive")),
        }
    }
}

/// The review state of one revision (one version of a listing's content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RevisionState {
    /// Being written by the structure's members.
    Draft,
    /// In the moderation queue.
    Pending,
    /// Sent back by a moderator with a reason; members edit and submit again.
    ChangesRequested,
    /// Refused by a moderator with a reason; an edit starts a new revision.
    Rejected,
    /// The published version.
    Approved,
    /// A formerly published version, replaced by a newer approved one.
    Superseded,
}

/// A moderator's decision on a pending revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
    RequestChanges,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::RequestChanges => "request_changes",
        }
    }

    /// Rejections and change requests must tell the submitter why.
    pub fn needs_reason(self) -> bool {
        !matches!(self, Self::Approve)
    }
}

/// What an edit does to the revision being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditEffect {
    /// The revision is still being written: update its content, and set it to this state.
    InPlace(RevisionState),
    /// The revision is decided history: the edit starts a new draft revision.
    NewRevision,
}

impl RevisionState {
    pub const ALL: [RevisionState; 6] = [
        Self::Draft,
        Self::Pending,
        Self::ChangesRequested,
        Self::Rejected,
        Self::Approved,
        Self::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Pending => "pending",
            Self::ChangesRequested => "changes_requested",
            Self::Rejected => "rejected",
            Self::Approved => "approved",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn submit(self) -> Result<Self, TransitionError> {
        match self {
            Self::Draft | Self::ChangesRequested => Ok(Self::Pending),
            Self::Approved => Err(TransitionError::with_hint(
                self.as_str(),
                "submit",
                "there is no change since the last publication",
            )),
            Self::Rejected => Err(TransitionError::with_hint(
                self.as_str(),
                "submit",
                "edit the listing to start a new version",
            )),
            other => Err(TransitionError::new(other.as_str(), "submit")),
        }
    }

    pub fn decide(self, decision: Decision) -> Result<Self, TransitionError> {
        match (self, decision) {
            (Self::Pending, Decision::Approve) => Ok(Self::Approved),
            (Self::Pending, Decision::Reject) => Ok(Self::Rejected),
            (Self::Pending, Decision::RequestChanges) => Ok(Self::ChangesRequested),
            (other, d) => Err(TransitionError::new(other.as_str(), d.as_str())),
        }
    }

    /// Editing a pending revision takes it out of the queue: the moderator must see what
    /// will be published, so it goes back to draft until submitted again.
    pub fn edit(self) -> EditEffect {
        match self {
            Self::Draft | Self::Pending => EditEffect::InPlace(Self::Draft),
            Self::ChangesRequested => EditEffect::InPlace(Self::ChangesRequested),
            Self::Rejected | Self::Approved | Self::Superseded => EditEffect::NewRevision,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a listing whose state is `{from}`{}", .hint.as_ref().map(|h| format!(": {h}")).unwrap_or_default())]
pub struct TransitionError {
    pub from: &'static str,
    pub action: &'static str,
    pub hint: Option<&'static str>,
}

impl TransitionError {
    fn new(from: &'static str, action: &'static str) -> Self {
        Self {
            from,
            action,
            hint: None,
        }
    }

    fn with_hint(from: &'static str, action: &'static str, hint: &'static str) -> Self {
        Self {
            from,
            action,
            hint: Some(hint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RevisionState::*;

    #[test]
    fn the_review_path() {
        assert_eq!(Draft.submit(), Ok(Pending));
        assert_eq!(Pending.decide(Decision::Approve), Ok(Approved));
        assert_eq!(Pending.decide(Decision::Reject), Ok(Rejected));
        assert_eq!(
            Pending.decide(Decision::RequestChanges),
            Ok(ChangesRequested)
        );
        assert_eq!(ChangesRequested.submit(), Ok(Pending));
    }

    #[test]
    fn only_pending_revisions_are_decided() {
        for state in [Draft, ChangesRequested, Rejected, Approved, Superseded] {
            for d in [
                Decision::Approve,
                Decision::Reject,
                Decision::RequestChanges,
            ] {
                assert!(state.decide(d).is_err(), "{state:?} {d:?}");
            }
        }
    }

    #[test]
    fn only_drafts_and_change_requests_are_submitted() {
        for state in [Pending, Rejected, Approved, Superseded] {
            assert!(state.submit().is_err(), "{state:?}");
        }
        let e = Approved.submit().unwrap_err();
        assert!(e.to_string().contains("no change"), "{e}");
    }

    #[test]
    fn decided_revisions_are_never_edited_in_place() {
        assert_eq!(Draft.edit(), EditEffect::InPlace(Draft));
        assert_eq!(Pending.edit(), EditEffect::InPlace(Draft));
        assert_eq!(
            ChangesRequested.edit(),
            EditEffect::InPlace(ChangesRequested)
        );
        for state in [Rejected, Approved, Superseded] {
            assert_eq!(state.edit(), EditEffect::NewRevision);
        }
    }

    #[test]
    fn project_lifecycle() {
        use ListingStatus as S;
        assert_eq!(S::Published.pause(), Ok(S::Paused));
        assert_eq!(S::Paused.resume(), Ok(S::Published));
        assert_eq!(S::Paused.complete(), Ok(S::Completed));
        assert_eq!(S::Completed.archive(), Ok(S::Archived));
        assert!(S::Draft.pause().is_err());
        assert!(S::Pending.archive().is_err());
        assert!(S::Published.resume().is_err());
        assert!(S::Archived.resume().is_err());
    }

    #[test]
    fn public_statuses() {
        let public: Vec<_> = ListingStatus::ALL
            .into_iter()
            .filter(|s| s.is_public())
            .collect();
        assert_eq!(
            public,
            [
                ListingStatus::Published,
                ListingStatus::Paused,
                ListingStatus::Completed
            ]
        );
    }
}

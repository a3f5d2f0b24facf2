//! Who someone is to the platform and to a structure, and the access level that decides
//! which sections of a listing they may read.

use serde::{Deserialize, Serialize};

/// A platform-wide role, granted only from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    Moderator,
    Committee,
    Admin,
}

impl PlatformRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Moderator => "moderator",
            Self::Committee => "committee",
            Self::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "moderator" => Some(Self::Moderator),
            "committee" => Some(Self::Committee),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }

    /// Admins can do everything moderators can.
    pub fn moderates(self) -> bool {
        matches!(self, Self::Moderator | Self::Admin)
    }
}

/// A user's role within one structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Editor,
    Owner,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Editor => "editor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "owner" => Some(Self::Owner),
            "editor" => Some(Self::Editor),
            _ => None,
        }
    }
}

/// How much of a listing a reader may see. Ordered: each level sees what the previous one
/// sees, and more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Anyone: anonymous visitors, other users, partner sites.
    Public,
    /// Members (owners and editors) of the structure that owns the listing.
    Member,
    /// Moderators and admins.
    Moderator,
}

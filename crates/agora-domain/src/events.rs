//! Community events (the Cancerthon, its regional editions, the "mois de l'innovation",
//! speed-meeting sessions): their kinds, their moderated lifecycle, the roles of their
//! organising committee and the states of an application to take part.

use serde::{Deserialize, Serialize};

/// Stable codes with their stored form, for the enums below.
macro_rules! coded {
    ($name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|x| x.as_str() == s)
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The yearly national gathering of the associations that signed the charter.
    Cancerthon,
    /// A smaller edition in one région, relayed by its cancer network (DSRC).
    RegionalEdition,
    /// The "mois de l'innovation".
    InnovationMonth,
    /// A speed-meeting session on its own.
    SpeedMeeting,
}

coded!(EventKind {
    Cancerthon => "cancerthon",
    RegionalEdition => "regional_edition",
    InnovationMonth => "innovation_month",
    SpeedMeeting => "speed_meeting",
});

impl EventKind {
    /// The kind in French, as pages and mails name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cancerthon => "Cancerthon",
            Self::RegionalEdition => "Édition régionale",
            Self::InnovationMonth => "Mois de l'innovation",
            Self::SpeedMeeting => "Session de rencontres express (speed meeting)",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventMode {
    OnSite,
    Online,
    Hybrid,
}

coded!(EventMode {
    OnSite => "on_site",
    Online => "online",
    Hybrid => "hybrid",
});

impl EventMode {
    pub fn label(self) -> &'static str {
        match self {
            Self::OnSite => "Sur place",
            Self::Online => "En ligne",
            Self::Hybrid => "Sur place et en ligne",
        }
    }

    /// Whether people come to a place (which then must be given).
    pub fn has_a_place(self) -> bool {
        matches!(self, Self::OnSite | Self::Hybrid)
    }
}

/// Moderated like a listing: the committee writes a draft and submits it; a moderator
/// publishes it or rejects it with a reason; once over, it is archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Draft,
    /// Submitted, waiting for a moderator.
    Pending,
    Published,
    Rejected,
    Archived,
}

coded!(EventStatus {
    Draft => "draft",
    Pending => "pending",
    Published => "published",
    Rejected => "rejected",
    Archived => "archived",
});

impl EventStatus {
    /// Whether anyone may read it (an archived event keeps its public page).
    pub fn is_public(self) -> bool {
        matches!(self, Self::Published | Self::Archived)
    }

    /// Whether its committee may send it to the moderators.
    pub fn can_submit(self) -> bool {
        matches!(self, Self::Draft | Self::Rejected)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Brouillon",
            Self::Pending => "En attente de modération",
            Self::Published => "Publié",
            Self::Rejected => "Refusé par la modération",
            Self::Archived => "Archivé",
        }
    }
}

/// A seat on an event's organising committee. An invitation is stored as a seat not yet
/// taken: its holder accepts it to become a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventRole {
    /// Created the event; manages the committee.
    Chair,
    Member,
    /// Invited by the chair, not yet accepted: no rights yet.
    Invited,
}

coded!(EventRole {
    Chair => "chair",
    Member => "member",
    Invited => "invited",
});

impl EventRole {
    /// Whether the seat carries the committee's rights.
    pub fn sits(self) -> bool {
        matches!(self, Self::Chair | Self::Member)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Chair => "Présidence du comité",
            Self::Member => "Membre du comité",
            Self::Invited => "Invitation en attente",
        }
    }
}

/// Where an application to take part stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParticipationState {
    /// Waiting for the committee; the structure may still change it.
    Pending,
    Accepted,
    Declined,
    /// The structure took it back.
    Withdrawn,
}

coded!(ParticipationState {
    Pending => "pending",
    Accepted => "accepted",
    Declined => "declined",
    Withdrawn => "withdrawn",
});

impl ParticipationState {
    /// Whether the structure may still take it back.
    pub fn can_withdraw(self) -> bool {
        matches!(self, Self::Pending | Self::Accepted)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "En attente de la décision du comité",
            Self::Accepted => "Acceptée",
            Self::Declined => "Déclinée",
            Self::Withdrawn => "Retirée",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.as_str()), Some(*k));
        }
        for s in EventStatus::ALL {
            assert_eq!(EventStatus::parse(s.as_str()), Some(*s));
        }
        for r in EventRole::ALL {
            assert_eq!(EventRole::parse(r.as_str()), Some(*r));
        }
        for p in ParticipationState::ALL {
            assert_eq!(ParticipationState::parse(p.as_str()), Some(*p));
        }
        assert_eq!(EventMode::parse("hybrid"), Some(EventMode::Hybrid));
        assert_eq!(EventKind::parse("party"), None);
    }

    #[test]
    fn only_taken_seats_carry_rights() {
        assert!(EventRole::Chair.sits() && EventRole::Member.sits());
        assert!(!EventRole::Invited.sits());
        assert!(EventStatus::Archived.is_public() && !EventStatus::Pending.is_public());
    }
}

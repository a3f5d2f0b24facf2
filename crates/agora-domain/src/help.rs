//! "Je propose mon aide": the life of a help offer, mediated by moderators. Contact
//! details cross only at `connected`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    /// Waiting for a moderator.
    Submitted,
    /// Screened and passed on to the project's owners.
    Forwarded,
    /// Stopped by a moderator.
    Declined,
    /// The owners said no.
    Refused,
    /// The owners said yes: contact details exchanged.
    Connected,
    /// Over, with an outcome.
    Closed,
    /// Nobody answered in time.
    Expired,
}

impl OfferState {
    pub const ALL: [Self; 7] = [
        Self::Submitted,
        Self::Forwarded,
        Self::Declined,
        Self::Refused,
        Self::Connected,
        Self::Closed,
        Self::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Forwarded => "forwarded",
            Self::Declined => "declined",
            Self::Refused => "refused",
            Self::Connected => "connected",
            Self::Closed => "closed",
            Self::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Still waiting for someone: a contributor has one such offer per project.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Submitted | Self::Forwarded | Self::Connected)
    }

    /// Whether the project's owners know of it.
    pub fn reached_owners(self) -> bool {
        matches!(
            self,
            Self::Forwarded | Self::Refused | Self::Connected | Self::Closed
        )
    }

    /// Whether contact details have crossed.
    pub fn is_connected(self) -> bool {
        matches!(self, Self::Connected | Self::Closed)
    }

    /// Finished: health information it carried is kept for the retention period only.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            Self::Declined | Self::Refused | Self::Closed | Self::Expired
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Wants {
    /// More details about the project first.
    Details,
    /// An introduction to the project's team.
    Introduction,
}

impl Wants {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Details => "details",
            Self::Introduction => "introduction",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Details, Self::Introduction]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Help was given: the project found its contributor.
    Successful,
    /// They met, and it did not go further.
    NoFollowUp,
    Cancelled,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Successful => "successful",
            Self::NoFollowUp => "no_follow_up",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Successful, Self::NoFollowUp, Self::Cancelled]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// Who may move an offer where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferAction {
    Forward,
    Decline,
    Accept,
    Refuse,
    Close,
    Expire,
}

impl OfferState {
    /// The state after `action`, or why not.
    pub fn apply(self, action: OfferAction) -> Result<Self, String> {
        use OfferAction as A;
        match (self, action) {
            (Self::Submitted, A::Forward) => Ok(Self::Forwarded),
            (Self::Submitted, A::Decline) => Ok(Self::Declined),
            (Self::Forwarded, A::Accept) => Ok(Self::Connected),
            (Self::Forwarded, A::Refuse) => Ok(Self::Refused),
            (Self::Connected, A::Close) => Ok(Self::Closed),
            (Self::Submitted | Self::Forwarded, A::Expire) => Ok(Self::Expired),
            (state, action) => Err(format!(
                "an offer that is {} cannot be {}",
                state.as_str(),
                match action {
                    A::Forward => "forwarded",
                    A::Decline => "declined",
                    A::Accept => "accepted",
                    A::Refuse => "refused",
                    A::Close => "closed",
                    A::Expire => "expired",
                }
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_only_way_to_contact_is_through_the_owners_yes() {
        let s = OfferState::Submitted;
        assert_eq!(s.apply(OfferAction::Accept).map_err(drop), Err(()));
        let f = s.apply(OfferAction::Forward).unwrap();
        assert!(!f.is_connected() && f.reached_owners());
        let c = f.apply(OfferAction::Accept).unwrap();
        assert!(c.is_connected());
        assert_eq!(c.apply(OfferAction::Close).unwrap(), OfferState::Closed);
        assert!(OfferState::Declined.apply(OfferAction::Forward).is_err());
        assert!(!OfferState::Submitted.reached_owners());
        assert_eq!(f.apply(OfferAction::Expire).unwrap(), OfferState::Expired);
        assert!(OfferState::Connected.apply(OfferAction::Expire).is_err());
    }
}

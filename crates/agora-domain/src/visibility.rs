//! Per-section visibility and the single redaction step every outgoing representation
//! (response, export, e-mail, index document) goes through.

use crate::roles::Access;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VisibilityLevel {
    /// Everyone.
    #[default]
    Public,
    /// The structure's members and the moderators.
    Private,
    /// The moderators only.
    Confidential,
}

impl VisibilityLevel {
    /// At least private: public becomes private, stricter levels stay.
    pub fn max_private(self) -> Self {
        match self {
            Self::Public => Self::Private,
            other => other,
        }
    }

    pub fn visible_to(self, access: Access) -> bool {
        match self {
            Self::Public => true,
            Self::Private => access >= Access::Member,
            Self::Confidential => access >= Access::Moderator,
        }
    }
}

/// Visibility of each named section; a section not listed is public.
pub type SectionVisibility = BTreeMap<String, VisibilityLevel>;

/// Collects the sections hidden from one reader while a listing is redacted.
pub(crate) struct Redactor<'a> {
    visibility: &'a SectionVisibility,
    access: Access,
    pub hidden: Vec<String>,
}

impl<'a> Redactor<'a> {
    pub fn new(visibility: &'a SectionVisibility, access: Access) -> Self {
        Self {
            visibility,
            access,
            hidden: Vec::new(),
        }
    }

    /// Clears `field` when `section` is not visible to the reader.
    pub fn section<T: Default>(&mut self, section: &str, field: &mut T) {
        let level = self.visibility.get(section).copied().unwrap_or_default();
        if !level.visible_to(self.access) {
            *field = T::default();
            self.hidden.push(section.to_owned());
        }
    }
}

/// Whether the reader may know which structure runs an anonymous project.
pub fn reveals_owner(anonymous: bool, access: Access) -> bool {
    !anonymous || access >= Access::Member
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_is_seen_by_the_right_readers() {
        let table = [
            (VisibilityLevel::Public, [true, true, true]),
            (VisibilityLevel::Private, [false, true, true]),
            (VisibilityLevel::Confidential, [false, false, true]),
        ];
        for (level, expected) in table {
            let seen =
                [Access::Public, Access::Member, Access::Moderator].map(|a| level.visible_to(a));
            assert_eq!(seen, expected, "{level:?}");
        }
    }

    #[test]
    fn anonymous_owner_is_hidden_from_the_public_only() {
        assert!(!reveals_owner(true, Access::Public));
        assert!(reveals_owner(true, Access::Member));
        assert!(reveals_owner(true, Access::Moderator));
        assert!(reveals_owner(false, Access::Public));
    }
}

//! Agora's domain: the types and rules every other crate relies on. Pure: no I/O, no async,
//! no framework types, so each rule is unit-tested here without a database.

pub mod clock;
pub mod contact;
pub mod content;
pub mod coverage;
pub mod diff;
pub mod events;
pub mod freshness;
pub mod help;
pub mod identifiers;
pub mod label;
pub mod lifecycle;
pub mod merge;
pub mod names;
pub mod roles;
pub mod throttle;
pub mod validation;
pub mod visibility;
pub mod vocabulary;

pub use clock::{Clock, ManualClock, SystemClock};
pub use content::{
    Address, Contact, ListingContent, Location, ProjectContent, ServiceContent, StructureContent,
};
pub use coverage::Coverage;
pub use freshness::{Freshness, RefreshSchedule};
pub use lifecycle::{
    Decision, ListingKind, ListingStatus, RevisionState, SubjectType, TransitionError,
};
pub use roles::{Access, MemberRole, PlatformRole};
pub use validation::{FieldError, ValidationErrors};
pub use visibility::VisibilityLevel;
pub use vocabulary::{Term, Vocabularies, VocabularyKind};

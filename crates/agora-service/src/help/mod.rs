//! "Je propose mon aide": people who want to help reach projects through moderators,
//! never directly. Contact details cross only when the project's owners accept (then the
//! offer is `connected`); an anonymous project's structure is named to the contributor
//! only then; the public never learns who offered help. Health information a contributor
//! writes is kept only with consent, shown to moderators only (each read is audited),
//! never indexed or exported to others, and forgotten a while after the offer ends.

mod answer;
mod indicators;
mod offer;
mod profile;
mod screening;
mod sweep;

pub use answer::{CloseInput, answer, close};
pub use indicators::{Stats, stats, suggestions};
pub use offer::{OfferContact, OfferInput, mine, of_project, offer};
pub use profile::{ContactChannel, ExperienceKind, ProfileInput, get_profile, put_profile};
pub use screening::{ScreenInput, queue, screen};
pub use sweep::sweep;

use crate::mail::Addressee;
use crate::registry::entry;
use crate::{Context, Result, ServiceError};
use agora_domain::help::{OfferState, Outcome, Wants};
use agora_domain::validation::Validator;
use agora_domain::{ListingKind, SubjectType, VocabularyKind};
use agora_store::audit::{self, AuditEntry};
use agora_store::help::{self as store, OfferRecord};
use agora_store::{ConnectionTrait, accounts, listings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Quotas, reminders, expiry and retention (configuration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HelpSettings {
    /// Offers one contributor may make per rolling 24 hours.
    pub offers_per_contributor_per_day: u64,
    /// Offers one project may receive per rolling 24 hours.
    pub offers_per_project_per_day: u64,
    /// Days an offer waits for a moderator or the owners before a reminder.
    pub remind_after_days: i64,
    /// Days after which an unanswered offer expires.
    pub expire_after_days: i64,
    /// Days health information is kept once an offer has ended.
    pub health_retention_days: i64,
}

impl Default for HelpSettings {
    fn default() -> Self {
        Self {
            offers_per_contributor_per_day: 5,
            offers_per_project_per_day: 20,
            remind_after_days: 7,
            expire_after_days: 30,
            health_retention_days: 90,
        }
    }
}

fn skills_known(ctx: &Context, skills: &[String], pointer: &str, v: &mut Validator) {
    v.check(skills.len() <= 20, pointer, "too_many", "at most 20 skills");
    for (i, s) in skills.iter().enumerate() {
        v.check(
            ctx.vocab.contains(VocabularyKind::Skill, s),
            &format!("{pointer}/{i}"),
            "unknown_term",
            "not in the skill vocabulary (see /api/v1/vocabularies)",
        );
    }
}

/// The project as a contributor sees it around their offer.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectRef {
    pub id: Uuid,
    pub title: String,
}

/// Who to talk to, once connected.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyContact {
    pub name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The project's structure (named to the contributor only once connected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<String>,
}

/// An offer as the contributor, the project's owners or a moderator may see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferView {
    pub id: Uuid,
    pub project: ProjectRef,
    pub state: OfferState,
    pub message: String,
    pub skills: Vec<String>,
    pub wants: Wants,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The other side's contact details: only once connected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<PartyContact>,
    /// Moderators only: the contributor, their history and notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderation: Option<ModerationDetails>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationDetails {
    pub contributor_id: Uuid,
    pub contributor_name: String,
    pub contact_email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Health information, with consent; every read is in the audit trail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_info: Option<String>,
    /// Their earlier offers, by state.
    pub history: BTreeMap<String, u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

async fn project_ref(db: &impl ConnectionTrait, id: Uuid) -> Result<ProjectRef> {
    let p = listings::get(db, ListingKind::Project, id)
        .await?
        .ok_or(ServiceError::NotFound("project"))?;
    Ok(ProjectRef { id, title: p.name })
}

fn base_view(o: &OfferRecord, project: ProjectRef) -> OfferView {
    OfferView {
        id: o.id,
        project,
        state: o.state,
        message: o.message.clone(),
        skills: o.skills.clone(),
        wants: o.wants,
        created_at: o.created_at,
        decline_reason: None,
        outcome: o.outcome,
        contact: None,
        moderation: None,
    }
}

/// The structure's name and the member who accepted, for the contributor once connected.
async fn owner_contact(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<Option<PartyContact>> {
    let Some(by) = o.answered_by else {
        return Ok(None);
    };
    let Some(user) = accounts::user_by_id(db, by).await? else {
        return Ok(None);
    };
    let structure = listings::get(db, ListingKind::Structure, o.structure_id)
        .await?
        .map(|s| s.name);
    Ok(Some(PartyContact {
        name: user.display_name,
        email: user.email,
        phone: None,
        structure,
    }))
}

async fn contributor_contact(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<PartyContact> {
    let name = accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    Ok(PartyContact {
        name,
        email: o.contact_email.clone(),
        phone: o.contact_phone.clone(),
        structure: None,
    })
}

async fn contributor_view(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    v.decline_reason = o.decline_reason.clone();
    if o.state.is_connected() {
        v.contact = owner_contact(db, o).await?;
    }
    Ok(v)
}

async fn owner_view(db: &impl ConnectionTrait, o: &OfferRecord) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    if o.state.is_connected() {
        v.contact = Some(contributor_contact(db, o).await?);
    }
    Ok(v)
}

async fn moderator_view(
    ctx: &Context,
    db: &impl ConnectionTrait,
    o: &OfferRecord,
    reader: Uuid,
) -> Result<OfferView> {
    let mut v = base_view(o, project_ref(db, o.project_id).await?);
    v.decline_reason = o.decline_reason.clone();
    let mut history = BTreeMap::new();
    for earlier in store::of_contributor(db, o.contributor_id).await? {
        if earlier.id != o.id {
            *history
                .entry(earlier.state.as_str().to_owned())
                .or_insert(0) += 1;
        }
    }
    if o.health_info.is_some() {
        audit::append(
            db,
            AuditEntry {
                details: Some(serde_json::json!({ "help_offer": o.id })),
                ..entry(
                    ctx.now(),
                    Some(reader),
                    "health_info_read",
                    SubjectType::User,
                    o.contributor_id,
                )
            },
        )
        .await?;
    }
    let name = accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| u.display_name)
        .unwrap_or_default();
    v.moderation = Some(ModerationDetails {
        contributor_id: o.contributor_id,
        contributor_name: name,
        contact_email: o.contact_email.clone(),
        contact_phone: o.contact_phone.clone(),
        health_info: o.health_info.clone(),
        history,
        notes: o.moderator_notes.clone(),
    });
    Ok(v)
}

fn offer_audit(
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    o: &OfferRecord,
) -> AuditEntry {
    AuditEntry {
        details: Some(serde_json::json!({ "help_offer": o.id, "state": o.state })),
        ..entry(now, actor, action, SubjectType::Project, o.project_id)
    }
}

async fn contributor_addressee(
    db: &impl ConnectionTrait,
    o: &OfferRecord,
) -> Result<Option<Addressee>> {
    Ok(accounts::user_by_id(db, o.contributor_id)
        .await?
        .map(|u| Addressee {
            email: u.email,
            name: u.display_name,
        }))
}

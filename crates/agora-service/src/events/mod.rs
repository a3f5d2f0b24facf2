//! Community events: the Cancerthon, its regional editions, the "mois de l'innovation",
//! speed-meeting sessions.
//!
//! Who may create one: an account with a platform role (moderator, committee, admin) or a
//! member of a published structure (the collective of associations). Its creator chairs
//! its organising committee. It is moderated like a listing (draft → pending → published
//! or rejected with a reason → archived once over); its committee edits it, also once
//! published (the change is audited, and stays published).
//!
//! Who sees what: a published (or archived) event is public; a draft, pending or rejected
//! one is known only to its committee (and the invited), moderators and admins: anyone
//! else is told it does not exist. The committee's names and addresses are for the
//! committee only. Applications are seen whole by the committee, by the applying
//! structure's members (their own), never by anyone else; the public list of participants
//! names only accepted structures that consented.

mod apply;
mod committee;
mod decide;
mod manage;
mod participants;
mod review;

pub use apply::{
    ApplyingStructure, EventApplicationInput, apply, get_application, my_applications,
    structures_to_apply_for, withdraw,
};
pub use committee::{
    CommitteeInvite, CommitteeSeatView, InviteReceipt, answer_invitation, committee,
    committee_role, invite, remove_member,
};
pub use decide::{EventApplicationDecision, EventApplicationDecisionInput, applications, decide};
pub use manage::{
    EventFilterInput, EventInput, EventPeriod, SpeedSettings, archive, create, get, list,
    may_organise, mine, submit, update,
};
pub use participants::{ParticipantView, ParticipantsView, participants};
pub use review::{EventDecision, EventDecisionInput, decide_event, pending};

use crate::access::standing;
use crate::help::ProjectRef;
use crate::mail::{self, Addressee};
use crate::registry::entry;
use crate::views::{StructureRef, UserRef};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::events::{EventKind, EventMode, EventRole, EventStatus, ParticipationState};
use agora_domain::{ListingKind, SubjectType};
use agora_store::audit::AuditEntry;
use agora_store::events::{self as store, ApplicationRecord, EventRecord};
use agora_store::{ConnectionTrait, accounts, listings};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// An event as one reader may see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub id: Uuid,
    pub kind: EventKind,
    pub title: String,
    pub summary: String,
    /// The version of the charter participants sign.
    pub charter_version: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// INSEE région code; absent for a national event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    pub mode: EventMode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commune_name: Option<String>,
    /// The orientations set by the collective.
    pub orientations: Vec<String>,
    /// Applications are taken until then (or until the event starts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applications_close_at: Option<DateTime<Utc>>,
    /// Whether a published structure may apply now.
    pub applications_open: bool,
    /// The speed meetings it holds, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_meetings: Option<SpeedSettings>,
    pub status: EventStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Committee and moderators: why moderators rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<String>,
    /// Committee and moderators: when it was sent to moderation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// The caller's seat on its committee, if they have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_role: Option<EventRole>,
}

/// An event, as an application names it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventRef {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
}

/// An application to take part, as the committee or the applying structure sees it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventApplicationView {
    pub id: Uuid,
    pub event: EventRef,
    pub structure: StructureRef,
    /// The structure's projects it brings.
    pub projects: Vec<ProjectRef>,
    /// Skills offered and looked for (the `skill` vocabulary).
    pub offers: Vec<String>,
    pub needs: Vec<String>,
    /// Themes (the `theme` vocabulary).
    pub themes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub message: String,
    /// The charter signed, with its version.
    pub charter_version: String,
    pub charter_signed_at: DateTime<Utc>,
    /// Whether the structure may be named in the public list of participants.
    pub public_consent: bool,
    pub state: ParticipationState,
    /// The committee's reason (required to decline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The committee only: who applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applicant: Option<UserRef>,
}

/// How the caller stands towards an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EventStanding {
    pub seat: Option<EventRole>,
    pub moderator: bool,
}

impl EventStanding {
    pub fn sits(self) -> bool {
        self.seat.is_some_and(EventRole::sits)
    }

    pub fn is_chair(self) -> bool {
        self.seat == Some(EventRole::Chair)
    }

    /// Whether the caller may know the event exists.
    pub fn sees(self, event: &EventRecord) -> bool {
        event.status.is_public() || self.seat.is_some() || self.moderator
    }

    /// Whether the caller reads the committee's side of it.
    pub fn reads_internals(self) -> bool {
        self.sits() || self.moderator
    }
}

pub(crate) async fn event_standing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event_id: Uuid,
) -> Result<EventStanding> {
    let seat = match actor.user() {
        Some(u) => store::seat_of(db, event_id, u.id).await?.map(|s| s.role),
        None => None,
    };
    Ok(EventStanding {
        seat,
        moderator: actor.is_moderator(),
    })
}

fn not_found() -> ServiceError {
    ServiceError::NotFound("event")
}

/// The event and the caller's standing; 404 to anyone who may not know it exists.
pub(crate) async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(EventRecord, EventStanding)> {
    let event = store::get_event(db, id).await?.ok_or_else(not_found)?;
    let st = event_standing(db, actor, id).await?;
    if st.sees(&event) {
        Ok((event, st))
    } else {
        Err(not_found())
    }
}

/// The event's committee only (403 to others who may see the event).
pub(crate) async fn load_for_committee(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(EventRecord, EventStanding, Uuid)> {
    let user = actor.require_user()?;
    let (event, st) = load(db, actor, id).await?;
    if st.sits() {
        Ok((event, st, user.id))
    } else {
        Err(ServiceError::Forbidden(
            "this is for the event's organising committee",
        ))
    }
}

/// Whether applications are taken now: published, before they close (or the start).
pub(crate) fn applications_open(event: &EventRecord, now: DateTime<Utc>) -> bool {
    let close = event.applications_close_at.unwrap_or(event.starts_at);
    event.status == EventStatus::Published && now < close
}

pub(crate) fn view(event: &EventRecord, st: EventStanding, now: DateTime<Utc>) -> EventView {
    let internals = st.reads_internals();
    EventView {
        id: event.id,
        kind: event.kind,
        title: event.title.clone(),
        summary: event.summary.clone(),
        charter_version: event.charter_version.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        region: event.region.clone(),
        region_name: event
            .region
            .as_deref()
            .and_then(agora_geo::region)
            .map(|r| r.name.to_owned()),
        mode: event.mode,
        venue: event.venue.clone(),
        commune_code: event.commune_code.clone(),
        commune_name: event
            .commune_code
            .as_deref()
            .and_then(agora_geo::commune)
            .map(|c| c.name.to_owned()),
        orientations: event.orientations.clone(),
        applications_close_at: event.applications_close_at,
        applications_open: applications_open(event, now),
        speed_meetings: (event.speed_rounds > 0).then_some(SpeedSettings {
            rounds: event.speed_rounds,
            round_minutes: event.round_minutes,
            tables: event.tables,
            starts_at: event.speed_starts_at,
        }),
        status: event.status,
        published_at: event.published_at,
        updated_at: event.updated_at,
        reject_reason: event.reject_reason.clone().filter(|_| internals),
        submitted_at: event.submitted_at.filter(|_| internals),
        my_role: st.seat,
    }
}

pub(crate) fn event_ref(event: &EventRecord) -> EventRef {
    EventRef {
        id: event.id,
        title: event.title.clone(),
        starts_at: event.starts_at,
    }
}

async fn structure_ref(db: &impl ConnectionTrait, id: Uuid) -> Result<StructureRef> {
    let name = listings::get(db, ListingKind::Structure, id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default();
    Ok(StructureRef { id, name })
}

/// The projects named, with their titles (those that still exist); `listed_only` keeps
/// those the public may see.
pub(crate) async fn project_refs(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    listed_only: bool,
) -> Result<Vec<ProjectRef>> {
    let found = listings::by_ids(db, ListingKind::Project, ids.to_vec()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|p| p.id == *id))
        .filter(|p| !listed_only || (p.is_listed() && !p.anonymous))
        .map(|p| ProjectRef {
            id: p.id,
            title: p.name.clone(),
        })
        .collect())
}

/// An application as the committee (`committee`) or the structure's members read it.
pub(crate) async fn application_view(
    db: &impl ConnectionTrait,
    event: &EventRecord,
    app: &ApplicationRecord,
    committee: bool,
) -> Result<EventApplicationView> {
    let applicant = if committee {
        accounts::user_by_id(db, app.applicant_id)
            .await?
            .map(|u| UserRef {
                id: u.id,
                display_name: u.display_name,
            })
    } else {
        None
    };
    Ok(EventApplicationView {
        id: app.id,
        event: event_ref(event),
        structure: structure_ref(db, app.structure_id).await?,
        projects: project_refs(db, &app.project_ids, false).await?,
        offers: app.offers.clone(),
        needs: app.needs.clone(),
        themes: app.themes.clone(),
        region: app.region.clone(),
        message: app.message.clone(),
        charter_version: app.charter_version.clone(),
        charter_signed_at: app.charter_signed_at,
        public_consent: app.public_consent,
        state: app.state,
        decision_reason: app.decision_reason.clone(),
        decided_at: app.decided_at,
        created_at: app.created_at,
        updated_at: app.updated_at,
        applicant,
    })
}

/// How the caller stands towards an application of a visible event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Party {
    Committee,
    /// A member of the applying structure.
    Applicant,
    Moderator,
}

/// The application, the event and the caller's part in it; 404 to anyone else (and when
/// the application is not the event's).
pub(crate) async fn load_application(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event_id: Uuid,
    application_id: Uuid,
) -> Result<(EventRecord, ApplicationRecord, Party)> {
    actor.require_user()?;
    let (event, st) = load(db, actor, event_id).await?;
    let app = store::get_application(db, application_id)
        .await?
        .filter(|a| a.event_id == event_id)
        .ok_or(ServiceError::NotFound("application"))?;
    let party = if st.sits() {
        Party::Committee
    } else if standing(db, actor, app.structure_id).await?.is_member() {
        Party::Applicant
    } else if st.moderator {
        Party::Moderator
    } else {
        return Err(ServiceError::NotFound("application"));
    };
    Ok((event, app, party))
}

/// The first gate of an operation on an event (see [`crate::authorize`]): who may not
/// know the event (or the application) gets 404; who may but lacks the seat, 403.
pub(crate) async fn authorize(
    ctx: &Context,
    actor: &Actor,
    need: crate::authorize::Need,
    event_id: Uuid,
    application_id: Option<Uuid>,
) -> Result<()> {
    use crate::authorize::Need;
    let (_, st) = load(&ctx.db, actor, event_id).await?;
    let refused = |why| Err(ServiceError::Forbidden(why));
    match need {
        Need::EventCommittee if !st.sits() => {
            refused("this is for the event's organising committee")
        }
        Need::EventChair if !st.is_chair() => refused("this is for the committee's chair"),
        Need::EventInvitee if st.seat != Some(EventRole::Invited) => {
            Err(ServiceError::NotFound("invitation"))
        }
        Need::StructureMember if !member_of_a_published_structure(ctx, actor).await? => {
            refused("this is for members of a published structure")
        }
        Need::EventApplicant | Need::EventApplicationParty => {
            let Some(app_id) = application_id else {
                return Ok(());
            };
            let (_, _, party) = load_application(&ctx.db, actor, event_id, app_id).await?;
            match (need, party) {
                (Need::EventApplicant, Party::Applicant) | (Need::EventApplicationParty, _) => {
                    Ok(())
                }
                _ => refused("only the applying structure's members do this"),
            }
        }
        _ => Ok(()),
    }
}

/// Whether the caller belongs to a structure the public can see.
pub async fn member_of_a_published_structure(ctx: &Context, actor: &Actor) -> Result<bool> {
    let Some(user) = actor.user() else {
        return Ok(false);
    };
    let ids: Vec<Uuid> = agora_store::memberships::of_user(&ctx.db, user.id)
        .await?
        .into_iter()
        .map(|m| m.structure_id)
        .collect();
    Ok(listings::by_ids(&ctx.db, ListingKind::Structure, ids)
        .await?
        .iter()
        .any(|s| s.is_listed()))
}

pub(crate) fn audit_entry(
    now: DateTime<Utc>,
    actor: Option<Uuid>,
    action: &str,
    event_id: Uuid,
    details: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        details: Some(details),
        ..entry(now, actor, action, SubjectType::Event, event_id)
    }
}

/// The active accounts holding these ids, as recipients.
pub(crate) async fn addressees(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<Vec<Addressee>> {
    Ok(accounts::users_by_ids(db, ids)
        .await?
        .into_iter()
        .filter(|u| u.disabled_at.is_none())
        .map(|u| Addressee {
            email: u.email,
            name: u.display_name,
        })
        .collect())
}

/// The committee's sitting members, as recipients.
pub(crate) async fn committee_addressees(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<Addressee>> {
    let ids = store::seats(db, event_id)
        .await?
        .into_iter()
        .filter(|s| s.role.sits())
        .map(|s| s.user_id)
        .collect();
    addressees(db, ids).await
}

/// The page of an event.
pub(crate) fn event_url(ctx: &Context, id: Uuid) -> String {
    mail::site_url(ctx, &format!("/evenements/{id}"))
}

//! Speed meetings inside an event. Participants (members of a structure whose application
//! was accepted) rank whom they want to meet and say which rounds they cannot attend; the
//! organising committee pins or bans pairs, runs the scheduler (crate `agora-meetings`) as
//! often as it likes, then publishes the schedule, which freezes it and mails everyone
//! their own meetings. After the event each side says which meetings it wants to follow
//! up; six months later, for the meetings both sides followed up, a feedback request goes
//! out once, and the answers feed the event's indicators.
//!
//! Who sees what: the committee (and administrators) see the whole plan, published or
//! not; a participant sees only their own meetings, once published; the public sees only
//! counts.

mod constraints;
mod feedback;
mod follow_up;
mod indicators;
mod run;
mod schedule;
mod wishes;

pub use constraints::{
    ConstraintInput, ConstraintKind, ConstraintView, add_constraint, constraints, remove_constraint,
};
pub use feedback::{FeedbackInput, FeedbackView, answer_feedback, sweep};
pub use follow_up::{FollowUpInput, follow_up};
pub use indicators::{EventIndicators, IndicatorsOverview, indicators, overview};
pub use run::{IdleSlot, PairRef, ScheduleReport, publish, run};
pub use schedule::{MyMeeting, MySchedule, PlanMeeting, PlanRound, PlanView, mine, plan};
pub use wishes::{Candidate, PreferencesInput, PreferencesView, preferences, set_preferences};

use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{ListingKind, VocabularyKind};
use agora_store::meetings::{self as store, EventRecord, ParticipantRecord};
use agora_store::{ConnectionTrait, listings, memberships};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// Speed meetings' settings (configuration `events`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingSettings {
    /// Days after an event's end when the feedback on meetings both sides followed up
    /// is asked for (six months).
    pub feedback_after_days: i64,
}

impl Default for MeetingSettings {
    fn default() -> Self {
        Self {
            feedback_after_days: 182,
        }
    }
}

/// At most this many wishes per participant.
pub const MAX_WISHES: usize = 15;

/// A participant as others see them: the structure and its public page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipantRef {
    /// The accepted application: the participant's id in wishes, constraints, meetings.
    pub application_id: Uuid,
    pub structure_id: Uuid,
    pub name: String,
    /// INSEE région code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// How the caller stands towards an event's speed meetings.
pub(crate) struct Standing {
    pub event: EventRecord,
    /// On the organising committee, or an administrator.
    pub committee: bool,
    /// The accepted applications of the structures the caller belongs to.
    pub mine: Vec<ParticipantRecord>,
}

impl Standing {
    pub fn require_committee(&self) -> Result<()> {
        if self.committee {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(
                "this is for the event's organising committee",
            ))
        }
    }

    /// The participation the caller acts for: `chosen`, or their only one.
    pub fn participation(&self, chosen: Option<Uuid>) -> Result<&ParticipantRecord> {
        if self.mine.is_empty() {
            return Err(ServiceError::Forbidden(
                "this is for the event's accepted participants",
            ));
        }
        match chosen {
            Some(id) => self
                .mine
                .iter()
                .find(|p| p.id == id)
                .ok_or(ServiceError::Forbidden(
                    "this application is not one of your structures'",
                )),
            None if self.mine.len() == 1 => Ok(&self.mine[0]),
            None => Err(ServiceError::Validation(
                agora_domain::ValidationErrors::single(
                    "/application_id",
                    "required",
                    "you belong to several participating structures: say which one acts",
                ),
            )),
        }
    }

    pub fn require_speed_meetings(&self) -> Result<()> {
        if self.event.speed_rounds > 0 {
            Ok(())
        } else {
            Err(ServiceError::Conflict(
                "this event holds no speed meetings".into(),
            ))
        }
    }

    pub fn require_unpublished(&self) -> Result<()> {
        if self.event.schedule_published_at.is_none() {
            Ok(())
        } else {
            Err(ServiceError::Conflict(
                "the schedule is published: it is frozen".into(),
            ))
        }
    }
}

/// Loads the event and the caller's standing. An event the public may not know is a 404
/// to anyone but its committee and administrators.
pub(crate) async fn standing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event_id: Uuid,
) -> Result<Standing> {
    let not_found = || ServiceError::NotFound("event");
    let event = store::event(db, event_id).await?.ok_or_else(not_found)?;
    let (committee, mine) = match actor.user() {
        Some(user) => {
            let committee = actor.is_admin() || store::on_committee(db, event_id, user.id).await?;
            let structures = memberships::of_user(db, user.id)
                .await?
                .into_iter()
                .map(|m| m.structure_id)
                .collect();
            let mine = store::participants_of_structures(db, event_id, structures).await?;
            (committee, mine)
        }
        None => (false, Vec::new()),
    };
    if !event.is_public() && !committee {
        return Err(not_found());
    }
    Ok(Standing {
        event,
        committee,
        mine,
    })
}

/// The gate of a participant's operation on an event's speed meetings, after the event's
/// own (see [`crate::authorize`]): who may not know the event gets 404, who is not among
/// its accepted participants 403. The use cases check again.
pub(crate) async fn authorize_participant(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event_id: Uuid,
) -> Result<()> {
    if standing(db, actor, event_id).await?.mine.is_empty() {
        return Err(ServiceError::Forbidden(
            "this is for the event's accepted participants",
        ));
    }
    Ok(())
}

/// The participants' names and public pages, by application id.
pub(crate) async fn refs(
    db: &impl ConnectionTrait,
    participants: &[ParticipantRecord],
) -> Result<BTreeMap<Uuid, ParticipantRef>> {
    let mut out = BTreeMap::new();
    for p in participants {
        let name = listings::get(db, ListingKind::Structure, p.structure_id)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        out.insert(
            p.id,
            ParticipantRef {
                application_id: p.id,
                structure_id: p.structure_id,
                name,
                region: p.region.clone(),
            },
        );
    }
    Ok(out)
}

fn unknown_ref(id: Uuid) -> ParticipantRef {
    ParticipantRef {
        application_id: id,
        structure_id: Uuid::nil(),
        name: "(participant retiré)".into(),
        region: None,
    }
}

/// When round `round` (from 0) starts, if the event set a starting time.
pub(crate) fn round_start(event: &EventRecord, round: i32) -> Option<DateTime<Utc>> {
    event
        .speed_starts_at
        .map(|s| s + Duration::minutes(i64::from(round) * i64::from(event.round_minutes)))
}

/// `at` as a clock in metropolitan France reads it ("14 h 05").
pub fn paris_time(at: DateTime<Utc>) -> String {
    agora_domain::clock::paris::clock(at)
}

/// Why `me` meets `other`: their wishes, the skills one offers that the other looks for,
/// the themes they share, the committee's pin, or the balance of régions.
pub(crate) fn reasons(
    ctx: &Context,
    me: &ParticipantRecord,
    other: &ParticipantRecord,
    other_name: &str,
    wishes: &BTreeMap<(Uuid, Uuid), i32>,
    pinned: bool,
) -> Vec<String> {
    let label = |kind: VocabularyKind, code: &str| {
        ctx.vocab
            .label(kind, code)
            .map_or_else(|| code.to_owned(), str::to_owned)
    };
    let skills = |codes: BTreeSet<&String>| {
        codes
            .into_iter()
            .map(|c| label(VocabularyKind::Skill, c))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    if pinned {
        out.push("l'équipe d'organisation a souhaité cette rencontre".to_owned());
    }
    if let Some(rank) = wishes.get(&(me.id, other.id)) {
        out.push(format!("vous l'avez demandée (choix n° {rank})"));
    }
    if wishes.contains_key(&(other.id, me.id)) {
        out.push(format!("« {other_name} » a demandé à vous rencontrer"));
    }
    let given: BTreeSet<&String> = me
        .offers
        .iter()
        .filter(|o| other.needs.contains(o))
        .collect();
    if !given.is_empty() {
        out.push(format!(
            "vous proposez ce qu'il cherche : {}",
            skills(given)
        ));
    }
    let taken: BTreeSet<&String> = other
        .offers
        .iter()
        .filter(|o| me.needs.contains(o))
        .collect();
    if !taken.is_empty() {
        out.push(format!(
            "il propose ce que vous cherchez : {}",
            skills(taken)
        ));
    }
    let shared: Vec<String> = me
        .themes
        .iter()
        .filter(|t| other.themes.contains(t))
        .map(|t| label(VocabularyKind::Theme, t))
        .collect();
    if !shared.is_empty() {
        out.push(format!("thèmes communs : {}", shared.join(", ")));
    }
    if out.is_empty() {
        out.push(if me.region.is_some() && me.region != other.region {
            "pour rencontrer une structure d'une autre région".to_owned()
        } else {
            "pour élargir votre réseau".to_owned()
        });
    }
    out
}

/// Wishes keyed by (who wishes, whom), with their rank.
pub(crate) fn wish_ranks(wishes: &[store::WishRecord]) -> BTreeMap<(Uuid, Uuid), i32> {
    wishes
        .iter()
        .map(|w| ((w.application_id, w.wanted_application_id), w.rank))
        .collect()
}

/// The public page of a structure on the site.
pub(crate) fn structure_url(ctx: &Context, structure_id: Uuid) -> String {
    crate::mail::site_url(ctx, &format!("/structures/{structure_id}"))
}

/// The participant's page of the event's speed meetings.
pub fn participant_path(event_id: Uuid) -> String {
    format!("/espace/evenements/{event_id}/rencontres")
}

fn audit(
    now: DateTime<Utc>,
    actor: Uuid,
    action: &str,
    event_id: Uuid,
    details: serde_json::Value,
) -> agora_store::audit::AuditEntry {
    let mut details = details;
    if let Some(o) = details.as_object_mut() {
        o.insert("event".into(), serde_json::json!(event_id));
    }
    agora_store::audit::AuditEntry {
        details: Some(details),
        ..crate::registry::entry(
            now,
            Some(actor),
            action,
            agora_domain::SubjectType::Event,
            event_id,
        )
    }
}

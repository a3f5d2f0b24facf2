//! Reading a schedule: a participant's own meetings (once published), the committee's
//! whole plan by round and table (the printable table plan is drawn from it).

use super::feedback::{FeedbackView, feedback_view};
use super::run::{ScheduleReport, report};
use super::{
    ParticipantRef, paris_time, reasons, refs, round_start, standing, structure_url, unknown_ref,
    wish_ranks,
};
use crate::{Actor, Context, Result};
use agora_store::ConnectionTrait;
use agora_store::meetings::{self as store, EventRecord, MeetingRecord, ParticipantRecord};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// One meeting of a participant's schedule.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyMeeting {
    pub id: Uuid,
    /// Numbered from 0.
    pub round: u32,
    /// When the round starts, if the event set the speed meetings' starting time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    /// Numbered from 1, as on the tables.
    pub table: u32,
    pub with: ParticipantRef,
    /// The other structure's public page.
    pub with_url: String,
    /// Why the two meet.
    pub reasons: Vec<String>,
    /// Your side's wish to follow up (after the event).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<bool>,
    /// When feedback is asked for: set once both sides want to follow up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_due_at: Option<DateTime<Utc>>,
    /// Your side's answer, six months later.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback: Option<FeedbackView>,
}

/// A participant's own schedule.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MySchedule {
    pub event_id: Uuid,
    pub event_title: String,
    pub participant: ParticipantRef,
    /// Until the committee publishes the schedule, it may change: no meeting is shown.
    pub published: bool,
    /// Whether the event is over (follow-ups can then be marked).
    pub event_ended: bool,
    pub meetings: Vec<MyMeeting>,
    /// Rounds you attend without a meeting.
    pub idle_rounds: Vec<u32>,
    pub unavailable_rounds: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanMeeting {
    pub id: Uuid,
    pub table: u32,
    pub first: ParticipantRef,
    pub second: ParticipantRef,
    pub score: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_follow_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_follow_up: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_due_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_requested_at: Option<DateTime<Utc>>,
    /// The answers of either side, with their private notes (committee only).
    pub feedback: Vec<FeedbackView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanRound {
    /// Numbered from 0.
    pub round: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    /// The starting time in metropolitan France ("14 h 05").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// By table.
    pub meetings: Vec<PlanMeeting>,
    /// Attending without a meeting.
    pub idle: Vec<ParticipantRef>,
    /// Not attending this round.
    pub unavailable: Vec<ParticipantRef>,
}

/// The whole plan, for the organising committee.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanView {
    pub event_id: Uuid,
    pub event_title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    pub rounds: u32,
    pub round_minutes: u32,
    pub tables: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speed_starts_at: Option<DateTime<Utc>>,
    /// Absent until the scheduler ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<ScheduleReport>,
    /// The accepted participants.
    pub participants: Vec<ParticipantRef>,
    pub plan: Vec<PlanRound>,
}

/// Everything a schedule is read from, loaded once.
pub(crate) struct Loaded {
    pub event: EventRecord,
    pub all: Vec<ParticipantRecord>,
    pub by_id: BTreeMap<Uuid, ParticipantRecord>,
    pub names: BTreeMap<Uuid, ParticipantRef>,
    pub meetings: Vec<MeetingRecord>,
    pub wishes: BTreeMap<(Uuid, Uuid), i32>,
    pub pins: BTreeSet<(Uuid, Uuid)>,
}

impl Loaded {
    pub async fn load(db: &impl ConnectionTrait, event: EventRecord) -> Result<Self> {
        let all = store::participants(db, event.id).await?;
        let names = refs(db, &all).await?;
        let meetings = store::meetings_of_event(db, event.id).await?;
        let wishes = wish_ranks(&store::wishes_of_event(db, event.id).await?);
        let pins = store::constraints(db, event.id)
            .await?
            .into_iter()
            .filter(|c| c.kind == "pin")
            .map(|c| store::ordered(c.first, c.second))
            .collect();
        Ok(Self {
            by_id: all.iter().map(|p| (p.id, p.clone())).collect(),
            event,
            all,
            names,
            meetings,
            wishes,
            pins,
        })
    }

    pub fn name(&self, id: Uuid) -> ParticipantRef {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| unknown_ref(id))
    }

    fn unavailable(&self, id: Uuid) -> BTreeSet<u32> {
        self.by_id
            .get(&id)
            .map(|p| p.unavailable_rounds.iter().copied().collect())
            .unwrap_or_default()
    }

    fn rounds(&self) -> u32 {
        u32::try_from(self.event.speed_rounds).unwrap_or(0)
    }

    /// `me`'s meetings with why they meet, and the rounds they attend without one.
    pub fn personal(&self, ctx: &Context, me: Uuid) -> (Vec<MyMeeting>, Vec<u32>) {
        let mut out = Vec::new();
        let mut busy = BTreeSet::new();
        for m in self.meetings.iter().filter(|m| m.other(me).is_some()) {
            let Some(other) = m.other(me) else { continue };
            busy.insert(u32::try_from(m.round).unwrap_or(0));
            let with = self.name(other);
            let why = match (self.by_id.get(&me), self.by_id.get(&other)) {
                (Some(a), Some(b)) => reasons(
                    ctx,
                    a,
                    b,
                    &with.name,
                    &self.wishes,
                    self.pins.contains(&store::ordered(me, other)),
                ),
                _ => Vec::new(),
            };
            out.push(MyMeeting {
                id: m.id,
                round: u32::try_from(m.round).unwrap_or(0),
                starts_at: round_start(&self.event, m.round),
                table: u32::try_from(m.table_no).unwrap_or(0),
                with_url: structure_url(ctx, with.structure_id),
                with,
                reasons: why,
                follow_up: m.follow_up_of(me),
                feedback_due_at: m.feedback_due_at,
                feedback: None,
            });
        }
        let unavailable = self.unavailable(me);
        let idle = (0..self.rounds())
            .filter(|r| !busy.contains(r) && !unavailable.contains(r))
            .collect();
        (out, idle)
    }
}

/// The caller's own schedules in the event, one per participation; meetings appear once
/// the schedule is published.
pub async fn mine(ctx: &Context, actor: &Actor, event_id: Uuid) -> Result<Vec<MySchedule>> {
    actor.require_user()?;
    let st = standing(&ctx.db, actor, event_id).await?;
    st.require_speed_meetings()?;
    if st.mine.is_empty() {
        return Err(crate::ServiceError::Forbidden(
            "this is for the event's accepted participants",
        ));
    }
    let published = st.event.schedule_published_at.is_some();
    let ended = st.event.ends_at <= ctx.now();
    let loaded = Loaded::load(&ctx.db, st.event.clone()).await?;
    let mut out = Vec::new();
    for me in &st.mine {
        let (mut meetings, idle) = if published {
            loaded.personal(ctx, me.id)
        } else {
            (Vec::new(), Vec::new())
        };
        let answers = store::feedback_of(&ctx.db, meetings.iter().map(|m| m.id).collect()).await?;
        for m in &mut meetings {
            m.feedback = answers
                .iter()
                .find(|f| f.meeting_id == m.id && f.application_id == me.id)
                .map(feedback_view);
        }
        let mut unavailable = me.unavailable_rounds.clone();
        unavailable.sort_unstable();
        out.push(MySchedule {
            event_id,
            event_title: st.event.title.clone(),
            participant: loaded.name(me.id),
            published,
            event_ended: ended,
            meetings,
            idle_rounds: idle,
            unavailable_rounds: unavailable,
        });
    }
    Ok(out)
}

/// The whole plan by round and table, for the organising committee only.
pub async fn plan(ctx: &Context, actor: &Actor, event_id: Uuid) -> Result<PlanView> {
    actor.require_user()?;
    let st = standing(&ctx.db, actor, event_id).await?;
    st.require_committee()?;
    st.require_speed_meetings()?;
    let loaded = Loaded::load(&ctx.db, st.event.clone()).await?;
    let answers =
        store::feedback_of(&ctx.db, loaded.meetings.iter().map(|m| m.id).collect()).await?;
    let mut rounds = Vec::new();
    for r in 0..loaded.rounds() {
        let round = i32::try_from(r).unwrap_or(i32::MAX);
        let here: Vec<&MeetingRecord> = loaded
            .meetings
            .iter()
            .filter(|m| m.round == round)
            .collect();
        let busy: BTreeSet<Uuid> = here.iter().flat_map(|m| [m.first, m.second]).collect();
        let (away, present): (Vec<&ParticipantRecord>, Vec<&ParticipantRecord>) = loaded
            .all
            .iter()
            .partition(|p| p.unavailable_rounds.contains(&r));
        let starts_at = round_start(&loaded.event, round);
        rounds.push(PlanRound {
            round: r,
            starts_at,
            time: starts_at.map(paris_time),
            meetings: here
                .iter()
                .map(|m| PlanMeeting {
                    id: m.id,
                    table: u32::try_from(m.table_no).unwrap_or(0),
                    first: loaded.name(m.first),
                    second: loaded.name(m.second),
                    score: m.score,
                    first_follow_up: m.first_follow_up,
                    second_follow_up: m.second_follow_up,
                    feedback_due_at: m.feedback_due_at,
                    feedback_requested_at: m.feedback_requested_at,
                    feedback: answers
                        .iter()
                        .filter(|f| f.meeting_id == m.id)
                        .map(feedback_view)
                        .collect(),
                })
                .collect(),
            idle: if loaded.meetings.is_empty() {
                Vec::new()
            } else {
                present
                    .iter()
                    .filter(|p| !busy.contains(&p.id))
                    .map(|p| loaded.name(p.id))
                    .collect()
            },
            unavailable: away.iter().map(|p| loaded.name(p.id)).collect(),
        });
    }
    let report = if loaded.event.schedule_computed_at.is_some() {
        Some(report(&loaded, None))
    } else {
        None
    };
    Ok(PlanView {
        event_id,
        event_title: loaded.event.title.clone(),
        venue: loaded.event.venue.clone(),
        rounds: loaded.rounds(),
        round_minutes: u32::try_from(loaded.event.round_minutes).unwrap_or(0),
        tables: u32::try_from(loaded.event.tables).unwrap_or(0),
        speed_starts_at: loaded.event.speed_starts_at,
        report,
        participants: loaded.all.iter().map(|p| loaded.name(p.id)).collect(),
        plan: rounds,
    })
}

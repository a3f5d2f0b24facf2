//! Running the scheduler (committee), as often as wanted until the schedule is published;
//! publishing it, which freezes it and mails each participant their own meetings.

use super::schedule::Loaded;
use super::{ParticipantRef, audit, paris_time, participant_path, round_start, standing};
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_mail::messages::meetings as messages;
use agora_meetings::{Instance, Participant};
use agora_store::audit as audit_log;
use agora_store::meetings::{
    self as store, ConstraintRecord, MeetingRecord, ParticipantRecord, WishRecord,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// A participant attending a round without a meeting.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdleSlot {
    pub round: u32,
    pub participant: ParticipantRef,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairRef {
    pub first: ParticipantRef,
    pub second: ParticipantRef,
}

/// What the scheduler reached, for the organisers to judge it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduleReport {
    pub event_id: Uuid,
    pub participants: u32,
    pub rounds: u32,
    /// Meetings per round at most.
    pub tables: u32,
    pub meetings: u32,
    /// The schedule's total score: wishes, complementary skills, shared themes, régions.
    pub objective: i64,
    /// A proven upper bound on the score of any schedule of this instance.
    pub upper_bound: i64,
    /// objective / upper bound: 1 is proven optimal.
    pub ratio: f64,
    /// Who attends a round without a meeting.
    pub idle: Vec<IdleSlot>,
    /// Pinned pairs that could not meet (no common free round, or too crowded).
    pub unmet_pins: Vec<PairRef>,
    pub computed_at: DateTime<Utc>,
    /// Set once published: the schedule is then frozen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_at: Option<DateTime<Utc>>,
    /// How long the solver took (on the run that computed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solve_ms: Option<u64>,
    /// Mails queued (on publication).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mails_queued: Option<u64>,
}

/// The report of the stored schedule, from its rows.
pub(crate) fn report(l: &Loaded, solve_ms: Option<u64>) -> ScheduleReport {
    let rounds = u32::try_from(l.event.speed_rounds).unwrap_or(0);
    let mut busy: BTreeSet<(u32, Uuid)> = BTreeSet::new();
    let mut met: BTreeSet<(Uuid, Uuid)> = BTreeSet::new();
    for m in &l.meetings {
        let r = u32::try_from(m.round).unwrap_or(0);
        busy.insert((r, m.first));
        busy.insert((r, m.second));
        met.insert(store::ordered(m.first, m.second));
    }
    let mut idle = Vec::new();
    for r in 0..rounds {
        for p in &l.all {
            if !p.unavailable_rounds.contains(&r) && !busy.contains(&(r, p.id)) {
                idle.push(IdleSlot {
                    round: r,
                    participant: l.name(p.id),
                });
            }
        }
    }
    let unmet_pins = l
        .pins
        .iter()
        .filter(|pair| !met.contains(pair))
        .map(|(a, b)| PairRef {
            first: l.name(*a),
            second: l.name(*b),
        })
        .collect();
    let objective = l.event.schedule_objective.unwrap_or(0);
    let upper_bound = l.event.schedule_bound.unwrap_or(0);
    ScheduleReport {
        event_id: l.event.id,
        participants: u32::try_from(l.all.len()).unwrap_or(u32::MAX),
        rounds,
        tables: tables_of(l.event.tables, l.all.len()),
        meetings: u32::try_from(l.meetings.len()).unwrap_or(u32::MAX),
        objective,
        upper_bound,
        ratio: if upper_bound <= 0 {
            1.0
        } else {
            // Three decimals are enough to judge; the raw figures are there too.
            (objective as f64 / upper_bound as f64 * 1000.0).round() / 1000.0
        },
        idle,
        unmet_pins,
        computed_at: l.event.schedule_computed_at.unwrap_or(l.event.starts_at),
        published_at: l.event.schedule_published_at,
        solve_ms,
        mails_queued: None,
    }
}

/// The event's tables; none set means as many as pairs can be formed.
fn tables_of(tables: i32, participants: usize) -> u32 {
    match u32::try_from(tables) {
        Ok(t) if t > 0 => t,
        _ => u32::try_from(participants / 2).unwrap_or(u32::MAX),
    }
}

/// The scheduler's instance: participants in the order of `all` (indices), themes counted
/// as both offered and looked for, so that shared themes bring participants together.
pub(crate) fn instance(
    rounds: u32,
    tables: u32,
    all: &[ParticipantRecord],
    wishes: &[WishRecord],
    constraints: &[ConstraintRecord],
) -> Instance {
    let index: BTreeMap<Uuid, usize> = all.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut ranked: BTreeMap<Uuid, Vec<(i32, usize)>> = BTreeMap::new();
    for w in wishes {
        if let Some(&to) = index.get(&w.wanted_application_id) {
            ranked
                .entry(w.application_id)
                .or_default()
                .push((w.rank, to));
        }
    }
    let participants = all
        .iter()
        .map(|p| {
            let mut wishes = ranked.remove(&p.id).unwrap_or_default();
            wishes.sort_unstable();
            let themes = p.themes.iter().map(|t| format!("theme:{t}"));
            Participant {
                region: p.region.clone(),
                wishes: wishes.into_iter().map(|(_, to)| to).collect(),
                offers: p.offers.iter().cloned().chain(themes.clone()).collect(),
                needs: p.needs.iter().cloned().chain(themes).collect(),
                unavailable: p.unavailable_rounds.iter().copied().collect(),
            }
        })
        .collect();
    let pairs = |kind: &str| {
        constraints
            .iter()
            .filter(|c| c.kind == kind)
            .filter_map(|c| Some((*index.get(&c.first)?, *index.get(&c.second)?)))
            .collect()
    };
    Instance {
        participants,
        rounds,
        tables,
        pins: pairs("pin"),
        bans: pairs("ban"),
        ..Instance::default()
    }
}

/// Computes the schedule and replaces the stored one (committee; until published).
pub async fn run(ctx: &Context, actor: &Actor, event_id: Uuid) -> Result<ScheduleReport> {
    let me = actor.require_user()?;
    let st = standing(&ctx.db, actor, event_id).await?;
    st.require_committee()?;
    st.require_speed_meetings()?;
    st.require_unpublished()?;
    let all = store::participants(&ctx.db, event_id).await?;
    if all.len() < 2 {
        return Err(ServiceError::Conflict(
            "at least two accepted participants are needed".into(),
        ));
    }
    let wishes = store::wishes_of_event(&ctx.db, event_id).await?;
    let constraints = store::constraints(&ctx.db, event_id).await?;
    let rounds = u32::try_from(st.event.speed_rounds).unwrap_or(0);
    let problem = instance(
        rounds,
        tables_of(st.event.tables, all.len()),
        &all,
        &wishes,
        &constraints,
    );
    let started = std::time::Instant::now();
    // The solver is pure computation: off the async executor.
    let schedule = tokio::task::spawn_blocking(move || agora_meetings::solve(&problem))
        .await
        .map_err(|e| ServiceError::Internal(format!("scheduler task: {e}")))?
        .map_err(|e| ServiceError::Conflict(format!("no schedule can be computed: {e}")))?;
    let solve_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let now = ctx.now();
    let rows: Vec<MeetingRecord> = schedule
        .meetings
        .iter()
        .filter_map(|m| {
            Some(MeetingRecord {
                id: Uuid::now_v7(),
                event_id,
                round: i32::try_from(m.round).ok()?,
                table_no: i32::try_from(m.table + 1).ok()?,
                first: all.get(m.a)?.id,
                second: all.get(m.b)?.id,
                score: m.score,
                first_follow_up: None,
                second_follow_up: None,
                feedback_due_at: None,
                feedback_requested_at: None,
            })
        })
        .collect();
    let txn = ctx.begin().await?;
    if !store::set_schedule_computed(
        &txn,
        event_id,
        schedule.objective,
        schedule.upper_bound,
        now,
    )
    .await?
    {
        return Err(ServiceError::Conflict(
            "the schedule was published meanwhile: it is frozen".into(),
        ));
    }
    store::replace_meetings(&txn, event_id, &rows).await?;
    audit_log::append(
        &txn,
        audit(
            now,
            me.id,
            "meetings_scheduled",
            event_id,
            serde_json::json!({
                "participants": all.len(),
                "meetings": rows.len(),
                "objective": schedule.objective,
                "upper_bound": schedule.upper_bound,
                "solve_ms": solve_ms,
            }),
        ),
    )
    .await?;
    let event = store::event(&txn, event_id)
        .await?
        .ok_or(ServiceError::NotFound("event"))?;
    let loaded = Loaded::load(&txn, event).await?;
    txn.commit().await?;
    tracing::info!(
        event = %event_id,
        participants = all.len(),
        meetings = rows.len(),
        objective = schedule.objective,
        bound = schedule.upper_bound,
        solve_ms,
        "speed meetings scheduled"
    );
    Ok(report(&loaded, Some(solve_ms)))
}

/// Publishes the schedule (committee): it is frozen from then on, and each participant's
/// members get their own meetings by mail — nobody else's.
pub async fn publish(ctx: &Context, actor: &Actor, event_id: Uuid) -> Result<ScheduleReport> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    st.require_committee()?;
    st.require_speed_meetings()?;
    st.require_unpublished()?;
    if st.event.schedule_computed_at.is_none() {
        return Err(ServiceError::Conflict(
            "run the scheduler before publishing".into(),
        ));
    }
    if !store::publish_schedule(&txn, event_id, now).await? {
        return Err(ServiceError::Conflict(
            "the schedule is published already".into(),
        ));
    }
    let event = store::event(&txn, event_id)
        .await?
        .ok_or(ServiceError::NotFound("event"))?;
    let loaded = Loaded::load(&txn, event).await?;
    let url = mail::site_url(ctx, &participant_path(event_id));
    let mut queued = 0;
    for p in &loaded.all {
        let (meetings, idle) = loaded.personal(ctx, p.id);
        let lines: Vec<messages::ScheduledMeeting> = meetings
            .iter()
            .map(|m| messages::ScheduledMeeting {
                round: m.round + 1,
                time: round_start(&loaded.event, i32::try_from(m.round).unwrap_or(0))
                    .map(paris_time)
                    .unwrap_or_default(),
                table: m.table,
                with: m.with.name.clone(),
                with_url: m.with_url.clone(),
                why: m.reasons.join(" ; "),
            })
            .collect();
        let idle: Vec<u32> = idle.iter().map(|r| r + 1).collect();
        let message = messages::personal_schedule(
            &loaded.event.title,
            &loaded.name(p.id).name,
            &lines,
            &idle,
            &url,
        );
        let to = mail::member_addressees(&txn, p.structure_id).await?;
        queued += to.len() as u64;
        mail::enqueue_all(&txn, ctx, &to, &message).await?;
    }
    audit_log::append(
        &txn,
        audit(
            now,
            me.id,
            "meetings_published",
            event_id,
            serde_json::json!({ "meetings": loaded.meetings.len(), "mails": queued }),
        ),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(ScheduleReport {
        mails_queued: Some(queued),
        ..report(&loaded, None)
    })
}

//! What an event's speed meetings came to, in counts: pairs met, meetings both sides
//! followed up, feedback answered, and the collaborations, projects and help offers they
//! led to. Nobody is named; an event the public may not know has no public indicators.

use super::standing;
use crate::{Actor, Context, Result};
use agora_store::meetings::{self as store, Counts};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventIndicators {
    pub event_id: Uuid,
    pub title: String,
    /// Whether the event holds speed meetings at all.
    pub speed_meetings: bool,
    /// Whether the schedule is published (before that, nothing is counted).
    pub published: bool,
    /// Meetings of the published schedule.
    pub pairs_met: u64,
    /// Meetings both sides wanted to follow up.
    pub follow_ups: u64,
    /// Answers to the six-month feedback (one per side).
    pub feedback_answered: u64,
    /// Meetings that led to a collaboration, a project, an offer of help (by either side's
    /// account).
    pub collaborations: u64,
    pub projects: u64,
    pub help_offers: u64,
}

fn indicators_of(event: &store::EventRecord, c: Counts) -> EventIndicators {
    let published = event.schedule_published_at.is_some();
    let c = if published { c } else { Counts::default() };
    EventIndicators {
        event_id: event.id,
        title: event.title.clone(),
        speed_meetings: event.speed_rounds > 0,
        published,
        pairs_met: c.pairs_met,
        follow_ups: c.follow_ups,
        feedback_answered: c.feedback_answered,
        collaborations: c.collaborations,
        projects: c.projects,
        help_offers: c.help_offers,
    }
}

/// One event's indicators: for everyone once the event is public.
pub async fn indicators(ctx: &Context, actor: &Actor, event_id: Uuid) -> Result<EventIndicators> {
    let st = standing(&ctx.db, actor, event_id).await?;
    let counts = store::counts(&ctx.db, event_id).await?;
    Ok(indicators_of(&st.event, counts))
}

/// Every public event with a published schedule, and their totals (for `/indicateurs`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorsOverview {
    pub events: Vec<EventIndicators>,
    pub pairs_met: u64,
    pub follow_ups: u64,
    pub feedback_answered: u64,
    pub collaborations: u64,
    pub projects: u64,
    pub help_offers: u64,
}

pub async fn overview(ctx: &Context) -> Result<IndicatorsOverview> {
    let mut out = IndicatorsOverview {
        events: Vec::new(),
        pairs_met: 0,
        follow_ups: 0,
        feedback_answered: 0,
        collaborations: 0,
        projects: 0,
        help_offers: 0,
    };
    for event in store::public_events_with_schedule(&ctx.db).await? {
        let i = indicators_of(&event, store::counts(&ctx.db, event.id).await?);
        out.pairs_met += i.pairs_met;
        out.follow_ups += i.follow_ups;
        out.feedback_answered += i.feedback_answered;
        out.collaborations += i.collaborations;
        out.projects += i.projects;
        out.help_offers += i.help_offers;
        out.events.push(i);
    }
    Ok(out)
}

//! The speed meetings on an event's public page (`templates/events/_meetings.html`: the
//! counts, and the way to one's own page for participants and the committee) and in
//! `/indicateurs` (every published event's counts). Counts only: nobody is named.

use super::{committee_href, participant_href};
use agora_service::meetings::{self, EventIndicators, IndicatorsOverview};
use agora_service::{Actor, Context, ServiceError};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "events/_meetings.html")]
pub struct MeetingsFragment {
    pub i: EventIndicators,
    /// The signed-in person's way in: their own page, or the committee's.
    pub mine: Option<String>,
    pub organise: Option<String>,
}

/// The fragment of the event's page, or nothing when the event holds no speed meetings
/// (or the reader may not know the event).
pub async fn event_fragment(ctx: &Context, actor: &Actor, event: Uuid) -> Option<String> {
    let i = meetings::indicators(ctx, actor, event)
        .await
        .ok()
        .filter(|i| i.speed_meetings)?;
    let mine = if actor.user().is_some() {
        meetings::preferences(ctx, actor, event)
            .await
            .ok()
            .map(|_| participant_href(event))
    } else {
        None
    };
    let organise = if actor.user().is_some() {
        match meetings::constraints(ctx, actor, event).await {
            Ok(_) => Some(committee_href(event)),
            Err(_) => None,
        }
    } else {
        None
    };
    MeetingsFragment { i, mine, organise }.render().ok()
}

/// The section of `/indicateurs`.
pub struct IndicatorsSection {
    pub all: IndicatorsOverview,
}

pub async fn indicators_section(ctx: &Context) -> Result<IndicatorsSection, ServiceError> {
    Ok(IndicatorsSection {
        all: meetings::overview(ctx).await?,
    })
}

//! After the event, each side of a meeting says whether it wants to follow it up; once
//! both do, the feedback request falls due six months after the event's end.

use super::schedule::{Loaded, MyMeeting};
use super::standing;
use crate::{Actor, Context, Result, ServiceError};
use agora_store::meetings as store;
use chrono::Duration;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    /// The side this is for (the accepted application); needed only by someone who belongs
    /// to both structures of the meeting.
    #[serde(default)]
    pub application_id: Option<Uuid>,
    /// Whether your side wants to follow this meeting up.
    pub follow_up: bool,
}

/// Marks one side's wish to follow a meeting up (a member of that side's structure, once
/// the event is over and until the feedback request went out).
pub async fn follow_up(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    meeting_id: Uuid,
    input: FollowUpInput,
) -> Result<MyMeeting> {
    actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    let not_found = || ServiceError::NotFound("meeting");
    let m = store::meeting_by_id(&txn, meeting_id)
        .await?
        .filter(|m| m.event_id == event_id && st.event.schedule_published_at.is_some())
        .ok_or_else(not_found)?;
    // A side of the meeting among the caller's participations.
    let sides: Vec<Uuid> = st
        .mine
        .iter()
        .map(|p| p.id)
        .filter(|id| m.other(*id).is_some())
        .collect();
    let side = match (input.application_id, sides.as_slice()) {
        (_, []) => return Err(not_found()),
        (None, [only]) => *only,
        (Some(chosen), _) if sides.contains(&chosen) => chosen,
        (Some(_), _) => return Err(not_found()),
        (None, _) => {
            return Err(ServiceError::Validation(
                agora_domain::ValidationErrors::single(
                    "/application_id",
                    "required",
                    "you belong to both sides of this meeting: say which one answers",
                ),
            ));
        }
    };
    if st.event.ends_at > now {
        return Err(ServiceError::Conflict(
            "follow-ups are marked once the event is over".into(),
        ));
    }
    if m.feedback_requested_at.is_some() {
        return Err(ServiceError::Conflict(
            "the feedback request went out already: answer it instead".into(),
        ));
    }
    let first_side = m.first == side;
    let (mine, theirs) = if first_side {
        (input.follow_up, m.second_follow_up)
    } else {
        (input.follow_up, m.first_follow_up)
    };
    let due = (mine && theirs == Some(true))
        .then(|| st.event.ends_at + Duration::days(ctx.settings.meetings.feedback_after_days));
    store::set_follow_up(&txn, meeting_id, first_side, input.follow_up, due).await?;
    let loaded = Loaded::load(&txn, st.event.clone()).await?;
    txn.commit().await?;
    let (meetings, _) = loaded.personal(ctx, side);
    meetings
        .into_iter()
        .find(|x| x.id == meeting_id)
        .ok_or_else(not_found)
}

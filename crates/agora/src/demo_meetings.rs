//! The demo's speed meetings, for an event the demo already holds with its committee and
//! accepted participants: each participant ranks a few others and one cannot attend the
//! last round, the committee pins a pair and bans another, runs the scheduler and
//! publishes the schedule. For an edition that is over, half the meetings are followed up
//! by both sides and, once six months have passed, answered, so that the indicators show
//! what came of them. Everything goes through the use cases, as the people would do it.

use agora_service::meetings::{
    self, ConstraintInput, ConstraintKind, FeedbackInput, FollowUpInput, PreferencesInput,
};
use agora_service::{Actor, Context, ServiceError, UserActor};
use agora_store::meetings as store;
use agora_store::{accounts, memberships};
use uuid::Uuid;

/// What the demo did for one event.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingsSeeded {
    pub participants: usize,
    pub meetings: u32,
    pub objective: i64,
    pub upper_bound: i64,
    pub follow_ups: usize,
    pub answers: usize,
}

async fn actor_of(ctx: &Context, user_id: Uuid) -> Result<Actor, ServiceError> {
    let user = accounts::user_by_id(&ctx.db, user_id)
        .await?
        .ok_or(ServiceError::NotFound("account"))?;
    Ok(Actor::User(UserActor {
        id: user.id,
        role: user.role,
        session_id: Uuid::nil(),
    }))
}

/// Wishes, pins and bans, the schedule computed and published, and for a past edition the
/// follow-ups and their feedback. An event whose schedule is published already is left as
/// it is (`Ok(None)`).
pub async fn seed(ctx: &Context, event_id: Uuid) -> Result<Option<MeetingsSeeded>, ServiceError> {
    // Demo accounts belong to several structures: their mail is not to be capped.
    let mut settings = ctx.settings.clone();
    settings.mail.per_recipient_daily_cap = 1_000_000;
    let ctx = &Context {
        settings,
        ..ctx.clone()
    };
    let event = store::event(&ctx.db, event_id)
        .await?
        .ok_or(ServiceError::NotFound("event"))?;
    if event.schedule_published_at.is_some() {
        return Ok(None);
    }
    let chair = store::committee_of(&ctx.db, event_id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ServiceError::Conflict("the event has no committee".into()))?;
    let committee = actor_of(ctx, chair).await?;
    let participants = store::participants(&ctx.db, event_id).await?;
    let n = participants.len();
    // Each participant's voice: the first member of its structure.
    let mut voices = Vec::new();
    for p in &participants {
        let member = memberships::of_structure(&ctx.db, p.structure_id)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::Conflict("a participant has no member".into()))?;
        voices.push(actor_of(ctx, member.user_id).await?);
    }
    let last_round = i64::from(event.speed_rounds) - 1;
    for (i, (p, voice)) in participants.iter().zip(&voices).enumerate() {
        let mut wishes = Vec::new();
        for step in [1, 3, 5] {
            let other = participants[(i + step) % n].id;
            if other != p.id && !wishes.contains(&other) {
                wishes.push(other);
            }
        }
        let input = PreferencesInput {
            application_id: Some(p.id),
            wishes,
            unavailable_rounds: if i == 2 && last_round > 0 {
                vec![last_round]
            } else {
                Vec::new()
            },
        };
        meetings::set_preferences(ctx, voice, event_id, input).await?;
    }
    if n >= 4 {
        for (a, b, kind) in [(0, n / 2, ConstraintKind::Pin), (1, 2, ConstraintKind::Ban)] {
            let input = ConstraintInput {
                first: participants[a].id,
                second: participants[b].id,
                kind,
            };
            meetings::add_constraint(ctx, &committee, event_id, input).await?;
        }
    }
    meetings::run(ctx, &committee, event_id).await?;
    let report = meetings::publish(ctx, &committee, event_id).await?;
    let mut follow_ups = 0;
    let mut answers = 0;
    if event.ends_at <= ctx.now() {
        let voice_of = |application: Uuid| {
            participants
                .iter()
                .position(|p| p.id == application)
                .map(|i| &voices[i])
        };
        let all = store::meetings_of_event(&ctx.db, event_id).await?;
        for (k, m) in all.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
            let mut due = None;
            for side in [m.first, m.second] {
                let Some(voice) = voice_of(side) else {
                    continue;
                };
                let input = FollowUpInput {
                    application_id: Some(side),
                    follow_up: true,
                };
                due = meetings::follow_up(ctx, voice, event_id, m.id, input)
                    .await?
                    .feedback_due_at;
            }
            follow_ups += 1;
            if due.is_none_or(|d| d > ctx.now()) {
                continue;
            }
            for (s, side) in [m.first, m.second].into_iter().enumerate() {
                let Some(voice) = voice_of(side) else {
                    continue;
                };
                let input = FeedbackInput {
                    application_id: Some(side),
                    collaboration: k % 3 != 2,
                    project: k % 3 == 0 && s == 0,
                    help_offer: k % 4 == 0,
                    note: (k == 0 && s == 0).then(|| {
                        "Un atelier commun sur le retour à l'emploi, lancé trois mois après.".into()
                    }),
                };
                meetings::answer_feedback(ctx, voice, event_id, m.id, input).await?;
                answers += 1;
            }
        }
    }
    Ok(Some(MeetingsSeeded {
        participants: n,
        meetings: report.meetings,
        objective: report.objective,
        upper_bound: report.upper_bound,
        follow_ups,
        answers,
    }))
}

//! Six months after the event: for each meeting both sides followed up, the sweep asks
//! each side once what came of it, and a member of each side answers (and may change the
//! answer). The request is claimed by a conditional update in the transaction that queues
//! its mails, so that however many instances sweep, it goes out once.

use super::{audit, participant_path, standing};
use crate::mail;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ListingKind;
use agora_domain::validation::Validator;
use agora_mail::messages::meetings as messages;
use agora_store::audit as audit_log;
use agora_store::meetings::{self as store, FeedbackRecord};
use agora_store::{ConnectionTrait, listings};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// The side answering (the accepted application); needed only by someone who belongs to
    /// both structures of the meeting.
    #[serde(default)]
    pub application_id: Option<Uuid>,
    /// Did the meeting lead to a collaboration?
    pub collaboration: bool,
    /// To a project together?
    pub project: bool,
    /// To an offer of help?
    pub help_offer: bool,
    /// A note for the organising committee and the moderators only (up to 2000 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub note: Option<String>,
}

/// One side's answer. The note is shown to that side, the committee and moderators only.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackView {
    pub meeting_id: Uuid,
    pub application_id: Uuid,
    pub answered_at: DateTime<Utc>,
    pub collaboration: bool,
    pub project: bool,
    pub help_offer: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) fn feedback_view(f: &FeedbackRecord) -> FeedbackView {
    FeedbackView {
        meeting_id: f.meeting_id,
        application_id: f.application_id,
        answered_at: f.answered_at,
        collaboration: f.collaboration,
        project: f.project,
        help_offer: f.help_offer,
        note: f.note.clone(),
    }
}

/// Answers (or changes the answer of) one side's feedback on a meeting: a member of that
/// side's structure, once the request is due.
pub async fn answer_feedback(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    meeting_id: Uuid,
    input: FeedbackInput,
) -> Result<FeedbackView> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    let not_found = || ServiceError::NotFound("meeting");
    let m = store::meeting_by_id(&txn, meeting_id)
        .await?
        .filter(|m| m.event_id == event_id && st.event.schedule_published_at.is_some())
        .ok_or_else(not_found)?;
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
    if m.feedback_due_at.is_none_or(|due| due > now) {
        return Err(ServiceError::Conflict(
            "feedback is asked six months after the event, on meetings both sides followed up"
                .into(),
        ));
    }
    let mut note = input.note.clone();
    let mut v = Validator::new();
    v.opt_text("/note", &mut note, 2000);
    v.finish()?;
    let record = FeedbackRecord {
        meeting_id,
        application_id: side,
        answered_by: me.id,
        answered_at: now,
        collaboration: input.collaboration,
        project: input.project,
        help_offer: input.help_offer,
        note: note.filter(|n| !n.is_empty()),
    };
    store::put_feedback(&txn, &record).await?;
    audit_log::append(
        &txn,
        audit(
            now,
            me.id,
            "meeting_feedback_answered",
            event_id,
            serde_json::json!({ "meeting": meeting_id, "side": side }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(feedback_view(&record))
}

/// Meetings the sweep reads at a time.
const SWEEP_PAGE: u64 = 200;

async fn structure_name(db: &impl ConnectionTrait, id: Uuid) -> Result<String> {
    Ok(listings::get(db, ListingKind::Structure, id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// Sends the feedback requests that fell due, once each (the scheduled sweeps).
pub async fn sweep(ctx: &Context) -> Result<u64> {
    let now = ctx.now();
    let mut sent = 0;
    let mut titles: HashMap<Uuid, String> = HashMap::new();
    let mut after = None;
    loop {
        let due = store::feedback_due(&ctx.db, now, after, SWEEP_PAGE).await?;
        let Some(last) = due.last().map(|m| m.id) else {
            break;
        };
        after = Some(last);
        for m in due {
            // One transaction per meeting: the claim and its mails commit together.
            let txn = ctx.begin().await?;
            if !store::claim_feedback_request(&txn, m.id, now).await? {
                txn.rollback().await?;
                continue; // another instance took it
            }
            let title = match titles.get(&m.event_id) {
                Some(t) => t.clone(),
                None => {
                    let t = store::event(&txn, m.event_id)
                        .await?
                        .map(|e| e.title)
                        .unwrap_or_default();
                    titles.insert(m.event_id, t.clone());
                    t
                }
            };
            let url = mail::site_url(
                ctx,
                &format!("{}#rencontre-{}", participant_path(m.event_id), m.id),
            );
            let sides = [(m.first, m.second), (m.second, m.first)];
            for (me, other) in sides {
                let (Some(mine), Some(theirs)) = (
                    store::participant_by_id(&txn, m.event_id, me).await?,
                    store::participant_by_id(&txn, m.event_id, other).await?,
                ) else {
                    continue;
                };
                let message = messages::feedback_request(
                    &title,
                    &structure_name(&txn, mine.structure_id).await?,
                    &structure_name(&txn, theirs.structure_id).await?,
                    &url,
                );
                let to = mail::member_addressees(&txn, mine.structure_id).await?;
                mail::enqueue_all(&txn, ctx, &to, &message).await?;
            }
            txn.commit().await?;
            sent += 1;
        }
    }
    if sent > 0 {
        ctx.mail_queued.notify_one();
        tracing::info!(meetings = sent, "speed-meeting feedback requested");
    }
    Ok(sent)
}

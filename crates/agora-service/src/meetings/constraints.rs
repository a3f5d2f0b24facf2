//! The committee's pins (pairs that must meet) and bans (pairs that must not), between
//! accepted participants of the event; a pair is one or the other, never both.

use super::{ParticipantRef, audit, refs, standing, unknown_ref};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::validation::Validator;
use agora_store::audit as audit_log;
use agora_store::meetings::{self as store, ConstraintRecord};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// The pair must meet.
    Pin,
    /// The pair must never meet.
    Ban,
}

impl ConstraintKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pin => "pin",
            Self::Ban => "ban",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "pin" => Some(Self::Pin),
            "ban" => Some(Self::Ban),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConstraintInput {
    /// Accepted participants of the event (their `application_id`), two different ones.
    pub first: Uuid,
    pub second: Uuid,
    pub kind: ConstraintKind,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConstraintView {
    pub first: ParticipantRef,
    pub second: ParticipantRef,
    pub kind: ConstraintKind,
    pub created_at: DateTime<Utc>,
}

async fn views(ctx: &Context, event_id: Uuid) -> Result<Vec<ConstraintView>> {
    let all = store::participants(&ctx.db, event_id).await?;
    let names = refs(&ctx.db, &all).await?;
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_else(|| unknown_ref(id));
    Ok(store::constraints(&ctx.db, event_id)
        .await?
        .into_iter()
        .filter_map(|c| {
            Some(ConstraintView {
                first: name(c.first),
                second: name(c.second),
                kind: ConstraintKind::parse(&c.kind)?,
                created_at: c.created_at,
            })
        })
        .collect())
}

/// The event's pins and bans (committee).
pub async fn constraints(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
) -> Result<Vec<ConstraintView>> {
    actor.require_user()?;
    let st = standing(&ctx.db, actor, event_id).await?;
    st.require_committee()?;
    views(ctx, event_id).await
}

/// Pins or bans a pair (committee). The same constraint twice changes nothing; the other
/// kind on a pinned or banned pair is a conflict (remove the first one).
pub async fn add_constraint(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    input: ConstraintInput,
) -> Result<(bool, ConstraintView)> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    st.require_committee()?;
    st.require_speed_meetings()?;
    st.require_unpublished()?;
    let mut v = Validator::new();
    for (pointer, id) in [("/first", input.first), ("/second", input.second)] {
        v.check(
            store::participant_by_id(&txn, event_id, id)
                .await?
                .is_some(),
            pointer,
            "unknown_participant",
            "not an accepted participant of this event",
        );
    }
    v.check(
        input.first != input.second,
        "/second",
        "same_participant",
        "a pair is two different participants",
    );
    v.finish()?;
    let created = match store::constraint_of(&txn, event_id, input.first, input.second).await? {
        Some(c) if c.kind == input.kind.as_str() => false,
        Some(c) => {
            return Err(ServiceError::Conflict(format!(
                "this pair is already a {}: remove it first",
                c.kind
            )));
        }
        None => {
            if input.kind == ConstraintKind::Pin {
                // A participant can meet at most one pinned partner per round.
                let pins = store::constraints(&txn, event_id).await?;
                for id in [input.first, input.second] {
                    let n = pins
                        .iter()
                        .filter(|c| c.kind == "pin" && (c.first == id || c.second == id))
                        .count();
                    if n >= usize::try_from(st.event.speed_rounds).unwrap_or(0) {
                        return Err(ServiceError::Conflict(
                            "a participant of this pair already has a pinned meeting in every round"
                                .into(),
                        ));
                    }
                }
            }
            store::insert_constraint(
                &txn,
                &ConstraintRecord {
                    event_id,
                    first: input.first,
                    second: input.second,
                    kind: input.kind.as_str().to_owned(),
                    created_by: me.id,
                    created_at: now,
                },
            )
            .await?;
            audit_log::append(
                &txn,
                audit(
                    now,
                    me.id,
                    "meeting_constraint_added",
                    event_id,
                    serde_json::json!({
                        "kind": input.kind.as_str(),
                        "first": input.first,
                        "second": input.second,
                    }),
                ),
            )
            .await?;
            true
        }
    };
    txn.commit().await?;
    let (a, b) = store::ordered(input.first, input.second);
    views(ctx, event_id)
        .await?
        .into_iter()
        .find(|c| store::ordered(c.first.application_id, c.second.application_id) == (a, b))
        .map(|c| (created, c))
        .ok_or(ServiceError::NotFound("pin or ban"))
}

/// Removes a pin or a ban (committee).
pub async fn remove_constraint(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    first: Uuid,
    second: Uuid,
) -> Result<()> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    st.require_committee()?;
    st.require_unpublished()?;
    if !store::delete_constraint(&txn, event_id, first, second).await? {
        return Err(ServiceError::NotFound("pin or ban"));
    }
    audit_log::append(
        &txn,
        audit(
            now,
            me.id,
            "meeting_constraint_removed",
            event_id,
            serde_json::json!({ "first": first, "second": second }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

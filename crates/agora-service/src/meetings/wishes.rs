//! A participant's preferences: whom they want to meet, ranked, and the rounds they cannot
//! attend. They may change them until the schedule is published.

use super::{MAX_WISHES, ParticipantRef, Standing, refs, standing, unknown_ref};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::validation::Validator;
use agora_store::ConnectionTrait;
use agora_store::meetings::{self as store, ParticipantRecord};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    /// The participation this is for (the accepted application); needed only by someone
    /// who belongs to several participating structures.
    #[serde(default)]
    pub application_id: Option<Uuid>,
    /// Whom you want to meet, most wanted first: other accepted participants of the event
    /// (their `application_id`), at most 15, each once.
    #[serde(default)]
    pub wishes: Vec<Uuid>,
    /// The rounds you cannot attend, numbered from 0 (below the event's number of rounds).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<u32>))]
    pub unavailable_rounds: Vec<i64>,
}

/// Another participant one may wish to meet, with what they offer and look for.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub participant: ParticipantRef,
    /// Skill codes offered and looked for, theme codes (see /api/v1/vocabularies).
    pub offers: Vec<String>,
    pub needs: Vec<String>,
    pub themes: Vec<String>,
}

/// One participation's preferences.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreferencesView {
    pub participant: ParticipantRef,
    /// Most wanted first.
    pub wishes: Vec<ParticipantRef>,
    pub unavailable_rounds: Vec<u32>,
    /// The event's number of rounds (numbered from 0).
    pub rounds: u32,
    /// When each round starts (none when the event set no starting time).
    pub round_starts: Vec<chrono::DateTime<chrono::Utc>>,
    pub max_wishes: u32,
    /// The schedule is published: preferences no longer change.
    pub frozen: bool,
    /// The other accepted participants.
    pub candidates: Vec<Candidate>,
}

async fn view(
    db: &impl ConnectionTrait,
    st: &Standing,
    me: &ParticipantRecord,
    all: &[ParticipantRecord],
    names: &BTreeMap<Uuid, ParticipantRef>,
) -> Result<PreferencesView> {
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_else(|| unknown_ref(id));
    let wishes = store::wishes_of(db, me.id)
        .await?
        .into_iter()
        .map(|w| name(w.wanted_application_id))
        .collect();
    let mut unavailable = me.unavailable_rounds.clone();
    unavailable.sort_unstable();
    unavailable.dedup();
    Ok(PreferencesView {
        participant: name(me.id),
        wishes,
        unavailable_rounds: unavailable,
        rounds: u32::try_from(st.event.speed_rounds).unwrap_or(0),
        round_starts: (0..st.event.speed_rounds)
            .filter_map(|r| super::round_start(&st.event, r))
            .collect(),
        max_wishes: MAX_WISHES as u32,
        frozen: st.event.schedule_published_at.is_some(),
        candidates: all
            .iter()
            .filter(|p| p.id != me.id)
            .map(|p| Candidate {
                participant: name(p.id),
                offers: p.offers.clone(),
                needs: p.needs.clone(),
                themes: p.themes.clone(),
            })
            .collect(),
    })
}

/// The caller's preferences, one per participation of theirs in the event.
pub async fn preferences(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
) -> Result<Vec<PreferencesView>> {
    actor.require_user()?;
    let st = standing(&ctx.db, actor, event_id).await?;
    st.require_speed_meetings()?;
    if st.mine.is_empty() {
        return Err(ServiceError::Forbidden(
            "this is for the event's accepted participants",
        ));
    }
    let all = store::participants(&ctx.db, event_id).await?;
    let names = refs(&ctx.db, &all).await?;
    let mut out = Vec::new();
    for me in &st.mine {
        out.push(view(&ctx.db, &st, me, &all, &names).await?);
    }
    Ok(out)
}

/// Replaces the caller's wishes and unavailable rounds (both as sent).
pub async fn set_preferences(
    ctx: &Context,
    actor: &Actor,
    event_id: Uuid,
    input: PreferencesInput,
) -> Result<PreferencesView> {
    actor.require_user()?;
    let txn = ctx.begin().await?;
    let st = standing(&txn, actor, event_id).await?;
    st.require_speed_meetings()?;
    let me = st.participation(input.application_id)?.clone();
    st.require_unpublished()?;
    let all = store::participants(&txn, event_id).await?;
    let accepted: BTreeSet<Uuid> = all.iter().map(|p| p.id).collect();
    let mut v = Validator::new();
    v.check(
        input.wishes.len() <= MAX_WISHES,
        "/wishes",
        "too_many",
        format!("at most {MAX_WISHES} wishes"),
    );
    let mut seen = BTreeSet::new();
    for (i, w) in input.wishes.iter().enumerate() {
        let pointer = format!("/wishes/{i}");
        if *w == me.id {
            v.push(pointer, "self", "you cannot wish to meet yourself");
        } else if !accepted.contains(w) {
            v.push(
                pointer,
                "unknown_participant",
                "not an accepted participant of this event",
            );
        } else if !seen.insert(*w) {
            v.push(pointer, "duplicate", "already wished above");
        }
    }
    let rounds = i64::from(st.event.speed_rounds);
    let mut unavailable = BTreeSet::new();
    for (i, r) in input.unavailable_rounds.iter().enumerate() {
        let pointer = format!("/unavailable_rounds/{i}");
        if !(0..rounds).contains(r) {
            v.push(
                pointer,
                "out_of_range",
                format!("rounds are numbered from 0 to {}", rounds - 1),
            );
        } else if !unavailable.insert(u32::try_from(*r).unwrap_or(0)) {
            v.push(pointer, "duplicate", "already listed");
        }
    }
    v.finish()?;
    store::replace_wishes(&txn, event_id, me.id, &input.wishes).await?;
    store::set_unavailable_rounds(&txn, me.id, &unavailable, ctx.now()).await?;
    txn.commit().await?;
    let me = ParticipantRecord {
        unavailable_rounds: unavailable.into_iter().collect(),
        ..me
    };
    let names = refs(&ctx.db, &all).await?;
    view(&ctx.db, &st, &me, &all, &names).await
}

//! What is read back: the comments (the structure's members and moderators only) and the
//! caller's own evaluations.

use super::{EvaluationComment, EvaluationState, MyEvaluation};
use crate::access::standing;
use crate::pagination::{Page, decode_opt, encode};
use crate::render::can_read;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{Access, ListingContent, ListingKind};
use agora_store::evaluations as store;
use agora_store::listings;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// A position in the comments: an offset, since an evaluation's id would tell its time.
#[derive(Debug, Serialize, Deserialize)]
struct OffsetCursor {
    offset: u64,
}

/// The comments left with a service's evaluations, newest first. The structure's members
/// and moderators only; others are refused as for any member-only reading (403, or 404
/// when they may not know the service exists).
pub async fn comments(
    ctx: &Context,
    actor: &Actor,
    service_id: Uuid,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<EvaluationComment>> {
    actor.require_user()?;
    let record = listings::get(&ctx.db, ListingKind::Service, service_id)
        .await?
        .ok_or(ServiceError::NotFound("service"))?;
    let st = standing(&ctx.db, actor, record.structure_id).await?;
    if !can_read(&record, st.access) {
        return Err(ServiceError::NotFound("service"));
    }
    if !(st.is_member() || actor.is_moderator()) {
        return Err(ServiceError::Forbidden(
            "this is for the structure's members (or owners)",
        ));
    }
    let offset = decode_opt::<OffsetCursor>(cursor)?.map_or(0, |c| c.offset);
    let mut rows = store::with_comments(&ctx.db, service_id, offset, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| {
        encode(&OffsetCursor {
            offset: offset + limit,
        })
    });
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(EvaluationComment {
                month: r.created_at.format("%Y-%m").to_string(),
                comment: r.comment?,
                state: EvaluationState::of(&r.state),
            })
        })
        .collect();
    Ok(Page { items, next_cursor })
}

/// The public names of these services (those the public may still read).
pub(super) async fn public_names(ctx: &Context, ids: Vec<Uuid>) -> Result<HashMap<Uuid, String>> {
    let records = listings::by_ids(&ctx.db, ListingKind::Service, ids)
        .await?
        .into_iter()
        .filter(|r| can_read(r, Access::Public))
        .map(|r| (r, Access::Public))
        .collect();
    Ok(crate::render::listing_views(&ctx.db, records)
        .await?
        .into_iter()
        .filter_map(|v| match v.content {
            ListingContent::Service(s) => Some((v.id, s.name)),
            _ => None,
        })
        .collect())
}

/// The caller's evaluations, newest first.
pub async fn mine(ctx: &Context, actor: &Actor) -> Result<Vec<MyEvaluation>> {
    let me = actor.require_user()?;
    let rows = store::of_account(&ctx.db, me.id).await?;
    let names = public_names(ctx, rows.iter().map(|r| r.service_id).collect()).await?;
    Ok(rows
        .iter()
        .map(|r| super::submit::view(r, names.get(&r.service_id).cloned().unwrap_or_default()))
        .collect())
}

/// Whether the caller may evaluate the service now, and if not why (what the portal shows
/// in place of the questionnaire).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eligibility {
    /// Signed in, not a member, no evaluation of it within the year.
    Open,
    SignInFirst,
    /// The caller belongs to the service's structure.
    Member,
    /// They evaluated it less than a year ago; again from then.
    AlreadyDone {
        again_from: chrono::DateTime<chrono::Utc>,
    },
}

pub async fn eligibility(ctx: &Context, actor: &Actor, service_id: Uuid) -> Result<Eligibility> {
    let Some(me) = actor.user() else {
        return Ok(Eligibility::SignInFirst);
    };
    let record = listings::get(&ctx.db, ListingKind::Service, service_id)
        .await?
        .filter(|r| can_read(r, Access::Public))
        .ok_or(ServiceError::NotFound("service"))?;
    if standing(&ctx.db, actor, record.structure_id)
        .await?
        .is_member()
    {
        return Ok(Eligibility::Member);
    }
    Ok(match store::latest_of(&ctx.db, me.id, service_id).await? {
        Some(previous) if previous.created_at + super::submit::one_year() > ctx.now() => {
            Eligibility::AlreadyDone {
                again_from: previous.created_at + super::submit::one_year(),
            }
        }
        _ => Eligibility::Open,
    })
}

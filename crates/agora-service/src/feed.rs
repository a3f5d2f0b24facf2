//! The changes feed partners follow to keep a copy of the directory: every change of the
//! public view in order, each with the listing's public view as it is now (read through
//! the same rules as an anonymous reader), or none when it is no longer public. Entries
//! are kept for the configured retention; a cursor older than that must start again from
//! a full export, which gives the cursor to continue from.

use crate::registry;
use crate::views::AnyListingView;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{ListingKind, ValidationErrors};
use agora_store::changes;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

/// One change, as a partner applies it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeView {
    /// Position of this change; pass it as `since` to read what follows.
    pub cursor: String,
    pub at: DateTime<Utc>,
    /// `published` (public for the first time, or again), `updated`, `unpublished`.
    pub event: String,
    pub kind: ListingKind,
    pub id: Uuid,
    /// The listing's public view now; absent when it is no longer public: remove it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub listing: Option<AnyListingView>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangesPage {
    pub changes: Vec<ChangeView>,
    /// Where to continue: the cursor of the last change read (or the one given when there
    /// was nothing new).
    pub next_cursor: String,
    /// Whether more changes follow at once (read again with `next_cursor`).
    pub has_more: bool,
}

fn malformed(detail: &str) -> ServiceError {
    ServiceError::Malformed(ValidationErrors::single("/since", "cursor", detail))
}

/// Reads a cursor: a position in the log, as this feed or an export gave it.
pub fn parse_cursor(since: Option<&str>) -> Result<i64> {
    match since {
        None => Ok(0),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| malformed("a cursor given by this feed or by an export")),
    }
}

/// The cursor to follow the feed from, for an export taken now.
pub async fn current_cursor(ctx: &Context) -> Result<String> {
    let last = changes::last_seq(&ctx.db).await?;
    Ok(last
        .max(changes::pruned_through(&ctx.db).await?)
        .to_string())
}

/// Changes after `since`, at most `limit`.
pub async fn read(ctx: &Context, since: Option<&str>, limit: u64) -> Result<ChangesPage> {
    let since = parse_cursor(since)?;
    let pruned = changes::pruned_through(&ctx.db).await?;
    if since < pruned {
        return Err(ServiceError::Gone(
            "this cursor is older than the changes Agora keeps: start again from a full export (its `Agora-Changes-Cursor` header gives the cursor to follow from)".to_owned(),
        ));
    }
    // The log may have been pruned to nothing: the last position is then the pruned one.
    let last = changes::last_seq(&ctx.db).await?.max(pruned);
    if since > last {
        return Err(malformed(
            "this cursor is ahead of the feed; it was not given by it",
        ));
    }
    let mut entries = changes::since(&ctx.db, since, limit + 1).await?;
    let has_more = entries.len() as u64 > limit;
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = entries.last().map_or(since, |e| e.seq).to_string();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let Some(kind) = e.subject_type.listing_kind() else {
            continue;
        };
        out.push(ChangeView {
            cursor: e.seq.to_string(),
            at: e.at,
            event: e.change.as_str().to_owned(),
            kind,
            id: e.subject_id,
            listing: public_view(ctx, kind, e.subject_id).await?,
        });
    }
    Ok(ChangesPage {
        changes: out,
        next_cursor,
        has_more,
    })
}

/// The change at `seq`, as the feed shows it; none when it was pruned or is not about a
/// listing.
pub(crate) async fn change_at(ctx: &Context, seq: i64) -> Result<Option<ChangeView>> {
    let Some(e) = changes::since(&ctx.db, seq - 1, 1)
        .await?
        .into_iter()
        .find(|e| e.seq == seq)
    else {
        return Ok(None);
    };
    let Some(kind) = e.subject_type.listing_kind() else {
        return Ok(None);
    };
    Ok(Some(ChangeView {
        cursor: e.seq.to_string(),
        at: e.at,
        event: e.change.as_str().to_owned(),
        kind,
        id: e.subject_id,
        listing: public_view(ctx, kind, e.subject_id).await?,
    }))
}

/// What the public may see of a listing now, if anything.
pub(crate) async fn public_view(
    ctx: &Context,
    kind: ListingKind,
    id: Uuid,
) -> Result<Option<AnyListingView>> {
    match registry::get(ctx, &Actor::Anonymous, kind, id).await {
        Ok((view, _)) => Ok(Some(view)),
        Err(ServiceError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Forgets the entries older than the retention (the sweeps); the number forgotten.
pub async fn prune(ctx: &Context) -> Result<u64> {
    let before = ctx.now() - ctx.settings.partners.changes_retention;
    let txn = ctx.begin().await?;
    let n = changes::prune(&txn, before).await?;
    txn.commit().await?;
    Ok(n)
}

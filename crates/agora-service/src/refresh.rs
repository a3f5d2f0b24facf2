//! Keeping it true: every published listing is confirmed by a person every six months.
//! The sweep reminds the members as the due date nears, passes and is overrun (each step
//! once, with a signed single-use link), then marks the listing "à actualiser" and later
//! hides it from the public; a confirmation, by the link or signed in, restores it at once.
//!
//! Each step is a conditional update on the listing's row (the reminder step, the
//! freshness it moves from, the confirmation it belongs to), written in the transaction
//! that queues its mail: running the sweep twice, or on two instances at once, sends
//! nothing twice.

use crate::mail::{self, api_url, listing_url, noun};
use crate::pagination::{decode_opt, encode};
use crate::registry::{entry, load_for_edit};
use crate::render::listing_view;
use crate::views::{AnyListingView, StructureRef};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{Freshness, ListingKind};
use agora_mail::messages::{self, Listing, ReminderTiming};
use agora_store::audit::{self, AuditEntry};
use agora_store::changes::{self, Change};
use agora_store::listings::{self, ListingRecord, RefreshCutoffs, RefreshFilter};
use agora_store::refresh_links::{self, RefreshLink};
use agora_store::{ConnectionTrait, StoreError, memberships};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The purpose signed into confirmation links.
const LINK_PURPOSE: &str = "refresh";
const PAGE: u64 = 500;

/// One thing the sweep does (or, in a dry run, would do) to one listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepStep {
    pub kind: ListingKind,
    pub id: Uuid,
    pub name: String,
    /// `remind`, `mark_stale` or `hide`.
    pub action: &'static str,
    /// For reminders, which rung of the ladder (1 = first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SweepReport {
    pub at: DateTime<Utc>,
    pub dry_run: bool,
    /// Listings whose members were reminded.
    pub reminded: u64,
    pub mails_queued: u64,
    pub marked_stale: u64,
    pub hidden: u64,
    /// Expired confirmation links forgotten.
    pub links_purged: u64,
    /// Labels whose holders were invited to a re-evaluation, and labels that ended.
    pub labels_reminded: u64,
    pub labels_expired: u64,
    /// Help offers: reminders sent, offers expired unanswered, health information forgotten.
    pub help_reminded: u64,
    pub help_expired: u64,
    pub health_info_purged: u64,
    /// Sign-in counters, spent account links and answered invitations forgotten.
    pub account_records_purged: u64,
    /// Feed entries past their retention, past minute counts, old webhook deliveries.
    pub partner_records_purged: u64,
    /// Held evaluations counted once their delay ran out.
    pub evaluations_released: u64,
    /// What was done (or would be, in a dry run), listing by listing.
    pub steps: Vec<SweepStep>,
}

/// Freshness only moves forward in the sweep; a confirmation moves it back.
fn rank(f: Freshness) -> u8 {
    match f {
        Freshness::Fresh => 0,
        Freshness::Stale => 1,
        Freshness::Hidden => 2,
    }
}

/// What is due for `record` at `now`, by the schedule.
fn plan(ctx: &Context, record: &ListingRecord, now: DateTime<Utc>) -> Vec<SweepStep> {
    let s = &ctx.settings.refresh;
    let Some(verified) = record.verified_at else {
        return Vec::new();
    };
    let mut steps = Vec::new();
    let step = |action, step| SweepStep {
        kind: record.kind,
        id: record.id,
        name: record.name.clone(),
        action,
        step,
    };
    let target = s.freshness(Some(verified), now);
    let due_step = i32::try_from(s.reminders_due(verified, now)).unwrap_or(i32::MAX);
    // Once a listing is hidden its members get that notice instead of a late reminder.
    if due_step > record.reminder_step && target != Freshness::Hidden {
        steps.push(step("remind", Some(due_step)));
    }
    if rank(target) > rank(record.freshness) {
        steps.push(match target {
            Freshness::Hidden => step("hide", None),
            _ => step("mark_stale", None),
        });
    }
    steps
}

/// Runs the refresh workflow as of the context's clock: reminders, "à actualiser",
/// hiding, and the purge of expired links. With `dry_run`, only reports what it would do.
pub async fn sweep(ctx: &Context, dry_run: bool) -> Result<SweepReport> {
    let now = ctx.now();
    let s = &ctx.settings.refresh;
    let mut report = SweepReport {
        at: now,
        dry_run,
        ..SweepReport::default()
    };
    let cutoffs = RefreshCutoffs {
        reminders: (1..=s.reminder_days.len())
            .filter_map(|rung| Some((i32::try_from(rung).ok()?, s.reminder_cutoff(rung, now)?)))
            .collect(),
        stale: s.stale_cutoff(now),
        hidden: s.hidden_cutoff(now),
    };
    for kind in ListingKind::ALL {
        let mut after = None;
        loop {
            let page = listings::refresh_pending(&ctx.db, kind, &cutoffs, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for record in &page {
                for step in plan(ctx, record, now) {
                    let done = if dry_run {
                        true
                    } else {
                        apply(ctx, record, &step, &mut report).await?
                    };
                    if done {
                        match step.action {
                            "remind" => report.reminded += 1,
                            "hide" => report.hidden += 1,
                            _ => report.marked_stale += 1,
                        }
                        report.steps.push(step);
                    }
                }
            }
        }
    }
    if !dry_run {
        // Links are kept a while after expiry so that a late click is told it expired.
        report.links_purged =
            refresh_links::purge_expired(&ctx.db, now - Duration::days(30)).await?;
    }
    if report.mails_queued > 0 {
        ctx.mail_queued.notify_one();
    }
    Ok(report)
}

/// Applies one step; false when another sweep did it first.
async fn apply(
    ctx: &Context,
    record: &ListingRecord,
    step: &SweepStep,
    report: &mut SweepReport,
) -> Result<bool> {
    let now = ctx.now();
    let Some(verified) = record.verified_at else {
        return Ok(false);
    };
    let txn = ctx.begin().await?;
    let moved = match step.action {
        "remind" => {
            let rung = step.step.unwrap_or(1);
            if !listings::advance_reminder(&txn, record.kind, record.id, verified, rung).await? {
                return Ok(false);
            }
            let offset = usize::try_from(rung - 1)
                .ok()
                .and_then(|i| ctx.settings.refresh.reminder_days.get(i).copied())
                .unwrap_or(0);
            let timing = match offset {
                d if d < 0 => ReminderTiming::BeforeDue,
                0 => ReminderTiming::AtDue,
                _ => ReminderTiming::AfterDue,
            };
            report.mails_queued += remind(ctx, &txn, record, verified, timing).await?;
            audit_step(
                &txn,
                now,
                record,
                "refresh_reminded",
                serde_json::json!({ "step": rung, "due": ctx.settings.refresh.due(verified) }),
            )
            .await?;
            true
        }
        action => {
            let to = if action == "hide" {
                Freshness::Hidden
            } else {
                Freshness::Stale
            };
            if !listings::change_freshness(
                &txn,
                record.kind,
                record.id,
                verified,
                record.freshness,
                to,
            )
            .await?
            {
                return Ok(false);
            }
            let change = if to == Freshness::Hidden {
                Change::Unpublished
            } else {
                Change::Updated
            };
            changes::append(
                &txn,
                now,
                record.kind.into(),
                record.id,
                Some(record.structure_id),
                change,
            )
            .await?;
            if to == Freshness::Hidden {
                report.mails_queued +=
                    remind(ctx, &txn, record, verified, ReminderTiming::Hidden).await?;
            }
            let name = if to == Freshness::Hidden {
                "refresh_hidden"
            } else {
                "refresh_marked_stale"
            };
            audit_step(
                &txn,
                now,
                record,
                name,
                serde_json::json!({ "from": record.freshness, "to": to }),
            )
            .await?;
            true
        }
    };
    txn.commit().await?;
    if step.action != "remind" {
        ctx.changed.notify_one();
    }
    Ok(moved)
}

async fn audit_step(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    record: &ListingRecord,
    action: &str,
    details: serde_json::Value,
) -> Result<()> {
    audit::append(
        db,
        AuditEntry {
            details: Some(details),
            ..entry(now, None, action, record.kind.into(), record.id)
        },
    )
    .await?;
    Ok(())
}

/// Writes to each member of the listing's structure, each with their own link.
pub(crate) async fn remind(
    ctx: &Context,
    db: &impl ConnectionTrait,
    record: &ListingRecord,
    verified: DateTime<Utc>,
    timing: ReminderTiming,
) -> Result<u64> {
    let now = ctx.now();
    let s = &ctx.settings.refresh;
    let expires = now + Duration::days(s.link_ttl_days);
    let members = mail::members_of(db, record.structure_id).await?;
    let edit_url = listing_url(ctx, record.kind, record.id);
    for (user_id, to) in &members {
        let link = RefreshLink {
            id: Uuid::now_v7(),
            subject_type: record.kind.into(),
            subject_id: record.id,
            user_id: *user_id,
            cycle_verified_at: verified,
            created_at: now,
            expires_at: expires,
            used_at: None,
        };
        refresh_links::insert(db, &link).await?;
        let token = ctx
            .tokens
            .sign_link(LINK_PURPOSE, link.id, now, expires)
            .map_err(|e| ServiceError::Internal(format!("cannot sign a link: {e}")))?;
        let confirm_url = api_url(ctx, &format!("/refresh/confirm?token={token}"));
        let message = messages::refresh_reminder(&messages::Reminder {
            listing: Listing {
                noun: noun(record.kind),
                name: &record.name,
            },
            timing,
            verified_at: verified,
            due: s.due(verified),
            stale_at: s.stale_at(verified),
            hidden_at: s.hidden_at(verified),
            confirm_url: &confirm_url,
            edit_url: &edit_url,
            link_expires: expires,
        });
        mail::enqueue(db, ctx, to, &message).await?;
    }
    Ok(members.len() as u64)
}

/// What a person's confirmation sets on the listing: fresh from `now`, reminders start
/// over. Returns the freshness it had. The caller writes the row.
pub(crate) fn mark_confirmed(record: &mut ListingRecord, now: DateTime<Utc>) -> Freshness {
    let before = record.freshness;
    record.verified_at = Some(now);
    record.freshness = Freshness::Fresh;
    record.reminder_step = 0;
    before
}

/// What a confirmation leaves behind once the row is written: other links retired, the
/// change for the index (back in public results if it had been hidden), the audit entry.
pub(crate) async fn record_confirmation(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    record: &ListingRecord,
    before: Freshness,
    by: Uuid,
    via: &str,
) -> Result<()> {
    refresh_links::retire_for(db, record.id, now).await?;
    let change = if before == Freshness::Hidden {
        Change::Published
    } else {
        Change::Updated
    };
    changes::append(
        db,
        now,
        record.kind.into(),
        record.id,
        Some(record.structure_id),
        change,
    )
    .await?;
    audit::append(
        db,
        AuditEntry {
            details: Some(serde_json::json!({ "via": via, "was": before })),
            ..entry(now, Some(by), "confirmed", record.kind.into(), record.id)
        },
    )
    .await?;
    Ok(())
}

/// Marks, writes and records a confirmation of an otherwise unchanged listing.
async fn confirm_record(
    ctx: &Context,
    db: &impl ConnectionTrait,
    record: &mut ListingRecord,
    by: Uuid,
    via: &str,
) -> Result<()> {
    let now = ctx.now();
    let before = mark_confirmed(record, now);
    let expected = record.lock_version;
    record.lock_version += 1;
    listings::update(db, record, expected)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ServiceError::Conflict("the listing changed meanwhile; try again".into())
            }
            other => other.into(),
        })?;
    record_confirmation(db, now, record, before, by, via).await
}

/// A member confirms that a published listing is still accurate.
pub async fn confirm(
    ctx: &Context,
    actor: &Actor,
    kind: ListingKind,
    id: Uuid,
) -> Result<AnyListingView> {
    let txn = ctx.begin().await?;
    let (mut record, st, user) = load_for_edit(&txn, actor, kind, id).await?;
    if record.published_revision_id.is_none() || !record.status.is_public() {
        return Err(ServiceError::Conflict(
            "only a published listing is confirmed; publication itself counts as a confirmation"
                .into(),
        ));
    }
    confirm_record(ctx, &txn, &mut record, user.id, "member").await?;
    txn.commit().await?;
    ctx.changed.notify_one();
    listing_view(&ctx.db, record, st.access).await
}

/// What a one-click confirmation did.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkConfirmation {
    pub kind: ListingKind,
    pub id: Uuid,
    pub name: String,
    pub verified_at: DateTime<Utc>,
    pub freshness: Freshness,
    /// Next confirmation due.
    pub due_at: DateTime<Utc>,
    /// Where to edit it if something did change after all.
    pub edit_url: String,
    /// True when this link had already confirmed it (a second press does nothing more).
    pub already_confirmed: bool,
}

/// Where a confirmation link stands, without using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// It works: confirming is one button away.
    Ready,
    /// It was used, and the listing is confirmed.
    AlreadyConfirmed,
    /// Expired, superseded, or its listing or member is gone.
    Spent,
}

/// What a confirmation link would confirm (its page shows it before anything is done).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkPreview {
    pub status: LinkStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ListingKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// When it was last confirmed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<DateTime<Utc>>,
}

fn link_token(ctx: &Context, token: &str) -> Result<Uuid> {
    ctx.tokens
        .verify_link(LINK_PURPOSE, token, ctx.now())
        .map_err(|e| match e {
            crate::tokens::TokenError::Expired => ServiceError::Gone(
                "this link has expired: sign in to confirm the listing, or wait for the next reminder".into(),
            ),
            _ => ServiceError::Malformed(agora_domain::ValidationErrors::single(
                "/token",
                "invalid",
                "this is not a confirmation link Agora sent",
            )),
        })
}

/// Whether the link's use is what confirmed the listing last (so pressing again is a
/// harmless repeat).
fn confirmed_by(link: &RefreshLink, record: &ListingRecord) -> bool {
    matches!((link.used_at, record.verified_at), (Some(used), Some(verified)) if verified >= used)
        && record.status.is_public()
}

/// What a link would confirm, read only: a mail scanner opening it changes nothing.
pub async fn link_preview(ctx: &Context, token: &str) -> Result<LinkPreview> {
    let spent = LinkPreview {
        status: LinkStatus::Spent,
        kind: None,
        id: None,
        name: None,
        verified_at: None,
    };
    let link_id = match link_token(ctx, token) {
        Ok(id) => id,
        Err(ServiceError::Gone(_)) => return Ok(spent),
        Err(e) => return Err(e),
    };
    let Some(link) = refresh_links::get(&ctx.db, link_id).await? else {
        return Ok(spent);
    };
    let Some(kind) = link.subject_type.listing_kind() else {
        return Ok(spent);
    };
    let Some(record) = listings::get(&ctx.db, kind, link.subject_id).await? else {
        return Ok(spent);
    };
    let member = memberships::role_of(&ctx.db, record.structure_id, link.user_id)
        .await?
        .is_some();
    let status = if confirmed_by(&link, &record) {
        LinkStatus::AlreadyConfirmed
    } else if link.used_at.is_none()
        && link.expires_at > ctx.now()
        && record.verified_at == Some(link.cycle_verified_at)
        && record.status.is_public()
        && member
    {
        LinkStatus::Ready
    } else {
        LinkStatus::Spent
    };
    Ok(LinkPreview {
        status,
        kind: Some(kind),
        id: Some(record.id),
        name: Some(record.name),
        verified_at: record.verified_at,
    })
}

/// The one-click link of a reminder, once its page's button is pressed. It works once,
/// until it expires, for the member it was sent to while they still belong to the
/// structure; pressing again after it worked answers the same, and changes nothing.
pub async fn confirm_by_link(ctx: &Context, token: &str) -> Result<LinkConfirmation> {
    let now = ctx.now();
    let link_id = link_token(ctx, token)?;
    let txn = ctx.begin().await?;
    let gone = || {
        ServiceError::Gone(
            "this link was already used, or the listing was confirmed since: nothing more to do"
                .into(),
        )
    };
    let link = refresh_links::get(&txn, link_id).await?.ok_or_else(gone)?;
    let kind = link
        .subject_type
        .listing_kind()
        .ok_or_else(|| ServiceError::Internal("a refresh link names a non-listing".into()))?;
    let mut record = listings::get(&txn, kind, link.subject_id)
        .await?
        .ok_or(ServiceError::NotFound(kind.as_str()))?;
    let confirmation =
        |record: &ListingRecord, verified_at: DateTime<Utc>, already: bool| LinkConfirmation {
            kind,
            id: record.id,
            name: record.name.clone(),
            verified_at,
            freshness: Freshness::Fresh,
            due_at: ctx.settings.refresh.due(verified_at),
            edit_url: listing_url(ctx, kind, record.id),
            already_confirmed: already,
        };
    if let (true, Some(verified)) = (confirmed_by(&link, &record), record.verified_at) {
        return Ok(confirmation(&record, verified, true));
    }
    if link.expires_at <= now {
        return Err(ServiceError::Gone("this link has expired".into()));
    }
    if !refresh_links::use_once(&txn, link_id, now).await? {
        return Err(gone());
    }
    if record.verified_at != Some(link.cycle_verified_at) {
        return Err(gone());
    }
    if !record.status.is_public() {
        return Err(ServiceError::Conflict(
            "this listing is no longer published".into(),
        ));
    }
    if memberships::role_of(&txn, record.structure_id, link.user_id)
        .await?
        .is_none()
    {
        return Err(ServiceError::Gone(
            "this link was sent to someone who no longer belongs to the structure".into(),
        ));
    }
    confirm_record(ctx, &txn, &mut record, link.user_id, "link").await?;
    txn.commit().await?;
    ctx.changed.notify_one();
    Ok(confirmation(&record, now, false))
}

/// Where a listing stands, for moderators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefreshState {
    /// Confirmed, not yet reminded.
    Fresh,
    /// Reminded, not yet "à actualiser".
    Due,
    /// Shown as "à actualiser", ranked lower.
    Stale,
    /// Out of public results until confirmed.
    Hidden,
}

impl RefreshState {
    const ALL: [Self; 4] = [Self::Fresh, Self::Due, Self::Stale, Self::Hidden];

    fn filter(self) -> RefreshFilter {
        match self {
            Self::Fresh => RefreshFilter::Fresh,
            Self::Due => RefreshFilter::Due,
            Self::Stale => RefreshFilter::Stale,
            Self::Hidden => RefreshFilter::Hidden,
        }
    }

    fn of(record: &ListingRecord) -> Self {
        match record.freshness {
            Freshness::Hidden => Self::Hidden,
            Freshness::Stale => Self::Stale,
            Freshness::Fresh if record.reminder_step > 0 => Self::Due,
            Freshness::Fresh => Self::Fresh,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshItem {
    pub kind: ListingKind,
    pub id: Uuid,
    pub name: String,
    pub structure: StructureRef,
    pub state: RefreshState,
    pub verified_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub stale_at: Option<DateTime<Utc>>,
    pub hidden_at: Option<DateTime<Utc>>,
    /// Reminders sent since the last confirmation.
    pub reminders_sent: i32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshCounts {
    pub fresh: u64,
    pub due: u64,
    pub stale: u64,
    pub hidden: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshQueue {
    /// Published listings in each state (of the kind asked for, or all).
    pub counts: RefreshCounts,
    /// Listings in the state asked for, least recently confirmed first.
    pub items: Vec<RefreshItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct RefreshCursor {
    at: DateTime<Utc>,
    id: Uuid,
}

/// How many published listings are in each freshness state: a public figure (counts only).
pub async fn counts(ctx: &Context) -> Result<RefreshCounts> {
    let mut counts = [0u64; 4];
    for k in ListingKind::ALL {
        for (i, s) in RefreshState::ALL.iter().enumerate() {
            counts[i] += listings::count_by_refresh_state(&ctx.db, k, s.filter()).await?;
        }
    }
    Ok(RefreshCounts {
        fresh: counts[0],
        due: counts[1],
        stale: counts[2],
        hidden: counts[3],
    })
}

/// Published listings by freshness state, for moderators.
pub async fn queue(
    ctx: &Context,
    actor: &Actor,
    state: RefreshState,
    kind: Option<ListingKind>,
    cursor: Option<&str>,
    limit: u64,
) -> Result<RefreshQueue> {
    actor.require_moderator()?;
    let kinds: Vec<ListingKind> = kind.map_or_else(|| ListingKind::ALL.to_vec(), |k| vec![k]);
    let after = decode_opt::<RefreshCursor>(cursor)?.map(|c| (c.at, c.id));
    let mut counts = [0u64; 4];
    let mut rows = Vec::new();
    for k in &kinds {
        for (i, s) in RefreshState::ALL.iter().enumerate() {
            counts[i] += listings::count_by_refresh_state(&ctx.db, *k, s.filter()).await?;
        }
        rows.extend(
            listings::by_refresh_state(&ctx.db, *k, state.filter(), after, limit + 1).await?,
        );
    }
    // Merged across kinds in the order each table was read.
    rows.sort_by_key(|r| (r.verified_at, r.id));
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = match rows.last() {
        Some(last) if more => Some(encode(&RefreshCursor {
            at: last.verified_at.unwrap_or(DateTime::<Utc>::MIN_UTC),
            id: last.id,
        })),
        _ => None,
    };
    let parents = listings::by_ids(
        &ctx.db,
        ListingKind::Structure,
        rows.iter().map(|r| r.structure_id).collect(),
    )
    .await?;
    let s = &ctx.settings.refresh;
    let items = rows
        .into_iter()
        .map(|r| RefreshItem {
            kind: r.kind,
            id: r.id,
            name: r.name.clone(),
            structure: StructureRef {
                id: r.structure_id,
                name: parents
                    .iter()
                    .find(|p| p.id == r.structure_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            },
            state: RefreshState::of(&r),
            verified_at: r.verified_at,
            due_at: r.verified_at.map(|v| s.due(v)),
            stale_at: r.verified_at.map(|v| s.stale_at(v)),
            hidden_at: r.verified_at.map(|v| s.hidden_at(v)),
            reminders_sent: r.reminder_step,
        })
        .collect();
    Ok(RefreshQueue {
        counts: RefreshCounts {
            fresh: counts[0],
            due: counts[1],
            stale: counts[2],
            hidden: counts[3],
        },
        items,
        next_cursor,
    })
}

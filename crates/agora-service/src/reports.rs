//! "Signaler une erreur": anyone who sees a wrong detail on a public listing reports it.
//! The structure's members and the moderators are told by mail; moderators work through
//! open reports. A reporter's identity is kept for moderators only, and each client may
//! report a few times an hour.

use crate::mail::{self, listing_url, noun};
use crate::pagination::{decode_opt, next_cursor};
use crate::registry::entry;
use crate::render::can_read;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::validation::Validator;
use agora_domain::{Access, ListingKind, SubjectType};
use agora_mail::messages::{self, Listing};
use agora_store::audit::{self, AuditEntry};
use agora_store::db::transaction_lock;
use agora_store::reports::{self, ReportRecord};
use agora_store::{DatabaseTransaction, listings};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    OutdatedContact,
    WrongHours,
    WrongArea,
    ServiceClosed,
    Other,
}

impl ReportReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutdatedContact => "outdated_contact",
            Self::WrongHours => "wrong_hours",
            Self::WrongArea => "wrong_area",
            Self::ServiceClosed => "service_closed",
            Self::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub subject_type: ListingKind,
    pub subject_id: Uuid,
    pub reason: ReportReason,
    /// What is wrong, in a few words (required for `other`, up to 2000 characters).
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    #[serde(default)]
    pub details: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    pub id: Uuid,
    /// Always `received`.
    pub status: String,
}

fn client_key(actor: &Actor, client: IpAddr) -> String {
    let who = match actor.user() {
        Some(u) => format!("user:{}", u.id),
        None => format!("addr:{client}"),
    };
    hex::encode(Sha256::digest(who.as_bytes()))
}

/// Files a report on a public listing. The client's recent reports are counted inside
/// the transaction that adds this one, under the client's lock: of many sent at once,
/// exactly the allowance gets in.
pub async fn report(
    ctx: &Context,
    actor: &Actor,
    client: IpAddr,
    input: ReportInput,
) -> Result<ReportReceipt> {
    let mut details = input.details.filter(|d| !d.trim().is_empty());
    let mut v = Validator::new();
    match &mut details {
        Some(d) => v.text("/details", d, 3, 2000),
        None if input.reason == ReportReason::Other => {
            v.push("/details", "required", "say what is wrong")
        }
        None => {}
    }
    v.finish()?;
    let now = ctx.now();
    let key = client_key(actor, client);
    let window = Duration::hours(1);
    let kind = input.subject_type;
    let txn = ctx.begin().await?;
    transaction_lock(&txn, &format!("reports:{key}")).await?;
    let recent = reports::by_client_since(&txn, &key, now - window).await?;
    if recent.len() as u64 >= ctx.settings.reports_per_client_per_hour {
        let retry = recent
            .first()
            .map_or(window, |oldest| *oldest + window - now);
        return Err(ServiceError::TooManyRequests {
            retry_after_secs: u64::try_from(retry.num_seconds().max(1)).unwrap_or(1),
        });
    }
    let record = listings::get(&txn, kind, input.subject_id)
        .await?
        .filter(|r| can_read(r, Access::Public))
        .ok_or(ServiceError::NotFound(kind.as_str()))?;
    let report = ReportRecord {
        id: Uuid::now_v7(),
        subject_type: kind.into(),
        subject_id: record.id,
        structure_id: record.structure_id,
        reason: input.reason.as_str().to_owned(),
        details: details.clone(),
        reporter_id: actor.user().map(|u| u.id),
        client_key: key,
        state: "open".into(),
        created_at: now,
        resolved_at: None,
        resolved_by: None,
        resolution: None,
    };
    reports::insert(&txn, &report).await?;
    let listing = Listing {
        noun: noun(kind),
        name: &record.name,
    };
    let reason = input.reason.as_str();
    let members = mail::member_addressees(&txn, record.structure_id).await?;
    mail::enqueue_all(
        &txn,
        ctx,
        &members,
        &messages::report_to_owners(
            listing,
            reason,
            details.as_deref(),
            &listing_url(ctx, kind, record.id),
        ),
    )
    .await?;
    mail::enqueue_to_moderators(
        &txn,
        ctx,
        &messages::report_to_moderators(
            listing,
            reason,
            details.as_deref(),
            &mail::site_url(ctx, "/moderation/signalements"),
        ),
    )
    .await?;
    // The trail is read by members: it names the report, never the reporter.
    audit::append(
        &txn,
        AuditEntry {
            details: Some(serde_json::json!({ "report_id": report.id, "reason": reason })),
            ..entry(now, None, "reported", kind.into(), record.id)
        },
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(ReportReceipt {
        id: report.id,
        status: "received".into(),
    })
}

/// Puts a structure that has no member left (its last one erased their account) before
/// the moderators, as a report Agora files itself, in the caller's transaction.
pub(crate) async fn structure_without_members(
    ctx: &Context,
    txn: &DatabaseTransaction,
    structure_id: Uuid,
) -> Result<()> {
    let Some(structure) = listings::get(txn, ListingKind::Structure, structure_id).await? else {
        return Ok(());
    };
    let now = ctx.now();
    let report = ReportRecord {
        id: Uuid::now_v7(),
        subject_type: SubjectType::Structure,
        subject_id: structure_id,
        structure_id,
        reason: ReportTopic::NoMembers.as_str().to_owned(),
        details: Some(
            "Le dernier membre de la structure a supprimé son compte : plus personne ne la tient à jour."
                .to_owned(),
        ),
        reporter_id: None,
        client_key: "agora".into(),
        state: "open".into(),
        created_at: now,
        resolved_at: None,
        resolved_by: None,
        resolution: None,
    };
    reports::insert(txn, &report).await?;
    mail::enqueue_to_moderators(
        txn,
        ctx,
        &agora_mail::messages::accounts::structure_without_members(
            &structure.name,
            &mail::site_url(ctx, "/moderation/signalements"),
        ),
    )
    .await?;
    audit::append(
        txn,
        AuditEntry {
            details: Some(serde_json::json!({ "report_id": report.id })),
            ..entry(
                now,
                None,
                "left_without_members",
                SubjectType::Structure,
                structure_id,
            )
        },
    )
    .await?;
    Ok(())
}

/// Why a report was filed: a reason someone gave, or one Agora raised itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportTopic {
    OutdatedContact,
    WrongHours,
    WrongArea,
    ServiceClosed,
    Other,
    /// Raised by Agora: the structure's last member erased their account.
    NoMembers,
}

impl ReportTopic {
    const ALL: [Self; 6] = [
        Self::OutdatedContact,
        Self::WrongHours,
        Self::WrongArea,
        Self::ServiceClosed,
        Self::Other,
        Self::NoMembers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OutdatedContact => "outdated_contact",
            Self::WrongHours => "wrong_hours",
            Self::WrongArea => "wrong_area",
            Self::ServiceClosed => "service_closed",
            Self::Other => "other",
            Self::NoMembers => "no_members",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    Open,
    Resolved,
}

impl ReportState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Resolved => "resolved",
        }
    }
}

/// A report as moderators see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub id: Uuid,
    pub subject_type: ListingKind,
    pub subject_id: Uuid,
    pub subject_name: String,
    pub reason: ReportTopic,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// The account that reported, when the reporter was signed in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter_id: Option<Uuid>,
    pub state: ReportState,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReportCursor {
    id: Uuid,
}

async fn view(ctx: &Context, r: ReportRecord) -> Result<ReportView> {
    let kind = r
        .subject_type
        .listing_kind()
        .ok_or_else(|| ServiceError::Internal(format!("report {} on a non-listing", r.id)))?;
    let name = listings::get(&ctx.db, kind, r.subject_id)
        .await?
        .map(|l| l.name)
        .unwrap_or_default();
    Ok(ReportView {
        id: r.id,
        subject_type: kind,
        subject_id: r.subject_id,
        subject_name: name,
        reason: ReportTopic::parse(&r.reason).unwrap_or(ReportTopic::Other),
        details: r.details,
        reporter_id: r.reporter_id,
        state: if r.state == "open" {
            ReportState::Open
        } else {
            ReportState::Resolved
        },
        created_at: r.created_at,
        resolved_at: r.resolved_at,
        resolution: r.resolution,
    })
}

/// Reports in one state, oldest first.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    state: ReportState,
    cursor: Option<&str>,
    limit: u64,
) -> Result<crate::pagination::Page<ReportView>> {
    actor.require_moderator()?;
    let after = decode_opt::<ReportCursor>(cursor)?.map(|c| c.id);
    let mut rows = reports::list(&ctx.db, state.as_str(), after, limit + 1).await?;
    let next_cursor = next_cursor(&mut rows, limit, |r| ReportCursor { id: r.id });
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(view(ctx, r).await?);
    }
    Ok(crate::pagination::Page { items, next_cursor })
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    /// What was done (corrected by the owners, unfounded, …), up to 2000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 2000))]
    pub resolution: String,
}

/// Closes an open report.
pub async fn resolve(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: ResolveInput,
) -> Result<ReportView> {
    let moderator = actor.require_moderator()?;
    let mut resolution = input.resolution;
    let mut v = Validator::new();
    v.text("/resolution", &mut resolution, 3, 2000);
    v.finish()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let report = reports::get(&txn, id)
        .await?
        .ok_or(ServiceError::NotFound("report"))?;
    if !reports::resolve(&txn, id, moderator.id, now, &resolution).await? {
        return Err(ServiceError::Conflict(
            "this report is already resolved".into(),
        ));
    }
    audit::append(
        &txn,
        AuditEntry {
            reason: Some(resolution),
            details: Some(serde_json::json!({ "report_id": id })),
            ..entry(
                now,
                Some(moderator.id),
                "report_resolved",
                report.subject_type,
                report.subject_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    let updated = reports::get(&ctx.db, id)
        .await?
        .ok_or(ServiceError::NotFound("report"))?;
    view(ctx, updated).await
}

//! A person's rights over their own data (GDPR articles 15 and 17): everything Agora holds
//! about them, and erasure.

use crate::accounts::{memberships_of, user_view};
use crate::registry::entry;
use crate::views::{MembershipView, UserView};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{MemberRole, RevisionState, SubjectType};
use agora_store::audit;
use agora_store::{accounts, memberships, revisions};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionExport {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_refreshed_at: Option<DateTime<Utc>>,
}

/// A version of a listing the person wrote.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContributionExport {
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    pub revision_id: Uuid,
    pub number: i32,
    pub state: RevisionState,
    pub created_at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub content: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionExport {
    pub at: DateTime<Utc>,
    pub action: String,
    pub subject_type: SubjectType,
    pub subject_id: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Everything Agora holds about the signed-in person.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataExport {
    pub exported_at: DateTime<Utc>,
    pub account: UserView,
    pub account_created_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
    pub memberships: Vec<MembershipView>,
    pub sessions: Vec<SessionExport>,
    pub contributions: Vec<ContributionExport>,
    pub actions: Vec<ActionExport>,
    /// Their contributor profile, if they wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contributor_profile: Option<crate::help::ProfileInput>,
    /// The help offers they made, as they see them.
    pub help_offers: Vec<crate::help::OfferView>,
}

pub async fn export(ctx: &Context, actor: &Actor) -> Result<DataExport> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    let memberships = memberships_of(&ctx.db, me.id).await?;
    let sessions = accounts::sessions_of_user(&ctx.db, me.id)
        .await?
        .into_iter()
        .map(|s| SessionExport {
            id: s.id,
            created_at: s.created_at,
            expires_at: s.expires_at,
            revoked_at: s.revoked_at,
            last_refreshed_at: s.last_refreshed_at,
        })
        .collect();
    let contributions = revisions::by_author(&ctx.db, me.id)
        .await?
        .into_iter()
        .map(|r| ContributionExport {
            subject_type: r.subject_type,
            subject_id: r.subject_id,
            revision_id: r.id,
            number: r.number,
            state: r.state,
            created_at: r.created_at,
            content: r.content,
        })
        .collect();
    let actions = audit::by_actor(&ctx.db, me.id)
        .await?
        .into_iter()
        .map(|a| ActionExport {
            at: a.entry.at,
            action: a.entry.action,
            subject_type: a.entry.subject_type,
            subject_id: a.entry.subject_id,
            reason: a.entry.reason,
        })
        .collect();
    Ok(DataExport {
        exported_at: ctx.now(),
        account: user_view(&user),
        account_created_at: user.created_at,
        password_changed_at: user.password_changed_at,
        memberships,
        sessions,
        contributions,
        actions,
        contributor_profile: crate::help::get_profile(ctx, actor).await.ok(),
        help_offers: crate::help::mine(ctx, actor).await?,
    })
}

/// Erases the account: the person, their sessions and memberships go; what they wrote for
/// a structure stays with the structure, no longer attributed. A structure's last owner
/// must hand over first, so that no structure is left without anyone to keep it true.
pub async fn erase(ctx: &Context, actor: &Actor) -> Result<()> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut orphaned = Vec::new();
    for m in memberships::of_user(&txn, me.id).await? {
        if m.role == MemberRole::Owner
            && memberships::count_owners(&txn, m.structure_id).await? <= 1
        {
            let others = memberships::of_structure(&txn, m.structure_id).await?.len() > 1;
            if others {
                orphaned.push(m.structure_id);
            }
        }
    }
    if !orphaned.is_empty() {
        return Err(ServiceError::Conflict(format!(
            "you are the last owner of {} structure(s) with other members: make one of them owner first",
            orphaned.len()
        )));
    }
    revisions::forget_author(&txn, me.id).await?;
    // Mail to them (queued or sent), their confirmation links, their name on reports.
    if let Some(user) = accounts::user_by_id(&txn, me.id).await? {
        agora_store::mail_queue::forget_recipient(&txn, &user.email).await?;
    }
    agora_store::refresh_links::forget_user(&txn, me.id).await?;
    agora_store::reports::forget_reporter(&txn, me.id).await?;
    agora_store::label::set_seat(&txn, me.id, None).await?;
    agora_store::help::delete_profile(&txn, me.id).await?;
    agora_store::help::forget_contributor(&txn, me.id).await?;
    accounts::delete_user(&txn, me.id).await?;
    audit::append(
        &txn,
        entry(now, None, "account_erased", SubjectType::User, me.id),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

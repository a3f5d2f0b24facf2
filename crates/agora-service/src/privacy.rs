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
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
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
    /// Invitations to join a structure waiting at their address.
    pub invitations: Vec<crate::invitations::InvitationView>,
    /// The evaluations of services they made.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evaluations: Vec<crate::evaluations::MyEvaluation>,
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
        invitations: crate::invitations::mine(ctx, actor).await?,
        evaluations: crate::evaluations::mine(ctx, actor).await?,
    })
}

/// What erasing an account asks for: the current password, again.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EraseInput {
    pub current_password: String,
}

/// Erases the account, once the person has given their password again (a stolen access
/// token is not enough): the person, their sessions and memberships go; what they wrote
/// for a structure stays with the structure, no longer attributed. A structure's last
/// owner must hand over to its other members first; a structure the person kept alone is
/// put before the moderators, who decide what becomes of its listings.
pub async fn erase(ctx: &Context, actor: &Actor, client: IpAddr, input: EraseInput) -> Result<()> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(&ctx.db, me.id)
        .await?
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    crate::accounts::confirm_password(
        ctx,
        &user,
        client,
        input.current_password,
        "/current_password",
    )
    .await?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let mut orphaned = Vec::new();
    let mut left_alone = Vec::new();
    for m in memberships::of_user(&txn, me.id).await? {
        let members = memberships::of_structure(&txn, m.structure_id).await?.len();
        if members <= 1 {
            left_alone.push(m.structure_id);
        } else if m.role == MemberRole::Owner
            && memberships::count_owners(&txn, m.structure_id).await? <= 1
        {
            orphaned.push(m.structure_id);
        }
    }
    if !orphaned.is_empty() {
        return Err(ServiceError::Conflict(format!(
            "you are the last owner of {} structure(s) with other members: make one of them owner first",
            orphaned.len()
        )));
    }
    revisions::forget_author(&txn, me.id).await?;
    // Mail to them (queued or sent), their confirmation links, their name on reports,
    // invitations to their address.
    agora_store::mail_queue::forget_recipient(&txn, &user.email).await?;
    agora_store::invitations::forget_email(&txn, &user.email).await?;
    agora_store::refresh_links::forget_user(&txn, me.id).await?;
    agora_store::reports::forget_reporter(&txn, me.id).await?;
    agora_store::label::set_seat(&txn, me.id, None).await?;
    agora_store::help::delete_profile(&txn, me.id).await?;
    agora_store::help::forget_contributor(&txn, me.id).await?;
    // Their evaluations stay in the figures, unattributed; their comments go.
    agora_store::evaluations::forget_account(&txn, me.id).await?;
    accounts::delete_user(&txn, me.id).await?;
    audit::append(
        &txn,
        entry(now, None, "account_erased", SubjectType::User, me.id),
    )
    .await?;
    for structure_id in left_alone {
        crate::reports::structure_without_members(ctx, &txn, structure_id).await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(())
}

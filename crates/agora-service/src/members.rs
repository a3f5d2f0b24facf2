//! A structure's members: owners manage them; members and moderators see them.

use crate::access::standing;
use crate::registry::entry;
use crate::render::can_read;
use crate::views::MemberView;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::parse_email;
use agora_domain::{ListingKind, MemberRole, SubjectType, ValidationErrors};
use agora_store::audit::{self, AuditEntry};
use agora_store::{ConnectionTrait, StoreError, accounts, listings, memberships};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddMemberInput {
    /// E-mail address of an existing account.
    pub email: String,
    pub role: MemberRole,
}

/// Loads the structure and checks the caller's right: members (or owners) and moderators.
async fn guard(
    db: &impl ConnectionTrait,
    actor: &Actor,
    structure_id: Uuid,
    owner_only: bool,
) -> Result<()> {
    actor.require_user()?;
    let structure = listings::get(db, ListingKind::Structure, structure_id)
        .await?
        .ok_or(ServiceError::NotFound("structure"))?;
    let st = standing(db, actor, structure_id).await?;
    let allowed = if owner_only {
        st.is_owner()
    } else {
        st.is_member() || actor.is_moderator()
    };
    if allowed {
        Ok(())
    } else if can_read(&structure, st.access) {
        Err(ServiceError::Forbidden(if owner_only {
            "only the structure's owners manage its members"
        } else {
            "only members see the team"
        }))
    } else {
        Err(ServiceError::NotFound("structure"))
    }
}

async fn views(db: &impl ConnectionTrait, structure_id: Uuid) -> Result<Vec<MemberView>> {
    let links = memberships::of_structure(db, structure_id).await?;
    let users: HashMap<Uuid, accounts::UserRecord> =
        accounts::users_by_ids(db, links.iter().map(|m| m.user_id).collect())
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
    Ok(links
        .into_iter()
        .filter_map(|m| {
            let u = users.get(&m.user_id)?;
            Some(MemberView {
                user_id: u.id,
                display_name: u.display_name.clone(),
                email: u.email.clone(),
                role: m.role,
                since: m.created_at,
            })
        })
        .collect())
}

pub async fn list(ctx: &Context, actor: &Actor, structure_id: Uuid) -> Result<Vec<MemberView>> {
    guard(&ctx.db, actor, structure_id, false).await?;
    views(&ctx.db, structure_id).await
}

pub async fn add(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    input: AddMemberInput,
) -> Result<Vec<MemberView>> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    guard(&txn, actor, structure_id, true).await?;
    let email = parse_email(&input.email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    let user = accounts::user_by_email(&txn, &email)
        .await?
        .ok_or(ServiceError::NotFound("account with this e-mail address"))?;
    memberships::add(&txn, structure_id, user.id, input.role, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                ServiceError::Conflict("this person is already a member".into())
            }
            other => other.into(),
        })?;
    let actor_id = actor.user().map(|u| u.id);
    audit::append(
        &txn,
        AuditEntry {
            details: Some(serde_json::json!({ "user_id": user.id, "role": input.role.as_str() })),
            ..entry(
                now,
                actor_id,
                "member_added",
                SubjectType::Structure,
                structure_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    views(&ctx.db, structure_id).await
}

/// Removes a member: owners remove anyone, members remove themselves; a structure always
/// keeps one owner.
pub async fn remove(ctx: &Context, actor: &Actor, structure_id: Uuid, user_id: Uuid) -> Result<()> {
    let me = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    guard(&txn, actor, structure_id, me.id != user_id).await?;
    let role = memberships::role_of(&txn, structure_id, user_id)
        .await?
        .ok_or(ServiceError::NotFound("member"))?;
    if role == MemberRole::Owner && memberships::count_owners(&txn, structure_id).await? <= 1 {
        return Err(ServiceError::Conflict(
            "a structure keeps at least one owner; name another owner first".into(),
        ));
    }
    memberships::remove(&txn, structure_id, user_id).await?;
    audit::append(
        &txn,
        AuditEntry {
            details: Some(serde_json::json!({ "user_id": user_id })),
            ..entry(
                now,
                Some(me.id),
                "member_removed",
                SubjectType::Structure,
                structure_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

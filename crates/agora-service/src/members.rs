//! A structure's members: owners manage them (newcomers join by invitation, see
//! `invitations`); members and moderators see them.

use crate::access::standing;
use crate::registry::entry;
use crate::render::can_read;
use crate::views::MemberView;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::{ListingKind, MemberRole, SubjectType};
use agora_store::audit::{self, AuditEntry};
use agora_store::{ConnectionTrait, accounts, listings, memberships};
use std::collections::HashMap;
use uuid::Uuid;

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

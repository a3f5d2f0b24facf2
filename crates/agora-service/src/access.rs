//! A caller's standing towards one structure: the access level that decides what they
//! read, and whether they may edit.

use crate::{Actor, Result};
use agora_domain::{Access, MemberRole};
use agora_store::{ConnectionTrait, memberships};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Standing {
    pub access: Access,
    /// The caller's role in the structure, if they belong to it.
    pub member: Option<MemberRole>,
}

impl Standing {
    pub fn is_member(&self) -> bool {
        self.member.is_some()
    }

    pub fn is_owner(&self) -> bool {
        self.member == Some(MemberRole::Owner)
    }
}

pub(crate) async fn standing(
    db: &impl ConnectionTrait,
    actor: &Actor,
    structure_id: Uuid,
) -> Result<Standing> {
    let Some(user) = actor.user() else {
        return Ok(Standing {
            access: Access::Public,
            member: None,
        });
    };
    let member = memberships::role_of(db, structure_id, user.id).await?;
    let access = if actor.is_moderator() {
        Access::Moderator
    } else if member.is_some() {
        Access::Member
    } else {
        Access::Public
    };
    Ok(Standing { access, member })
}

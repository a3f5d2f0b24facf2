//! Joining a structure's team: an owner invites an e-mail address; whoever holds it
//! accepts (or declines) once signed in with it. The owner's answer is the same whether
//! the address has an account or not, so inviting cannot be used to learn who is
//! registered.

use crate::access::standing;
use crate::mail::{self, Addressee};
use crate::registry::entry;
use crate::render::can_read;
use crate::views::{MembershipView, StructureRef};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::contact::parse_email;
use agora_domain::{ListingKind, MemberRole, SubjectType, ValidationErrors};
use agora_mail::messages::accounts as account_messages;
use agora_store::invitations::{self, Invitation, InvitationState};
use agora_store::{ConnectionTrait, StoreError, accounts, audit, listings, memberships};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InvitationInput {
    /// The address to invite; it need not have an account yet.
    pub email: String,
    pub role: MemberRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
    Revoked,
}

impl From<InvitationState> for InvitationStatus {
    fn from(s: InvitationState) -> Self {
        match s {
            InvitationState::Pending => Self::Pending,
            InvitationState::Accepted => Self::Accepted,
            InvitationState::Declined => Self::Declined,
            InvitationState::Revoked => Self::Revoked,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationView {
    pub id: Uuid,
    pub structure: StructureRef,
    pub email: String,
    pub role: MemberRole,
    pub status: InvitationStatus,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

fn view(i: &Invitation, structure_name: &str) -> InvitationView {
    InvitationView {
        id: i.id,
        structure: StructureRef {
            id: i.structure_id,
            name: structure_name.to_owned(),
        },
        email: i.email.clone(),
        role: i.role,
        status: i.state.into(),
        created_at: i.created_at,
        expires_at: i.expires_at,
    }
}

fn role_label(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Owner => "propriétaire (gère l'équipe et les fiches)",
        MemberRole::Editor => "éditrice ou éditeur (modifie les fiches)",
    }
}

/// The structure's name, after checking the caller's standing: owners (or, to read,
/// members and moderators). Others get 403 when the structure is public, 404 otherwise.
async fn guard(
    db: &impl ConnectionTrait,
    actor: &Actor,
    structure_id: Uuid,
    owner_only: bool,
) -> Result<String> {
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
        Ok(structure.name)
    } else if can_read(&structure, st.access) {
        Err(ServiceError::Forbidden(
            "only the structure's owners invite people to its team",
        ))
    } else {
        Err(ServiceError::NotFound("structure"))
    }
}

/// Invites an address to the team. Inviting it again replaces the earlier invitation.
pub async fn invite(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    input: InvitationInput,
) -> Result<InvitationView> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let name = guard(&txn, actor, structure_id, true).await?;
    let email = parse_email(&input.email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    // Members are listed to owners with their addresses already: saying so reveals nothing.
    for m in memberships::of_structure(&txn, structure_id).await? {
        if accounts::user_by_id(&txn, m.user_id)
            .await?
            .is_some_and(|u| u.email == email)
        {
            return Err(ServiceError::Conflict(
                "this address already belongs to a member".into(),
            ));
        }
    }
    for earlier in invitations::pending_of_structure(&txn, structure_id, now).await? {
        if earlier.email == email {
            invitations::answer(&txn, earlier.id, InvitationState::Revoked, now).await?;
        }
    }
    let invitation = Invitation {
        id: Uuid::now_v7(),
        structure_id,
        email: email.clone(),
        role: input.role,
        invited_by: actor.user().map(|u| u.id),
        created_at: now,
        expires_at: now + Duration::days(ctx.settings.accounts.invitation_days),
        state: InvitationState::Pending,
        answered_at: None,
    };
    invitations::insert(&txn, &invitation).await?;
    mail::enqueue(
        &txn,
        ctx,
        &Addressee {
            email: email.clone(),
            name: email.clone(),
        },
        &account_messages::invitation(
            &name,
            role_label(input.role),
            &mail::site_url(ctx, "/espace"),
            invitation.expires_at,
        ),
    )
    .await?;
    audit::append(
        &txn,
        audit::AuditEntry {
            details: Some(serde_json::json!({
                "invitation_id": invitation.id,
                "role": input.role.as_str(),
            })),
            ..entry(
                now,
                actor.user().map(|u| u.id),
                "member_invited",
                SubjectType::Structure,
                structure_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(view(&invitation, &name))
}

/// The invitations of a structure still waiting for an answer (its members, moderators).
pub async fn of_structure(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
) -> Result<Vec<InvitationView>> {
    let name = guard(&ctx.db, actor, structure_id, false).await?;
    Ok(
        invitations::pending_of_structure(&ctx.db, structure_id, ctx.now())
            .await?
            .iter()
            .map(|i| view(i, &name))
            .collect(),
    )
}

/// An owner withdraws an invitation that has not been answered.
pub async fn revoke(
    ctx: &Context,
    actor: &Actor,
    structure_id: Uuid,
    invitation_id: Uuid,
) -> Result<()> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    guard(&txn, actor, structure_id, true).await?;
    let invitation = invitations::get(&txn, invitation_id)
        .await?
        .filter(|i| i.structure_id == structure_id)
        .ok_or(ServiceError::NotFound("invitation"))?;
    if !invitations::answer(&txn, invitation.id, InvitationState::Revoked, now).await? {
        return Err(ServiceError::Conflict(
            "this invitation was already answered or withdrawn".into(),
        ));
    }
    audit::append(
        &txn,
        audit::AuditEntry {
            details: Some(serde_json::json!({ "invitation_id": invitation.id })),
            ..entry(
                now,
                actor.user().map(|u| u.id),
                "invitation_revoked",
                SubjectType::Structure,
                structure_id,
            )
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The caller's verified address.
async fn my_email(db: &impl ConnectionTrait, actor: &Actor) -> Result<(Uuid, String, String)> {
    let me = actor.require_user()?;
    let user = accounts::user_by_id(db, me.id)
        .await?
        .filter(|u| u.email_verified_at.is_some())
        .ok_or(ServiceError::Unauthenticated("account gone"))?;
    Ok((user.id, user.email, user.display_name))
}

async fn structure_name(db: &impl ConnectionTrait, id: Uuid) -> Result<String> {
    Ok(listings::get(db, ListingKind::Structure, id)
        .await?
        .map(|s| s.name)
        .unwrap_or_default())
}

/// Invitations waiting for the caller (sent to their address).
pub async fn mine(ctx: &Context, actor: &Actor) -> Result<Vec<InvitationView>> {
    let (_, email, _) = my_email(&ctx.db, actor).await?;
    let mut out = Vec::new();
    for i in invitations::pending_for_email(&ctx.db, &email, ctx.now()).await? {
        let name = structure_name(&ctx.db, i.structure_id).await?;
        out.push(view(&i, &name));
    }
    Ok(out)
}

/// Accepts or declines an invitation sent to the caller's address. Anyone else (whatever
/// their role) is told it does not exist.
pub async fn answer(
    ctx: &Context,
    actor: &Actor,
    invitation_id: Uuid,
    accept: bool,
) -> Result<Option<MembershipView>> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (user_id, email, display_name) = my_email(&txn, actor).await?;
    let invitation = invitations::get(&txn, invitation_id)
        .await?
        .filter(|i| i.email == email)
        .ok_or(ServiceError::NotFound("invitation"))?;
    if invitation.state != InvitationState::Pending || invitation.expires_at <= now {
        return Err(ServiceError::Gone(
            "this invitation was already answered, withdrawn, or has expired".into(),
        ));
    }
    let to = if accept {
        InvitationState::Accepted
    } else {
        InvitationState::Declined
    };
    if !invitations::answer(&txn, invitation.id, to, now).await? {
        return Err(ServiceError::Gone(
            "this invitation was answered meanwhile".into(),
        ));
    }
    let name = structure_name(&txn, invitation.structure_id).await?;
    if accept {
        memberships::add(&txn, invitation.structure_id, user_id, invitation.role, now)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    ServiceError::Conflict("you are already a member of this structure".into())
                }
                other => other.into(),
            })?;
    }
    audit::append(
        &txn,
        audit::AuditEntry {
            details: Some(serde_json::json!({
                "invitation_id": invitation.id,
                "user_id": user_id,
                "role": invitation.role.as_str(),
            })),
            ..entry(
                now,
                Some(user_id),
                if accept {
                    "member_added"
                } else {
                    "invitation_declined"
                },
                SubjectType::Structure,
                invitation.structure_id,
            )
        },
    )
    .await?;
    let team: Vec<Addressee> = mail::members_of(&txn, invitation.structure_id)
        .await?
        .into_iter()
        .filter(|(id, _)| *id != user_id)
        .map(|(_, a)| a)
        .collect();
    mail::enqueue_all(
        &txn,
        ctx,
        &team,
        &account_messages::invitation_answered(&name, &display_name, accept),
    )
    .await?;
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(accept.then_some(MembershipView {
        structure: StructureRef {
            id: invitation.structure_id,
            name,
        },
        role: invitation.role,
    }))
}

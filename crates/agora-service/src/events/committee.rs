//! The organising committee. The chair invites people by the address of their account;
//! they accept (or decline) once signed in. The chair's answer is the same whether the
//! address has an account or not, and the committee's list shows only those who
//! accepted, so inviting cannot be used to learn who is registered. Names and addresses
//! are for the committee only.

use super::{EventView, audit_entry, event_standing, load, load_for_committee, view};
use crate::mail::{self, Addressee};
use crate::views::UserRef;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ValidationErrors;
use agora_domain::contact::parse_email;
use agora_domain::events::EventRole;
use agora_mail::messages::events as messages;
use agora_store::accounts;
use agora_store::audit;
use agora_store::events::{self as store, Seat};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

/// A seat on the committee, as its members see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitteeSeatView {
    pub user: UserRef,
    pub email: String,
    pub role: EventRole,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitteeInvite {
    /// The address of the account to invite.
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
}

/// The same answer whatever the address.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteReceipt {
    /// Always `invited`.
    pub status: String,
    pub detail: String,
}

/// The caller's seat on the event's committee, if it carries rights (chair or member).
/// For other modules built on events (speed meetings).
pub async fn committee_role(
    ctx: &Context,
    event_id: Uuid,
    user_id: Uuid,
) -> Result<Option<EventRole>> {
    Ok(store::seat_of(&ctx.db, event_id, user_id)
        .await?
        .map(|s| s.role)
        .filter(|r| r.sits()))
}

/// The committee's members (those who accepted), chair first: the committee only.
pub async fn committee(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Vec<CommitteeSeatView>> {
    load_for_committee(&ctx.db, actor, id).await?;
    let seats: Vec<Seat> = store::seats(&ctx.db, id)
        .await?
        .into_iter()
        .filter(|s| s.role.sits())
        .collect();
    let users = accounts::users_by_ids(&ctx.db, seats.iter().map(|s| s.user_id).collect()).await?;
    Ok(seats
        .iter()
        .filter_map(|s| {
            let u = users.iter().find(|u| u.id == s.user_id)?;
            Some(CommitteeSeatView {
                user: UserRef {
                    id: u.id,
                    display_name: u.display_name.clone(),
                },
                email: u.email.clone(),
                role: s.role,
                added_at: s.added_at,
            })
        })
        .collect())
}

fn receipt() -> InviteReceipt {
    InviteReceipt {
        status: "invited".into(),
        detail: "if this address is an account's, its holder is invited by mail and joins the committee once they accept".into(),
    }
}

/// The chair invites the holder of an account. An unknown address, one of a disabled or
/// unverified account, or one already on the committee get the same answer and nothing
/// else happens.
pub async fn invite(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    input: CommitteeInvite,
) -> Result<InviteReceipt> {
    let email = parse_email(&input.email).ok_or_else(|| {
        ValidationErrors::single("/email", "invalid_email", "must be an e-mail address")
    })?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (event, st, me) = load_for_committee(&txn, actor, id).await?;
    if !st.is_chair() {
        return Err(ServiceError::Forbidden("this is for the committee's chair"));
    }
    let invitee = accounts::user_by_email(&txn, &email)
        .await?
        .filter(|u| u.disabled_at.is_none() && u.email_verified_at.is_some());
    let fresh = match &invitee {
        Some(u) => match store::seat_of(&txn, id, u.id).await? {
            None => true,
            // An invitation left unanswered too long may be sent again.
            Some(s) => {
                s.role == EventRole::Invited
                    && s.added_at + Duration::days(ctx.settings.accounts.invitation_days) <= now
                    && store::remove_seat(&txn, id, u.id).await?
            }
        },
        None => false,
    };
    if let (Some(u), true) = (invitee, fresh) {
        store::insert_seat(
            &txn,
            &Seat {
                event_id: id,
                user_id: u.id,
                role: EventRole::Invited,
                added_by: me,
                added_at: now,
            },
        )
        .await?;
        mail::enqueue(
            &txn,
            ctx,
            &Addressee {
                email: u.email.clone(),
                name: u.display_name.clone(),
            },
            &messages::committee_invitation(
                &event.title,
                &mail::site_url(ctx, "/espace/evenements"),
            ),
        )
        .await?;
        audit::append(
            &txn,
            audit_entry(
                now,
                Some(me),
                "event_committee_invited",
                id,
                json!({"user_id": u.id}),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    Ok(receipt())
}

/// The invited person accepts (and joins as a member) or declines.
pub async fn answer_invitation(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    accept: bool,
) -> Result<EventView> {
    let user = actor.require_user()?;
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (event, st) = load(&txn, actor, id).await?;
    let seat = store::seat_of(&txn, id, user.id).await?;
    let Some(seat) = seat.filter(|s| s.role == EventRole::Invited) else {
        return Err(if st.sits() {
            ServiceError::Conflict("you are already on this committee".into())
        } else {
            ServiceError::NotFound("invitation")
        });
    };
    if seat.added_at + Duration::days(ctx.settings.accounts.invitation_days) <= now {
        store::remove_seat(&txn, id, user.id).await?;
        txn.commit().await?;
        return Err(ServiceError::Gone("this invitation has expired".into()));
    }
    let done = if accept {
        store::set_role_if(
            &txn,
            id,
            user.id,
            EventRole::Invited,
            EventRole::Member,
            now,
        )
        .await?
    } else {
        store::remove_seat(&txn, id, user.id).await?
    };
    if !done {
        return Err(ServiceError::Gone(
            "this invitation was answered meanwhile".into(),
        ));
    }
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(user.id),
            if accept {
                "event_committee_joined"
            } else {
                "event_committee_declined"
            },
            id,
            json!({"user_id": user.id}),
        ),
    )
    .await?;
    txn.commit().await?;
    let st = event_standing(&ctx.db, actor, id).await?;
    Ok(view(&event, st, now))
}

/// The chair removes a member (or withdraws an invitation); the chair stays.
pub async fn remove_member(ctx: &Context, actor: &Actor, id: Uuid, user_id: Uuid) -> Result<()> {
    let now = ctx.now();
    let txn = ctx.begin().await?;
    let (_, st, me) = load_for_committee(&txn, actor, id).await?;
    if !st.is_chair() {
        return Err(ServiceError::Forbidden("this is for the committee's chair"));
    }
    let seat = store::seat_of(&txn, id, user_id)
        .await?
        .ok_or(ServiceError::NotFound("committee member"))?;
    if seat.role == EventRole::Chair {
        return Err(ServiceError::Conflict(
            "the chair stays on the committee".into(),
        ));
    }
    store::remove_seat(&txn, id, user_id).await?;
    audit::append(
        &txn,
        audit_entry(
            now,
            Some(me),
            "event_committee_removed",
            id,
            json!({"user_id": user_id}),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

//! Who may call an operation, decided before its input is read: each operation declares
//! what it needs of its caller (its `x-access`) and names what it acts on; a caller who may
//! not perform it is refused (401, 403 or 404) whatever they sent. The use cases check
//! again in their own transaction: this is the first gate, not the only one.

use crate::access::standing;
use crate::render::can_read;
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ListingKind;
use agora_store::{accounts, help as help_store, invitations, listings};
use uuid::Uuid;

/// What an operation needs of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in (who can see the target, if there is one).
    User,
    /// A member (owner or editor) of the target's structure.
    Member,
    /// An owner of the target's structure.
    Owner,
    /// A member of the target's structure, or a moderator.
    MemberOrModerator,
    /// An owner of the structure, or the member named in the path (leaving it).
    OwnerOrSelf,
    Moderator,
    /// A committee member assigned to review the label application.
    Reviewer,
    /// An assigned reviewer of the label application, or a moderator (applicants never
    /// see the reviews).
    ReviewerOrModerator,
    /// Whoever takes part in a label application: the applying structure's members, its
    /// assigned reviewers, moderators.
    LabelParty,
    /// A member of the structure whose project a help offer was forwarded to.
    OfferOwner,
    /// Either side of a help offer (its contributor, or the project's members once it
    /// reached them), or a moderator.
    OfferParty,
    /// Whoever holds the address an invitation was sent to.
    Invitee,
    /// A partner key with this scope.
    Partner(crate::partners::Scope),
    /// A platform administrator.
    Admin,
    /// An administrator, or the partner the path names (its own usage).
    PartnerItselfOrAdmin,
    /// Who may create events: an account with a platform role, or a member of a
    /// published structure.
    EventOrganiser,
    /// A member (owner or editor) of some published structure, who may apply for it.
    StructureMember,
    /// A seated member (or the chair) of the event's organising committee.
    EventCommittee,
    /// A member of a structure whose application to the event was accepted.
    EventParticipant,
    /// The chair of the event's organising committee.
    EventChair,
    /// Whoever the chair invited to the event's committee, not yet answered.
    EventInvitee,
    /// A member of the structure whose application the path names.
    EventApplicant,
    /// Whoever takes part in an application: the event's committee, the applying
    /// structure's members, moderators.
    EventApplicationParty,
}

impl Need {
    /// The operation's declared `x-access`.
    pub fn parse(access: &str) -> Option<Self> {
        Some(match access {
            "public" => Self::Public,
            "user" => Self::User,
            "member" => Self::Member,
            "owner" => Self::Owner,
            "member_or_moderator" => Self::MemberOrModerator,
            "owner_or_self" => Self::OwnerOrSelf,
            "moderator" => Self::Moderator,
            "reviewer" => Self::Reviewer,
            "label_party" => Self::LabelParty,
            "reviewer_or_moderator" => Self::ReviewerOrModerator,
            "offer_owner" => Self::OfferOwner,
            "offer_party" => Self::OfferParty,
            "invitee" => Self::Invitee,
            "admin" => Self::Admin,
            "partner_itself_or_admin" => Self::PartnerItselfOrAdmin,
            "event_organiser" => Self::EventOrganiser,
            "structure_member" => Self::StructureMember,
            "event_committee" => Self::EventCommittee,
            "event_participant" => Self::EventParticipant,
            "event_chair" => Self::EventChair,
            "event_invitee" => Self::EventInvitee,
            "event_applicant" => Self::EventApplicant,
            "event_application_party" => Self::EventApplicationParty,
            other => Self::Partner(crate::partners::Scope::parse(
                other.strip_prefix("partner:")?,
            )?),
        })
    }
}

/// What an operation acts on, from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Nothing,
    Listing(ListingKind, Uuid),
    LabelApplication(Uuid),
    HelpOffer(Uuid),
    Invitation(Uuid),
    /// An event, and the application the path names in it.
    Event {
        id: Uuid,
        application: Option<Uuid>,
    },
}

/// Whether `actor` may perform an operation that needs `need` on `target`; `person` is a
/// user named in the path (a member being removed).
pub async fn authorize(
    ctx: &Context,
    actor: &Actor,
    need: Need,
    target: Target,
    person: Option<Uuid>,
) -> Result<()> {
    if need == Need::Public {
        return Ok(());
    }
    let admin = actor.is_admin();
    match need {
        Need::Partner(scope) => {
            if actor.user().is_some() {
                return Err(ServiceError::Forbidden(
                    "this is for partner keys (X-API-Key), not for accounts",
                ));
            }
            let p = actor.partner().ok_or(ServiceError::Unauthenticated(
                "send a partner key in the X-API-Key header",
            ))?;
            return if p.may(scope) {
                Ok(())
            } else {
                Err(ServiceError::Forbidden(
                    "this key does not have the scope this needs",
                ))
            };
        }
        Need::Admin | Need::PartnerItselfOrAdmin => {
            let itself = need == Need::PartnerItselfOrAdmin && actor.partner().is_some();
            return if admin || itself {
                // The use case checks that a partner reads only its own.
                Ok(())
            } else if actor.user().is_none() {
                Err(ServiceError::Unauthenticated("sign in to do this"))
            } else {
                Err(ServiceError::Forbidden("this is for administrators"))
            };
        }
        _ => {}
    }
    // A key is no account: the operation needs the bearer token of one (401).
    if actor.partner().is_some() {
        return Err(ServiceError::Unauthenticated(
            "this needs a signed-in account's bearer token; a partner key cannot do it",
        ));
    }
    let me = actor.require_user()?;
    if need == Need::Moderator {
        actor.require_moderator()?;
        return Ok(());
    }
    if need == Need::EventOrganiser {
        return if crate::events::may_organise(ctx, actor).await? {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(
                "events are organised by members of a published structure, the committee and moderators",
            ))
        };
    }
    match target {
        Target::Nothing if need == Need::StructureMember => {
            if crate::events::member_of_a_published_structure(ctx, actor).await? {
                Ok(())
            } else {
                Err(ServiceError::Forbidden(
                    "this is for members of a published structure",
                ))
            }
        }
        Target::Nothing => Ok(()),
        Target::Event { id, application } => {
            // The event's own rules first (a draft is 404 to outsiders), then the speed
            // meetings' (only accepted participants set wishes or read their schedule).
            crate::events::authorize(ctx, actor, need, id, application).await?;
            if need == Need::EventParticipant {
                crate::meetings::authorize_participant(&ctx.db, actor, id).await
            } else {
                Ok(())
            }
        }
        Target::Listing(kind, id) => {
            let record = listings::get(&ctx.db, kind, id)
                .await?
                .ok_or(ServiceError::NotFound(kind.as_str()))?;
            let st = standing(&ctx.db, actor, record.structure_id).await?;
            if !can_read(&record, st.access) {
                return Err(ServiceError::NotFound(kind.as_str()));
            }
            let allowed = match need {
                Need::Member => st.is_member(),
                Need::Owner => st.is_owner(),
                Need::MemberOrModerator => st.is_member() || actor.is_moderator(),
                Need::OwnerOrSelf => st.is_owner() || (st.is_member() && person == Some(me.id)),
                _ => true,
            };
            if allowed {
                Ok(())
            } else {
                Err(ServiceError::Forbidden(
                    "this is for the structure's members (or owners)",
                ))
            }
        }
        Target::LabelApplication(id) => crate::label::authorize(&ctx.db, actor, id, need).await,
        Target::HelpOffer(id) => {
            let not_found = || ServiceError::NotFound("help offer");
            let offer = help_store::get(&ctx.db, id).await?.ok_or_else(not_found)?;
            let member = standing(&ctx.db, actor, offer.structure_id)
                .await?
                .is_member()
                && offer.state.reached_owners();
            let allowed = match need {
                Need::OfferOwner => member,
                Need::OfferParty => member || offer.contributor_id == me.id || actor.is_moderator(),
                _ => member || offer.contributor_id == me.id || actor.is_moderator(),
            };
            if allowed { Ok(()) } else { Err(not_found()) }
        }
        Target::Invitation(id) => {
            let not_found = || ServiceError::NotFound("invitation");
            let invitation = invitations::get(&ctx.db, id).await?.ok_or_else(not_found)?;
            let mine = accounts::user_by_id(&ctx.db, me.id)
                .await?
                .is_some_and(|u| u.email_verified_at.is_some() && u.email == invitation.email);
            if mine { Ok(()) } else { Err(not_found()) }
        }
    }
}

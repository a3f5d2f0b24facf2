//! Joining a structure's team by invitation: owners invite an address; whoever holds it
//! accepts or declines once signed in.

use crate::extract::{JsonBody, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpResponse, delete, get, post, web};
use agora_service::invitations::{self, InvitationInput, InvitationView};
use agora_service::views::MembershipView;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(invite)
        .service(list_invitations)
        .service(revoke_invitation)
        .service(my_invitations)
        .service(accept_invitation)
        .service(decline_invitation);
}

/// Invites an address to the structure's team (owners). The answer is the same whether
/// the address has an account or not; a mail tells its holder how to accept. Inviting
/// the same address again replaces the earlier invitation.
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id")),
    request_body = InvitationInput,
    responses(
        (status = 201, body = InvitationView),
        (status = 409, description = "The address already belongs to a member", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner")))
)]
#[post("/structures/{id}/invitations")]
pub async fn invite(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<InvitationInput>,
) -> ApiResult<HttpResponse> {
    Ok(
        HttpResponse::Created()
            .json(invitations::invite(&state.ctx, &caller.0, *id, body.0).await?),
    )
}

/// Invitations of the structure waiting for an answer (members and moderators).
#[utoipa::path(
    tag = "structures",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses((status = 200, body = Vec<InvitationView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member_or_moderator")))
)]
#[get("/structures/{id}/invitations")]
pub async fn list_invitations(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(invitations::of_structure(&state.ctx, &caller.0, *id).await?))
}

/// Withdraws an invitation that has not been answered (owners).
#[utoipa::path(
    tag = "structures",
    params(
        ("id" = Uuid, Path, description = "Structure id"),
        ("invitation_id" = Uuid, Path, description = "Invitation id"),
    ),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, description = "No such invitation", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered or withdrawn", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("owner")))
)]
#[delete("/structures/{id}/invitations/{invitation_id}")]
pub async fn revoke_invitation(
    state: web::Data<ApiState>,
    caller: SignedIn,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (id, invitation_id) = path.into_inner();
    invitations::revoke(&state.ctx, &caller.0, id, invitation_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Invitations waiting for the signed-in person (sent to their address).
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, body = Vec<InvitationView>)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/invitations")]
pub async fn my_invitations(
    state: web::Data<ApiState>,
    caller: SignedIn,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(invitations::mine(&state.ctx, &caller.0).await?))
}

/// Accepts an invitation sent to the signed-in person's address: they join the team.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Invitation id")),
    responses(
        (status = 200, body = MembershipView),
        (status = 404, description = "No such invitation for this account", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Answered, withdrawn or expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("invitee")))
)]
#[post("/me/invitations/{id}/accept")]
pub async fn accept_invitation(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let joined = invitations::answer(&state.ctx, &caller.0, *id, true).await?;
    Ok(HttpResponse::Ok().json(joined))
}

/// Declines an invitation sent to the signed-in person's address.
#[utoipa::path(
    tag = "accounts",
    params(("id" = Uuid, Path, description = "Invitation id")),
    responses(
        (status = 204, description = "Declined"),
        (status = 404, description = "No such invitation for this account", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Answered, withdrawn or expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("invitee")))
)]
#[post("/me/invitations/{id}/decline")]
pub async fn decline_invitation(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    invitations::answer(&state.ctx, &caller.0, *id, false).await?;
    Ok(HttpResponse::NoContent().finish())
}

//! Accounts and sessions.

use crate::client::ClientAddress;
use crate::extract::{JsonBody, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use agora_service::accounts::{
    self, LoginInput, PasswordChangeInput, RefreshInput, RegisterInput, RegistrationReceipt,
};
use agora_service::privacy::{self, DataExport, EraseInput};
use agora_service::views::{MeView, TokenPair};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(register)
        .service(login)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(me)
        .service(export)
        .service(erase)
        .configure(super::account_links::routes)
        .configure(super::invitations::routes);
}

/// Registers an address. The answer is the same whether the address has an account or
/// not: a mail goes to it either way, with a link that activates the new account (which
/// signs in once the link is followed), or a notice that an account exists. No role:
/// roles are granted from the command line.
#[utoipa::path(
    tag = "accounts",
    request_body = RegisterInput,
    responses(
        (status = 202, description = "A mail went to the address", body = RegistrationReceipt),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many registrations from this address", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
        (status = 503, description = "Too many passwords being checked; try again", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<ApiState>,
    client: ClientAddress,
    body: JsonBody<RegisterInput>,
) -> ApiResult<HttpResponse> {
    let receipt = accounts::register(&state.ctx, client.0, body.0).await?;
    Ok(HttpResponse::Accepted().json(receipt))
}

/// Signs in: a short-lived access token (15 minutes at most) and a refresh token.
/// Failures slow down whoever makes them (per account and address, per address, per
/// account): past a few, 429 with `Retry-After` until the wait is over.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginInput,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The address is not verified yet", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failures: wait", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
        (status = 503, description = "Too many passwords being checked; try again", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<ApiState>,
    client: ClientAddress,
    body: JsonBody<LoginInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(accounts::login(&state.ctx, client.0, body.0).await?))
}

/// Exchanges a refresh token for a new pair. A refresh token works once; replaying a used
/// one ends the session.
#[utoipa::path(
    tag = "accounts",
    request_body = RefreshInput,
    responses(
        (status = 200, body = TokenPair),
        (status = 401, description = "Unknown, used, expired or revoked refresh token", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<ApiState>,
    body: JsonBody<RefreshInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(accounts::refresh(&state.ctx, body.0).await?))
}

/// Ends the current session: its refresh token and access tokens stop working at once.
#[utoipa::path(
    tag = "accounts",
    responses((status = 204, description = "Signed out")),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<ApiState>, caller: SignedIn) -> ApiResult<HttpResponse> {
    accounts::logout(&state.ctx, &caller.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the password; every session of the account ends, this one included. A wrong
/// current password counts as a failed sign-in.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordChangeInput,
    responses(
        (status = 204, description = "Password changed; sign in again"),
        (status = 422, description = "Wrong current password or weak new one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords: wait", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<ApiState>,
    caller: SignedIn,
    client: ClientAddress,
    body: JsonBody<PasswordChangeInput>,
) -> ApiResult<HttpResponse> {
    accounts::change_password(&state.ctx, &caller.0, client.0, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user, their platform role and their structures.
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, body = MeView)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me")]
pub async fn me(state: web::Data<ApiState>, caller: SignedIn) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .json(accounts::me(&state.ctx, &caller.0).await?))
}

/// Everything Agora holds about the signed-in person (GDPR right of access).
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, body = DataExport)),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[get("/me/export")]
pub async fn export(state: web::Data<ApiState>, caller: SignedIn) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"agora-mes-donnees.json\"",
        ))
        .json(privacy::export(&state.ctx, &caller.0).await?))
}

/// Erases the account (GDPR right to erasure), once the current password is given again.
/// What the person wrote for a structure stays with it, no longer attributed. The last
/// owner of a structure with other members must name another owner first; a structure
/// the person kept alone goes to the moderators' attention.
#[utoipa::path(
    tag = "accounts",
    request_body = EraseInput,
    responses(
        (status = 204, description = "Erased"),
        (status = 409, description = "Last owner of a structure with other members", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords: wait", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("user")))
)]
#[delete("/me")]
pub async fn erase(
    state: web::Data<ApiState>,
    caller: SignedIn,
    client: ClientAddress,
    body: JsonBody<EraseInput>,
) -> ApiResult<HttpResponse> {
    privacy::erase(&state.ctx, &caller.0, client.0, body.0).await?;
    Ok(HttpResponse::NoContent().finish())
}

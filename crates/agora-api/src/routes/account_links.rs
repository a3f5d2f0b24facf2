//! The links of account mails: verifying an address, asking for and choosing a new
//! password. Each `GET` opens a page (or, for programs, says whether the link still
//! works) and changes nothing; the change is a `POST` of the token, sent by the page's
//! button or by a program.

use crate::client::ClientAddress;
use crate::extract::{FormOrJson, QueryParams};
use crate::pages::{Field, Form, LinkPage, error_page, from_form, wants_html};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::accounts::{
    self, LinkPurpose, NewPasswordInput, ResetReceipt, ResetRequest, TokenInput, VerifiedAddress,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(verify_email_page)
        .service(verify_email)
        .service(password_reset_page)
        .service(request_password_reset)
        .service(new_password_page)
        .service(new_password);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkQuery {
    /// The token of the link received by mail.
    #[param(min_length = 1, max_length = 2048)]
    pub token: String,
}

/// Whether a link still works.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkState {
    /// `ready` (it works) or `spent` (used, replaced or expired).
    pub state: String,
}

fn state_name(page: accounts::LinkPage) -> &'static str {
    match page {
        accounts::LinkPage::Ready => "ready",
        accounts::LinkPage::Spent => "spent",
        accounts::LinkPage::Invalid => "invalid",
    }
}

fn spent_page(page: accounts::LinkPage, what: &'static str) -> ApiResult<HttpResponse> {
    let (status, text) = match page {
        accounts::LinkPage::Invalid => (
            StatusCode::BAD_REQUEST,
            "Ce lien n'est pas un lien envoyé par Agora. Vérifiez qu'il a été copié en entier."
                .to_owned(),
        ),
        _ => (
            StatusCode::GONE,
            format!("Ce lien a déjà servi, a été remplacé par un plus récent ou a expiré. {what}"),
        ),
    };
    LinkPage::message("Ce lien ne fonctionne plus", vec![text]).respond(status)
}

/// What a link's `GET` answers before its page is built: the link's state for programs,
/// the "no longer works" page for a spent link in a browser; `None` when the browser
/// should get the page with its button.
async fn before_the_page(
    state: &ApiState,
    req: &HttpRequest,
    purpose: LinkPurpose,
    token: &str,
    when_spent: &'static str,
) -> ApiResult<Option<HttpResponse>> {
    let page = accounts::link_page(&state.ctx, purpose, token).await?;
    if !wants_html(req) {
        if page == accounts::LinkPage::Invalid {
            return Err(ApiError::malformed(vec![agora_domain::FieldError {
                pointer: "/token".into(),
                code: "invalid".into(),
                detail: "not a link Agora sent (was it copied whole?)".into(),
            }]));
        }
        return Ok(Some(HttpResponse::Ok().json(LinkState {
            state: state_name(page).into(),
        })));
    }
    if page != accounts::LinkPage::Ready {
        return spent_page(page, when_spent).map(Some);
    }
    Ok(None)
}

/// The page of the link that verifies an address: a button activates the account.
/// Opening it changes nothing.
#[utoipa::path(
    tag = "accounts",
    params(LinkQuery),
    responses(
        (status = 200, content(
            (LinkState = "application/json"),
            (String = "text/html", example = "<!DOCTYPE html>…"),
        )),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used, replaced or expired (pages only)", content((String = "text/html"))),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/auth/verify-email")]
pub async fn verify_email_page(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<LinkQuery>,
) -> ApiResult<HttpResponse> {
    let token = q.0.token;
    if let Some(answer) = before_the_page(
        &state,
        &req,
        LinkPurpose::VerifyEmail,
        &token,
        "Si votre compte n'est pas encore actif, inscrivez-vous de nouveau avec la même adresse : un nouveau lien vous sera envoyé.",
    )
    .await?
    {
        return Ok(answer);
    }
    LinkPage::message(
        "Activer votre compte Agora",
        vec!["Confirmez que cette adresse est bien la vôtre pour activer votre compte. Vous pourrez ensuite vous connecter avec le mot de passe choisi lors de l'inscription.".into()],
    )
    .with_form(Form {
        action: "/api/v1/auth/verify-email".into(),
        token: Some(token),
        fields: Vec::new(),
        submit: "Activer mon compte",
    })
    .respond(StatusCode::OK)
}

/// Verifies the address a link was sent to: the account signs in from now on, with the
/// password chosen at the registration the link was sent for. Pressing the button twice
/// does no harm.
#[utoipa::path(
    tag = "accounts",
    request_body(content(
        (TokenInput = "application/json"),
        (TokenInput = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, body = VerifiedAddress),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used, replaced or expired", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    state: web::Data<ApiState>,
    req: HttpRequest,
    body: FormOrJson<TokenInput>,
) -> ApiResult<HttpResponse> {
    let result = accounts::verify_email(&state.ctx, &body.0.token).await;
    if !from_form(&req) {
        return Ok(HttpResponse::Ok().json(result?));
    }
    match result {
        Ok(_) => LinkPage::message(
            "Votre compte est actif",
            vec!["Votre adresse est vérifiée : vous pouvez vous connecter à Agora.".into()],
        )
        .respond(StatusCode::OK),
        Err(e) => error_page(ApiError::from(e), "l'activation"),
    }
}

/// The page where someone who forgot their password asks for a link.
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, content((String = "text/html", example = "<!DOCTYPE html>…")))),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/auth/password-reset")]
pub async fn password_reset_page() -> ApiResult<HttpResponse> {
    LinkPage::message(
        "Mot de passe oublié",
        vec!["Indiquez l'adresse de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.".into()],
    )
    .with_form(Form {
        action: "/api/v1/auth/password-reset".into(),
        token: None,
        fields: vec![Field {
            name: "email",
            label: "Adresse électronique",
            kind: "email",
            autocomplete: "email",
            hint: "Celle avec laquelle vous vous connectez.",
        }],
        submit: "Recevoir un lien",
    })
    .respond(StatusCode::OK)
}

/// Asks for a password-reset link. The answer is the same for every address; if it has
/// an account, a single-use link valid for an hour is sent to it.
#[utoipa::path(
    tag = "accounts",
    request_body(content(
        (ResetRequest = "application/json"),
        (ResetRequest = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 202, description = "If the address has an account, a link was sent", body = ResetReceipt),
        (status = 422, description = "Not an e-mail address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/password-reset")]
pub async fn request_password_reset(
    state: web::Data<ApiState>,
    req: HttpRequest,
    client: ClientAddress,
    body: FormOrJson<ResetRequest>,
) -> ApiResult<HttpResponse> {
    let result = accounts::request_password_reset(&state.ctx, client.0, body.0).await;
    if !from_form(&req) {
        return Ok(HttpResponse::Accepted().json(result?));
    }
    match result {
        Ok(_) => LinkPage::message(
            "Regardez votre messagerie",
            vec!["Si un compte Agora utilise cette adresse, un lien pour choisir un nouveau mot de passe vient d'y être envoyé. Il est valable une heure.".into()],
        )
        .respond(StatusCode::ACCEPTED),
        Err(e) => error_page(ApiError::from(e), "la demande"),
    }
}

/// The page of a reset link: a form to choose the new password. Opening it changes
/// nothing.
#[utoipa::path(
    tag = "accounts",
    params(LinkQuery),
    responses(
        (status = 200, content(
            (LinkState = "application/json"),
            (String = "text/html", example = "<!DOCTYPE html>…"),
        )),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used, replaced or expired (pages only)", content((String = "text/html"))),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/auth/new-password")]
pub async fn new_password_page(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<LinkQuery>,
) -> ApiResult<HttpResponse> {
    let token = q.0.token;
    if let Some(answer) = before_the_page(
        &state,
        &req,
        LinkPurpose::ResetPassword,
        &token,
        "Vous pouvez demander un nouveau lien depuis la page « Mot de passe oublié ».",
    )
    .await?
    {
        return Ok(answer);
    }
    LinkPage::message(
        "Choisir un nouveau mot de passe",
        vec!["Choisissez un mot de passe d'au moins 12 caractères, que vous n'utilisez nulle part ailleurs. Toutes vos sessions ouvertes seront fermées.".into()],
    )
    .with_form(Form {
        action: "/api/v1/auth/new-password".into(),
        token: Some(token),
        fields: vec![Field {
            name: "new_password",
            label: "Nouveau mot de passe",
            kind: "password",
            autocomplete: "new-password",
            hint: "De 12 à 128 caractères ; une phrase de plusieurs mots convient très bien.",
        }],
        submit: "Enregistrer le mot de passe",
    })
    .respond(StatusCode::OK)
}

/// Sets a new password with a reset link's token. The link works once; every session of
/// the account ends.
#[utoipa::path(
    tag = "accounts",
    request_body(content(
        (NewPasswordInput = "application/json"),
        (NewPasswordInput = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, description = "Password changed (the page answering a form)", content((String = "text/html"))),
        (status = 204, description = "Password changed; sign in with it"),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used, replaced or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak password", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/auth/new-password")]
pub async fn new_password(
    state: web::Data<ApiState>,
    req: HttpRequest,
    body: FormOrJson<NewPasswordInput>,
) -> ApiResult<HttpResponse> {
    let result = accounts::reset_password(&state.ctx, body.0).await;
    if !from_form(&req) {
        result?;
        return Ok(HttpResponse::NoContent().finish());
    }
    match result {
        Ok(()) => LinkPage::message(
            "Mot de passe enregistré",
            vec!["Votre nouveau mot de passe est enregistré : connectez-vous avec lui.".into()],
        )
        .respond(StatusCode::OK),
        Err(e) => error_page(ApiError::from(e), "le changement de mot de passe"),
    }
}

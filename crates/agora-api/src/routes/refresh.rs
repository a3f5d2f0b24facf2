//! Keeping it true: members confirm their listings (signed in, or by the one-click link
//! of a reminder), moderators see listings by freshness.

use super::json_with_next;
use crate::extract::{FormOrJson, QueryParams, SignedIn};
use crate::pages::{Form, LinkPage, error_page, from_form, wants_html};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_domain::ListingKind;
use agora_domain::content::{ProjectContent, ServiceContent, StructureContent};
use agora_service::accounts::TokenInput;
use agora_service::pagination::page_size;
use agora_service::refresh::{
    self, LinkConfirmation, LinkPreview, LinkStatus, RefreshQueue, RefreshState,
};
use agora_service::views::ListingView;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(confirm_structure)
        .service(confirm_service)
        .service(confirm_project)
        .service(confirm_page)
        .service(confirm_by_link)
        .service(refresh_queue);
}

async fn confirm(
    state: &ApiState,
    caller: &SignedIn,
    kind: ListingKind,
    id: Uuid,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(refresh::confirm(&state.ctx, &caller.0, kind, id).await?))
}

/// Confirms that the structure's published information is still accurate: it is fresh
/// again for six months (and back in public results if it had been hidden).
#[utoipa::path(
    tag = "refresh",
    params(("id" = Uuid, Path, description = "Structure id")),
    responses(
        (status = 200, body = ListingView<StructureContent>),
        (status = 409, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/structures/{id}/confirm")]
pub async fn confirm_structure(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    confirm(&state, &caller, ListingKind::Structure, *id).await
}

/// Confirms that the service's published information is still accurate.
#[utoipa::path(
    tag = "refresh",
    params(("id" = Uuid, Path, description = "Service id")),
    responses(
        (status = 200, body = ListingView<ServiceContent>),
        (status = 409, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/services/{id}/confirm")]
pub async fn confirm_service(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    confirm(&state, &caller, ListingKind::Service, *id).await
}

/// Confirms that the project's published information is still accurate.
#[utoipa::path(
    tag = "refresh",
    params(("id" = Uuid, Path, description = "Project id")),
    responses(
        (status = 200, body = ListingView<ProjectContent>),
        (status = 409, description = "Not published", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("member")))
)]
#[post("/projects/{id}/confirm")]
pub async fn confirm_project(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    confirm(&state, &caller, ListingKind::Project, *id).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinkQuery {
    /// The token of the link in the reminder mail.
    #[param(min_length = 1, max_length = 2048)]
    pub token: String,
}

fn noun(kind: Option<ListingKind>) -> &'static str {
    match kind {
        Some(ListingKind::Structure) => "La structure",
        Some(ListingKind::Service) => "Le service",
        Some(ListingKind::Project) => "Le projet",
        None => "La fiche",
    }
}

/// The page of the "toujours à jour" link of a reminder mail: it says which listing will
/// be confirmed, with a button that confirms it. Opening it changes nothing (mail
/// scanners open links before people do). Programs get the same as JSON.
#[utoipa::path(
    tag = "refresh",
    params(LinkQuery),
    responses(
        (status = 200, content(
            (LinkPreview = "application/json"),
            (String = "text/html", example = "<!DOCTYPE html>…"),
        )),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/refresh/confirm")]
pub async fn confirm_page(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<LinkQuery>,
) -> ApiResult<HttpResponse> {
    let token = q.0.token;
    let result = refresh::link_preview(&state.ctx, &token).await;
    if !wants_html(&req) {
        return Ok(HttpResponse::Ok().json(result?));
    }
    let preview = match result {
        Ok(p) => p,
        Err(e) => return error_page(ApiError::from(e), "la confirmation"),
    };
    let name = preview.name.clone().unwrap_or_default();
    match preview.status {
        LinkStatus::Ready => LinkPage::message(
            "Ces informations sont-elles toujours à jour ?",
            vec![
                format!("{} « {name} » est publié dans l'annuaire Agora. En confirmant, vous indiquez que ses informations publiées sont toujours exactes : elle restera visible et nous ne vous le redemanderons pas avant six mois.", noun(preview.kind)),
                "Si quelque chose a changé, modifiez plutôt la fiche.".into(),
            ],
        )
        .with_form(Form {
            action: "/api/v1/refresh/confirm".into(),
            token: Some(token),
            fields: Vec::new(),
            submit: "Oui, tout est à jour",
        })
        .respond(StatusCode::OK),
        LinkStatus::AlreadyConfirmed => LinkPage::message(
            "C'est déjà confirmé",
            vec![format!("« {name} » a bien été confirmée : il n'y a rien de plus à faire.")],
        )
        .respond(StatusCode::OK),
        LinkStatus::Spent => LinkPage::message(
            "Ce lien ne fonctionne plus",
            vec!["Ce lien a expiré, ou la fiche a été confirmée ou modifiée depuis. Pour confirmer, connectez-vous à votre espace ; un nouveau rappel vous sera envoyé si nécessaire.".into()],
        )
        .respond(StatusCode::GONE),
    }
}

/// Confirms the listing of a reminder's link (the button of its page, or a program). Each
/// link works once, until it expires, while the listing still awaits that confirmation;
/// pressing again answers the same and changes nothing.
#[utoipa::path(
    tag = "refresh",
    request_body(content(
        (TokenInput = "application/json"),
        (TokenInput = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, body = LinkConfirmation),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired or superseded", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[post("/refresh/confirm")]
pub async fn confirm_by_link(
    state: web::Data<ApiState>,
    req: HttpRequest,
    body: FormOrJson<TokenInput>,
) -> ApiResult<HttpResponse> {
    let result = refresh::confirm_by_link(&state.ctx, &body.0.token).await;
    if !from_form(&req) {
        return Ok(HttpResponse::Ok().json(result?));
    }
    match result {
        Ok(done) => LinkPage::message(
            "Merci, c'est confirmé",
            vec![format!(
                "« {} » est à jour dans Agora. Nous vous demanderons de nouveau de confirmer ces informations le {}.",
                done.name,
                done.due_at.format("%d/%m/%Y")
            )],
        )
        .with_link("Modifier la fiche si quelque chose a changé", done.edit_url)
        .respond(StatusCode::OK),
        Err(e) => error_page(ApiError::from(e), "la confirmation"),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefreshQuery {
    /// `fresh` (not yet reminded), `due` (reminded), `stale` ("à actualiser") or
    /// `hidden`; `due` by default.
    pub state: Option<RefreshState>,
    /// Only this kind of listing.
    pub kind: Option<ListingKind>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// Published listings by freshness state, least recently confirmed first, with the
/// number in each state.
#[utoipa::path(
    tag = "moderation",
    params(RefreshQuery),
    responses(
        (status = 200, body = RefreshQueue),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/refresh")]
pub async fn refresh_queue(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<RefreshQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = refresh::queue(
        &state.ctx,
        &caller.0,
        q.state.unwrap_or(RefreshState::Due),
        q.kind,
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    json_with_next(&req, &page, page.next_cursor.as_deref(), limit)
}

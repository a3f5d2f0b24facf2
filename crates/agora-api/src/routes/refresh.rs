//! Keeping it true: members confirm their listings (signed in, or by the one-click link
//! of a reminder), moderators see listings by freshness.

use super::json_with_next;
use crate::extract::{QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_domain::ListingKind;
use agora_domain::content::{ProjectContent, ServiceContent, StructureContent};
use agora_service::pagination::page_size;
use agora_service::refresh::{self, LinkConfirmation, RefreshQueue, RefreshState};
use agora_service::views::ListingView;
use askama::Template;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(confirm_structure)
        .service(confirm_service)
        .service(confirm_project)
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

/// The one-click "toujours à jour" link of a reminder mail. Each link works once, until
/// it expires, and only while the listing still awaits that confirmation. A browser
/// (`Accept: text/html`) gets a page in French; other clients get JSON.
#[utoipa::path(
    tag = "refresh",
    params(LinkQuery),
    responses(
        (status = 200, content(
            (LinkConfirmation = "application/json"),
            (String = "text/html", example = "<!DOCTYPE html>…"),
        )),
        (status = 400, description = "Not a link Agora sent", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Used, expired or superseded", body = Problem, content_type = "application/problem+json"),
    ),
    security(()),
    extensions(("x-access" = json!("public")))
)]
#[get("/refresh/confirm")]
pub async fn confirm_by_link(
    state: web::Data<ApiState>,
    req: HttpRequest,
    q: QueryParams<LinkQuery>,
) -> ApiResult<HttpResponse> {
    let result = refresh::confirm_by_link(&state.ctx, &q.0.token).await;
    if !wants_html(&req) {
        return Ok(HttpResponse::Ok().json(result?));
    }
    let (status, page) = match result {
        Ok(done) => (
            StatusCode::OK,
            ConfirmPage {
                title: "Merci, c'est confirmé",
                message: format!(
                    "« {} » est à jour dans Agora. Nous vous demanderons de nouveau de confirmer ces informations le {}.",
                    done.name,
                    done.due_at.format("%d/%m/%Y")
                ),
                link: Some(done.edit_url),
                link_label: "Modifier la fiche si quelque chose a changé",
            },
        ),
        Err(e) => {
            let e = crate::problem::ApiError::from(e);
            let message = match e.status {
                StatusCode::GONE => {
                    "Ce lien a déjà servi, a expiré, ou la fiche a été confirmée depuis. Il n'y a rien de plus à faire ; pour confirmer de nouveau, connectez-vous à votre espace."
                }
                StatusCode::BAD_REQUEST => {
                    "Ce lien n'est pas un lien de confirmation envoyé par Agora. Vérifiez qu'il a été copié en entier."
                }
                _ => {
                    "La confirmation n'a pas pu être enregistrée. Réessayez dans quelques instants."
                }
            };
            (
                e.status,
                ConfirmPage {
                    title: "Confirmation impossible",
                    message: message.to_owned(),
                    link: None,
                    link_label: "",
                },
            )
        }
    };
    let html = page.render().map_err(|e| {
        crate::problem::ApiError::from(agora_service::ServiceError::Internal(e.to_string()))
    })?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

#[derive(askama::Template)]
#[template(path = "refresh_confirm.html")]
struct ConfirmPage {
    title: &'static str,
    message: String,
    link: Option<String>,
    link_label: &'static str,
}

/// Whether the client prefers a page to JSON (a browser following the mail's link).
fn wants_html(req: &HttpRequest) -> bool {
    let accept = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let position = |kind: &str| accept.find(kind);
    match (position("text/html"), position("application/json")) {
        (Some(html), Some(json)) => html < json,
        (Some(_), None) => true,
        _ => false,
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

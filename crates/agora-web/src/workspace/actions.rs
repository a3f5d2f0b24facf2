//! The workspace's one-button actions: send to moderation, confirm a listing is up to date,
//! pause / resume / complete a project, answer a help offer or an invitation, invite a
//! member, share a project's progress or its success story. Each is a POST with the
//! session's anti-forgery token, then a redirection to where the person was, saying what
//! happened.

use super::{kind_of, segment};
use crate::WebState;
use crate::fields::Errors;
use crate::form::FormData;
use crate::session::{self, redirect};
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::{ListingKind, MemberRole};
use agora_service::invitations::InvitationInput;
use agora_service::registry::{ProjectAction, ProjectUpdateInput};
use agora_service::{ServiceError, help, invitations, refresh, registry};
use uuid::Uuid;

fn listing_path(path: &(String, String)) -> Option<(ListingKind, Uuid)> {
    Some((kind_of(&path.0)?, Uuid::parse_str(&path.1).ok()?))
}

/// Where an action on a listing leads: back to it, saying what happened.
fn back_to(kind: ListingKind, id: Uuid, done: &str) -> HttpResponse {
    redirect(&format!("/espace/{}/{id}?fait={done}", segment(kind)))
}

pub async fn submit(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let Some((kind, id)) = listing_path(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match registry::submit(&state.ctx, visitor.actor(), kind, id).await {
        Ok(_) => back_to(kind, id, "envoye"),
        Err(ServiceError::Conflict(_)) => back_to(kind, id, "non-envoye"),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn confirm(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let Some((kind, id)) = listing_path(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match refresh::confirm(&state.ctx, visitor.actor(), kind, id).await {
        Ok(_) => back_to(kind, id, "confirme"),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn project_action(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let action = match word.as_str() {
        "pause" => ProjectAction::Pause,
        "reprise" => ProjectAction::Resume,
        "termine" => ProjectAction::Complete,
        _ => return crate::error::not_found_page(&req),
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match registry::project_action(&state.ctx, visitor.actor(), id, action).await {
        Ok(_) => back_to(ListingKind::Project, id, &word),
        Err(e) => crate::error::from_service(e),
    }
}

/// A progress update (`nouvelle`) or the success story (`reussite`) of a project.
pub async fn project_news(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = ProjectUpdateInput {
        body: form.raw("body"),
    };
    let result = match word.as_str() {
        "nouvelle" => registry::add_project_update(&state.ctx, visitor.actor(), id, input).await,
        "reussite" => registry::add_success_story(&state.ctx, visitor.actor(), id, input).await,
        _ => return crate::error::not_found_page(&req),
    };
    match result {
        Ok(_) => back_to(ListingKind::Project, id, "nouvelle"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors::from_validation(&e);
            super::listing_page::render(
                &state,
                &visitor,
                ListingKind::Project,
                id,
                None,
                Some((&word, &form, &errors)),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn answer_offer(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let Some(accept) = session::accepts(&word) else {
        return crate::error::not_found_page(&req);
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match help::answer(&state.ctx, visitor.actor(), id, accept).await {
        Ok(offer) => back_to(ListingKind::Project, offer.project.id, "accepte"),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn answer_invitation(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let Some(accept) = session::accepts(&word) else {
        return crate::error::not_found_page(&req);
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match invitations::answer(&state.ctx, visitor.actor(), id, accept).await {
        Ok(_) => redirect("/espace?fait=accepte"),
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn invite(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = InvitationInput {
        email: form.text("email"),
        role: if form.text("role") == "owner" {
            MemberRole::Owner
        } else {
            MemberRole::Editor
        },
    };
    match invitations::invite(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => back_to(ListingKind::Structure, id, "invitation"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors::from_validation(&e);
            super::listing_page::render(
                &state,
                &visitor,
                ListingKind::Structure,
                id,
                None,
                Some(("invitation", &form, &errors)),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

/// Removes a member (owners remove anyone; a member may leave); the structure keeps an owner.
pub async fn remove_member(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (Ok(structure), Ok(user)) = (Uuid::parse_str(&path.0), Uuid::parse_str(&path.1)) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::posting(&state, &req, &form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let leaving = visitor.actor().user().is_some_and(|u| u.id == user);
    match agora_service::members::remove(&state.ctx, visitor.actor(), structure, user).await {
        Ok(()) if leaving => redirect("/espace?fait=parti"),
        Ok(()) => back_to(ListingKind::Structure, structure, "retire"),
        Err(e) => crate::error::from_service(e),
    }
}

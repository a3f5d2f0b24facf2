//! The committee's review of applications (every detail, a decision with its reason) and
//! the moderators' page of events waiting to be published.

use super::{errors_of, place_words, when_words};
use crate::WebState;
use crate::fields::{Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::VocabularyKind;
use agora_service::ServiceError;
use agora_service::events::{
    self, EventApplicationDecision, EventApplicationDecisionInput, EventApplicationView,
    EventDecision, EventDecisionInput, EventView,
};
use askama::Template;
use uuid::Uuid;

pub struct Reviewed {
    pub app: EventApplicationView,
    pub offers: String,
    pub needs: String,
    pub themes: String,
    pub region: String,
    /// The reason field, for a pending application.
    pub form: Option<String>,
}

#[derive(Template)]
#[template(path = "events/review.html")]
pub struct ReviewPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub event: EventView,
    pub lines: Vec<Reviewed>,
}

async fn render_review(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    flash: bool,
    failed: Option<(Uuid, &FormData, &Errors)>,
) -> HttpResponse {
    let event = match events::get(&state.ctx, visitor.actor(), id).await {
        Ok(e) => e,
        Err(e) => return crate::error::from_service(e),
    };
    let apps = match events::applications(&state.ctx, visitor.actor(), id, None).await {
        Ok(a) => a,
        Err(e) => return crate::error::from_service(e),
    };
    let vocab = &state.ctx.vocab;
    let lines = apps
        .into_iter()
        .map(|app| {
            let typed = failed.filter(|(a, _, _)| *a == app.id);
            let form = (app.state.as_str() == "pending").then(|| {
                Input::new(
                    "reason",
                    "Raison, envoyée à la structure (obligatoire pour décliner)",
                    "textarea",
                )
                .value(typed.map(|(_, f, _)| f.raw("reason")).unwrap_or_default())
                .max(2000)
                .error(typed.and_then(|(_, _, e)| e.at("/reason")))
                .render_html()
                .replace("f-reason", &format!("f-reason-{}", app.id))
            });
            Reviewed {
                offers: crate::format::labels(vocab, VocabularyKind::Skill, &app.offers).join(", "),
                needs: crate::format::labels(vocab, VocabularyKind::Skill, &app.needs).join(", "),
                themes: crate::format::labels(vocab, VocabularyKind::Theme, &app.themes).join(", "),
                region: app
                    .region
                    .as_deref()
                    .and_then(agora_geo::region)
                    .map_or_else(|| "Toute la France".to_owned(), |r| r.name.to_owned()),
                form,
                app,
            }
        })
        .collect();
    let page = ReviewPage {
        layout: visitor
            .menu(Layout::new(
                format!("Candidatures — {} — Agora", event.title),
                "Les candidatures à lire.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb("Mes événements", Some("/espace/evenements".into()))
            .crumb("Candidatures", None),
        csrf: visitor.csrf().to_owned(),
        flash,
        event,
        lines,
    };
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    session::page(status, &page)
}

pub async fn review(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    render_review(&state, &visitor, id, session::done(&req).is_some(), None).await
}

pub async fn decide(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, app, word) = path.into_inner();
    let decision = match word.as_str() {
        "accepter" => EventApplicationDecision::Accepted,
        "decliner" => EventApplicationDecision::Declined,
        _ => return crate::error::not_found_page(&req),
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(app) = Uuid::parse_str(&app) else {
        return crate::error::not_found_page(&req);
    };
    let reason = form.raw("reason");
    let input = EventApplicationDecisionInput {
        decision,
        reason: (!reason.trim().is_empty()).then_some(reason),
    };
    match events::decide(&state.ctx, visitor.actor(), id, app, input).await {
        Ok(_) => redirect(&format!("/espace/evenements/{id}/candidatures?fait=1")),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            render_review(
                &state,
                &visitor,
                id,
                false,
                Some((app, &form, &errors_of(&e))),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

pub struct Pending {
    pub event: EventView,
    pub when: String,
    pub place: String,
    pub form: String,
}

#[derive(Template)]
#[template(path = "events/moderation.html")]
pub struct ModerationPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub lines: Vec<Pending>,
}

async fn render_moderation(
    state: &WebState,
    visitor: &Visitor,
    flash: bool,
    failed: Option<(Uuid, &FormData, &Errors)>,
) -> HttpResponse {
    let pending = match events::pending(&state.ctx, visitor.actor(), None).await {
        Ok(p) => p,
        Err(e) => return crate::error::from_service(e),
    };
    let lines = pending
        .into_iter()
        .map(|event| {
            let typed = failed.filter(|(id, _, _)| *id == event.id);
            Pending {
                when: when_words(&event),
                place: place_words(&event),
                form: Input::new(
                    "reason",
                    "Raison, pour le comité d'organisation (obligatoire pour refuser)",
                    "textarea",
                )
                .value(typed.map(|(_, f, _)| f.raw("reason")).unwrap_or_default())
                .max(2000)
                .error(typed.and_then(|(_, _, e)| e.at("/reason")))
                .render_html()
                .replace("f-reason", &format!("f-reason-{}", event.id)),
                event,
            }
        })
        .collect();
    let page = ModerationPage {
        layout: visitor
            .menu(Layout::new(
                "Événements à relire — Modération — Agora",
                "Les événements qui attendent leur publication.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb("Événements", None),
        csrf: visitor.csrf().to_owned(),
        flash,
        lines,
    };
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    session::page(status, &page)
}

pub async fn moderation(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    render_moderation(&state, &visitor, session::done(&req).is_some(), None).await
}

pub async fn moderate(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let decision = match word.as_str() {
        "publier" => EventDecision::Publish,
        "refuser" => EventDecision::Reject,
        _ => return crate::error::not_found_page(&req),
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let reason = form.raw("reason");
    let input = EventDecisionInput {
        decision,
        reason: (!reason.trim().is_empty()).then_some(reason),
    };
    match events::decide_event(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => redirect("/moderation/evenements?fait=1"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            render_moderation(&state, &visitor, false, Some((id, &form, &errors_of(&e)))).await
        }
        Err(e) => crate::error::from_service(e),
    }
}

//! Help offers to screen. The contributor's contact details and any health information
//! they chose to share appear only here, for moderators (each read is written in the audit
//! trail by the service); passing an offer on or declining it, with a reason for the
//! contributor and a note for moderators.

use crate::WebState;
use crate::fields::{Errors, Input};
use crate::form::FormData;
use crate::format::date;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::VocabularyKind;
use agora_domain::help::OfferState;
use agora_service::ServiceError;
use agora_service::help::{self, OfferView, ScreenInput};
use askama::Template;
use uuid::Uuid;

pub struct Line {
    pub offer: OfferView,
    pub at: String,
    pub skills: String,
    pub form: String,
}

#[derive(Template)]
#[template(path = "moderation/offers.html")]
pub struct OffersPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub lines: Vec<Line>,
}

pub async fn page(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    render(&state, &visitor, session::done(&req).is_some(), None).await
}

async fn render(
    state: &WebState,
    visitor: &Visitor,
    flash: bool,
    failed: Option<(Uuid, &FormData, &Errors)>,
) -> HttpResponse {
    let page = match help::queue(
        &state.ctx,
        visitor.actor(),
        Some(OfferState::Submitted),
        None,
        50,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return crate::error::from_service(e),
    };
    let lines = page
        .items
        .into_iter()
        .map(|o| {
            let typed = failed.filter(|(id, _, _)| *id == o.id);
            let value = |name: &str| typed.map(|(_, f, _)| f.raw(name)).unwrap_or_default();
            let error = |p: &str| typed.and_then(|(_, _, e)| e.at(p));
            let form = Input::new(
                "reason",
                "Motif, pour la personne (obligatoire pour décliner)",
                "textarea",
            )
            .value(value("reason"))
            .max(2000)
            .error(error("/reason"))
            .render_html()
            .replace("f-reason", &format!("f-reason-{}", o.id))
                + &Input::new("note", "Note pour l'équipe de modération", "textarea")
                    .value(value("note"))
                    .max(2000)
                    .error(error("/note"))
                    .render_html()
                    .replace("f-note", &format!("f-note-{}", o.id));
            Line {
                at: date(&o.created_at),
                skills: crate::format::labels(&state.ctx.vocab, VocabularyKind::Skill, &o.skills)
                    .join(", "),
                form,
                offer: o,
            }
        })
        .collect();
    let page = OffersPage {
        layout: visitor
            .menu(Layout::new(
                "Propositions d'aide — Modération — Agora",
                "Propositions d'aide à relire.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb("Propositions d'aide", None),
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

pub async fn screen(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (id, word) = path.into_inner();
    let forward = match word.as_str() {
        "transmettre" => true,
        "decliner" => false,
        _ => return crate::error::not_found_page(&req),
    };
    let (visitor, id) = match session::posting_about(&state, &req, &form, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = ScreenInput {
        reason: Some(form.raw("reason")),
        note: Some(form.raw("note")),
    };
    match help::screen(&state.ctx, visitor.actor(), id, forward, input).await {
        Ok(_) => redirect("/moderation/offres?fait=1"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            render(
                &state,
                &visitor,
                false,
                Some((id, &form, &Errors::from_validation(&e))),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

//! Reports to resolve: what was reported on which listing, and a form to close each with
//! what was done.

use crate::WebState;
use crate::fields::{Errors, Input};
use crate::form::FormData;
use crate::format::date;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_service::ServiceError;
use agora_service::reports::{self, ReportState, ReportTopic, ResolveInput};
use askama::Template;
use uuid::Uuid;

pub struct Line {
    pub id: Uuid,
    pub listing: String,
    pub href: String,
    pub topic: &'static str,
    pub details: String,
    pub at: String,
    pub form: String,
}

#[derive(Template)]
#[template(path = "moderation/reports.html")]
pub struct ReportsPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub lines: Vec<Line>,
}

fn topic(t: ReportTopic) -> &'static str {
    match t {
        ReportTopic::OutdatedContact => "coordonnées dépassées",
        ReportTopic::WrongHours => "horaires faux",
        ReportTopic::WrongArea => "lieu ou zone faux",
        ReportTopic::ServiceClosed => "service fermé",
        ReportTopic::Other => "autre",
        ReportTopic::NoMembers => "structure sans membre (compte supprimé)",
    }
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
    let page = match reports::list(&state.ctx, visitor.actor(), ReportState::Open, None, 100).await
    {
        Ok(p) => p,
        Err(e) => return crate::error::from_service(e),
    };
    let lines = page
        .items
        .iter()
        .map(|r| {
            let typed = failed.filter(|(id, _, _)| *id == r.id);
            Line {
                id: r.id,
                listing: r.subject_name.clone(),
                href: format!(
                    "/moderation/historique/{}/{}",
                    crate::workspace::segment(r.subject_type),
                    r.subject_id
                ),
                topic: topic(r.reason),
                details: r.details.clone().unwrap_or_default(),
                at: date(&r.created_at),
                form: Input::new("resolution", "Ce qui a été fait", "textarea")
                    .hint("Par exemple : corrigé par la structure, signalement sans fondement.")
                    .value(
                        typed
                            .map(|(_, f, _)| f.raw("resolution"))
                            .unwrap_or_default(),
                    )
                    .max(2000)
                    .error(typed.and_then(|(_, _, e)| e.at("/resolution")))
                    .render_html()
                    .replace("f-resolution", &format!("f-resolution-{}", r.id)),
            }
        })
        .collect();
    let page = ReportsPage {
        layout: visitor
            .menu(Layout::new(
                "Signalements — Modération — Agora",
                "Signalements à traiter.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb("Signalements", None),
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

pub async fn resolve(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input = ResolveInput {
        resolution: form.raw("resolution"),
    };
    match reports::resolve(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => redirect("/moderation/signalements?fait=1"),
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

//! "Signaler une erreur": a form on every listing that files a report through the same
//! service as `POST /api/v1/reports` (the same per-client limit, the same mails to the
//! structure's members and the moderators). The person reporting gives no name or address.

use crate::WebState;
use crate::error;
use crate::layout::{Layout, send};
use crate::listing::{name_of, public};
use crate::search::href;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::ListingKind;
use agora_service::reports::{self, ReportInput, ReportReason};
use agora_service::{Actor, ServiceError};
use askama::Template;
use serde::Deserialize;

pub struct Reason {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

const REASONS: [(ReportReason, &str, &str); 5] = [
    (
        ReportReason::OutdatedContact,
        "outdated_contact",
        "Le téléphone, le courriel ou le site ne sont plus les bons",
    ),
    (
        ReportReason::WrongHours,
        "wrong_hours",
        "Les horaires sont faux",
    ),
    (
        ReportReason::WrongArea,
        "wrong_area",
        "Le lieu ou la zone couverte sont faux",
    ),
    (
        ReportReason::ServiceClosed,
        "service_closed",
        "Ce service n'existe plus",
    ),
    (
        ReportReason::Other,
        "other",
        "Autre chose (précisez ci-dessous)",
    ),
];

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub name: String,
    pub listing_href: String,
    pub action: String,
    pub reasons: Vec<Reason>,
    pub details: String,
    pub reason_error: Option<String>,
    pub details_error: Option<String>,
    pub sent: bool,
}

#[derive(Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    details: String,
}

fn kind_of(segment: &str) -> Option<ListingKind> {
    match segment {
        "structures" => Some(ListingKind::Structure),
        "services" => Some(ListingKind::Service),
        "projets" => Some(ListingKind::Project),
        _ => None,
    }
}

fn page(name: String, kind: ListingKind, id: uuid::Uuid) -> ReportPage {
    let listing_href = href(kind, id);
    ReportPage {
        layout: Layout::new(
            format!("Signaler une erreur — {name} — Agora"),
            "Signaler une information fausse ou dépassée sur une fiche d'Agora.",
        )
        .not_indexable()
        .crumb(name.clone(), Some(listing_href.clone()))
        .crumb("Signaler une erreur", None),
        action: format!("{listing_href}/signaler"),
        listing_href,
        name,
        reasons: REASONS
            .iter()
            .map(|(_, value, label)| Reason {
                value,
                label,
                checked: false,
            })
            .collect(),
        details: String::new(),
        reason_error: None,
        details_error: None,
        sent: false,
    }
}

async fn listing(
    state: &WebState,
    kind: &str,
    id: &str,
) -> Result<(String, ListingKind, uuid::Uuid), HttpResponse> {
    let Some(kind) = kind_of(kind) else {
        return Err(error::from_service(ServiceError::NotFound("listing")));
    };
    match public(state, kind, id).await {
        Ok(Some(view)) => Ok((name_of(&view.content), kind, view.id)),
        Ok(None) => Err(error::from_service(ServiceError::NotFound("listing"))),
        Err(e) => Err(error::from_service(e)),
    }
}

pub async fn form(state: web::Data<WebState>, path: web::Path<(String, String)>) -> HttpResponse {
    let (kind, id) = path.into_inner();
    match listing(&state, &kind, &id).await {
        Ok((name, kind, id)) => send(StatusCode::OK, &page(name, kind, id)),
        Err(response) => response,
    }
}

/// Whether a form was posted from one of our own pages: browsers say where a POST comes
/// from (`Origin`, or `Sec-Fetch-Site`); another site's form is refused.
pub fn same_origin(req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = req.connection_info().host().to_owned();
            origin
                .split_once("://")
                .is_some_and(|(_, rest)| rest == host)
        }
    }
}

pub async fn send_report(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    if !same_origin(&req) {
        return error::page(
            StatusCode::FORBIDDEN,
            "Envoi refusé",
            vec!["Ce formulaire ne peut être envoyé que depuis les pages d'Agora.".into()],
        );
    }
    let (kind, id) = path.into_inner();
    let (name, kind, id) = match listing(&state, &kind, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let input: ReportForm = serde_urlencoded::from_bytes(&body).unwrap_or(ReportForm {
        reason: String::new(),
        details: String::new(),
    });
    let mut view = page(name, kind, id);
    view.details = input.details.clone();
    for r in &mut view.reasons {
        r.checked = r.value == input.reason;
    }
    let Some((reason, _, _)) = REASONS.iter().find(|(_, v, _)| *v == input.reason) else {
        view.reason_error = Some("Choisissez ce qui ne va pas dans la liste.".into());
        return send(StatusCode::UNPROCESSABLE_ENTITY, &view);
    };
    let details = input.details.trim();
    let report = ReportInput {
        subject_type: kind,
        subject_id: id,
        reason: *reason,
        details: (!details.is_empty()).then(|| details.to_owned()),
    };
    let client = (state.client_address)(&req);
    match reports::report(&state.ctx, &Actor::Anonymous, client, report).await {
        Ok(_) => {
            view.sent = true;
            view.layout.title = format!("Merci — {}", view.layout.title);
            send(StatusCode::OK, &view)
        }
        Err(ServiceError::Validation(errors)) | Err(ServiceError::Malformed(errors)) => {
            view.details_error = errors.0.iter().find(|e| e.pointer == "/details").map(|e| {
                if e.code == "required" {
                    "Dites en quelques mots ce qui ne va pas.".to_owned()
                } else {
                    "Écrivez entre 3 et 2 000 caractères.".to_owned()
                }
            });
            if view.details_error.is_none() {
                view.reason_error = Some("Choisissez ce qui ne va pas dans la liste.".into());
            }
            send(StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
        Err(e) => error::from_service(e),
    }
}

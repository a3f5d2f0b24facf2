//! The audit trail of a listing (who did what, when, why), and the published listings by
//! freshness: those reminded, those shown as "à actualiser", those hidden for want of a
//! confirmation.

use crate::WebState;
use crate::format::date;
use crate::layout::Layout;
use crate::session;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::SubjectType;
use agora_service::refresh::{self, RefreshCounts, RefreshItem, RefreshState};
use agora_service::views::AuditView;
use agora_service::{audit, registry};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "moderation/trail.html")]
pub struct TrailPage {
    pub layout: Layout,
    pub name: String,
    pub entries: Vec<(String, String, String, String)>,
}

fn action_words(a: &str) -> String {
    let w = match a {
        "created" => "création",
        "edited" => "modification",
        "submitted" => "envoi à la modération",
        "approved" => "approbation",
        "rejected" => "refus",
        "changes_requested" => "modifications demandées",
        "withdrawn_from_review" => "retrait de la relecture (nouvelle modification)",
        "confirmed" => "confirmée à jour",
        "report_resolved" => "signalement traité",
        "reported" => "signalement",
        "paused" => "mise en pause",
        "resumed" => "reprise",
        "completed" => "terminé",
        "archived" => "retrait",
        other => other,
    };
    w.to_owned()
}

fn entry(a: &AuditView) -> (String, String, String, String) {
    (
        format!("{} à {}", date(&a.at), a.at.format("%H:%M")),
        a.actor
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| "Agora".into()),
        action_words(&a.action),
        a.reason.clone().unwrap_or_default(),
    )
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (Some(kind), Ok(id)) = (crate::workspace::kind_of(&path.0), Uuid::parse_str(&path.1))
    else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let ctx = &state.ctx;
    let name = match registry::get(ctx, visitor.actor(), kind, id).await {
        Ok((v, _)) => crate::listing::name_of(&v.content),
        Err(e) => return crate::error::from_service(e),
    };
    let trail = match audit::list(
        ctx,
        visitor.actor(),
        Some(SubjectType::from(kind)),
        Some(id),
        None,
        200,
    )
    .await
    {
        Ok(p) => p.items,
        Err(e) => return crate::error::from_service(e),
    };
    let page = TrailPage {
        layout: visitor
            .menu(Layout::new(
                format!("Historique — {name} — Agora"),
                "Historique d'une fiche.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb(format!("Historique de « {name} »"), None),
        name,
        entries: trail.iter().map(entry).collect(),
    };
    session::page(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "moderation/freshness.html")]
pub struct FreshnessPage {
    pub layout: Layout,
    pub counts: RefreshCounts,
    pub current: &'static str,
    pub items: Vec<RefreshItem>,
}

#[derive(serde::Deserialize)]
pub struct Which {
    etat: Option<String>,
}

pub async fn freshness(
    state: web::Data<WebState>,
    req: HttpRequest,
    which: web::Query<Which>,
) -> HttpResponse {
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let (wanted, current) = match which.etat.as_deref() {
        Some("a-actualiser") => (RefreshState::Stale, "a-actualiser"),
        Some("masquees") => (RefreshState::Hidden, "masquees"),
        _ => (RefreshState::Due, "a-relancer"),
    };
    let q = match refresh::queue(&state.ctx, visitor.actor(), wanted, None, None, 100).await {
        Ok(q) => q,
        Err(e) => return crate::error::from_service(e),
    };
    let page = FreshnessPage {
        layout: visitor
            .menu(Layout::new(
                "Fraîcheur des fiches — Modération — Agora",
                "Fiches à confirmer.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb("Fraîcheur des fiches", None),
        counts: q.counts,
        current,
        items: q.items,
    };
    session::page(StatusCode::OK, &page)
}

pub fn item_href(i: &RefreshItem) -> String {
    format!(
        "/moderation/historique/{}/{}",
        crate::workspace::segment(i.kind),
        i.id
    )
}

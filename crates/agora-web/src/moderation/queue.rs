//! The moderation queue: oldest submission first, filtered by kind and state, with the
//! counts of everything else waiting for a moderator.

use super::subject_words;
use crate::WebState;
use crate::format::date;
use crate::layout::Layout;
use crate::session;
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::help::OfferState;
use agora_domain::{RevisionState, SubjectType};
use agora_service::reports::ReportState;
use agora_service::views::QueueItem;
use agora_service::{Result, help, moderation, refresh, reports};
use askama::Template;
use serde::Deserialize;

const PAGE: u64 = 50;

#[derive(Deserialize)]
pub struct Filters {
    #[serde(default)]
    type_: Option<String>,
    #[serde(default)]
    etat: Option<String>,
    #[serde(default)]
    suite: Option<String>,
    #[serde(default)]
    fait: Option<String>,
}

pub struct Line {
    pub href: String,
    pub name: String,
    pub what: &'static str,
    pub structure: String,
    pub edit: bool,
    pub submitted: String,
    pub author: String,
}

#[derive(Template)]
#[template(path = "moderation/queue.html")]
pub struct QueuePage {
    pub layout: Layout,
    pub flash: Option<&'static str>,
    pub lines: Vec<Line>,
    pub kind: String,
    pub state: String,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub states: Vec<(&'static str, &'static str)>,
    pub next: Option<String>,
    pub reports_open: usize,
    pub offers_waiting: usize,
    pub refresh: agora_service::refresh::RefreshCounts,
}

fn subject(s: &str) -> Option<SubjectType> {
    match s {
        "structure" => Some(SubjectType::Structure),
        "service" => Some(SubjectType::Service),
        "projet" => Some(SubjectType::Project),
        "nouvelles" => Some(SubjectType::ProjectUpdate),
        _ => None,
    }
}

fn state_of(s: &str) -> RevisionState {
    match s {
        "modifications-demandees" => RevisionState::ChangesRequested,
        _ => RevisionState::Pending,
    }
}

pub fn line(i: &QueueItem) -> Line {
    Line {
        href: format!("/moderation/file/{}", i.id),
        name: i.name.clone(),
        what: subject_words(i.subject_type),
        structure: i.structure.name.clone(),
        edit: i.is_edit_of_published,
        submitted: i.submitted_at.as_ref().map(date).unwrap_or_default(),
        author: i
            .author
            .as_ref()
            .map(|a| a.display_name.clone())
            .unwrap_or_default(),
    }
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    filters: web::Query<Filters>,
) -> HttpResponse {
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match build(&state, &visitor, &filters).await {
        Ok(page) => session::page(StatusCode::OK, &page),
        Err(e) => crate::error::from_service(e),
    }
}

async fn build(state: &WebState, visitor: &session::Visitor, f: &Filters) -> Result<QueuePage> {
    let ctx = &state.ctx;
    let actor = visitor.actor();
    let kind = f.type_.clone().unwrap_or_default();
    let st = f.etat.clone().unwrap_or_default();
    let page = moderation::queue(
        ctx,
        actor,
        subject(&kind),
        Some(state_of(&st)),
        f.suite.as_deref(),
        PAGE,
    )
    .await?;
    let reports_open = reports::list(ctx, actor, ReportState::Open, None, 100)
        .await?
        .items
        .len();
    let offers_waiting = help::queue(ctx, actor, Some(OfferState::Submitted), None, 100)
        .await?
        .items
        .len();
    let next = page.next_cursor.map(|c| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        if !kind.is_empty() {
            q.append_pair("type_", &kind);
        }
        if !st.is_empty() {
            q.append_pair("etat", &st);
        }
        q.append_pair("suite", &c);
        format!("/moderation?{}", q.finish())
    });
    Ok(QueuePage {
        layout: visitor
            .menu(Layout::new(
                "Modération — Agora",
                "La file de modération d'Agora.",
            ))
            .section("moderation")
            .crumb("Modération", None),
        flash: match f.fait.as_deref() {
            Some("decide") => Some("Décision enregistrée ; la structure est prévenue par mail."),
            Some("vide") => Some("Décision enregistrée. La file est vide : plus rien n'attend."),
            _ => None,
        },
        lines: page.items.iter().map(line).collect(),
        kinds: vec![
            ("", "Tout"),
            ("structure", "Structures"),
            ("service", "Services"),
            ("projet", "Projets"),
            ("nouvelles", "Nouvelles de projets"),
        ],
        states: vec![
            ("", "À relire"),
            ("modifications-demandees", "Modifications demandées"),
        ],
        kind,
        state: st,
        next,
        reports_open,
        offers_waiting,
        refresh: refresh::counts(ctx).await?,
    })
}

//! The printable table plan of an event's speed meetings, for its organising committee:
//! round by round, who sits at which table, who pauses, who is away; then, for the
//! welcome desk, each structure's table in every round. As a page laid out for A4 by the
//! print stylesheet, and as a PDF typeset by Typst with the directory's machinery (the
//! data goes in as JSON, so no name can act as markup).

use super::{committee_href, event_id, round_label};
use crate::WebState;
use crate::directory::pdf::{compile, file_id};
use crate::error;
use crate::layout::Layout;
use crate::session::{self, Visitor};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use agora_service::meetings::{self, PlanView, paris_time};
use askama::Template;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

const TEMPLATE: &str = include_str!("../../templates/meetings/plan.typ");

#[derive(Debug, Clone, Serialize)]
pub struct PrintedMeeting {
    pub table: u32,
    pub first: String,
    pub second: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrintedRound {
    pub label: String,
    pub time: String,
    pub meetings: Vec<PrintedMeeting>,
    pub idle: String,
    pub away: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    pub name: String,
    /// Per round: the table, "pause" or "absent".
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Printed {
    pub title: String,
    pub venue: String,
    pub printed: String,
    pub published: bool,
    pub round_labels: Vec<String>,
    pub rounds: Vec<PrintedRound>,
    pub index: Vec<IndexRow>,
}

#[derive(Template)]
#[template(path = "meetings/plan.html")]
pub struct PlanPage {
    pub layout: Layout,
    pub p: Printed,
    pub pdf_href: String,
    pub back: String,
}

fn printed(plan: &PlanView, now: chrono::DateTime<chrono::Utc>) -> Printed {
    let names = |list: &[agora_service::meetings::ParticipantRef]| {
        list.iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut seats: BTreeMap<Uuid, Vec<String>> = plan
        .participants
        .iter()
        .map(|p| (p.application_id, vec![String::new(); plan.plan.len()]))
        .collect();
    for (i, round) in plan.plan.iter().enumerate() {
        for m in &round.meetings {
            for who in [&m.first, &m.second] {
                if let Some(cell) = seats
                    .get_mut(&who.application_id)
                    .and_then(|c| c.get_mut(i))
                {
                    *cell = m.table.to_string();
                }
            }
        }
        for (who, word) in round
            .idle
            .iter()
            .map(|p| (p, "pause"))
            .chain(round.unavailable.iter().map(|p| (p, "absent")))
        {
            if let Some(cell) = seats
                .get_mut(&who.application_id)
                .and_then(|c| c.get_mut(i))
            {
                *cell = word.to_owned();
            }
        }
    }
    let mut index: Vec<IndexRow> = plan
        .participants
        .iter()
        .map(|p| IndexRow {
            name: p.name.clone(),
            cells: seats.remove(&p.application_id).unwrap_or_default(),
        })
        .collect();
    index.sort_by_key(|row| row.name.to_lowercase());
    Printed {
        title: plan.event_title.clone(),
        venue: plan.venue.clone().unwrap_or_default(),
        printed: crate::format::date(&now),
        published: plan
            .report
            .as_ref()
            .is_some_and(|r| r.published_at.is_some()),
        round_labels: plan.plan.iter().map(|r| round_label(r.round)).collect(),
        rounds: plan
            .plan
            .iter()
            .map(|r| PrintedRound {
                label: round_label(r.round),
                time: r.starts_at.map(paris_time).unwrap_or_default(),
                meetings: r
                    .meetings
                    .iter()
                    .map(|m| PrintedMeeting {
                        table: m.table,
                        first: m.first.name.clone(),
                        second: m.second.name.clone(),
                    })
                    .collect(),
                idle: names(&r.idle),
                away: names(&r.unavailable),
            })
            .collect(),
        index,
    }
}

async fn load(
    state: &WebState,
    req: &HttpRequest,
    raw: &str,
) -> Result<(Visitor, Uuid, PlanView), HttpResponse> {
    let event = event_id(raw).ok_or_else(|| error::not_found_page(req))?;
    let visitor = session::signed_in(state, req).await?;
    let plan = meetings::plan(&state.ctx, visitor.actor(), event)
        .await
        .map_err(error::from_service)?;
    Ok((visitor, event, plan))
}

/// The table plan as a page to print.
pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let (visitor, event, plan) = match load(&state, &req, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let p = printed(&plan, state.ctx.now());
    let page = PlanPage {
        layout: visitor
            .menu(Layout::new(
                format!("Plan de table — {} — Agora", p.title),
                "Le plan de table des rencontres express, à imprimer.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb(
                format!("Organisation des rencontres — {}", p.title),
                Some(committee_href(event)),
            )
            .crumb("Plan de table", None)
            .not_indexable(),
        pdf_href: format!("{}.pdf", super::plan_href(event)),
        back: committee_href(event),
        p,
    };
    session::page(StatusCode::OK, &page)
}

fn typeset(p: &Printed) -> Result<Vec<u8>, String> {
    let mut files = HashMap::new();
    let data = serde_json::to_vec(p).map_err(|e| e.to_string())?;
    files.insert(file_id("/data.json")?, typst::foundations::Bytes::new(data));
    compile("/plan.typ", TEMPLATE, files, "table plan")
}

/// The table plan as a PDF.
pub async fn pdf(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let (_, event, plan) = match load(&state, &req, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let p = printed(&plan, state.ctx.now());
    let typeset = tokio::task::spawn_blocking(move || typeset(&p))
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| r);
    match typeset {
        Ok(bytes) => session::private(
            HttpResponse::Ok()
                .content_type("application/pdf")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"agora-plan-de-table-{event}.pdf\""),
                ))
                .body(bytes),
        ),
        Err(e) => {
            tracing::error!(error = %e, "the table plan could not be typeset");
            error::page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "PDF indisponible",
                vec![
                    "Le PDF n'a pas pu être préparé. La page du plan de table s'imprime aussi."
                        .into(),
                ],
            )
        }
    }
}

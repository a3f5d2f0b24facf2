//! One item of the queue: the proposed version beside the published one, the changed fields
//! highlighted, likely duplicates, and the decision with its reason (what the mail to the
//! structure will say). After a decision the next item opens; `n` (or the browser's access
//! key) goes to it without deciding.

use crate::WebState;
use crate::changes::{Row, rows};
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::format::date;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::{Decision, RevisionState};
use agora_service::moderation::{self, DecisionInput};
use agora_service::views::ModerationItemView;
use agora_service::{Actor, Context, Result, ServiceError};
use askama::Template;
use serde_json::Value;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "moderation/item.html")]
pub struct ItemPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub id: Uuid,
    pub name: String,
    pub what: &'static str,
    pub structure: String,
    pub submitted: String,
    pub author: String,
    pub first_submission: bool,
    pub decidable: bool,
    pub changes: Vec<Row>,
    pub duplicates: Vec<(String, String, String)>,
    pub decision: String,
    pub reason: String,
    pub error: Option<String>,
    pub next: Option<String>,
    pub trail: Option<String>,
}

fn duplicate_reason(r: &str) -> &'static str {
    match r {
        "same_rna" => "même numéro RNA",
        "same_siren" => "même SIREN",
        "same_siret" => "même SIRET",
        "similar_name_same_commune" => "nom proche, même commune",
        "similar_name_same_structure" => "nom proche, même structure",
        _ => "ressemblance",
    }
}

/// The item after `id` in the queue, oldest first.
async fn next_after(ctx: &Context, actor: &Actor, id: Uuid) -> Result<Option<Uuid>> {
    let page = moderation::queue(ctx, actor, None, Some(RevisionState::Pending), None, 200).await?;
    let ids: Vec<Uuid> = page.items.iter().map(|i| i.id).collect();
    Ok(match ids.iter().position(|i| *i == id) {
        Some(p) => ids.get(p + 1).copied(),
        None => ids.first().copied(),
    })
}

pub fn render(
    state: &WebState,
    visitor: &Visitor,
    view: &ModerationItemView,
    next: Option<Uuid>,
    flash: bool,
    typed: Option<(&FormData, &Errors)>,
) -> HttpResponse {
    let empty = Value::Object(serde_json::Map::new());
    let before = view.published_content.as_ref().unwrap_or(&empty);
    let item = &view.item;
    let (decision, reason, error) = match typed {
        Some((f, e)) => (
            f.text("decision"),
            f.raw("reason"),
            e.at("/reason").or_else(|| e.at("/decision")),
        ),
        None => (String::new(), String::new(), None),
    };
    let page = ItemPage {
        layout: visitor
            .menu(Layout::new(
                format!("{} — Modération — Agora", item.name),
                "Un élément de la file de modération.",
            ))
            .section("moderation")
            .crumb("Modération", Some("/moderation".into()))
            .crumb(item.name.clone(), None)
            .script("moderation.js"),
        csrf: visitor.csrf().to_owned(),
        flash,
        id: item.id,
        name: item.name.clone(),
        what: super::subject_words(item.subject_type),
        structure: item.structure.name.clone(),
        submitted: item.submitted_at.as_ref().map(date).unwrap_or_default(),
        author: item
            .author
            .as_ref()
            .map(|a| a.display_name.clone())
            .unwrap_or_default(),
        first_submission: view.published_content.is_none(),
        decidable: item.state == RevisionState::Pending,
        changes: rows(&state.ctx.vocab, before, &view.content),
        duplicates: view
            .duplicates
            .iter()
            .map(|d| {
                (
                    d.name.clone(),
                    super::subject_words(d.subject_type).to_owned(),
                    d.reasons
                        .iter()
                        .map(|r| duplicate_reason(r))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            })
            .collect(),
        decision,
        reason,
        error,
        next: next.map(|n| format!("/moderation/file/{n}")),
        trail: item.subject_type.listing_kind().map(|k| {
            format!(
                "/moderation/historique/{}/{}",
                crate::workspace::segment(k),
                item.subject_id
            )
        }),
    };
    let status = if typed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    session::page(status, &page)
}

pub async fn page(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::moderator(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let view = match moderation::item(&state.ctx, visitor.actor(), id).await {
        Ok(v) => v,
        Err(e) => return crate::error::from_service(e),
    };
    let next = match next_after(&state.ctx, visitor.actor(), id).await {
        Ok(n) => n,
        Err(e) => return crate::error::from_service(e),
    };
    render(
        &state,
        &visitor,
        &view,
        next,
        session::done(&req).is_some(),
        None,
    )
}

pub async fn decide(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if !visitor.is_moderator() {
        return session::forbidden();
    }
    let decision = match form.text("decision").as_str() {
        "approve" => Some(Decision::Approve),
        "request_changes" => Some(Decision::RequestChanges),
        "reject" => Some(Decision::Reject),
        _ => None,
    };
    // The next item is found before deciding: afterwards this one has left the queue.
    let next = match next_after(&state.ctx, visitor.actor(), id).await {
        Ok(n) => n,
        Err(e) => return crate::error::from_service(e),
    };
    let input = DecisionInput {
        reason: Some(form.raw("reason")),
    };
    let outcome = match decision {
        Some(d) => moderation::decide(&state.ctx, visitor.actor(), id, d, input).await,
        None => Err(ServiceError::Validation(
            agora_domain::ValidationErrors::single("/decision", "required", "choose"),
        )),
    };
    match outcome {
        Ok(_) => match next {
            Some(n) => redirect(&format!("/moderation/file/{n}?fait=decide")),
            None => redirect("/moderation?fait=vide"),
        },
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors(
                Errors::from_validation(&e)
                    .0
                    .into_iter()
                    .map(|(p, m)| {
                        if p == "/decision" {
                            (p, "Choisissez une décision.".to_owned())
                        } else if p == "/reason" && m.starts_with("Ce champ") {
                            (
                                p,
                                "Écrivez le motif : la structure le lira dans le mail.".to_owned(),
                            )
                        } else {
                            (p, m)
                        }
                    })
                    .collect(),
            );
            match moderation::item(&state.ctx, visitor.actor(), id).await {
                Ok(view) => render(&state, &visitor, &view, next, false, Some((&form, &errors))),
                Err(e) => crate::error::from_service(e),
            }
        }
        Err(e) => crate::error::from_service(e),
    }
}

/// The decision's choices (kept as typed after an error).
pub fn decision_group(current: &str, reason: &str, error: Option<String>) -> String {
    ChoiceGroup {
        name: "decision".into(),
        legend: "Décision".into(),
        groups: vec![(
            String::new(),
            [
                ("approve", "Approuver : la version est publiée"),
                (
                    "request_changes",
                    "Demander des modifications : la structure corrige et renvoie",
                ),
                ("reject", "Refuser"),
            ]
            .iter()
            .map(|(v, l)| Choice {
                value: (*v).into(),
                label: (*l).into(),
                checked: current == *v,
            })
            .collect(),
        )],
        radio: true,
        error: None,
        ..ChoiceGroup::default()
    }
    .render_html()
        + &Input::new(
            "reason",
            "Motif (obligatoire pour une demande de modifications ou un refus)",
            "textarea",
        )
        .hint("Écrit pour la structure : il est repris tel quel dans le mail qu'elle reçoit.")
        .value(reason)
        .max(2000)
        .error(error)
        .render_html()
}

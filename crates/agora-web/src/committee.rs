//! `/comite`, for committee members: the label applications assigned to them; for each,
//! what the structure wrote, a conflict of interest declared in one step, and the rubric as
//! a form (each criterion scored 0 to 4, with what to look at). The other reviews appear
//! only once one's own is in, and never with names (the service decides what each reader
//! sees, as on the API).

use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::label::ApplicationState;
use agora_service::ServiceError;
use agora_service::label::{self, ApplicationView, LabelReviewView, Recommendation, ReviewInput};
use askama::Template;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "committee/list.html")]
pub struct ListPage {
    pub layout: Layout,
    pub applications: Vec<(String, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "committee/application.html")]
pub struct ApplicationPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: bool,
    pub app: ApplicationView,
    pub facts: Vec<(&'static str, String)>,
    pub can_review: bool,
    /// One's own review is in.
    pub reviewed: bool,
    pub rubric: Vec<String>,
    pub comment: String,
    pub recommendation: String,
    pub conflict: String,
    pub others: Vec<LabelReviewView>,
    pub criteria: Vec<(String, String)>,
}

fn state_words(s: ApplicationState) -> &'static str {
    match s {
        ApplicationState::InReview => "à évaluer",
        ApplicationState::Granted => "label accordé",
        ApplicationState::Refused => "label refusé",
        _ => "en préparation",
    }
}

pub async fn list(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let apps = match label::assigned_to_me(&state.ctx, visitor.actor()).await {
        Ok(a) => a,
        Err(e) => return crate::error::from_service(e),
    };
    let page = ListPage {
        layout: visitor
            .menu(Layout::new(
                "Comité du label — Agora",
                "Les dossiers de label qui vous sont confiés.",
            ))
            .section("comite")
            .crumb("Comité du label", None),
        applications: apps
            .iter()
            .map(|a| {
                (
                    format!("/comite/dossiers/{}", a.id),
                    a.structure.name.clone(),
                    state_words(a.state),
                )
            })
            .collect(),
    };
    session::page(StatusCode::OK, &page)
}

pub async fn application(
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
    render(&state, &visitor, id, session::done(&req).is_some(), None).await
}

async fn render(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    flash: bool,
    failed: Option<(&FormData, &Errors)>,
) -> HttpResponse {
    let ctx = &state.ctx;
    let app = match label::get(ctx, visitor.actor(), id).await {
        Ok(a) => a,
        Err(e) => return crate::error::from_service(e),
    };
    // Only a reviewer of this application has a review of their own here.
    let Some(mine) = app.my_review.clone() else {
        return session::forbidden();
    };
    let others = match label::reviews(ctx, visitor.actor(), id).await {
        Ok(r) => r.into_iter().filter(|r| r.label != mine.label).collect(),
        Err(e) => return crate::error::from_service(e),
    };
    let (values, errors) = failed
        .map(|(f, e)| (f.clone(), e.clone()))
        .unwrap_or_default();
    let criteria = ctx.settings.label.rubric();
    let rubric = criteria
        .iter()
        .map(|c| {
            let name = format!("score.{}", c.slug);
            ChoiceGroup {
                name: name.clone(),
                legend: c.label.clone(),
                hint: c.description.clone(),
                groups: vec![(
                    String::new(),
                    (0..=4)
                        .map(|n| Choice {
                            value: n.to_string(),
                            label: match n {
                                0 => "0 — absent".into(),
                                4 => "4 — exemplaire".into(),
                                n => n.to_string(),
                            },
                            checked: values.text(&name) == n.to_string(),
                        })
                        .collect(),
                )],
                radio: true,
                error: errors.at(&format!("/scores/{}", c.slug)),
            }
            .render_html()
        })
        .collect();
    let content = &app.content;
    let facts = vec![
        (
            "Catégorie",
            crate::workspace::label::category_words(
                &label::charter(ctx),
                content.category.as_deref(),
            ),
        ),
        (
            "Numéro RNA ou SIREN",
            content.registration_number.clone().unwrap_or_default(),
        ),
        (
            "Gouvernance",
            content.governance.clone().unwrap_or_default(),
        ),
        (
            "Solution proposée",
            content.solution.clone().unwrap_or_default(),
        ),
        (
            "Contributeurs",
            content.contributors.clone().unwrap_or_default(),
        ),
        (
            "Pièces",
            content
                .documents
                .iter()
                .map(|d| d.title.clone())
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    let page = ApplicationPage {
        layout: visitor
            .menu(Layout::new(
                format!(
                    "Dossier de {} — Comité du label — Agora",
                    app.structure.name
                ),
                "Un dossier de label.",
            ))
            .section("comite")
            .crumb("Comité du label", Some("/comite".into()))
            .crumb(format!("Dossier de {}", app.structure.name), None),
        csrf: visitor.csrf().to_owned(),
        flash,
        can_review: mine.state == "assigned" && app.state == ApplicationState::InReview,
        reviewed: mine.state == "submitted",
        facts,
        rubric,
        comment: values.raw("comment"),
        recommendation: values.text("recommendation"),
        conflict: values.raw("conflict"),
        others,
        criteria: criteria
            .iter()
            .map(|c| (c.slug.clone(), c.label.clone()))
            .collect(),
        app,
    };
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    session::page(status, &page)
}

/// A review (`evaluation`) or a declared conflict of interest (`conflit`).
pub async fn review(
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
    let input = if word == "conflit" {
        ReviewInput {
            conflict_of_interest: Some(form.raw("conflict")),
            scores: None,
            comment: None,
            recommendation: None,
        }
    } else {
        let scores: BTreeMap<String, u8> = state
            .ctx
            .settings
            .label
            .rubric()
            .iter()
            .filter_map(|c| {
                form.text(&format!("score.{}", c.slug))
                    .parse()
                    .ok()
                    .map(|n| (c.slug.clone(), n))
            })
            .collect();
        ReviewInput {
            conflict_of_interest: None,
            scores: Some(scores),
            comment: Some(form.raw("comment")).filter(|c| !c.trim().is_empty()),
            recommendation: match form.text("recommendation").as_str() {
                "grant" => Some(Recommendation::Grant),
                "refuse" => Some(Recommendation::Refuse),
                _ => None,
            },
        }
    };
    match label::review(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) if word == "conflit" => redirect("/comite"),
        Ok(_) => redirect(&format!("/comite/dossiers/{id}?fait=1")),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let errors = Errors::from_validation(&e);
            render(&state, &visitor, id, false, Some((&form, &errors))).await
        }
        Err(e) => crate::error::from_service(e),
    }
}

pub fn conflict_input(value: &str, errors: Option<String>) -> String {
    Input::new("conflict", "Pourquoi vous vous retirez", "textarea")
        .hint("Par exemple : je suis adhérent de cette association. Un autre membre du comité sera désigné.")
        .value(value)
        .max(2000)
        .error(errors)
        .render_html()
}

//! "Avis des personnes accompagnées": on a service's public page, the figures criterion by
//! criterion (or "pas encore assez de réponses") and the structure's answer; for a
//! signed-in visitor the questionnaire, a plain form posted to `/services/{id}/avis`
//! through the same use case as the API. In the workspace, the private comments and the
//! structure's public answer.

use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::format;
use crate::layout::Layout;
use crate::session::{self, Visitor};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_domain::ValidationErrors;
use agora_service::evaluations::{
    self, AnswerDelay, CriterionStatus, Eligibility, EvaluationCriterion, EvaluationInput,
    EvaluationResponseInput, EvaluationSummary,
};
use agora_service::{Actor, ServiceError};
use askama::Template;
use uuid::Uuid;

/// One criterion, in words.
pub struct Line {
    pub question: &'static str,
    /// The figure, or "pas encore assez de réponses".
    pub figure: String,
    /// "sur 9 réponses", when shown.
    pub answers: Option<String>,
}

/// The questionnaire, ready to show.
pub struct QuestionForm {
    pub csrf: String,
    pub action: String,
    pub parts: Vec<String>,
    /// Errors that belong to no single question ("answer at least one").
    pub general: Vec<String>,
}

/// The block of a service's public page.
pub struct Block {
    pub people: Option<String>,
    pub min: u64,
    pub lines: Vec<Line>,
    /// The structure's answer and its date.
    pub response: Option<(String, String)>,
    /// What stands in place of the form (not signed in, member, already done, thanks).
    pub note: Option<String>,
    pub sign_in_href: Option<String>,
    pub form: Option<QuestionForm>,
}

fn question(c: EvaluationCriterion) -> &'static str {
    match c {
        EvaluationCriterion::ContactCorrect => "Coordonnées exactes",
        EvaluationCriterion::AnswerDays => "Délai de réponse",
        EvaluationCriterion::FreeAsListed => "Gratuit ou au prix annoncé",
        EvaluationCriterion::Accessible => "Lieu accessible",
        EvaluationCriterion::InformationClear => "Informations claires",
        EvaluationCriterion::WouldRecommend => "Le recommanderaient",
    }
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// The figures in words, criterion by criterion.
pub fn lines(summary: &EvaluationSummary) -> Vec<Line> {
    summary
        .criteria
        .iter()
        .map(|c| {
            let figure = if c.status == CriterionStatus::NotEnoughAnswers {
                "pas encore assez de réponses".to_owned()
            } else {
                match c.criterion {
                    EvaluationCriterion::AnswerDays => {
                        let none = c.no_answer_share.unwrap_or(0.0);
                        let mut words = match c.median_days {
                            Some(0) => "le jour même (médiane)".to_owned(),
                            Some(1) => "1 jour (médiane)".to_owned(),
                            Some(d) => format!("{d} jours (médiane)"),
                            None => String::new(),
                        };
                        if none > 0.0 {
                            if !words.is_empty() {
                                words.push_str(" ; ");
                            }
                            words.push_str(&format!("{} sans réponse", percent(none)));
                        }
                        words
                    }
                    EvaluationCriterion::InformationClear => c
                        .mean
                        .map(|m| format!("{} sur 4", format!("{m:.1}").replace('.', ",")))
                        .unwrap_or_default(),
                    _ => c
                        .yes_share
                        .map(|s| format!("{} de oui", percent(s)))
                        .unwrap_or_default(),
                }
            };
            Line {
                question: question(c.criterion),
                figure,
                answers: c
                    .answers
                    .map(|n| format!("sur {n} réponse{}", if n > 1 { "s" } else { "" })),
            }
        })
        .collect()
}

fn people(summary: &EvaluationSummary) -> Option<String> {
    summary
        .evaluations
        .map(|n| format!("{n} personnes ont donné leur avis."))
}

const YES_NO: [(&str, &str); 3] = [("oui", "Oui"), ("non", "Non"), ("sans", "Je ne sais pas")];

fn yes_no(name: &str, legend: &str, values: &FormData, errors: &Errors) -> String {
    let chosen = values.text(name);
    ChoiceGroup {
        name: name.into(),
        legend: legend.into(),
        groups: vec![(
            String::new(),
            YES_NO
                .iter()
                .map(|(value, label)| Choice {
                    value: (*value).into(),
                    label: (*label).into(),
                    checked: chosen == *value || (chosen.is_empty() && *value == "sans"),
                })
                .collect(),
        )],
        radio: true,
        error: errors.at(&format!("/{name}")),
        ..ChoiceGroup::default()
    }
    .render_html()
}

/// The questionnaire's fields, with what was sent and its errors.
fn parts(values: &FormData, errors: &Errors) -> Vec<String> {
    let clear = values.text("information_clear");
    vec![
        yes_no(
            "contact_correct",
            "Les coordonnées de la fiche (téléphone, courriel, adresse) étaient-elles les bonnes ?",
            values,
            errors,
        ),
        Input::new(
            "answer_days",
            "En combien de jours avez-vous eu une réponse ?",
            "number",
        )
        .hint("Un nombre de 0 (le jour même) à 60. Laissez vide si vous ne savez plus.")
        .value(values.text("answer_days"))
        .error(errors.at("/answer_days"))
        .render_html(),
        ChoiceGroup {
            name: "no_answer".into(),
            legend: "Et si personne ne vous a répondu".into(),
            groups: vec![(
                String::new(),
                vec![Choice {
                    value: "oui".into(),
                    label: "Je n'ai jamais eu de réponse".into(),
                    checked: values.text("no_answer") == "oui",
                }],
            )],
            ..ChoiceGroup::default()
        }
        .render_html(),
        yes_no(
            "free_as_listed",
            "Le service était-il gratuit, ou au prix indiqué sur la fiche ?",
            values,
            errors,
        ),
        yes_no(
            "accessible",
            "Le lieu (ou le service à distance) vous était-il accessible ?",
            values,
            errors,
        ),
        ChoiceGroup {
            name: "information_clear".into(),
            legend: "Les informations que l'on vous a données étaient-elles claires ?".into(),
            groups: vec![(
                String::new(),
                [
                    ("1", "Pas claires du tout"),
                    ("2", "Peu claires"),
                    ("3", "Plutôt claires"),
                    ("4", "Très claires"),
                    ("sans", "Je ne sais pas"),
                ]
                .iter()
                .map(|(value, label)| Choice {
                    value: (*value).into(),
                    label: (*label).into(),
                    checked: clear == *value || (clear.is_empty() && *value == "sans"),
                })
                .collect(),
            )],
            radio: true,
            error: errors.at("/information_clear"),
            ..ChoiceGroup::default()
        }
        .render_html(),
        yes_no(
            "would_recommend",
            "Le conseilleriez-vous à une personne dans votre situation ?",
            values,
            errors,
        ),
        Input::new("comment", "Un mot pour la structure (facultatif)", "textarea")
            .hint("Lu seulement par la structure et l'équipe de modération d'Agora, jamais publié. N'y écrivez rien sur votre santé (2 000 caractères au plus).")
            .value(values.raw("comment"))
            .max(2000)
            .error(errors.at("/comment"))
            .render_html(),
    ]
}

const QUESTIONS: [&str; 7] = [
    "/contact_correct",
    "/answer_days",
    "/free_as_listed",
    "/accessible",
    "/information_clear",
    "/would_recommend",
    "/comment",
];

fn question_form(visitor: &Visitor, id: Uuid, values: &FormData, errors: &Errors) -> QuestionForm {
    QuestionForm {
        csrf: visitor.csrf().to_owned(),
        action: format!("/services/{id}/avis"),
        parts: parts(values, errors),
        general: errors
            .elsewhere(&QUESTIONS)
            .into_iter()
            .map(|e| {
                if e == "Ce champ est à remplir." {
                    "Répondez à au moins une question : un commentaire seul n'est pas un avis."
                        .to_owned()
                } else {
                    e
                }
            })
            .collect(),
    }
}

/// What the form says, as the use case takes it; a malformed number is named.
fn read(form: &FormData) -> Result<EvaluationInput, Errors> {
    let yes_no = |name: &str| match form.text(name).as_str() {
        "oui" => Some(true),
        "non" => Some(false),
        _ => None,
    };
    let days = form.text("answer_days");
    let answer_days = match (form.text("no_answer") == "oui", days.is_empty()) {
        (true, true) => Some(AnswerDelay::NoAnswer),
        (true, false) => {
            return Err(Errors::single(
                "/answer_days",
                "Donnez un nombre de jours, ou cochez « Je n'ai jamais eu de réponse », pas les deux.",
            ));
        }
        (false, true) => None,
        (false, false) => match days.parse::<i64>() {
            Ok(n) => Some(AnswerDelay::Days(n)),
            Err(_) => {
                return Err(Errors::single(
                    "/answer_days",
                    "Écrivez un nombre de jours, de 0 à 60.",
                ));
            }
        },
    };
    let comment = form.raw("comment");
    Ok(EvaluationInput {
        contact_correct: yes_no("contact_correct"),
        answer_days,
        free_as_listed: yes_no("free_as_listed"),
        accessible: yes_no("accessible"),
        information_clear: form.text("information_clear").parse().ok(),
        would_recommend: yes_no("would_recommend"),
        comment: (!comment.trim().is_empty()).then_some(comment),
    })
}

/// Range errors in the reader's words (the generic ones speak of coordinates).
fn errors_of(e: &ValidationErrors) -> Errors {
    let mut errors = Errors::from_validation(e);
    for (pointer, message) in &mut errors.0 {
        match pointer.as_str() {
            "/answer_days" => *message = "Écrivez un nombre de jours, de 0 à 60.".into(),
            "/information_clear" => *message = "Choisissez une des réponses proposées.".into(),
            _ => {}
        }
    }
    errors
}

fn thanks(done: Option<&str>) -> Option<String> {
    match done? {
        "avis" => Some("Merci : votre avis est enregistré. Il compte dès maintenant dans les chiffres ci-dessus, sans votre nom.".into()),
        "avis-differe" => Some("Merci : votre avis est enregistré. Ce service reçoit beaucoup d'avis en ce moment : le vôtre comptera dans les chiffres d'ici quelques jours.".into()),
        _ => None,
    }
}

/// The block of a public service page, for this visitor (or nobody).
pub async fn block(
    state: &WebState,
    visitor: Option<&Visitor>,
    id: Uuid,
    done: Option<&str>,
) -> agora_service::Result<Block> {
    let figures = evaluations::public(&state.ctx, id).await?;
    let actor = visitor.map_or(&Actor::Anonymous, Visitor::actor);
    let mut block = Block {
        people: people(&figures.summary),
        min: figures.summary.min_answers,
        lines: lines(&figures.summary),
        response: figures
            .response
            .map(|r| (r.body, format::date(&r.updated_at))),
        note: None,
        sign_in_href: None,
        form: None,
    };
    if let Some(words) = thanks(done) {
        block.note = Some(words);
        return Ok(block);
    }
    match (
        evaluations::eligibility(&state.ctx, actor, id).await?,
        visitor,
    ) {
        (Eligibility::Open, Some(v)) => {
            block.form = Some(question_form(
                v,
                id,
                &FormData::default(),
                &Errors::default(),
            ));
        }
        (Eligibility::Member, _) => {
            block.note = Some("Vous faites partie de la structure qui propose ce service : vous ne pouvez pas l'évaluer. Vous pouvez répondre aux avis depuis votre espace.".into());
        }
        (Eligibility::AlreadyDone { again_from }, _) => {
            block.note = Some(format!(
                "Vous avez déjà donné votre avis sur ce service. Vous pourrez en donner un nouveau à partir du {}.",
                format::date(&again_from)
            ));
        }
        _ => {
            block.sign_in_href = Some(format!(
                "/connexion?retour={}",
                form_urlencoded::byte_serialize(format!("/services/{id}/avis").as_bytes())
                    .collect::<String>()
            ));
        }
    }
    Ok(block)
}

#[derive(Template)]
#[template(path = "evaluation_form.html")]
pub struct FormPageView {
    pub layout: Layout,
    pub name: String,
    pub service_href: String,
    pub note: Option<String>,
    pub form: Option<QuestionForm>,
}

async fn service_name(state: &WebState, id: Uuid) -> Result<String, HttpResponse> {
    match crate::listing::public(state, agora_domain::ListingKind::Service, &id.to_string()).await {
        Ok(Some(view)) => Ok(crate::listing::name_of(&view.content)),
        Ok(None) => Err(crate::error::from_service(ServiceError::NotFound(
            "service",
        ))),
        Err(e) => Err(crate::error::from_service(e)),
    }
}

async fn form_page(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    values: &FormData,
    errors: &Errors,
    status: StatusCode,
) -> HttpResponse {
    let name = match service_name(state, id).await {
        Ok(n) => n,
        Err(response) => return response,
    };
    let (note, form) = match evaluations::eligibility(&state.ctx, visitor.actor(), id).await {
        Ok(Eligibility::Member) => (
            Some("Vous faites partie de la structure qui propose ce service : vous ne pouvez pas l'évaluer.".to_owned()),
            None,
        ),
        Ok(Eligibility::AlreadyDone { again_from }) => (
            Some(format!(
                "Vous avez déjà donné votre avis sur ce service. Vous pourrez en donner un nouveau à partir du {}.",
                format::date(&again_from)
            )),
            None,
        ),
        Ok(_) => (None, Some(question_form(visitor, id, values, errors))),
        Err(e) => return crate::error::from_service(e),
    };
    let service_href = format!("/services/{id}");
    let page = FormPageView {
        layout: visitor
            .menu(Layout::new(
                format!("Donner mon avis — {name} — Agora"),
                "Donner son avis sur un service, sur des critères précis.",
            ))
            .not_indexable()
            .section("recherche")
            .crumb(name.clone(), Some(service_href.clone()))
            .crumb("Donner mon avis", None),
        name,
        service_href,
        note,
        form,
    };
    session::page(status, &page)
}

/// `GET /services/{id}/avis`: the questionnaire on its own page (where signing in leads).
pub async fn form(
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
    form_page(
        &state,
        &visitor,
        id,
        &FormData::default(),
        &Errors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /services/{id}/avis`.
pub async fn send(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if form.has(crate::account::sign_in::RESUMED) {
        return form_page(
            &state,
            &visitor,
            id,
            &form,
            &Errors::default(),
            StatusCode::OK,
        )
        .await;
    }
    let input = match read(&form) {
        Ok(input) => input,
        Err(errors) => {
            return form_page(
                &state,
                &visitor,
                id,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match evaluations::evaluate(&state.ctx, visitor.actor(), id, input).await {
        Ok(made) => {
            let word = if made.state == evaluations::EvaluationState::Held {
                "avis-differe"
            } else {
                "avis"
            };
            session::redirect(&format!("/services/{id}?fait={word}#avis"))
        }
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            form_page(
                &state,
                &visitor,
                id,
                &form,
                &errors_of(&e),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        // Already done this year, or a member: the page says so.
        Err(ServiceError::Conflict(_) | ServiceError::Forbidden(_)) => {
            form_page(
                &state,
                &visitor,
                id,
                &FormData::default(),
                &Errors::default(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

/// A comment, as the workspace shows it.
pub struct CommentLine {
    pub month: String,
    pub body: String,
    pub held: bool,
}

/// The evaluations' part of a service's workspace page.
pub struct WorkspaceSection {
    pub people: Option<String>,
    pub min: u64,
    pub lines: Vec<Line>,
    pub comments: Vec<CommentLine>,
    pub more_comments: bool,
    pub response: Option<String>,
    pub response_input: String,
    pub action: String,
}

/// The figures, the private comments (the latest hundred) and the answer's form.
pub async fn workspace_section(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    failed: Option<(FormData, Errors)>,
) -> agora_service::Result<Option<WorkspaceSection>> {
    let figures = match evaluations::public(&state.ctx, id).await {
        Ok(f) => f,
        // Not published yet: nobody can evaluate it.
        Err(ServiceError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let page = evaluations::comments(&state.ctx, visitor.actor(), id, None, 100).await?;
    let (values, errors) = failed.unwrap_or_default();
    let current = figures.response.as_ref().map(|r| r.body.clone());
    let value = if values.has("body") {
        values.raw("body")
    } else {
        current.clone().unwrap_or_default()
    };
    Ok(Some(WorkspaceSection {
        people: people(&figures.summary),
        min: figures.summary.min_answers,
        lines: lines(&figures.summary),
        comments: page
            .items
            .into_iter()
            .map(|c| CommentLine {
                month: month_words(&c.month),
                body: c.comment,
                held: c.state == evaluations::EvaluationState::Held,
            })
            .collect(),
        more_comments: page.next_cursor.is_some(),
        response: current,
        response_input: Input::new("body", "Votre réponse, publiée sous les avis", "textarea")
            .hint(
                "Visible de tous sur la page du service (3 à 1 000 caractères). Ne citez personne.",
            )
            .value(value)
            .max(1000)
            .error(errors.at("/body"))
            .render_html(),
        action: format!("/espace/services/{id}/reponse"),
    }))
}

/// "2026-03" → "mars 2026".
fn month_words(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map(|d| format::month(&d.and_utc()))
        .unwrap_or_else(|| month.to_owned())
}

/// `POST /espace/services/{id}/reponse` (write) and `…/reponse/retirer` (remove).
pub async fn respond(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let removing = req.path().ends_with("/retirer");
    let result = if removing {
        evaluations::delete_response(&state.ctx, visitor.actor(), id, None).await
    } else {
        evaluations::put_response(
            &state.ctx,
            visitor.actor(),
            id,
            EvaluationResponseInput {
                body: form.raw("body"),
            },
        )
        .await
        .map(|_| ())
    };
    match result {
        Ok(()) => session::redirect(&format!(
            "/espace/services/{id}?fait={}#avis",
            if removing {
                "reponse-retiree"
            } else {
                "reponse"
            }
        )),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            crate::workspace::render_listing(
                &state,
                &visitor,
                agora_domain::ListingKind::Service,
                id,
                None,
                Some(("reponse", &form, &Errors::from_validation(&e))),
            )
            .await
        }
        Err(e) => crate::error::from_service(e),
    }
}

//! "Je propose mon aide", signed in: a person offers their help to a published project
//! through `help::offer`, as on the API. What they write goes to the moderators first; their
//! contact details reach the project only if its team accepts; anything about their health
//! is shared only with their explicit consent, and only with moderators.

use crate::WebState;
use crate::account::{Alert, FormPage};
use crate::fields::{Choice, ChoiceGroup, Errors, Input};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::ListingKind;
use agora_domain::VocabularyKind;
use agora_domain::help::Wants;
use agora_service::help::{self, OfferContact, OfferInput};
use agora_service::{Actor, ServiceError, registry};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "help_offer.html")]
pub struct OfferPage {
    pub layout: Layout,
    pub csrf: String,
    pub title: String,
    pub project_href: String,
    pub action: String,
    pub parts: Vec<String>,
    pub has_errors: bool,
}

async fn project_title(state: &WebState, id: Uuid) -> Result<String, HttpResponse> {
    match registry::get(&state.ctx, &Actor::Anonymous, ListingKind::Project, id).await {
        Ok((view, _)) => Ok(crate::listing::name_of(&view.content)),
        Err(e) => Err(crate::error::from_service(e)),
    }
}

fn render(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
    title: String,
    values: &FormData,
    errors: &Errors,
    status: StatusCode,
) -> HttpResponse {
    let chosen = values.all("skills");
    let email = if values.has("email") {
        values.text("email")
    } else {
        visitor.session.email.clone()
    };
    let parts = vec![
        Input::new("message", "Ce que vous proposez", "textarea")
            .hint("Votre expérience, vos compétences, le temps que vous pouvez donner (10 à 2 000 caractères).")
            .value(values.raw("message"))
            .max(2000)
            .required()
            .error(errors.at("/message"))
            .render_html(),
        ChoiceGroup {
            name: "skills".into(),
            legend: "Vos compétences".into(),
            groups: vec![(
                String::new(),
                state
                    .ctx
                    .vocab
                    .of_kind(VocabularyKind::Skill)
                    .map(|t| Choice { value: t.slug.clone(), label: t.label.clone(), checked: chosen.contains(&t.slug) })
                    .collect(),
            )],
            error: errors.at("/skills"),
            ..ChoiceGroup::default()
        }
        .render_html(),
        ChoiceGroup {
            name: "wants".into(),
            legend: "Ce que vous souhaitez d'abord".into(),
            groups: vec![(
                String::new(),
                vec![
                    Choice { value: "details".into(), label: "En savoir plus sur le projet".into(), checked: values.text("wants") != "introduction" },
                    Choice { value: "introduction".into(), label: "Être mis·e en relation avec l'équipe".into(), checked: values.text("wants") == "introduction" },
                ],
            )],
            radio: true,
            error: errors.at("/wants"),
            ..ChoiceGroup::default()
        }
        .render_html(),
        Input::new("email", "Votre adresse e-mail", "email")
            .hint("Donnée au projet seulement si son équipe accepte votre proposition.")
            .value(email)
            .autocomplete("email")
            .required()
            .error(errors.at("/contact/email"))
            .render_html(),
        Input::new("phone", "Votre téléphone (facultatif)", "tel")
            .value(values.text("phone"))
            .autocomplete("tel")
            .error(errors.at("/contact/phone"))
            .render_html(),
        Input::new("health_info", "Quelque chose à dire sur votre santé ? (facultatif)", "textarea")
            .hint("Lu seulement par l'équipe de modération, jamais par le projet, et seulement si vous cochez la case qui suit.")
            .value(values.raw("health_info"))
            .max(2000)
            .error(errors.at("/health_info"))
            .render_html(),
        ChoiceGroup {
            name: "health_consent".into(),
            legend: "Votre accord".into(),
            groups: vec![(
                String::new(),
                vec![Choice { value: "oui".into(), label: "J'accepte que l'équipe de modération lise ce que j'écris sur ma santé.".into(), checked: values.text("health_consent") == "oui" }],
            )],
            error: errors.at("/health_consent"),
            ..ChoiceGroup::default()
        }
        .render_html(),
    ];
    let page = OfferPage {
        layout: visitor
            .menu(Layout::new(
                format!("Proposer mon aide — {title} — Agora"),
                "Proposer son aide à un projet.",
            ))
            .section("projets")
            .crumb(title.clone(), Some(format!("/projets/{id}")))
            .crumb("Proposer mon aide", None),
        csrf: visitor.csrf().to_owned(),
        project_href: format!("/projets/{id}"),
        action: format!("/projets/{id}/aider"),
        title,
        parts,
        has_errors: !errors.0.is_empty(),
    };
    session::page(status, &page)
}

pub async fn form(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    let title = match project_title(&state, id).await {
        Ok(t) => t,
        Err(response) => return response,
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    render(
        &state,
        &visitor,
        id,
        title,
        &FormData::default(),
        &Errors::default(),
        StatusCode::OK,
    )
}

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
    let title = match project_title(&state, id).await {
        Ok(t) => t,
        Err(response) => return response,
    };
    if form.has(crate::account::sign_in::RESUMED) {
        return render(
            &state,
            &visitor,
            id,
            title,
            &form,
            &Errors::default(),
            StatusCode::OK,
        );
    }
    let phone = form.text("phone");
    let health = form.raw("health_info");
    let input = OfferInput {
        message: form.raw("message"),
        skills: form.all("skills"),
        wants: if form.text("wants") == "introduction" {
            Wants::Introduction
        } else {
            Wants::Details
        },
        contact: OfferContact {
            email: form.text("email"),
            phone: (!phone.is_empty()).then_some(phone),
        },
        health_info: (!health.trim().is_empty()).then_some(health),
        health_consent: form.text("health_consent") == "oui",
    };
    match help::offer(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => {
            let mut page = FormPage::message(
                "Proposition envoyée",
                Alert::new(
                    "success",
                    "Merci, votre proposition est partie",
                    &[
                        "L'équipe d'Agora la relit, puis la transmet au projet. Vous recevrez un mail à chaque étape ; vos coordonnées ne sont données au projet que s'il accepte.",
                    ],
                ),
            );
            page.layout = visitor.menu(page.layout);
            page.after = vec![
                (
                    format!("/projets/{id}"),
                    format!("Revenir au projet « {title} »"),
                ),
                ("/espace".into(), "Mon espace".into()),
            ];
            session::page(StatusCode::OK, &page)
        }
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => render(
            &state,
            &visitor,
            id,
            title,
            &form,
            &Errors::from_validation(&e),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(ServiceError::Conflict(_)) => session::page(
            StatusCode::CONFLICT,
            &FormPage::message(
                "Proposition impossible",
                Alert::new(
                    "warning",
                    "Ce projet ne reçoit pas de proposition en ce moment",
                    &[
                        "Il est peut-être en pause ou terminé, ou vous lui avez déjà fait une proposition qui attend sa réponse.",
                    ],
                ),
            ),
        ),
        Err(e) => crate::error::from_service(e),
    }
}

//! Applying, signed in: the form to apply for one of one's published structures (its
//! projects, what it offers and looks for, its themes, the charter signed, the consent to
//! be named), the applications of one's structures, and withdrawing one.

use super::errors_of;
use crate::WebState;
use crate::fields::{Choice, ChoiceGroup, Errors, Input, escape};
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::VocabularyKind;
use agora_service::events::{
    self, ApplyingStructure, EventApplicationInput, EventApplicationView, EventView,
};
use agora_service::{Actor, ServiceError};
use askama::Template;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "events/apply.html")]
pub struct ApplyPage {
    pub layout: Layout,
    pub csrf: String,
    pub event: EventView,
    pub action: String,
    pub parts: Vec<String>,
    pub has_errors: bool,
    pub elsewhere: Vec<String>,
    /// Whether the visitor has a published structure to apply for.
    pub can_apply: bool,
}

fn skills(
    state: &WebState,
    name: &str,
    legend: &str,
    chosen: &[String],
    error: Option<String>,
) -> String {
    ChoiceGroup {
        name: name.into(),
        legend: legend.into(),
        groups: vec![(
            String::new(),
            state
                .ctx
                .vocab
                .of_kind(VocabularyKind::Skill)
                .map(|t| Choice {
                    value: t.slug.clone(),
                    label: t.label.clone(),
                    checked: chosen.contains(&t.slug),
                })
                .collect(),
        )],
        error,
        ..ChoiceGroup::default()
    }
    .render_html()
}

fn region_select(chosen: &str, error: Option<String>) -> String {
    let mut html = String::from(
        "<div class=\"fr-select-group\"><label class=\"fr-label\" for=\"f-region\">Région où la structure agit</label><select class=\"fr-select\" id=\"f-region\" name=\"region\"><option value=\"\">Toute la France</option>",
    );
    for r in agora_geo::regions() {
        html.push_str(&format!(
            "<option value=\"{}\"{}>{}</option>",
            r.code,
            if r.code == chosen { " selected" } else { "" },
            escape(r.name)
        ));
    }
    html.push_str("</select>");
    if let Some(e) = error {
        html.push_str(&format!("<p class=\"fr-error-text\">{}</p>", escape(&e)));
    }
    html.push_str("</div>");
    html
}

const SHOWN: &[&str] = &[
    "/structure_id",
    "/project_ids",
    "/offers",
    "/needs",
    "/themes",
    "/region",
    "/message",
    "/charter_version",
];

fn parts(
    state: &WebState,
    event: &EventView,
    mine: &[ApplyingStructure],
    v: &FormData,
    errors: &Errors,
) -> Vec<String> {
    let chosen_structure = v.text("structure_id");
    let first = mine
        .first()
        .map(|s| s.structure.id.to_string())
        .unwrap_or_default();
    let chosen_structure = if chosen_structure.is_empty() {
        first
    } else {
        chosen_structure
    };
    let projects = v.all("project_ids");
    let themes = v.all("themes");
    let mut out = vec![
        ChoiceGroup {
            name: "structure_id".into(),
            legend: "La structure qui candidate".into(),
            groups: vec![(
                String::new(),
                mine.iter()
                    .map(|s| Choice {
                        value: s.structure.id.to_string(),
                        label: s.structure.name.clone(),
                        checked: s.structure.id.to_string() == chosen_structure,
                    })
                    .collect(),
            )],
            radio: true,
            error: errors.at("/structure_id"),
            ..ChoiceGroup::default()
        }
        .render_html(),
    ];
    let project_groups: Vec<(String, Vec<Choice>)> = mine
        .iter()
        .filter(|s| !s.projects.is_empty())
        .map(|s| {
            (
                s.structure.name.clone(),
                s.projects
                    .iter()
                    .map(|p| Choice {
                        value: p.id.to_string(),
                        label: p.title.clone(),
                        checked: projects.contains(&p.id.to_string()),
                    })
                    .collect(),
            )
        })
        .collect();
    if !project_groups.is_empty() {
        out.push(
            ChoiceGroup {
                name: "project_ids".into(),
                legend: "Les projets que vous apportez".into(),
                hint: "Seulement ceux de la structure qui candidate.".into(),
                groups: project_groups,
                error: errors.at("/project_ids"),
                ..ChoiceGroup::default()
            }
            .render_html(),
        );
    }
    out.push(skills(
        state,
        "offers",
        "Ce que votre structure offre",
        &v.all("offers"),
        errors.at("/offers"),
    ));
    out.push(skills(
        state,
        "needs",
        "Ce que votre structure cherche",
        &v.all("needs"),
        errors.at("/needs"),
    ));
    let families = crate::format::all_families(&state.ctx.vocab);
    out.push(
        ChoiceGroup {
            name: "themes".into(),
            legend: "Vos thèmes".into(),
            groups: families
                .iter()
                .map(|f| {
                    (
                        f.label.to_string(),
                        crate::format::themes_of_family(&state.ctx.vocab, &f.slug)
                            .into_iter()
                            .map(|slug| Choice {
                                label: crate::format::label(
                                    &state.ctx.vocab,
                                    VocabularyKind::Theme,
                                    &slug,
                                ),
                                checked: themes.contains(&slug),
                                value: slug,
                            })
                            .collect(),
                    )
                })
                .collect(),
            error: errors.at("/themes"),
            ..ChoiceGroup::default()
        }
        .render_html(),
    );
    out.push(region_select(&v.text("region"), errors.at("/region")));
    out.push(
        Input::new("message", "Un mot pour le comité", "textarea")
            .hint("Pourquoi vous venez, qui viendra (10 à 2 000 caractères).")
            .value(v.raw("message"))
            .max(2000)
            .required()
            .error(errors.at("/message"))
            .render_html(),
    );
    out.push(
        ChoiceGroup {
            name: "charter".into(),
            legend: "La charte".into(),
            groups: vec![(
                String::new(),
                vec![Choice {
                    value: event.charter_version.clone(),
                    label: format!(
                        "Au nom de la structure, je signe la charte de l'événement (version {}).",
                        event.charter_version
                    ),
                    checked: v.text("charter") == event.charter_version,
                }],
            )],
            error: errors.at("/charter_version"),
            ..ChoiceGroup::default()
        }
        .render_html(),
    );
    out.push(
        ChoiceGroup {
            name: "public_consent".into(),
            legend: "La liste publique des participants".into(),
            hint: "Sans votre accord, votre structure n'y est jamais nommée : elle est seulement comptée.".into(),
            groups: vec![(
                String::new(),
                vec![Choice {
                    value: "oui".into(),
                    label: "J'accepte que la structure soit nommée parmi les participants, si elle est acceptée.".into(),
                    checked: v.text("public_consent") == "oui",
                }],
            )],
            ..ChoiceGroup::default()
        }
        .render_html(),
    );
    out
}

fn render(
    state: &WebState,
    visitor: &Visitor,
    event: EventView,
    mine: &[ApplyingStructure],
    values: &FormData,
    errors: &Errors,
    status: StatusCode,
) -> HttpResponse {
    let page = ApplyPage {
        layout: visitor
            .menu(Layout::new(
                format!("Candidater — {} — Agora", event.title),
                "Demander à participer à un événement.",
            ))
            .section("evenements")
            .crumb("Événements", Some("/evenements".into()))
            .crumb(
                event.title.clone(),
                Some(format!("/evenements/{}", event.id)),
            )
            .crumb("Candidater", None),
        csrf: visitor.csrf().to_owned(),
        action: format!("/evenements/{}/candidater", event.id),
        parts: parts(state, &event, mine, values, errors),
        has_errors: !errors.0.is_empty(),
        elsewhere: errors.elsewhere(SHOWN),
        can_apply: !mine.is_empty(),
        event,
    };
    session::page(status, &page)
}

async fn load(
    state: &WebState,
    visitor: &Visitor,
    id: Uuid,
) -> Result<(EventView, Vec<ApplyingStructure>), HttpResponse> {
    let event = events::get(&state.ctx, &Actor::Anonymous, id)
        .await
        .map_err(crate::error::from_service)?;
    let mine = events::structures_to_apply_for(&state.ctx, visitor.actor())
        .await
        .map_err(crate::error::from_service)?;
    Ok((event, mine))
}

pub async fn apply_form(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path) else {
        return crate::error::not_found_page(&req);
    };
    if let Err(e) = events::get(&state.ctx, &Actor::Anonymous, id).await {
        return crate::error::from_service(e);
    }
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let (event, mine) = match load(&state, &visitor, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render(
        &state,
        &visitor,
        event,
        &mine,
        &FormData::default(),
        &Errors::default(),
        StatusCode::OK,
    )
}

pub async fn apply_send(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: FormData,
) -> HttpResponse {
    let (visitor, id) = match session::posting_about(&state, &req, &form, &path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (event, mine) = match load(&state, &visitor, id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(structure_id) = Uuid::parse_str(&form.text("structure_id")) else {
        let errors = Errors::single("/structure_id", "Choisissez la structure qui candidate.");
        return render(
            &state,
            &visitor,
            event,
            &mine,
            &form,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let region = form.text("region");
    let input = EventApplicationInput {
        structure_id,
        project_ids: form
            .all("project_ids")
            .iter()
            .filter_map(|p| Uuid::parse_str(p).ok())
            .collect(),
        offers: form.all("offers"),
        needs: form.all("needs"),
        themes: form.all("themes"),
        region: (!region.is_empty()).then_some(region),
        message: form.raw("message"),
        charter_version: form.text("charter"),
        public_consent: form.text("public_consent") == "oui",
    };
    match events::apply(&state.ctx, visitor.actor(), id, input).await {
        Ok(_) => redirect("/espace/candidatures?fait=envoyee"),
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            let mut errors = errors_of(&e);
            // An unchecked charter box sends no version: say what to do.
            for (p, m) in &mut errors.0 {
                if p == "/charter_version" {
                    *m = "Cochez la case pour signer la charte de l'événement.".into();
                }
            }
            render(&state, &visitor, event, &mine, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(ServiceError::Conflict(_)) => crate::error::page(
            StatusCode::CONFLICT,
            "Candidature impossible",
            vec![
                "Les candidatures sont peut-être closes, ou cette structure a déjà une candidature décidée ou retirée pour cet événement.".into(),
                "Retrouvez les candidatures de vos structures dans votre espace.".into(),
            ],
        ),
        Err(e) => crate::error::from_service(e),
    }
}

#[derive(Template)]
#[template(path = "events/applications.html")]
pub struct ApplicationsPage {
    pub layout: Layout,
    pub csrf: String,
    pub flash: Option<&'static str>,
    pub applications: Vec<EventApplicationView>,
}

pub async fn my_applications(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let applications = match events::my_applications(&state.ctx, visitor.actor()).await {
        Ok(a) => a,
        Err(e) => return crate::error::from_service(e),
    };
    let flash = match session::done(&req).as_deref() {
        Some("envoyee") => Some(
            "Votre candidature est envoyée au comité d'organisation. Vous recevrez sa décision par courriel ; d'ici là, vous pouvez la modifier en la renvoyant depuis la page de l'événement.",
        ),
        Some("retiree") => Some("La candidature est retirée ; le comité en est prévenu."),
        _ => None,
    };
    let page = ApplicationsPage {
        layout: visitor
            .menu(Layout::new(
                "Les candidatures de mes structures — Agora",
                "Les candidatures de vos structures aux événements.",
            ))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb("Candidatures", None),
        csrf: visitor.csrf().to_owned(),
        flash,
        applications,
    };
    session::page(StatusCode::OK, &page)
}

pub async fn withdraw(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    let (event, application) = path.into_inner();
    let (visitor, event) = match session::posting_about(&state, &req, &form, &event).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let Ok(application) = Uuid::parse_str(&application) else {
        return crate::error::not_found_page(&req);
    };
    match events::withdraw(&state.ctx, visitor.actor(), event, application).await {
        Ok(_) => redirect("/espace/candidatures?fait=retiree"),
        Err(e) => crate::error::from_service(e),
    }
}

//! Creating and editing a structure, a service or a project, through the registry's own
//! functions (`registry::create`, `update`, `submit`). The form comes back as typed after
//! any error; a concurrent save shows both versions; editing a published listing says
//! that the published version stays until the moderators approve the new one.

use super::content_form::{document, fields_of};
use super::form_view::{SHOWN, Section, sections_of, without_hidden};
use super::{kind_noun, segment};
use crate::WebState;
use crate::account::sign_in::RESUMED;
use crate::changes::{Row, rows};
use crate::fields::Errors;
use crate::form::FormData;
use crate::layout::Layout;
use crate::session::{self, Visitor, redirect};
use actix_web::http::StatusCode;
use actix_web::web;
use actix_web::{HttpRequest, HttpResponse};
use agora_domain::ListingKind;
use agora_service::views::AnyListingView;
use agora_service::{ServiceError, registry};
use askama::Template;
use serde_json::Value;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "workspace/listing_form.html")]
pub struct ListingForm {
    pub layout: Layout,
    pub heading: String,
    pub action: String,
    pub back: String,
    pub csrf: String,
    pub lock: Option<i32>,
    pub sections: Vec<Section>,
    /// Each error, in words, with the field it leads to (`None`: not on the form).
    pub top_errors: Vec<(String, Option<String>)>,
    pub error_count: usize,
    pub published_notice: Option<String>,
    pub moderator_reason: Option<String>,
    pub conflict: Vec<Row>,
    /// Sections the person may not read (set confidential): kept as they are.
    pub hidden: Vec<String>,
}

/// What is being written: a new listing (under a structure, for a service or project) or
/// an existing one.
#[derive(Clone, Copy)]
pub enum Target {
    New {
        kind: ListingKind,
        parent: Option<Uuid>,
    },
    Existing {
        kind: ListingKind,
        id: Uuid,
    },
}

impl Target {
    fn kind(self) -> ListingKind {
        match self {
            Self::New { kind, .. } | Self::Existing { kind, .. } => kind,
        }
    }

    fn action(self) -> String {
        match self {
            Self::New {
                kind: ListingKind::Structure,
                ..
            } => "/espace/structures/nouvelle".into(),
            Self::New { kind, parent } => format!(
                "/espace/structures/{}/{}/nouveau",
                parent.unwrap_or_default(),
                segment(kind)
            ),
            Self::Existing { kind, id } => format!("/espace/{}/{id}/modifier", segment(kind)),
        }
    }

    fn back(self) -> String {
        match self {
            Self::New {
                parent: Some(p), ..
            } => format!("/espace/structures/{p}"),
            Self::New { .. } => "/espace".into(),
            Self::Existing { kind, id } => format!("/espace/{}/{id}", segment(kind)),
        }
    }
}

pub struct Shown<'a> {
    pub values: &'a FormData,
    pub errors: &'a Errors,
    pub lock: Option<i32>,
    pub view: Option<&'a AnyListingView>,
    pub conflict: Vec<Row>,
}

pub fn render(
    state: &WebState,
    visitor: &Visitor,
    target: Target,
    status: StatusCode,
    shown: Shown<'_>,
) -> HttpResponse {
    let kind = target.kind();
    let heading = match (target, shown.view) {
        (Target::New { .. }, _) => format!("Nouvelle fiche : {}", kind_noun(kind)),
        (Target::Existing { .. }, Some(v)) => {
            format!("Modifier « {} »", crate::listing::name_of(&v.content))
        }
        (Target::Existing { .. }, None) => format!("Modifier la fiche ({})", kind_noun(kind)),
    };
    let review = shown.view.and_then(|v| v.review.as_ref());
    let elsewhere = shown.errors.elsewhere(&SHOWN);
    let page = ListingForm {
        layout: visitor
            .menu(Layout::new(format!("{heading} — Agora"), heading.clone()))
            .section("espace")
            .crumb("Mon espace", Some("/espace".into()))
            .crumb(heading.clone(), None)
            .script("espace.js"),
        heading,
        action: target.action(),
        back: target.back(),
        csrf: visitor.csrf().to_owned(),
        lock: shown.lock,
        sections: without_hidden(
            sections_of(kind, &state.ctx.vocab, shown.values, shown.errors),
            shown.view.map(|v| v.hidden_sections.as_slice()).unwrap_or_default(),
        ),
        error_count: shown.errors.0.len(),
        top_errors: shown
            .errors
            .0
            .iter()
            .map(|(pointer, message)| {
                let shown_here = !elsewhere.contains(message);
                (
                    format!("{} : {message}", crate::changes::pointer_words(pointer)),
                    shown_here.then(|| field_anchor(pointer)),
                )
            })
            .collect(),
        published_notice: review.filter(|r| r.has_published_version).map(|_| {
            "Cette fiche est publiée. Vos modifications seront relues par l'équipe de modération : d'ici là, la version publiée reste en ligne telle quelle.".to_owned()
        }),
        moderator_reason: review
            .filter(|r| r.state == agora_domain::RevisionState::ChangesRequested)
            .and_then(|r| r.reason.clone()),
        conflict: shown.conflict,
        hidden: shown
            .view
            .map(|v| {
                v.hidden_sections
                    .iter()
                    .map(|s| crate::changes::pointer_words(&format!("/{s}")))
                    .collect()
            })
            .unwrap_or_default(),
    };
    session::page(status, &page)
}

fn new_target(path_parent: Option<(Uuid, &str)>) -> Option<Target> {
    match path_parent {
        None => Some(Target::New {
            kind: ListingKind::Structure,
            parent: None,
        }),
        Some((parent, "services")) => Some(Target::New {
            kind: ListingKind::Service,
            parent: Some(parent),
        }),
        Some((parent, "projets")) => Some(Target::New {
            kind: ListingKind::Project,
            parent: Some(parent),
        }),
        _ => None,
    }
}

fn parse_parent(path: &(String, String)) -> Option<Target> {
    let parent = Uuid::parse_str(&path.0).ok()?;
    new_target(Some((parent, path.1.as_str())))
}

pub async fn new_structure(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    new_form(
        &state,
        &req,
        Target::New {
            kind: ListingKind::Structure,
            parent: None,
        },
    )
    .await
}

pub async fn new_child(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    match parse_parent(&path) {
        Some(target) => new_form(&state, &req, target).await,
        None => crate::error::not_found_page(&req),
    }
}

async fn new_form(state: &WebState, req: &HttpRequest, target: Target) -> HttpResponse {
    let visitor = match session::signed_in(state, req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    if let Target::New {
        parent: Some(parent),
        ..
    } = target
    {
        // The structure must be one the person may add to: the same answer as the API's.
        if let Err(e) =
            registry::get_for_edit(&state.ctx, visitor.actor(), ListingKind::Structure, parent)
                .await
        {
            return crate::error::from_service(e);
        }
    }
    let values = FormData::default();
    render(
        state,
        &visitor,
        target,
        StatusCode::OK,
        Shown {
            values: &values,
            errors: &Errors::default(),
            lock: None,
            view: None,
            conflict: Vec::new(),
        },
    )
}

pub async fn create_structure(
    state: web::Data<WebState>,
    req: HttpRequest,
    form: FormData,
) -> HttpResponse {
    save(
        &state,
        &req,
        &form,
        Target::New {
            kind: ListingKind::Structure,
            parent: None,
        },
    )
    .await
}

pub async fn create_child(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    match parse_parent(&path) {
        Some(target) => save(&state, &req, &form, target).await,
        None => crate::error::not_found_page(&req),
    }
}

fn existing(path: &(String, String)) -> Option<Target> {
    let kind = super::kind_of(&path.0)?;
    let id = Uuid::parse_str(&path.1).ok()?;
    Some(Target::Existing { kind, id })
}

pub async fn edit_form(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let Some(target @ Target::Existing { kind, id }) = existing(&path) else {
        return crate::error::not_found_page(&req);
    };
    let visitor = match session::signed_in(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    match registry::get_for_edit(&state.ctx, visitor.actor(), kind, id).await {
        Ok((view, lock)) => {
            let values = fields_of(&view.content.to_json());
            render(
                &state,
                &visitor,
                target,
                StatusCode::OK,
                Shown {
                    values: &values,
                    errors: &Errors::default(),
                    lock: Some(lock),
                    view: Some(&view),
                    conflict: Vec::new(),
                },
            )
        }
        Err(e) => crate::error::from_service(e),
    }
}

pub async fn update(
    state: web::Data<WebState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    form: FormData,
) -> HttpResponse {
    match existing(&path) {
        Some(target) => save(&state, &req, &form, target).await,
        None => crate::error::not_found_page(&req),
    }
}

async fn save(
    state: &WebState,
    req: &HttpRequest,
    form: &FormData,
    target: Target,
) -> HttpResponse {
    let visitor = match session::posting(state, req, form).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let kind = target.kind();
    let lock: Option<i32> = form.text("lock").parse().ok();
    let current = match target {
        Target::Existing { id, .. } => {
            match registry::get_for_edit(&state.ctx, visitor.actor(), kind, id).await {
                Ok(found) => Some(found),
                Err(e) => return crate::error::from_service(e),
            }
        }
        Target::New { .. } => None,
    };
    let view = current.as_ref().map(|(v, _)| v);
    let again = |status, errors: &Errors, lock, conflict| {
        render(
            state,
            &visitor,
            target,
            status,
            Shown {
                values: form,
                errors,
                lock,
                view,
                conflict,
            },
        )
    };
    // A form given back after a new sign-in is shown, not saved: the person checks it first.
    if form.has(RESUMED) {
        return again(StatusCode::OK, &Errors::default(), lock, Vec::new());
    }
    let (mut doc, place_errors) = document(kind, form);
    // A section this person may not read (confidential: moderators only) is not on their
    // form; it is left as it is rather than cleared.
    if let Some(v) = view {
        let stored = v.content.to_json();
        super::content_form::keep_positions(&mut doc, &stored);
        for section in &v.hidden_sections {
            doc.remove(section);
            // Nor may its visibility change: it stays for the moderators only.
            if let Some(Value::Object(vis)) = doc.get_mut("visibility") {
                vis.insert(section.clone(), Value::String("confidential".into()));
            }
        }
    }
    if !place_errors.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Errors(place_errors),
            lock,
            Vec::new(),
        );
    }
    let saved = match target {
        Target::New { parent, .. } => {
            registry::create(
                &state.ctx,
                visitor.actor(),
                kind,
                parent,
                Value::Object(doc.clone()),
            )
            .await
        }
        Target::Existing { id, .. } => {
            registry::update(
                &state.ctx,
                visitor.actor(),
                kind,
                id,
                doc.clone(),
                lock.unwrap_or(-1),
            )
            .await
        }
    };
    let view = match saved {
        Ok(view) => view,
        Err(ServiceError::Validation(e) | ServiceError::Malformed(e)) => {
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                &Errors::from_validation(&e),
                lock,
                Vec::new(),
            );
        }
        Err(ServiceError::StaleVersion) => {
            let Some((now, now_lock)) = current.as_ref() else {
                return crate::error::from_service(ServiceError::StaleVersion);
            };
            let conflict = rows(
                &state.ctx.vocab,
                &now.content.to_json(),
                &Value::Object(doc),
            );
            return again(
                StatusCode::CONFLICT,
                &Errors::default(),
                Some(*now_lock),
                conflict,
            );
        }
        Err(e) => return crate::error::from_service(e),
    };
    let mut done = "enregistre";
    if form.text("then") == "submit" {
        match registry::submit(&state.ctx, visitor.actor(), kind, view.id).await {
            Ok(_) => done = "envoye",
            Err(ServiceError::Conflict(_)) => done = "non-envoye",
            Err(e) => return crate::error::from_service(e),
        }
    }
    redirect(&format!(
        "/espace/{}/{}?fait={done}",
        segment(kind),
        view.id
    ))
}

/// Where on the form the field of `pointer` is (its input, or its group of boxes).
fn field_anchor(pointer: &str) -> String {
    let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["locations", n, ..] => format!("f-loc{n}-commune"),
        ["address", ..] => "f-address-commune".into(),
        ["coverage", ..] => "g-coverage-kind".into(),
        ["visibility", section, ..] => format!("g-vis-{}", section.replace('_', "-")),
        [
            group @ ("themes" | "audiences" | "cancer_types" | "stages" | "modes" | "skills"
            | "structure_kind" | "cost" | "project_kind" | "anonymous"),
            ..,
        ] => {
            format!("g-{}", group.replace('_', "-"))
        }
        [first, second, ..] => {
            format!("f-{}-{}", first.replace('_', "-"), second.replace('_', "-"))
        }
        [first] => format!("f-{}", first.replace('_', "-")),
        [] => "erreurs".into(),
    }
}

//! `/structures/{id}`, `/services/{id}`, `/projets/{id}`: the public view of a listing,
//! read through the same service as the API with the public's rights (private and
//! confidential sections, an anonymous project's owner: never here), with schema.org data,
//! "Signaler une erreur", and on a project "Je propose mon aide".

use crate::WebState;
use crate::error;
use crate::format::{self, Family};
use crate::layout::{Layout, send};
use crate::search::{href, kind_word};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use agora_domain::content::{Cost, ProjectKind};
use agora_domain::{
    Address, Contact, Freshness, ListingContent, ListingKind, ListingStatus, VocabularyKind,
};
use agora_service::views::{AnyListingView, UpdateKind};
use agora_service::{Actor, registry};
use askama::Template;
use serde_json::{Value, json};
use uuid::Uuid;

pub struct Fact {
    pub term: &'static str,
    pub value: String,
}

pub struct ContactView {
    pub name: Option<String>,
    pub phone: Option<(String, String)>,
    pub email: Option<String>,
    pub website: Option<String>,
}

pub struct Child {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
}

pub struct Update {
    pub date: String,
    pub body: String,
    pub story: bool,
}

#[derive(Template)]
#[template(path = "listing.html")]
pub struct ListingPage {
    pub layout: Layout,
    pub kind: &'static str,
    pub name: String,
    pub structure: Option<(String, String)>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub families: Vec<Family>,
    pub facts: Vec<Fact>,
    pub places: Vec<String>,
    pub hours: Option<String>,
    pub contact: Option<ContactView>,
    pub verified: Option<String>,
    pub stale: bool,
    pub labelled: bool,
    pub children: Vec<Child>,
    pub need: Option<String>,
    pub skills: Vec<String>,
    pub project: bool,
    pub status_note: Option<&'static str>,
    pub open_to_help: bool,
    /// Where the signed-in offer form is.
    pub help_href: String,
    pub updates: Vec<Update>,
    pub report_href: String,
    /// Services: "Avis des personnes accompagnées".
    pub evaluations: Option<crate::evaluation::Block>,
}

pub async fn structure(state: web::Data<WebState>, id: web::Path<String>) -> HttpResponse {
    show(&state, ListingKind::Structure, &id).await
}

/// A service's page also holds its evaluations, and for a signed-in visitor the
/// questionnaire: then it is theirs alone (never kept by a shared cache).
pub async fn service(
    state: web::Data<WebState>,
    req: actix_web::HttpRequest,
    id: web::Path<String>,
) -> HttpResponse {
    let visitor = match crate::session::visitor(&state, &req).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let mut page = match page_of(&state, ListingKind::Service, &id).await {
        Ok(p) => p,
        Err(response) => return response,
    };
    let Ok(service_id) = Uuid::parse_str(&id) else {
        return error::from_service(agora_service::ServiceError::NotFound("listing"));
    };
    let done = crate::session::done(&req);
    match crate::evaluation::block(&state, visitor.as_ref(), service_id, done.as_deref()).await {
        Ok(block) => page.evaluations = Some(block),
        Err(e) => return error::from_service(e),
    }
    match visitor {
        Some(v) => {
            page.layout = v.menu(page.layout);
            crate::session::page(StatusCode::OK, &page)
        }
        None => send(StatusCode::OK, &page),
    }
}

pub async fn project(state: web::Data<WebState>, id: web::Path<String>) -> HttpResponse {
    show(&state, ListingKind::Project, &id).await
}

/// A listing as the public may read it; `None` for anything else (unknown, not public,
/// malformed identifier), which the pages answer alike.
pub async fn public(
    state: &WebState,
    kind: ListingKind,
    id: &str,
) -> Result<Option<AnyListingView>, agora_service::ServiceError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    match registry::get(&state.ctx, &Actor::Anonymous, kind, id).await {
        Ok((view, _)) => Ok(Some(view)),
        Err(agora_service::ServiceError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn show(state: &WebState, kind: ListingKind, id: &str) -> HttpResponse {
    match page_of(state, kind, id).await {
        Ok(page) => send(StatusCode::OK, &page),
        Err(response) => response,
    }
}

async fn page_of(
    state: &WebState,
    kind: ListingKind,
    id: &str,
) -> Result<ListingPage, HttpResponse> {
    let view = match public(state, kind, id).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            return Err(error::from_service(agora_service::ServiceError::NotFound(
                "listing",
            )));
        }
        Err(e) => return Err(error::from_service(e)),
    };
    let children = if kind == ListingKind::Structure {
        let mut children = Vec::new();
        for child_kind in [ListingKind::Service, ListingKind::Project] {
            match registry::list_children(&state.ctx, &Actor::Anonymous, view.id, child_kind).await
            {
                Ok(list) => children.extend(list.into_iter().map(|c| Child {
                    href: href(c.kind, c.id),
                    name: name_of(&c.content),
                    kind: kind_word(c.kind),
                })),
                Err(e) => return Err(error::from_service(e)),
            }
        }
        children
    } else {
        Vec::new()
    };
    let updates = if kind == ListingKind::Project {
        match registry::list_project_updates(&state.ctx, &Actor::Anonymous, view.id).await {
            Ok(list) => list
                .into_iter()
                .map(|u| Update {
                    date: format::date(&u.published_at.unwrap_or(u.created_at)),
                    body: u.body,
                    story: u.kind == UpdateKind::SuccessStory,
                })
                .collect(),
            Err(e) => return Err(error::from_service(e)),
        }
    } else {
        Vec::new()
    };
    Ok(build(state, &view, children, updates))
}

pub fn name_of(content: &ListingContent) -> String {
    match content {
        ListingContent::Structure(s) => s.name.clone(),
        ListingContent::Service(s) => s.name.clone(),
        ListingContent::Project(p) => p.title.clone(),
    }
}

fn contact_view(c: &Contact) -> ContactView {
    ContactView {
        name: c.name.clone(),
        phone: c.phone.as_ref().map(|p| (format::tel(p), p.clone())),
        email: c.email.clone(),
        website: c.website.clone(),
    }
}

fn address_words(a: &Address) -> String {
    match &a.street {
        Some(street) => format!("{street}, {} {}", a.postcode, a.commune_name),
        None => format!("{} {}", a.postcode, a.commune_name),
    }
}

fn json_address(a: &Address) -> Value {
    json!({
        "@type": "PostalAddress",
        "streetAddress": a.street,
        "postalCode": a.postcode,
        "addressLocality": a.commune_name,
        "addressCountry": "FR",
    })
}

fn json_contact(c: Option<&Contact>) -> Value {
    json!({
        "telephone": c.and_then(|c| c.phone.clone()),
        "email": c.and_then(|c| c.email.clone()),
        "url": c.and_then(|c| c.website.clone()),
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        for (k, v) in b {
            if !v.is_null() {
                a.insert(k, v);
            }
        }
    }
    a
}

fn build(
    state: &WebState,
    view: &AnyListingView,
    children: Vec<Child>,
    updates: Vec<Update>,
) -> ListingPage {
    let vocab = &state.ctx.vocab;
    let labels = |kind, slugs: &[String]| format::labels(vocab, kind, slugs).join(", ");
    let name = name_of(&view.content);
    let structure = view
        .structure
        .as_ref()
        .map(|s| (format!("/structures/{}", s.id), s.name.clone()));
    let mut facts = Vec::new();
    let mut places = Vec::new();
    let mut push = |term: &'static str, value: String| {
        if !value.is_empty() {
            facts.push(Fact { term, value });
        }
    };
    let (summary, description, themes, hours, contact, need, skills, ld);
    match &view.content {
        ListingContent::Structure(s) => {
            push(
                "Type de structure",
                format::label(vocab, VocabularyKind::StructureKind, &s.structure_kind),
            );
            if let Some(rna) = &s.rna {
                push(
                    "Numéro RNA (répertoire national des associations)",
                    rna.clone(),
                );
            }
            if let Some(siret) = s.siret.as_ref().or(s.siren.as_ref()) {
                push("SIRET / SIREN", siret.clone());
            }
            if let Some(a) = &s.address {
                places.push(address_words(a));
            }
            summary = s.summary.clone();
            description = s.description.clone();
            themes = Vec::new();
            hours = None;
            contact = s.contact.as_ref().map(contact_view);
            need = None;
            skills = Vec::new();
            let mut org = json!({
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": s.name,
                "description": s.summary,
            });
            if let Some(a) = &s.address {
                org = merge(org, json!({ "address": json_address(a) }));
            }
            ld = merge(org, json_contact(s.contact.as_ref()));
        }
        ListingContent::Service(s) => {
            push("Pour qui", labels(VocabularyKind::Audience, &s.audiences));
            push(
                "Cancers",
                if s.cancer_types.is_empty() {
                    "Tous les cancers".to_owned()
                } else {
                    labels(VocabularyKind::CancerType, &s.cancer_types)
                },
            );
            push(
                "Étapes du parcours",
                labels(VocabularyKind::Stage, &s.stages),
            );
            push("Comment", labels(VocabularyKind::Mode, &s.modes));
            let cost = match s.cost {
                Cost::Free => "Gratuit".to_owned(),
                Cost::Paid => "Payant".to_owned(),
            };
            push(
                "Coût",
                match &s.cost_details {
                    Some(d) => format!("{cost} — {d}"),
                    None => cost,
                },
            );
            push("Où", format::coverage(&s.coverage));
            for l in &s.locations {
                places.push(match &l.name {
                    Some(n) => format!("{n} — {}", address_words(&l.address)),
                    None => address_words(&l.address),
                });
            }
            summary = Some(s.summary.clone());
            description = s.description.clone();
            themes = s.themes.clone();
            hours = s.opening_hours.clone();
            contact = s.contact.as_ref().map(contact_view);
            need = None;
            skills = Vec::new();
            let mut service = json!({
                "@context": "https://schema.org",
                "@type": "Service",
                "name": s.name,
                "description": s.summary,
                "areaServed": format::coverage(&s.coverage),
                "isAccessibleForFree": s.cost == Cost::Free,
                "hoursAvailable": s.opening_hours,
            });
            if let Some(st) = &view.structure {
                service = merge(
                    service,
                    json!({"provider": {"@type": "Organization", "name": st.name}}),
                );
            }
            ld = merge(service, json_contact(s.contact.as_ref()));
        }
        ListingContent::Project(p) => {
            push(
                "Format",
                match p.project_kind {
                    ProjectKind::LongProject => "Projet au long cours, avec une équipe".to_owned(),
                    ProjectKind::MiniMission => {
                        "Mini-mission : une contribution courte et bien délimitée".to_owned()
                    }
                },
            );
            push("Où", format::coverage(&p.coverage));
            summary = Some(p.summary.clone());
            description = p.description.clone();
            themes = p.themes.clone();
            hours = None;
            contact = p.contact.as_ref().map(contact_view);
            need = p.need.clone();
            skills = format::labels(vocab, VocabularyKind::Skill, &p.skills);
            let mut project = json!({
                "@context": "https://schema.org",
                "@type": "Project",
                "name": p.title,
                "description": p.summary,
            });
            if let Some(st) = &view.structure {
                project = merge(
                    project,
                    json!({"parentOrganization": {"@type": "Organization", "name": st.name}}),
                );
            }
            ld = project;
        }
    }
    push("Thèmes", labels(VocabularyKind::Theme, &themes));
    let status_note = match view.status {
        ListingStatus::Paused => Some("Ce projet ne cherche pas de contributeurs pour le moment."),
        ListingStatus::Completed => Some("Ce projet est terminé."),
        _ => None,
    };
    let kind = view.kind;
    let path = href(kind, view.id);
    let section_label = match kind {
        ListingKind::Project => ("Projets", "/projets".to_owned()),
        _ => ("Recherche", "/recherche".to_owned()),
    };
    let layout = Layout::new(
        format!("{name} — Agora"),
        summary.clone().unwrap_or_else(|| name.clone()),
    )
    .section(if kind == ListingKind::Project {
        "projets"
    } else {
        "recherche"
    })
    .crumb(section_label.0, Some(section_label.1))
    .crumb(name.clone(), None)
    .json_ld(&ld);
    ListingPage {
        layout,
        kind: kind_word(kind),
        name,
        structure,
        summary,
        description,
        families: format::families(vocab, &themes),
        facts,
        places,
        hours,
        contact,
        verified: view.verified_at.as_ref().map(format::date),
        stale: view.freshness == Freshness::Stale,
        labelled: view.labelled,
        children,
        need,
        skills,
        project: kind == ListingKind::Project,
        status_note,
        open_to_help: kind == ListingKind::Project && view.status == ListingStatus::Published,
        help_href: format!("/projets/{}/aider", view.id),
        updates,
        report_href: format!("{path}/signaler"),
        evaluations: None,
    }
}

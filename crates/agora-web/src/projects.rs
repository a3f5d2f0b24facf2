//! `/projets`: the catalogue of public projects (Lab Agora), filtered by skill, theme and
//! région: the search restricted to projects, with its own page.

use crate::WebState;
use crate::error;
use crate::format;
use crate::layout::{Layout, send};
use crate::listing::name_of;
use crate::query::Params;
use crate::search::{SearchPageView, href, run};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use agora_service::registry;
use askama::Template;

/// What a completed project achieved with the help it found.
pub struct Story {
    pub href: String,
    pub title: String,
    pub body: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "projects.html")]
pub struct ProjectsPage {
    pub layout: Layout,
    pub s: SearchPageView,
    pub stories: Vec<Story>,
}

/// Success stories shown above the catalogue's first page.
const STORIES: u64 = 3;

pub async fn catalogue(state: web::Data<WebState>, req: HttpRequest) -> HttpResponse {
    let (params, _) = Params::parse(req.query_string());
    let params = params.with("kind", Some("project"));
    let mut view = match run(&state, &params, None).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    // Links of the search page lead back to the search; here they stay in the catalogue.
    let here = |href: &mut String| {
        if let Some(rest) = href.strip_prefix("/recherche") {
            *href = format!("/projets{rest}");
        }
    };
    view.groups.retain(|g| {
        matches!(
            g.title,
            "Thème" | "Compétences recherchées" | "Format" | "Portée" | "Région"
        )
    });
    for g in &mut view.groups {
        for l in &mut g.links {
            here(&mut l.href);
        }
    }
    view.active_filters.retain(|f| f.label != "Projet");
    for f in &mut view.active_filters {
        here(&mut f.href);
    }
    for link in [&mut view.next, &mut view.first].into_iter().flatten() {
        here(link);
    }
    let stories = if params.get("cursor").is_none() {
        match registry::success_stories(&state.ctx, STORIES).await {
            Ok(list) => list
                .into_iter()
                .map(|(project, story)| Story {
                    href: href(project.kind, project.id),
                    title: name_of(&project.content),
                    body: story.body,
                    date: format::date(&story.published_at.unwrap_or(story.created_at)),
                })
                .collect(),
            Err(e) => return error::from_service(e),
        }
    } else {
        Vec::new()
    };
    let layout = Layout::new(
        "Projets qui cherchent de l'aide (Lab Agora) — Agora",
        "Les projets des associations et des équipes de soins qui cherchent des compétences, du temps ou des partenaires.",
    )
    .section("projets")
    .crumb("Projets", None);
    send(
        StatusCode::OK,
        &ProjectsPage {
            layout,
            s: view,
            stories,
        },
    )
}

//! `/`: the question in the person's words, a place, the families as entry points, and
//! what Agora is.

use crate::WebState;
use crate::layout::{Layout, send};
use crate::search::{FamilyLink, family_links};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub layout: Layout,
    pub q: String,
    pub place_name: String,
    pub hidden: Vec<(String, String)>,
    pub family_links: Vec<FamilyLink>,
}

pub async fn page(state: web::Data<WebState>) -> HttpResponse {
    let layout = Layout::new(
        "Agora — trouver un soutien après un cancer, près de chez vous",
        "Associations, dispositifs de soutien et projets pour les personnes touchées par un cancer et leurs proches, partout en France.",
    )
    .json_ld(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": "Agora — soutien après un cancer",
        "potentialAction": {
            "@type": "SearchAction",
            "target": "/recherche?q={q}",
            "query-input": "required name=q"
        }
    }));
    send(
        StatusCode::OK,
        &HomePage {
            layout,
            q: String::new(),
            place_name: String::new(),
            hidden: Vec::new(),
            family_links: family_links(&state),
        },
    )
}

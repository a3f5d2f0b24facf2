//! `/annuaire/{code_departement}` and `/annuaire/region/{code_region}`: the printable
//! directory of the services serving an area, grouped by family then theme, each with
//! what it does in a line, its phone, its address (or "à distance"), its hours, when it
//! was last verified and a QR code to its page. Laid out for A4 by the print stylesheet,
//! readable in black and white; the same as a PDF at `…/{code}.pdf`, typeset by Typst.

mod gather;
pub(crate) mod pdf;

pub use pdf::warm;

use crate::WebState;
use crate::error;
use crate::layout::{Layout, send};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use gather::{Directory, gather};

#[derive(Template)]
#[template(path = "directory.html")]
pub struct DirectoryPage {
    pub layout: Layout,
    pub d: Directory,
    pub pdf_href: String,
    pub other_areas: Vec<(String, String)>,
}

pub struct RegionEntry {
    pub href: String,
    pub name: String,
    pub departements: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "directory_index.html")]
pub struct DirectoryIndex {
    pub layout: Layout,
    pub regions: Vec<RegionEntry>,
}

/// `/annuaire`: every région and département, each a link to its printable directory.
pub async fn index() -> HttpResponse {
    let regions = agora_geo::regions()
        .iter()
        .map(|r| RegionEntry {
            href: format!("/annuaire/region/{}", r.code),
            name: r.name.to_owned(),
            departements: agora_geo::departements_of_region(r.code)
                .map(|d| {
                    (
                        format!("/annuaire/{}", d.code),
                        format!("{} ({})", d.name, d.code),
                    )
                })
                .collect(),
        })
        .collect();
    let layout = Layout::new(
        "Annuaire à imprimer — Agora",
        "Choisissez un département ou une région pour imprimer l'annuaire de ses soutiens après un cancer.",
    )
    .section("annuaire")
    .crumb("Annuaire à imprimer", None);
    send(StatusCode::OK, &DirectoryIndex { layout, regions })
}

pub async fn departement(
    state: web::Data<WebState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let (code, format) = split_format(&code);
    let Some(d) = agora_geo::departement(&code.to_uppercase()) else {
        return unknown_area(&req);
    };
    let others = agora_geo::departements_of_region(d.region_code)
        .filter(|o| o.code != d.code)
        .map(|o| {
            (
                format!("/annuaire/{}", o.code),
                format!("{} ({})", o.name, o.code),
            )
        })
        .chain(agora_geo::region(d.region_code).map(|r| {
            (
                format!("/annuaire/region/{}", r.code),
                format!("Toute la région {}", r.name),
            )
        }))
        .collect();
    let pdf_href = format!("/annuaire/{}.pdf", d.code);
    let area = format!("{} ({})", d.name, d.code);
    respond(
        &state,
        area,
        ("code_departement", d.code),
        others,
        pdf_href,
        format,
    )
    .await
}

pub async fn region(
    state: web::Data<WebState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    let (code, format) = split_format(&code);
    let Some(r) = agora_geo::region(code) else {
        return unknown_area(&req);
    };
    let others = agora_geo::departements_of_region(r.code)
        .map(|o| {
            (
                format!("/annuaire/{}", o.code),
                format!("{} ({})", o.name, o.code),
            )
        })
        .collect();
    let pdf_href = format!("/annuaire/region/{}.pdf", r.code);
    let area = r.name.to_owned();
    respond(
        &state,
        area,
        ("code_region", r.code),
        others,
        pdf_href,
        format,
    )
    .await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Page,
    Pdf,
}

/// `25.pdf` asks for the PDF of `25`.
fn split_format(code: &str) -> (&str, Format) {
    match code.strip_suffix(".pdf") {
        Some(code) => (code, Format::Pdf),
        None => (code, Format::Page),
    }
}

async fn respond(
    state: &WebState,
    area: String,
    place: (&str, &str),
    other_areas: Vec<(String, String)>,
    pdf_href: String,
    format: Format,
) -> HttpResponse {
    let d = match gather(state, area, place).await {
        Ok(d) => d,
        Err(e) => return error::from_service(e),
    };
    if format == Format::Pdf {
        let file_name = format!("agora-annuaire-{}.pdf", place.1);
        let base = d.portal.clone();
        return match pdf::render(d, base).await {
            Ok(bytes) => HttpResponse::Ok()
                .content_type("application/pdf")
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{file_name}\""),
                ))
                .body(bytes),
            Err(e) => {
                tracing::error!(error = %e, "the directory could not be typeset");
                error::page(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "PDF indisponible",
                    vec!["Le PDF n'a pas pu être préparé. La page web de l'annuaire s'imprime aussi.".into()],
                )
            }
        };
    }
    let layout = Layout::new(
        format!("Annuaire à imprimer — {} — Agora", d.area),
        format!(
            "Les soutiens après un cancer disponibles en {}, à imprimer pour une mairie, une maison de santé ou une salle d'attente.",
            d.area
        ),
    )
    .section("annuaire")
    .crumb("Annuaire à imprimer", Some("/annuaire".to_owned()))
    .crumb(d.area.clone(), None);
    send(
        StatusCode::OK,
        &DirectoryPage {
            layout,
            d,
            pdf_href,
            other_areas,
        },
    )
}

fn unknown_area(_req: &HttpRequest) -> HttpResponse {
    error::page(
        StatusCode::NOT_FOUND,
        "Territoire inconnu",
        vec![
            "Cette adresse ne correspond à aucun département ni aucune région. Un département s'écrit avec son numéro (par exemple 25 pour le Doubs, 2A pour la Corse-du-Sud, 974 pour La Réunion), une région avec son code officiel (27 pour la Bourgogne-Franche-Comté).".into(),
        ],
    )
}

//! French error pages: what went wrong in plain words and what to do next, with the right
//! status, never a trace.

use crate::layout::{Layout, send};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use agora_service::ServiceError;
use askama::Template;

/// Sent when even the error page cannot be rendered.
pub const FALLBACK: &str = "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">\
<title>Erreur — Agora</title></head><body><main><h1>Une erreur est survenue</h1>\
<p>Réessayez dans quelques instants. <a href=\"/\">Retour à l'accueil</a></p></main></body></html>";

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub heading: String,
    pub paragraphs: Vec<String>,
}

pub fn page(status: StatusCode, heading: &str, paragraphs: Vec<String>) -> HttpResponse {
    let title = format!("{heading} — Agora");
    send(
        status,
        &ErrorPage {
            layout: Layout::new(title, heading.to_owned()).not_indexable(),
            heading: heading.to_owned(),
            paragraphs,
        },
    )
}

pub fn not_found_page(_req: &HttpRequest) -> HttpResponse {
    page(
        StatusCode::NOT_FOUND,
        "Page introuvable",
        vec![
            "La page que vous cherchez n'existe pas ou n'existe plus : l'adresse est peut-être mal recopiée, ou la fiche a été retirée par la structure qui la tenait.".into(),
            "Vous pouvez chercher un soutien depuis la page d'accueil.".into(),
        ],
    )
}

/// The page for an error of the services, in the reader's words.
pub fn from_service(e: ServiceError) -> HttpResponse {
    match e {
        ServiceError::NotFound(_) => not_found_page_plain(),
        // As the API: a value of the wrong form is 400, an unknown value 422.
        ServiceError::Malformed(errors) => unreadable(StatusCode::BAD_REQUEST, &errors),
        ServiceError::Validation(errors) => {
            unreadable(StatusCode::UNPROCESSABLE_ENTITY, &errors)
        }
        ServiceError::TooManyRequests { .. } => page(
            StatusCode::TOO_MANY_REQUESTS,
            "Trop de demandes",
            vec!["Vous avez fait beaucoup de demandes en peu de temps. Réessayez dans quelques minutes.".into()],
        ),
        ServiceError::Forbidden(_) => page(
            StatusCode::FORBIDDEN,
            "Accès réservé",
            vec!["Cette page ou cette action est réservée à d'autres personnes que vous (les membres de la structure, ou l'équipe de modération).".into()],
        ),
        ServiceError::Unauthenticated(_) => page(
            StatusCode::UNAUTHORIZED,
            "Connexion nécessaire",
            vec!["Connectez-vous pour continuer.".into()],
        ),
        ServiceError::Conflict(_) | ServiceError::Transition(_) | ServiceError::StaleVersion => page(
            StatusCode::CONFLICT,
            "Action impossible pour l'instant",
            vec![
                "La fiche n'est pas (ou plus) dans un état qui permet cette action : elle a peut-être changé entre-temps.".into(),
                "Rouvrez-la depuis votre espace pour voir où elle en est.".into(),
            ],
        ),
        ServiceError::Gone(_) => page(
            StatusCode::GONE,
            "Plus rien à faire",
            vec!["Cette demande a déjà été traitée ou n'existe plus.".into()],
        ),
        ServiceError::Unavailable | ServiceError::Overloaded { .. } => page(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service momentanément indisponible",
            vec!["Agora ne peut pas répondre pour le moment. Réessayez dans quelques minutes.".into()],
        ),
        other => {
            tracing::error!(error = %other, "a page met an error");
            page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Une erreur est survenue",
                vec!["La page n'a pas pu être préparée. Réessayez dans quelques instants.".into()],
            )
        }
    }
}

/// A search whose parameters do not hold, naming them in the reader's words.
fn unreadable(status: StatusCode, errors: &agora_domain::ValidationErrors) -> HttpResponse {
    let fields: Vec<String> = errors
        .0
        .iter()
        .map(|f| field_in_words(&f.pointer))
        .collect();
    page(
        status,
        "Recherche impossible à lire",
        vec![
            format!(
                "Un des réglages de l'adresse ne convient pas ({}). Il a peut-être été modifié à la main ou recopié en partie.",
                fields.join(", ")
            ),
            "Relancez la recherche depuis le formulaire : il ne produit que des adresses valides."
                .into(),
        ],
    )
}

fn not_found_page_plain() -> HttpResponse {
    page(
        StatusCode::NOT_FOUND,
        "Fiche introuvable",
        vec![
            "Cette fiche n'existe pas, n'est pas (ou plus) publiée, ou l'adresse est incomplète."
                .into(),
            "Vous pouvez chercher un soutien depuis la page d'accueil.".into(),
        ],
    )
}

/// A query parameter, as the search form calls it.
fn field_in_words(pointer: &str) -> String {
    let name = pointer.trim_start_matches('/');
    let words = match name {
        "q" => "les mots cherchés",
        "kind" => "le type de fiche",
        "theme" => "le thème",
        "cancer" => "le cancer",
        "audience" => "le public",
        "stage" => "l'étape du parcours",
        "mode" => "la façon d'être accompagné",
        "skill" => "la compétence",
        "scope" => "la portée",
        "format" => "le format du projet",
        "code_region" | "code_departement" | "code_commune" | "postcode" => "le lieu",
        "lat" | "lon" | "radius_km" => "la position « autour de moi »",
        "cursor" => "la page de résultats",
        "limit" => "le nombre de résultats par page",
        "sort" => "l'ordre des résultats",
        _ => "un réglage",
    };
    words.to_owned()
}

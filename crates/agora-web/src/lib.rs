//! Agora's pages, in French and rendered on the server: the public portal (home, search,
//! the listings, the projects' catalogue, the printable directory, the indicators, and the
//! pages a French public service must have). Every page works without JavaScript; the one
//! small script only adds "autour de moi". The pages call the same services as the API,
//! with the public's rights, so they can show nothing the API would not.

mod assets;
mod directory;
mod error;
mod format;
mod home;
mod indicators;
mod layout;
mod legal;
mod listing;
mod map;
mod projects;
mod qr;
mod query;
mod report;
mod search;

use actix_web::{HttpRequest, HttpResponse, web};
use agora_service::Context;
use std::net::IpAddr;
use std::sync::Arc;

/// Names the client of a request (the deployment's reverse proxies taken into account):
/// per-client limits, such as the reports', count people, not proxies.
pub type ClientAddress = Arc<dyn Fn(&HttpRequest) -> IpAddr + Send + Sync>;

/// What every page shares, built once per process.
pub struct WebState {
    pub ctx: Context,
    pub client_address: ClientAddress,
}

/// The pages' routes, to add to the server's application.
pub fn configure(state: web::Data<WebState>) -> impl Fn(&mut web::ServiceConfig) + Clone {
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(state.clone())
            .app_data(web::PathConfig::default().error_handler(|_, req| {
                actix_web::error::InternalError::from_response(
                    "not found",
                    error::not_found_page(req),
                )
                .into()
            }))
            .route("/", web::get().to(home::page))
            .route("/recherche", web::get().to(search::page))
            .route("/structures/{id}", web::get().to(listing::structure))
            .route("/services/{id}", web::get().to(listing::service))
            .route("/projets", web::get().to(projects::catalogue))
            .route("/projets/{id}", web::get().to(listing::project))
            .route("/{kind}/{id}/signaler", web::get().to(report::form))
            .route("/{kind}/{id}/signaler", web::post().to(report::send_report))
            .route("/annuaire", web::get().to(directory::index))
            .route("/annuaire/qr/{kind}/{id}", web::get().to(qr::image))
            .route("/annuaire/region/{code}", web::get().to(directory::region))
            .route("/annuaire/{code}", web::get().to(directory::departement))
            .route("/indicateurs", web::get().to(indicators::page))
            .route("/indicateurs.csv", web::get().to(indicators::csv))
            .route("/accessibilite", web::get().to(legal::accessibility))
            .route("/mentions-legales", web::get().to(legal::notice))
            .route("/donnees-personnelles", web::get().to(legal::privacy))
            .route("/plan-du-site", web::get().to(legal::sitemap))
            .route("/static/{version}/{path:.*}", web::get().to(assets::serve))
            .route("/favicon.ico", web::get().to(assets::favicon));
    }
}

/// Loads what the printable PDF needs (fonts, the typesetter) off the request path: a
/// server calls it once at start, in the background.
pub fn warm() {
    directory::warm();
}

/// The page for an address that names nothing (outside the API).
pub fn not_found(req: &HttpRequest) -> HttpResponse {
    error::not_found_page(req)
}

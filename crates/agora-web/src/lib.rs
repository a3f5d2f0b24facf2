//! Agora's pages, in French and rendered on the server: the public portal (home, search,
//! the listings, the projects' catalogue, the printable directory, the indicators, and the
//! pages a French public service must have). Every page works without JavaScript; the one
//! small script only adds "autour de moi". The pages call the same services as the API,
//! with the public's rights, so they can show nothing the API would not.

mod account;
mod assets;
mod changes;
mod committee;
mod directory;
mod error;
mod evaluation;
mod events;
mod fields;
mod form;
mod format;
mod help_offer;
mod home;
mod indicators;
mod layout;
mod legal;
mod listing;
mod map;
mod meetings;
mod moderation;
mod projects;
mod qr;
mod query;
mod report;
mod search;
mod session;
mod workspace;

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
            .app_data(web::PayloadConfig::new(form::MAX_FORM_BYTES))
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
            .route("/projets/{id}/aider", web::get().to(help_offer::form))
            .route("/projets/{id}/aider", web::post().to(help_offer::send))
            .route("/services/{id}/avis", web::get().to(evaluation::form))
            .route("/services/{id}/avis", web::post().to(evaluation::send))
            .route(
                "/espace/services/{id}/reponse",
                web::post().to(evaluation::respond),
            )
            .route(
                "/espace/services/{id}/reponse/retirer",
                web::post().to(evaluation::respond),
            )
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
            .route("/connexion", web::get().to(account::sign_in::form))
            .route("/connexion", web::post().to(account::sign_in::submit))
            .route(
                "/deconnexion",
                web::get().to(account::sign_in::sign_out_form),
            )
            .route("/deconnexion", web::post().to(account::sign_in::sign_out))
            .route(
                "/inscription",
                web::get().to(account::register::register_form),
            )
            .route("/inscription", web::post().to(account::register::register))
            .route(
                "/mot-de-passe-oublie",
                web::get().to(account::register::forgot_form),
            )
            .route(
                "/mot-de-passe-oublie",
                web::post().to(account::register::forgot),
            )
            .route("/compte", web::get().to(account::profile::page))
            .route("/compte/nom", web::post().to(account::profile::rename))
            .route(
                "/compte/mes-donnees.json",
                web::get().to(account::profile::export),
            )
            .route(
                "/compte/mot-de-passe",
                web::post().to(account::profile::change_password),
            )
            .route("/compte/supprimer", web::post().to(account::profile::erase))
            .route("/espace", web::get().to(workspace::dashboard))
            .route(
                "/espace/structures/nouvelle",
                web::get().to(workspace::new_structure),
            )
            .route(
                "/espace/structures/nouvelle",
                web::post().to(workspace::create_structure),
            )
            .route(
                "/espace/structures/{id}/{child:services|projets}/nouveau",
                web::get().to(workspace::new_child),
            )
            .route(
                "/espace/structures/{id}/{child:services|projets}/nouveau",
                web::post().to(workspace::create_child),
            )
            .route(
                "/espace/structures/{id}/invitations",
                web::post().to(workspace::invite),
            )
            .route(
                "/espace/structures/{id}/membres/{user}/retirer",
                web::post().to(workspace::remove_member),
            )
            .route(
                "/espace/structures/{id}/label",
                web::post().to(workspace::apply_for_label),
            )
            .route(
                "/espace/invitations/{id}/{answer:accepter|refuser}",
                web::post().to(workspace::answer_invitation),
            )
            .route(
                "/espace/offres/{id}/{answer:accepter|refuser}",
                web::post().to(workspace::answer_offer),
            )
            .route(
                "/espace/projets/{id}/{action:pause|reprise|termine}",
                web::post().to(workspace::project_action),
            )
            .route(
                "/espace/projets/{id}/{news:nouvelle|reussite}",
                web::post().to(workspace::project_news),
            )
            .route(
                "/espace/{kind:structures|services|projets}/{id}",
                web::get().to(workspace::listing),
            )
            .route(
                "/espace/{kind:structures|services|projets}/{id}/modifier",
                web::get().to(workspace::edit_form),
            )
            .route(
                "/espace/{kind:structures|services|projets}/{id}/modifier",
                web::post().to(workspace::update),
            )
            .route(
                "/espace/{kind:structures|services|projets}/{id}/soumettre",
                web::post().to(workspace::submit),
            )
            .route(
                "/espace/{kind:structures|services|projets}/{id}/a-jour",
                web::post().to(workspace::confirm),
            )
            .route("/moderation", web::get().to(moderation::queue))
            .route("/moderation/file/{id}", web::get().to(moderation::item))
            .route(
                "/moderation/file/{id}/decision",
                web::post().to(moderation::decide),
            )
            .route(
                "/moderation/signalements",
                web::get().to(moderation::reports),
            )
            .route(
                "/moderation/signalements/{id}/traiter",
                web::post().to(moderation::resolve),
            )
            .route("/moderation/offres", web::get().to(moderation::offers))
            .route(
                "/moderation/offres/{id}/{action:transmettre|decliner}",
                web::post().to(moderation::screen),
            )
            .route("/moderation/label", web::get().to(moderation::label))
            .route(
                "/moderation/label/{id}/{action:pieces|comite|decision}",
                web::post().to(moderation::label_act),
            )
            .route(
                "/moderation/fraicheur",
                web::get().to(moderation::freshness),
            )
            .route(
                "/moderation/historique/{kind:structures|services|projets}/{id}",
                web::get().to(moderation::trail),
            )
            .route("/comite", web::get().to(committee::list))
            .route(
                "/comite/dossiers/{id}",
                web::get().to(committee::application),
            )
            .route(
                "/comite/dossiers/{id}/{what:evaluation|conflit}",
                web::post().to(committee::review),
            )
            .route("/evenements", web::get().to(events::list))
            .route("/evenements/{id}", web::get().to(events::page))
            .route(
                "/evenements/{id}/candidater",
                web::get().to(events::apply_form),
            )
            .route(
                "/evenements/{id}/candidater",
                web::post().to(events::apply_send),
            )
            .route("/espace/evenements", web::get().to(events::mine))
            .route(
                "/espace/evenements/nouveau",
                web::get().to(events::new_form),
            )
            .route("/espace/evenements/nouveau", web::post().to(events::create))
            .route(
                "/espace/evenements/{id}/modifier",
                web::get().to(events::edit_form),
            )
            .route(
                "/espace/evenements/{id}/modifier",
                web::post().to(events::update),
            )
            .route(
                "/espace/evenements/{id}/soumettre",
                web::post().to(events::submit),
            )
            .route(
                "/espace/evenements/{id}/comite",
                web::post().to(events::committee_invite),
            )
            .route(
                "/espace/evenements/{id}/comite/{user}/retirer",
                web::post().to(events::committee_remove),
            )
            .route(
                "/espace/evenements/{id}/invitation/{answer:accepter|refuser}",
                web::post().to(events::answer_invitation),
            )
            .route(
                "/espace/evenements/{id}/candidatures",
                web::get().to(events::review),
            )
            .route(
                "/espace/evenements/{id}/candidatures/{app}/{decision:accepter|decliner}",
                web::post().to(events::decide),
            )
            .route(
                "/espace/candidatures",
                web::get().to(events::my_applications),
            )
            .route(
                "/espace/candidatures/{event}/{app}/retirer",
                web::post().to(events::withdraw),
            )
            .route("/moderation/evenements", web::get().to(events::moderation))
            .route(
                "/moderation/evenements/{id}/{action:publier|refuser}",
                web::post().to(events::moderate),
            )
            .route("/static/{version}/{path:.*}", web::get().to(assets::serve))
            .route("/favicon.ico", web::get().to(assets::favicon))
            .configure(meetings::routes);
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

//! Agora's HTTP API (actix-web): the route table, problem+json errors, extractors,
//! conditional requests, and the OpenAPI document generated from the routes.

mod allowed;
mod body_schema;
pub mod client;
mod etag;
mod examples;
mod extract;
mod guard;
pub mod openapi;
mod pages;
mod problem;
pub mod quota;
mod request_context;
mod routes;
mod state;
pub mod telemetry;

pub use problem::{ApiError, Problem};
pub use state::ApiState;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpRequest, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

/// Where the OpenAPI document is served (the Swagger UI at `/docs/` reads it there).
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

fn register(cfg: &mut ServiceConfig) {
    cfg.service(scope::scope("/api/v1").configure(routes::api_v1))
        .service(routes::health::health)
        .service(routes::health::ready)
        .service(routes::scrape::metrics);
}

/// The OpenAPI document of every route the server serves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(register)
        .split_for_parts()
        .1;
    utoipa::Modify::modify(&openapi::Conventions, &mut document);
    document
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::ACCEPT,
        ])
        .expose_headers([
            header::ETAG,
            header::LINK,
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("x-request-id"),
        ])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Pages served beside the API on the same port (the French portal): their routes, and
/// the page for an unknown address outside the API.
#[derive(Clone)]
pub struct Site {
    pub configure: Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>,
    pub not_found: fn(&HttpRequest) -> actix_web::HttpResponse,
}

/// What every worker's app shares, built once per process from the state.
#[derive(Clone)]
pub struct Shared {
    site: Option<Site>,
    data: web::Data<ApiState>,
    document: utoipa::openapi::OpenApi,
    allowed: web::Data<allowed::AllowedMethods>,
    body_schemas: web::Data<body_schema::BodySchemas>,
    operations: web::Data<guard::Operations>,
}

impl Shared {
    pub fn new(state: ApiState) -> std::io::Result<Self> {
        // Before the first request: the counters of every server of the process go there.
        telemetry::recorder();
        let document = openapi();
        let allowed = web::Data::new(allowed::AllowedMethods::from_document(&document));
        let body_schemas = web::Data::new(
            body_schema::BodySchemas::from_document(&document)
                .map_err(|e| std::io::Error::other(format!("API document: {e}")))?,
        );
        let operations = web::Data::new(
            guard::Operations::from_document(&document)
                .map_err(|e| std::io::Error::other(format!("API document: {e}")))?,
        );
        Ok(Self {
            site: None,
            data: web::Data::new(state),
            document,
            allowed,
            body_schemas,
            operations,
        })
    }
}

impl Shared {
    /// Serves `site`'s pages beside the API.
    pub fn with_site(mut self, site: Site) -> Self {
        self.site = Some(site);
        self
    }
}

/// The application: routes, documentation, error handling and middleware.
pub fn app(
    shared: Shared,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let swagger = SwaggerUi::new("/docs/{_:.*}").url(OPENAPI_PATH, shared.document.clone());
    let (app, _) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .app_data(shared.data.clone())
        .app_data(shared.allowed.clone())
        .app_data(shared.body_schemas.clone())
        .app_data(shared.operations.clone())
        // Before the `/api/v1` scope, which would otherwise claim the document's path.
        .map(|app| {
            app.service(swagger)
                .service(web::redirect("/docs", "/docs/"))
        })
        .configure(register)
        .split_for_parts();
    let app = match &shared.site {
        Some(site) => app
            .app_data(web::Data::new(allowed::PageFallback(site.not_found)))
            .configure(|cfg| (site.configure)(cfg)),
        None => app,
    };
    app.app_data(
        web::PathConfig::default()
            .error_handler(|_, req: &HttpRequest| extract::path_error(req).into()),
    )
    .default_service(web::to(allowed::no_route))
    // Innermost: runs after CORS has answered preflights, before any extractor.
    .wrap(from_fn(guard::guard))
    .wrap(cors(&shared.data.cors_origins))
    .wrap(from_fn(request_context::request_context))
    // Outermost: counts and times every answer, refusals included.
    .wrap(from_fn(telemetry::record))
}

/// Starts the HTTP server on `listener`. Shared state is built here, once, outside the
/// per-worker factory.
pub fn serve(
    state: ApiState,
    site: Option<Site>,
    listener: TcpListener,
    workers: usize,
) -> std::io::Result<Server> {
    serve_with_shutdown(state, site, listener, workers, 30)
}

/// [`serve`], where a graceful stop waits at most `shutdown_timeout_secs` for requests in
/// flight. The server does not watch signals itself: whoever runs it decides when to stop
/// (and what else to stop), through its handle.
pub fn serve_with_shutdown(
    state: ApiState,
    site: Option<Site>,
    listener: TcpListener,
    workers: usize,
    shutdown_timeout_secs: u64,
) -> std::io::Result<Server> {
    let mut shared = Shared::new(state)?;
    if let Some(site) = site {
        shared = shared.with_site(site);
    }
    let server = HttpServer::new(move || app(shared.clone()))
        .listen(listener)?
        .workers(workers.max(1))
        .shutdown_timeout(shutdown_timeout_secs)
        .disable_signals()
        .run();
    Ok(server)
}

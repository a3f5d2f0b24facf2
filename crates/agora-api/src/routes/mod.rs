//! The route table: every operation is registered through `utoipa_actix_web`, so the
//! routes served and the paths documented come from the same list.

pub mod account_links;
pub mod accounts;
pub mod changes;
pub mod evaluations;
pub mod events;
pub mod exports;
pub mod health;
pub mod help;
pub mod invitations;
pub mod label;
pub mod listings;
pub mod meetings;
pub mod moderation;
pub mod partners;
pub mod projects;
pub mod reference;
pub mod refresh;
pub mod reports;
pub mod scrape;
pub mod search;
pub mod structures;
pub mod webhooks;

use crate::problem::ApiResult;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use agora_service::pagination::Page;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(accounts::routes)
        .configure(reference::routes)
        .configure(structures::routes)
        .configure(listings::routes)
        .configure(projects::routes)
        .configure(moderation::routes)
        .configure(refresh::routes)
        .configure(reports::routes)
        .configure(label::routes)
        .configure(help::routes)
        .configure(search::routes)
        .configure(partners::routes)
        .configure(changes::routes)
        .configure(exports::routes)
        .configure(webhooks::routes)
        .configure(evaluations::routes)
        .configure(meetings::routes)
        .configure(events::routes);
}

/// Cursor pagination parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// A page as JSON, with a `Link: <…>; rel="next"` header when more follow.
pub fn page_response<T: Serialize>(
    req: &HttpRequest,
    page: &Page<T>,
    limit: u64,
) -> ApiResult<HttpResponse> {
    json_with_next(req, page, page.next_cursor.as_deref(), limit)
}

/// `body` as JSON; when `next` is given, a `Link` header to the same query from there.
pub fn json_with_next<T: Serialize>(
    req: &HttpRequest,
    body: &T,
    next: Option<&str>,
    limit: u64,
) -> ApiResult<HttpResponse> {
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = next {
        let mut query: Vec<(String, String)> =
            form_urlencoded::parse(req.query_string().as_bytes())
                .filter(|(k, _)| k != "cursor" && k != "limit")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        query.push(("cursor".into(), cursor.to_owned()));
        query.push(("limit".into(), limit.to_string()));
        let qs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        response.insert_header((header::LINK, format!("<{}?{qs}>; rel=\"next\"", req.path())));
    }
    Ok(response.json(body))
}

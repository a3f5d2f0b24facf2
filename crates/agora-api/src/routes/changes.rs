//! The changes feed, for partners that keep a copy of the directory.

use crate::extract::{Caller, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_service::feed::{self, ChangesPage};
use agora_service::{ServiceError, authorize};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(changes);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ChangesQuery {
    /// The cursor to read after: `next_cursor` of the previous page, or the
    /// `Agora-Changes-Cursor` header of a full export. From the oldest change kept when
    /// absent.
    pub since: Option<String>,
    /// Changes per page: 1 to 500; 100 by default.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

/// Every change of the public view after a cursor, in order: `published`, `updated`,
/// `unpublished`, each with the listing's public view as it is now (absent when it is no
/// longer public: remove your copy). Changes are kept 90 days by default; an older cursor
/// gets 410 and must start again from a full export.
#[utoipa::path(
    tag = "partners",
    params(ChangesQuery),
    responses(
        (status = 200, body = ChangesPage),
        (status = 400, description = "A cursor this feed did not give", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `changes` scope", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The cursor is older than the changes kept: start again from a full export", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:changes")))
)]
#[get("/changes")]
pub async fn changes(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    q: QueryParams<ChangesQuery>,
) -> ApiResult<HttpResponse> {
    authorize::authorize(
        &state.ctx,
        &caller.0,
        authorize::Need::Partner(agora_service::partners::Scope::Changes),
        authorize::Target::Nothing,
        None,
    )
    .await?;
    let limit = match q.0.limit {
        None => 100,
        Some(n) if (1..=500).contains(&n) => n.unsigned_abs(),
        Some(_) => {
            return Err(
                ServiceError::Validation(agora_domain::ValidationErrors::single(
                    "/limit",
                    "range",
                    "from 1 to 500",
                ))
                .into(),
            );
        }
    };
    let page = feed::read(&state.ctx, q.0.since.as_deref(), limit).await?;
    let mut res = HttpResponse::Ok();
    if page.has_more {
        res.insert_header((
            actix_web::http::header::LINK,
            format!(
                "<{}?since={}&limit={limit}>; rel=\"next\"",
                req.path(),
                page.next_cursor
            ),
        ));
    }
    Ok(res.json(page))
}

//! "Signaler une erreur", and the moderators' list of reports.

use super::page_response;
use crate::client::ClientAddress;
use crate::extract::{Caller, JsonBody, QueryParams, SignedIn};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use agora_service::pagination::{Page, page_size};
use agora_service::reports::{
    self, ReportInput, ReportReceipt, ReportState, ReportView, ResolveInput,
};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(report)
        .service(list_reports)
        .service(resolve_report);
}

/// Reports an error on a public listing (outdated contact, wrong hours, wrong area,
/// service closed, other). The structure's members and the moderators are told; who
/// reported is never shown to the members. A few reports per client per hour.
#[utoipa::path(
    tag = "reports",
    request_body = ReportInput,
    responses(
        (status = 201, body = ReportReceipt),
        (status = 404, description = "No such public listing", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many reports from this client", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security((), ("bearer" = [])),
    extensions(("x-access" = json!("public")))
)]
#[post("/reports")]
pub async fn report(
    state: web::Data<ApiState>,
    caller: Caller,
    client: ClientAddress,
    body: JsonBody<ReportInput>,
) -> ApiResult<HttpResponse> {
    let receipt = reports::report(&state.ctx, &caller.0, client.0, body.0).await?;
    Ok(HttpResponse::Created().json(receipt))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportsQuery {
    /// `open` (default) or `resolved`.
    pub state: Option<ReportState>,
    pub cursor: Option<String>,
    /// Page size: at least 1; values above 100 are capped; 20 by default.
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// Reports, oldest first.
#[utoipa::path(
    tag = "moderation",
    params(ReportsQuery),
    responses(
        (status = 200, body = Page<ReportView>),
        (status = 403, description = "Moderators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[get("/moderation/reports")]
pub async fn list_reports(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: SignedIn,
    q: QueryParams<ReportsQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = page_size(q.limit)?;
    let page = reports::list(
        &state.ctx,
        &caller.0,
        q.state.unwrap_or(ReportState::Open),
        q.cursor.as_deref(),
        limit,
    )
    .await?;
    page_response(&req, &page, limit)
}

/// Closes a report, saying what was done.
#[utoipa::path(
    tag = "moderation",
    params(("id" = Uuid, Path, description = "Report id")),
    request_body = ResolveInput,
    responses(
        (status = 200, body = ReportView),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already resolved", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("moderator")))
)]
#[post("/moderation/reports/{id}/resolve")]
pub async fn resolve_report(
    state: web::Data<ApiState>,
    caller: SignedIn,
    id: web::Path<Uuid>,
    body: JsonBody<ResolveInput>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(reports::resolve(&state.ctx, &caller.0, *id, body.0).await?))
}

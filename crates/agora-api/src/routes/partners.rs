//! Partners' keys as administrators see them, and each key's usage (which the partner
//! itself may read too).

use crate::extract::{Caller, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpResponse, get, web};
use agora_service::ServiceError;
use agora_service::partners::{self, PartnerView, UsageReport};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_partners).service(partner_usage);
}

/// Every partner key (never the key itself: its first characters only).
#[utoipa::path(
    tag = "partners",
    responses(
        (status = 200, body = Vec<PartnerView>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = [])),
    extensions(("x-access" = json!("admin")))
)]
#[get("/partners")]
pub async fn list_partners(state: web::Data<ApiState>, caller: Caller) -> ApiResult<HttpResponse> {
    let admin = caller.0.is_admin();
    if !admin {
        return Err(ServiceError::Forbidden("this is for administrators").into());
    }
    Ok(HttpResponse::Ok().json(partners::list(&state.ctx).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UsageQuery {
    /// First day (UTC, `YYYY-MM-DD`); 29 days before `to` by default.
    pub from: Option<NaiveDate>,
    /// Last day, included; today by default. At most 366 days after `from`.
    pub to: Option<NaiveDate>,
}

/// A key's requests per day, served and refused for its quota. Administrators read any
/// key's; a partner reads its own (another's is not found).
#[utoipa::path(
    tag = "partners",
    params(("id" = Uuid, Path, description = "Partner id"), UsageQuery),
    responses(
        (status = 200, body = UsageReport),
        (status = 401, description = "No valid key or session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators or the partner itself only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such partner, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid period", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []), ("api_key" = [])),
    extensions(("x-access" = json!("partner_itself_or_admin")))
)]
#[get("/partners/{id}/usage")]
pub async fn partner_usage(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
    q: QueryParams<UsageQuery>,
) -> ApiResult<HttpResponse> {
    let report = partners::usage(&state.ctx, &caller.0, id.into_inner(), q.0.from, q.0.to).await?;
    Ok(HttpResponse::Ok().json(report))
}

//! Liveness and readiness, for load balancers and orchestrators.

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::ApiState;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `ready`.
    pub status: String,
}

/// The process is up and serving.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)), security(), extensions(("x-access" = json!("public"))))]
#[get("/health")]
pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// The process can serve requests: its database answers, and it is not shutting down.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "The database does not answer, or the process is shutting down", body = Problem, content_type = "application/problem+json"),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/ready")]
pub async fn ready(state: web::Data<ApiState>) -> ApiResult<HttpResponse> {
    // A proxy that polls readiness takes this instance out before its listener closes.
    if state.stopping.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
        )
        .detail("this instance is shutting down")
        .retry_after(5));
    }
    agora_service::ops::ready(&state.ctx).await.map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
        )
        .detail("the database does not answer")
        .retry_after(5)
    })?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ready".into(),
    }))
}

//! A partner's webhooks and their deliveries.

use super::{PageQuery, page_response};
use crate::extract::{Caller, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::ApiState;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use agora_service::pagination::{Page, page_size};
use agora_service::webhooks::{self, CreatedWebhook, DeliveryView, NewWebhook, WebhookView};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(delete_webhook)
        .service(enable_webhook)
        .service(webhook_deliveries);
}

/// The partner's webhooks.
#[utoipa::path(
    tag = "partners",
    responses(
        (status = 200, body = Vec<WebhookView>),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[get("/webhooks")]
pub async fn list_webhooks(state: web::Data<ApiState>, caller: Caller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(webhooks::list(&state.ctx, &caller.0).await?))
}

/// Registers an HTTPS address to be told of changes. Each delivery is a POST of
/// `{id, event, created_at, change}` (the change as the feed shows it) with the headers
/// `Agora-Delivery` (its id: de-duplicate on it), `Agora-Event` and `Agora-Signature:
/// t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>`; answer 2xx.
/// Failed deliveries are retried after 1, 5, 30 minutes, 2, 6 and 12 hours; after 15
/// failures in a row the webhook is disabled and the partner's contact told. The secret
/// is shown in this answer only.
#[utoipa::path(
    tag = "partners",
    request_body = NewWebhook,
    responses(
        (status = 201, body = CreatedWebhook),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Too many webhooks", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an HTTPS address on the public Internet, or an unknown event", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<ApiState>,
    caller: Caller,
    body: JsonBody<NewWebhook>,
) -> ApiResult<HttpResponse> {
    let created = webhooks::create(&state.ctx, &caller.0, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/webhooks/{}", created.webhook.id),
        ))
        .json(created))
}

/// One of the partner's webhooks.
#[utoipa::path(
    tag = "partners",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookView),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(webhooks::get(&state.ctx, &caller.0, id.into_inner()).await?))
}

/// Deletes a webhook and its deliveries.
#[utoipa::path(
    tag = "partners",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    webhooks::delete(&state.ctx, &caller.0, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Turns a disabled webhook back on; deliveries resume with the next change (catch up
/// with the changes feed).
#[utoipa::path(
    tag = "partners",
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, body = WebhookView),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[post("/webhooks/{id}/enable")]
pub async fn enable_webhook(
    state: web::Data<ApiState>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(webhooks::enable(&state.ctx, &caller.0, id.into_inner()).await?))
}

/// A webhook's deliveries, newest first, with their state and the receiver's last answer.
#[utoipa::path(
    tag = "partners",
    params(("id" = Uuid, Path, description = "Webhook id"), PageQuery),
    responses(
        (status = 200, body = Page<DeliveryView>),
        (status = 400, description = "A cursor this list did not give", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid key", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The key lacks the `webhooks` scope", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Quota exceeded", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = [])),
    extensions(("x-access" = json!("partner:webhooks")))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn webhook_deliveries(
    state: web::Data<ApiState>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<Uuid>,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    let limit = page_size(q.0.limit)?;
    let page = webhooks::deliveries(
        &state.ctx,
        &caller.0,
        id.into_inner(),
        q.0.cursor.as_deref(),
        limit,
    )
    .await?;
    page_response(&req, &page, limit)
}

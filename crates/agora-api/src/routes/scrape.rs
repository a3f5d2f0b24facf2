//! `/metrics`, for Prometheus: the process's counters and histograms, then figures read
//! from this instance's database at scrape time (queues, freshness, index lag, pool).

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::ApiState;
use ::metrics::gauge;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use agora_service::figures::{self, Figures};
use metrics_exporter_prometheus::PrometheusBuilder;
use std::time::Duration;

/// The Prometheus text exposition format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// All the database figures of one scrape together may take this long.
const BUDGET: Duration = Duration::from_secs(2);

/// Operational metrics, in the Prometheus text format.
///
/// HTTP traffic by route template, searches, sign-in failures, the mail and moderation
/// queues, freshness, the search index's lag, the database pool. Only for the clients
/// `metrics.allow` lists (this machine by default) or whoever presents `metrics.token` as
/// a bearer token (`Authorization: Bearer …`); everyone else gets 403. Behind a reverse
/// proxy, a request is judged by the client the proxy names (`trusted_proxies`), never by
/// the proxy's own address.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "The metrics", content_type = "text/plain", body = String),
        (status = 403, description = "Neither an allowed address nor the metrics token", body = Problem, content_type = "application/problem+json",
         example = json!({"type": "/problems/forbidden", "title": "Forbidden", "status": 403, "detail": "the metrics are for the addresses of `metrics.allow` or the bearer of `metrics.token`", "request_id": "6f1c2a8e-3b4d-4e5f-9a7b-1c2d3e4f5a6b"})),
    ),
    security(),
    extensions(("x-access" = json!("public")))
)]
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<ApiState>) -> ApiResult<HttpResponse> {
    let allowed = state.metrics.allows(
        req.peer_addr().map(|a| a.ip()),
        req.headers(),
        &state.trusted_proxies,
    );
    if !allowed {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden").detail(
            "the metrics are for the addresses of `metrics.allow` or the bearer of `metrics.token`",
        ));
    }
    let figures = figures::read(&state.ctx, BUDGET).await;
    let mut body = crate::telemetry::recorder()
        .map(|h| h.render())
        .unwrap_or_default();
    body.push_str(&render_figures(&figures));
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}

/// This instance's figures, through a recorder of their own: several servers in one
/// process (the tests) each report their own database, and a scrape never sees another
/// one's figures half written.
fn render_figures(f: &Figures) -> String {
    let recorder = PrometheusBuilder::new().build_recorder();
    let handle = recorder.handle();
    ::metrics::with_local_recorder(&recorder, || {
        use ::metrics::describe_gauge;
        if let Some(states) = &f.mail_by_state {
            describe_gauge!("agora_mail_queue", "Mails in the queue, by state");
            for (state, n) in states {
                gauge!("agora_mail_queue", "state" => state.clone()).set(*n as f64);
            }
        }
        if let Some(age) = f.oldest_queued_mail_seconds {
            describe_gauge!(
                "agora_mail_oldest_queued_age_seconds",
                "Age of the oldest mail waiting to be sent (0 when none)"
            );
            gauge!("agora_mail_oldest_queued_age_seconds").set(age);
        }
        if let Some(n) = f.moderation_pending {
            describe_gauge!(
                "agora_moderation_queue",
                "Submissions waiting for a moderator"
            );
            gauge!("agora_moderation_queue").set(n as f64);
        }
        if let Some(age) = f.oldest_moderation_seconds {
            describe_gauge!(
                "agora_moderation_oldest_age_seconds",
                "Age of the oldest submission waiting for a moderator (0 when none)"
            );
            gauge!("agora_moderation_oldest_age_seconds").set(age);
        }
        if let Some(r) = &f.refresh {
            describe_gauge!(
                "agora_listings_refresh",
                "Published listings by freshness state"
            );
            for (state, n) in [
                ("fresh", r.fresh),
                ("due", r.due),
                ("stale", r.stale),
                ("hidden", r.hidden),
            ] {
                gauge!("agora_listings_refresh", "state" => state).set(n as f64);
            }
        }
        if let Some(lag) = &f.index_lag {
            describe_gauge!(
                "agora_search_index_lag_changes",
                "Change-log entries (sequence numbers) this instance's search index has not applied yet"
            );
            describe_gauge!(
                "agora_search_index_lag_seconds",
                "Age of the oldest change-log entry the search index has not applied yet (0 when up to date)"
            );
            gauge!("agora_search_index_lag_changes").set(lag.entries as f64);
            gauge!("agora_search_index_lag_seconds").set(lag.seconds);
        }
        if let Some(pool) = &f.pool {
            describe_gauge!(
                "agora_db_pool_connections",
                "Database pool connections: in use, idle, and the most it opens"
            );
            for (state, n) in [
                ("in_use", pool.in_use),
                ("idle", pool.idle),
                ("max", pool.max),
            ] {
                gauge!("agora_db_pool_connections", "state" => state).set(n as f64);
            }
        }
    });
    handle.render()
}

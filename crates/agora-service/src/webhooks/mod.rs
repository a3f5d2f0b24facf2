//! Partners' webhooks: an HTTPS address told of the changes it wants, each delivery
//! signed with the webhook's secret (HMAC-SHA256 over the timestamp and the body), retried
//! with growing delays, and the webhook disabled, with a notice, after failing again and
//! again. The partner lists its webhooks and their deliveries; no one else sees them.

mod address;
mod deliver;

pub use deliver::{DispatchReport, dispatch_once, run_dispatcher, signature};

use crate::pagination::Page;
use crate::partners::{PartnerActor, Scope};
use crate::{Actor, Context, Result, ServiceError};
use agora_domain::ValidationErrors;
use agora_store::webhooks::{self as store, DeliveryRecord, WebhookRecord};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::Serialize;
use std::time::Duration;
use uuid::Uuid;

/// The events a webhook may ask for: the changes feed's.
pub const EVENTS: [&str; 3] = ["published", "updated", "unpublished"];

/// Webhooks a partner may register.
const MAX_PER_PARTNER: usize = 10;

#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Networks a webhook may point to although they are not public (a test receiver);
    /// plain HTTP is accepted to them. Empty in production.
    pub allow_networks: Vec<ipnet::IpNet>,
    /// How long a receiver has to answer.
    pub timeout: Duration,
    /// Waits before the second, third… attempt of a delivery; after the last, it failed.
    pub retry_delays: Vec<chrono::Duration>,
    /// Failed attempts in a row (over all deliveries) after which the webhook is disabled.
    pub disable_after: u32,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        Self {
            allow_networks: Vec::new(),
            timeout: Duration::from_secs(10),
            retry_delays: [1, 5, 30, 120, 360, 720]
                .into_iter()
                .map(chrono::Duration::minutes)
                .collect(),
            disable_after: 15,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// Whether deliveries are made.
    pub enabled: bool,
    /// Failed attempts in a row.
    pub consecutive_failures: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
}

impl From<WebhookRecord> for WebhookView {
    fn from(w: WebhookRecord) -> Self {
        Self {
            id: w.id,
            url: w.url,
            events: w.events.split(',').map(str::to_owned).collect(),
            created_at: w.created_at,
            enabled: w.disabled_at.is_none(),
            consecutive_failures: w.consecutive_failures,
            disabled_at: w.disabled_at,
            disabled_reason: w.disabled_reason,
        }
    }
}

/// A new webhook with its signing secret, shown this once.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// Verifies the `Agora-Signature` header of each delivery; shown only now.
    pub secret: String,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where deliveries are POSTed: an HTTPS address on the public Internet.
    pub url: String,
    /// The events wanted; all of them when absent.
    #[serde(default)]
    pub events: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: Uuid,
    pub event: String,
    /// The change announced, as a cursor of the changes feed.
    pub cursor: String,
    /// `pending`, `sending`, `delivered`, `failed` (every attempt failed) or `dropped`
    /// (the webhook was disabled first).
    pub state: String,
    pub attempts: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The receiver's last HTTP status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRecord> for DeliveryView {
    fn from(d: DeliveryRecord) -> Self {
        let pending = d.state == store::DeliveryState::Pending;
        Self {
            id: d.id,
            event: d.event,
            cursor: d.change_seq.to_string(),
            state: d.state.as_str().to_owned(),
            attempts: d.attempts,
            next_attempt_at: pending.then_some(d.next_attempt_at),
            last_status: d.last_status,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

fn partner(actor: &Actor) -> Result<&PartnerActor> {
    let p = actor.partner().ok_or(ServiceError::Unauthenticated(
        "send a partner key (X-API-Key)",
    ))?;
    if p.may(Scope::Webhooks) {
        Ok(p)
    } else {
        Err(ServiceError::Forbidden("this key may not manage webhooks"))
    }
}

fn invalid(pointer: &str, code: &str, detail: impl Into<String>) -> ServiceError {
    ServiceError::Validation(ValidationErrors::single(pointer, code, detail))
}

/// The partner's own webhook `id`; another's is not found.
async fn own(ctx: &Context, p: &PartnerActor, id: Uuid) -> Result<WebhookRecord> {
    store::get(&ctx.db, id)
        .await?
        .filter(|w| w.partner_id == p.id)
        .ok_or(ServiceError::NotFound("webhook"))
}

pub async fn create(ctx: &Context, actor: &Actor, input: NewWebhook) -> Result<CreatedWebhook> {
    let p = partner(actor)?;
    let allow = &ctx.settings.webhooks.allow_networks;
    let url = address::parse(&input.url, allow).map_err(|why| invalid("/url", "address", why))?;
    address::resolve(&url, allow)
        .await
        .map_err(|why| invalid("/url", "address", why))?;
    let events = match input.events {
        None => EVENTS.iter().map(|e| (*e).to_owned()).collect(),
        Some(list) if list.is_empty() => {
            return Err(invalid("/events", "empty", "name at least one event"));
        }
        Some(list) => {
            for (i, e) in list.iter().enumerate() {
                if !EVENTS.contains(&e.as_str()) {
                    return Err(invalid(
                        &format!("/events/{i}"),
                        "unknown",
                        format!("one of {}", EVENTS.join(", ")),
                    ));
                }
            }
            let mut list = list;
            list.sort();
            list.dedup();
            list
        }
    };
    let txn = ctx.begin().await?;
    if store::of_partner(&txn, p.id).await?.len() >= MAX_PER_PARTNER {
        return Err(ServiceError::Conflict(format!(
            "a partner may register {MAX_PER_PARTNER} webhooks; delete one first"
        )));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let record = WebhookRecord {
        id: Uuid::now_v7(),
        partner_id: p.id,
        url: url.to_string(),
        events: events.join(","),
        secret: format!("whsec_{}", URL_SAFE_NO_PAD.encode(bytes)),
        created_at: ctx.now(),
        consecutive_failures: 0,
        disabled_at: None,
        disabled_reason: None,
    };
    store::insert(&txn, &record).await?;
    txn.commit().await?;
    let secret = record.secret.clone();
    Ok(CreatedWebhook {
        webhook: record.into(),
        secret,
    })
}

pub async fn list(ctx: &Context, actor: &Actor) -> Result<Vec<WebhookView>> {
    let p = partner(actor)?;
    Ok(store::of_partner(&ctx.db, p.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn get(ctx: &Context, actor: &Actor, id: Uuid) -> Result<WebhookView> {
    let p = partner(actor)?;
    Ok(own(ctx, p, id).await?.into())
}

pub async fn delete(ctx: &Context, actor: &Actor, id: Uuid) -> Result<()> {
    let p = partner(actor)?;
    own(ctx, p, id).await?;
    store::delete(&ctx.db, id).await?;
    Ok(())
}

/// Turns a disabled webhook back on; deliveries resume with the next change.
pub async fn enable(ctx: &Context, actor: &Actor, id: Uuid) -> Result<WebhookView> {
    let p = partner(actor)?;
    own(ctx, p, id).await?;
    store::enable(&ctx.db, id).await?;
    Ok(own(ctx, p, id).await?.into())
}

/// A webhook's deliveries, newest first.
pub async fn deliveries(
    ctx: &Context,
    actor: &Actor,
    id: Uuid,
    cursor: Option<&str>,
    limit: u64,
) -> Result<Page<DeliveryView>> {
    let p = partner(actor)?;
    own(ctx, p, id).await?;
    let before = match cursor {
        None => None,
        Some(c) => Some(Uuid::parse_str(c).map_err(|_| {
            ServiceError::Malformed(ValidationErrors::single(
                "/cursor",
                "cursor",
                "a cursor given by this list",
            ))
        })?),
    };
    let mut rows = store::deliveries(&ctx.db, id, before, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = if more {
        rows.last().map(|d| d.id.to_string())
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}

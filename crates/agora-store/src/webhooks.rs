//! Partners' webhooks and their deliveries. A delivery is queued in the transaction that
//! appends the change it announces (an outbox, as the mail queue is), so a change that
//! commits is announced and one that rolls back never is; its body is written at the
//! first attempt and kept, so that every retry sends the same signed bytes.

use crate::Result;
use crate::entities::{partners, webhook_deliveries, webhooks};
use chrono::{DateTime, Utc};
use sea_orm::prelude::Expr;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub url: String,
    /// Comma-separated event names.
    pub events: String,
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub consecutive_failures: u32,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
}

impl From<webhooks::Model> for WebhookRecord {
    fn from(m: webhooks::Model) -> Self {
        Self {
            id: m.id,
            partner_id: m.partner_id,
            url: m.url,
            events: m.events,
            secret: m.secret,
            created_at: m.created_at,
            consecutive_failures: u32::try_from(m.consecutive_failures).unwrap_or(0),
            disabled_at: m.disabled_at,
            disabled_reason: m.disabled_reason,
        }
    }
}

pub async fn insert(db: &impl ConnectionTrait, w: &WebhookRecord) -> Result<()> {
    webhooks::ActiveModel {
        id: Set(w.id),
        partner_id: Set(w.partner_id),
        url: Set(w.url.clone()),
        events: Set(w.events.clone()),
        secret: Set(w.secret.clone()),
        created_at: Set(w.created_at),
        consecutive_failures: Set(0),
        disabled_at: Set(None),
        disabled_reason: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<WebhookRecord>> {
    Ok(webhooks::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Into::into))
}

pub async fn of_partner(db: &impl ConnectionTrait, partner: Uuid) -> Result<Vec<WebhookRecord>> {
    Ok(webhooks::Entity::find()
        .filter(webhooks::Column::PartnerId.eq(partner))
        .order_by_asc(webhooks::Column::CreatedAt)
        .order_by_asc(webhooks::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    Ok(webhooks::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Stops deliveries to a webhook (repeated failures, a revoked key); pending deliveries
/// are dropped.
pub async fn disable(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<bool> {
    let res = webhooks::Entity::update_many()
        .col_expr(webhooks::Column::DisabledAt, Expr::value(Some(at)))
        .col_expr(webhooks::Column::DisabledReason, Expr::value(Some(reason)))
        .filter(webhooks::Column::Id.eq(id))
        .filter(webhooks::Column::DisabledAt.is_null())
        .exec(db)
        .await?;
    webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::State,
            Expr::value(DeliveryState::Dropped.as_str()),
        )
        .filter(webhook_deliveries::Column::WebhookId.eq(id))
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Every webhook of a partner disabled at once (its key revoked).
pub async fn disable_all_of(
    db: &impl ConnectionTrait,
    partner: Uuid,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<()> {
    for w in of_partner(db, partner).await? {
        disable(db, w.id, at, reason).await?;
    }
    Ok(())
}

/// Turns a webhook back on (its owner fixed the receiver).
pub async fn enable(db: &impl ConnectionTrait, id: Uuid) -> Result<bool> {
    let res = webhooks::Entity::update_many()
        .col_expr(
            webhooks::Column::DisabledAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhooks::Column::DisabledReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(webhooks::Column::ConsecutiveFailures, Expr::value(0))
        .filter(webhooks::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// A delivery succeeded: the count of failures in a row starts again.
pub async fn succeeded(db: &impl ConnectionTrait, id: Uuid) -> Result<()> {
    webhooks::Entity::update_many()
        .col_expr(webhooks::Column::ConsecutiveFailures, Expr::value(0))
        .filter(webhooks::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// A delivery attempt failed; the number of failures in a row after it.
pub async fn failed(db: &impl ConnectionTrait, id: Uuid) -> Result<u32> {
    webhooks::Entity::update_many()
        .col_expr(
            webhooks::Column::ConsecutiveFailures,
            Expr::col(webhooks::Column::ConsecutiveFailures).add(1),
        )
        .filter(webhooks::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(get(db, id).await?.map_or(0, |w| w.consecutive_failures))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// Waiting for its next attempt.
    Pending,
    /// Being sent by a dispatcher until its lease ends.
    Sending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
    /// Not sent: the webhook was disabled or deleted first.
    Dropped,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Sending,
            Self::Delivered,
            Self::Failed,
            Self::Dropped,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub webhook_id: Uuid,
    pub change_seq: i64,
    pub event: String,
    pub state: DeliveryState,
    pub attempts: u32,
    pub next_attempt_at: DateTime<Utc>,
    pub body: Option<String>,
    pub last_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

fn delivery(m: webhook_deliveries::Model) -> Result<DeliveryRecord> {
    Ok(DeliveryRecord {
        id: m.id,
        webhook_id: m.webhook_id,
        change_seq: m.change_seq,
        event: m.event,
        state: crate::error::parse_stored(
            "webhook_deliveries.state",
            &m.state,
            DeliveryState::parse,
        )?,
        attempts: u32::try_from(m.attempts).unwrap_or(0),
        next_attempt_at: m.next_attempt_at,
        body: m.body,
        last_status: m.last_status.and_then(|s| u16::try_from(s).ok()),
        last_error: m.last_error,
        created_at: m.created_at,
        delivered_at: m.delivered_at,
    })
}

/// Queues a delivery of change `seq` to every enabled webhook, of a partner whose key is
/// not revoked, that wants `event`; in the caller's transaction. The number queued.
pub async fn queue_for_change(
    db: &impl ConnectionTrait,
    seq: i64,
    event: &str,
    at: DateTime<Utc>,
) -> Result<u64> {
    let hooks = webhooks::Entity::find()
        .filter(webhooks::Column::DisabledAt.is_null())
        .all(db)
        .await?;
    if hooks.is_empty() {
        return Ok(0);
    }
    let revoked: Vec<Uuid> = partners::Entity::find()
        .filter(partners::Column::RevokedAt.is_not_null())
        .select_only()
        .column(partners::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut queued = 0;
    for hook in hooks {
        if revoked.contains(&hook.partner_id) || !hook.events.split(',').any(|e| e == event) {
            continue;
        }
        webhook_deliveries::ActiveModel {
            id: Set(Uuid::now_v7()),
            webhook_id: Set(hook.id),
            change_seq: Set(seq),
            event: Set(event.to_owned()),
            state: Set(DeliveryState::Pending.as_str().to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(at),
            claimed_until: Set(None),
            body: Set(None),
            last_status: Set(None),
            last_error: Set(None),
            created_at: Set(at),
            delivered_at: Set(None),
        }
        .insert(db)
        .await?;
        queued += 1;
    }
    Ok(queued)
}

/// Deliveries whose attempt is due, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DeliveryRecord>> {
    webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Pending.as_str()))
        .filter(webhook_deliveries::Column::NextAttemptAt.lte(now))
        .order_by_asc(webhook_deliveries::Column::NextAttemptAt)
        .order_by_asc(webhook_deliveries::Column::ChangeSeq)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(delivery)
        .collect()
}

/// Takes a due delivery until `lease_until`; false when another dispatcher took it.
pub async fn claim(
    db: &impl ConnectionTrait,
    id: Uuid,
    lease_until: DateTime<Utc>,
) -> Result<bool> {
    let res = webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::State,
            Expr::value(DeliveryState::Sending.as_str()),
        )
        .col_expr(
            webhook_deliveries::Column::ClaimedUntil,
            Expr::value(Some(lease_until)),
        )
        .col_expr(
            webhook_deliveries::Column::Attempts,
            Expr::col(webhook_deliveries::Column::Attempts).add(1),
        )
        .filter(webhook_deliveries::Column::Id.eq(id))
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Pending.as_str()))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Keeps the body of a delivery's first attempt for its retries.
pub async fn set_body(db: &impl ConnectionTrait, id: Uuid, body: &str) -> Result<()> {
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::Body, Expr::value(Some(body)))
        .filter(webhook_deliveries::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends an attempt: `state` with the receiver's status or the error, and the next
/// attempt's time when it is to be tried again.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    state: DeliveryState,
    status: Option<u16>,
    error: Option<String>,
    at: DateTime<Utc>,
    next_attempt_at: Option<DateTime<Utc>>,
) -> Result<()> {
    let mut q = webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::State,
            Expr::value(state.as_str()),
        )
        .col_expr(
            webhook_deliveries::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_deliveries::Column::LastStatus,
            Expr::value(status.map(i32::from)),
        )
        .col_expr(webhook_deliveries::Column::LastError, Expr::value(error));
    if state == DeliveryState::Delivered {
        q = q.col_expr(
            webhook_deliveries::Column::DeliveredAt,
            Expr::value(Some(at)),
        );
    }
    if let Some(next) = next_attempt_at {
        q = q.col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(next));
    }
    q.filter(webhook_deliveries::Column::Id.eq(id))
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Sending.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims whose dispatcher stopped mid-send go back to the queue: a receiver may get a
/// delivery twice (it is told to de-duplicate by delivery id), never zero times.
pub async fn release_expired_claims(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    Ok(webhook_deliveries::Entity::update_many()
        .col_expr(
            webhook_deliveries::Column::State,
            Expr::value(DeliveryState::Pending.as_str()),
        )
        .col_expr(
            webhook_deliveries::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_deliveries::Column::State.eq(DeliveryState::Sending.as_str()))
        .filter(webhook_deliveries::Column::ClaimedUntil.lt(now))
        .exec(db)
        .await?
        .rows_affected)
}

/// A webhook's deliveries, newest first, before the delivery `before` when given.
pub async fn deliveries(
    db: &impl ConnectionTrait,
    webhook: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> Result<Vec<DeliveryRecord>> {
    let mut q = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::WebhookId.eq(webhook));
    if let Some(before) = before {
        q = q.filter(webhook_deliveries::Column::Id.lt(before));
    }
    q.order_by_desc(webhook_deliveries::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(delivery)
        .collect()
}

/// Forgets delivered, failed and dropped deliveries created before `before`.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    Ok(webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::CreatedAt.lt(before))
        .filter(webhook_deliveries::Column::State.is_in([
            DeliveryState::Delivered.as_str(),
            DeliveryState::Failed.as_str(),
            DeliveryState::Dropped.as_str(),
        ]))
        .exec(db)
        .await?
        .rows_affected)
}

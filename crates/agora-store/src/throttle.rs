//! Sign-in failures, counted per key (an account, an address, or both) and shared by
//! every instance. Each change is made under the key's transaction lock, so concurrent
//! failures each count.

use crate::Result;
use crate::db::transaction_lock;
use crate::entities::sign_in_throttle;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    pub key: String,
    pub failures: u32,
    pub last_failure_at: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
}

fn counter(m: sign_in_throttle::Model) -> Counter {
    Counter {
        key: m.key,
        failures: u32::try_from(m.failures).unwrap_or(0),
        last_failure_at: m.last_failure_at,
        blocked_until: m.blocked_until,
    }
}

/// The counters of `keys` that exist.
pub async fn get_many(db: &impl ConnectionTrait, keys: &[String]) -> Result<Vec<Counter>> {
    Ok(sign_in_throttle::Entity::find()
        .filter(sign_in_throttle::Column::Key.is_in(keys.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(counter)
        .collect())
}

/// Counts one more failure for `key`: the count starts again when the last failure is
/// older than `forget_before`; `block` gives the wait the new count imposes.
pub async fn record_failure(
    txn: &DatabaseTransaction,
    key: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
    block: impl Fn(u32) -> Option<chrono::Duration>,
) -> Result<Counter> {
    transaction_lock(txn, &format!("sign-in:{key}")).await?;
    let existing = sign_in_throttle::Entity::find_by_id(key.to_owned())
        .one(txn)
        .await?;
    let failures = match &existing {
        Some(m) if m.last_failure_at >= forget_before => {
            u32::try_from(m.failures).unwrap_or(0).saturating_add(1)
        }
        _ => 1,
    };
    let blocked_until = block(failures).map(|d| now + d);
    let model = sign_in_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(i32::try_from(failures).unwrap_or(i32::MAX)),
        last_failure_at: Set(now),
        blocked_until: Set(blocked_until),
    };
    let saved = if existing.is_some() {
        model.update(txn).await?
    } else {
        model.insert(txn).await?
    };
    Ok(counter(saved))
}

/// Forgets the counters of `keys` (a successful sign-in, a password reset).
pub async fn clear(db: &impl ConnectionTrait, keys: &[String]) -> Result<u64> {
    let res = sign_in_throttle::Entity::delete_many()
        .filter(sign_in_throttle::Column::Key.is_in(keys.iter().cloned()))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Forgets counters whose last failure is older than `before` (the sweep).
pub async fn purge(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64> {
    let res = sign_in_throttle::Entity::delete_many()
        .filter(sign_in_throttle::Column::LastFailureAt.lt(before))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

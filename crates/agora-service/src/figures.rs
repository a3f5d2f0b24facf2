//! What an operator watches, read from the database when the metrics are scraped: each
//! figure is a small aggregate query, all within one short deadline. A figure whose query
//! fails or runs out of time is left out (`None`), so that a slow database never makes
//! the scrape itself fail.

use crate::Context;
use crate::refresh::RefreshCounts;
use agora_store::changes;
use agora_store::operations::{self, PoolUsage};
use chrono::{DateTime, Utc};
use std::future::Future;
use std::time::Duration;
use tokio::time::Instant;

/// The search index behind the change log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexLag {
    /// Change-log entries not applied yet.
    pub entries: u64,
    /// Age of the oldest entry not applied yet (0 when none).
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Mails in each state of the queue.
    pub mail_by_state: Option<Vec<(String, u64)>>,
    /// Age of the oldest mail waiting to be sent (0 when none).
    pub oldest_queued_mail_seconds: Option<f64>,
    /// Submissions waiting for a moderator.
    pub moderation_pending: Option<u64>,
    /// Age of the oldest of them (0 when none).
    pub oldest_moderation_seconds: Option<f64>,
    /// Published listings in each freshness state.
    pub refresh: Option<RefreshCounts>,
    pub index_lag: Option<IndexLag>,
    pub pool: Option<PoolUsage>,
}

/// Seconds from `then` to `now`, never negative.
fn age(now: DateTime<Utc>, then: Option<DateTime<Utc>>) -> f64 {
    then.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0)
}

/// `query`'s answer if it comes before `deadline` and without error.
async fn within<T, E: std::fmt::Display>(
    deadline: Instant,
    what: &str,
    query: impl Future<Output = Result<T, E>>,
) -> Option<T> {
    match tokio::time::timeout_at(deadline, query).await {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, figure = what, "metrics: figure left out");
            None
        }
        Err(_) => {
            tracing::warn!(figure = what, "metrics: figure left out (too slow)");
            None
        }
    }
}

/// Reads every figure, in at most `budget` altogether.
pub async fn read(ctx: &Context, budget: Duration) -> Figures {
    let deadline = Instant::now() + budget;
    let now = ctx.now();
    let mail_by_state = within(deadline, "mail queue", crate::mail::queue_counts(ctx)).await;
    let oldest_queued_mail_seconds = within(
        deadline,
        "oldest mail",
        operations::oldest_queued_mail(&ctx.db),
    )
    .await
    .map(|t| age(now, t));
    let moderation = within(
        deadline,
        "moderation queue",
        operations::pending_moderation(&ctx.db),
    )
    .await;
    let refresh = within(deadline, "refresh states", crate::refresh::counts(ctx)).await;
    let index_lag = match &ctx.search {
        Some(index) => {
            let applied = index.state().map_or(0, |s| s.seq);
            within(deadline, "index lag", async {
                let last = changes::last_seq(&ctx.db).await?;
                let next = changes::since(&ctx.db, applied, 1).await?;
                Ok::<_, agora_store::StoreError>(IndexLag {
                    entries: u64::try_from(last.saturating_sub(applied)).unwrap_or(0),
                    seconds: age(now, next.first().map(|c| c.at)),
                })
            })
            .await
        }
        None => None,
    };
    Figures {
        mail_by_state,
        oldest_queued_mail_seconds,
        moderation_pending: moderation.map(|(n, _)| n),
        oldest_moderation_seconds: moderation.map(|(_, oldest)| age(now, oldest)),
        refresh,
        index_lag,
        pool: Some(operations::pool_usage(&ctx.db)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_never_negative() {
        let now = Utc::now();
        assert!((age(now, Some(now - chrono::Duration::seconds(90))) - 90.0).abs() < 1e-9);
        assert_eq!(age(now, Some(now + chrono::Duration::seconds(5))), 0.0);
        assert_eq!(age(now, None), 0.0);
    }
}

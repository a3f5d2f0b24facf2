//! Scheduled sweeps. Every instance runs the scheduler; on PostgreSQL a transaction-level
//! advisory lock lets one of them sweep at a time and the others skip that round (on
//! SQLite, one process owns the file). The sweeps are idempotent in any case: the lock
//! saves work, it is not what prevents double mail.

use crate::refresh::{self, SweepReport};
use crate::shutdown::StopSignal;
use crate::{Context, Result};
use agora_store::db::try_transaction_lock;
use agora_store::{Backend, backend_of};
use std::time::Duration;

/// The advisory lock key of the sweeps (any constant shared by all instances).
const SWEEP_LOCK: i64 = 0x6167_6f72_6173_7770; // "agoraswp"

/// Runs the sweeps once unless another instance is running them; `None` then.
pub async fn run_sweeps(ctx: &Context, dry_run: bool) -> Result<Option<SweepReport>> {
    if backend_of(&ctx.db) == Backend::Sqlite {
        return all_sweeps(ctx, dry_run).await.map(Some);
    }
    // The lock lives as long as this transaction; the sweep's own writes use other
    // connections and commit step by step.
    let lock = ctx.begin().await?;
    if !try_transaction_lock(&lock, SWEEP_LOCK).await? {
        lock.rollback().await?;
        return Ok(None);
    }
    let result = all_sweeps(ctx, dry_run).await;
    lock.commit().await?;
    result.map(Some)
}

async fn all_sweeps(ctx: &Context, dry_run: bool) -> Result<SweepReport> {
    let mut report = refresh::sweep(ctx, dry_run).await?;
    if !dry_run {
        (report.labels_reminded, report.labels_expired) = crate::label::sweep(ctx).await?;
        (
            report.help_reminded,
            report.help_expired,
            report.health_info_purged,
        ) = crate::help::sweep(ctx).await?;
        report.account_records_purged = crate::accounts::sweep(ctx).await?;
        report.partner_records_purged = crate::partners::sweep(ctx).await?;
        report.evaluations_released = crate::evaluations::sweep(ctx).await?;
        crate::meetings::sweep(ctx).await?;
    }
    Ok(report)
}

/// Sweeps every `every` until `stop` is raised. A sweep under way is finished (its lock,
/// a transaction, is released when it commits); none is started after.
pub async fn run_scheduler(ctx: Context, every: Duration, stop: StopSignal) {
    while !stop.is_raised() {
        match run_sweeps(&ctx, false).await {
            Ok(Some(r)) if !r.steps.is_empty() => tracing::info!(
                reminded = r.reminded,
                stale = r.marked_stale,
                hidden = r.hidden,
                mails = r.mails_queued,
                "refresh sweep"
            ),
            Ok(Some(_)) => {}
            Ok(None) => tracing::debug!("another instance is sweeping"),
            Err(e) => tracing::warn!(error = %e, "sweep failed; next round will retry"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = stop.raised() => {}
        }
    }
    tracing::info!("scheduler stopped");
}

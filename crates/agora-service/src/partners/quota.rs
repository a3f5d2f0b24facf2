//! Quotas: a fixed window per minute and one per day (UTC), counted in the database so
//! that a partner calling two instances is counted once. Every request counts against the
//! minute; only served requests count against the day.

use super::PartnerActor;
use crate::{Context, Result};
use agora_store::partners as store;

/// What the quota says of one request, with what the `RateLimit` headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    pub allowed: bool,
    pub per_minute: u32,
    pub minute_remaining: u32,
    /// Seconds until the minute's window starts again.
    pub minute_reset: u64,
    pub per_day: u32,
    pub day_remaining: u32,
    /// Seconds until the day's window starts again (midnight UTC).
    pub day_reset: u64,
}

impl Admission {
    /// Seconds to wait before a refused request may be tried again.
    pub fn retry_after(&self) -> u64 {
        if self.day_remaining == 0 {
            self.day_reset.max(1)
        } else {
            self.minute_reset.max(1)
        }
    }
}

/// Counts a request of `partner` and says whether it is served.
pub async fn admit(ctx: &Context, partner: &PartnerActor) -> Result<Admission> {
    let now = ctx.now();
    let epoch = now.timestamp();
    let minute = epoch.div_euclid(60);
    let day = now.date_naive().to_string();
    let txn = ctx.begin().await?;
    let counted = store::count_request(&txn, partner.id, minute, &day).await?;
    let within_minute = counted.this_minute <= partner.quota_per_minute;
    let within_day = counted.served_today < u64::from(partner.quota_per_day);
    let allowed = within_minute && within_day;
    store::record_answer(&txn, partner.id, &day, allowed).await?;
    txn.commit().await?;
    let served_today = counted.served_today + u64::from(allowed);
    Ok(Admission {
        allowed,
        per_minute: partner.quota_per_minute,
        minute_remaining: partner.quota_per_minute.saturating_sub(counted.this_minute),
        minute_reset: u64::try_from(60 - epoch.rem_euclid(60)).unwrap_or(60),
        per_day: partner.quota_per_day,
        day_remaining: u32::try_from(u64::from(partner.quota_per_day).saturating_sub(served_today))
            .unwrap_or(0),
        day_reset: u64::try_from(86_400 - epoch.rem_euclid(86_400)).unwrap_or(86_400),
    })
}

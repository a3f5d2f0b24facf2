//! Partner sites: an opaque API key each (sent as `X-API-Key`; only its hash is kept),
//! with scopes and quotas per minute and per day counted in the database so that every
//! instance shares them, and the requests each key made per day.

mod keys;
mod quota;

pub use keys::{
    DayUsageView, NewPartner, PartnerView, UsageReport, authenticate, create,
    create_with_known_key, list, revoke, rotate, usage,
};
pub use quota::{Admission, admit};

use serde::Serialize;

/// What a key may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The public reads of the API (search, listings, reference data).
    Read,
    /// The changes feed.
    Changes,
    /// The exports (data·inclusion, HSDS, CSV).
    Exports,
    /// Registering webhooks and reading their deliveries.
    Webhooks,
}

impl Scope {
    pub const ALL: [Scope; 4] = [Self::Read, Self::Changes, Self::Exports, Self::Webhooks];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Changes => "changes",
            Self::Exports => "exports",
            Self::Webhooks => "webhooks",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Scopes stored as a comma-separated list; unknown names are dropped.
    pub(crate) fn parse_list(s: &str) -> Vec<Self> {
        s.split(',').filter_map(|p| Self::parse(p.trim())).collect()
    }

    pub(crate) fn join(scopes: &[Self]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A partner calling with a valid key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerActor {
    pub id: uuid::Uuid,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub quota_per_minute: u32,
    pub quota_per_day: u32,
}

impl PartnerActor {
    pub fn may(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// Partners' defaults, from configuration.
#[derive(Debug, Clone)]
pub struct PartnerSettings {
    pub default_per_minute: u32,
    pub default_per_day: u32,
    /// How long the changes feed keeps its entries (and tombstones); a cursor older than
    /// that must start again from a full export.
    pub changes_retention: chrono::Duration,
}

impl Default for PartnerSettings {
    fn default() -> Self {
        Self {
            default_per_minute: 120,
            default_per_day: 50_000,
            changes_retention: chrono::Duration::days(90),
        }
    }
}

/// Forgets what partners no longer need: feed entries past the retention, per-minute
/// counts of past minutes, deliveries finished more than 30 days ago. Usage per day is
/// kept (it is the administrators' record).
pub async fn sweep(ctx: &crate::Context) -> crate::Result<u64> {
    let now = ctx.now();
    let mut purged = crate::feed::prune(ctx).await?;
    purged +=
        agora_store::partners::prune_minutes(&ctx.db, now.timestamp().div_euclid(60) - 1).await?;
    purged += agora_store::webhooks::prune(&ctx.db, now - chrono::Duration::days(30)).await?;
    Ok(purged)
}

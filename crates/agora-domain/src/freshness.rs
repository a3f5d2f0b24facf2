//! How fresh a listing's information is: confirmed by a person within six months, or due
//! for confirmation, then "à actualiser" (shown, ranked lower), then hidden until
//! someone confirms it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Confirmed recently, or due soon.
    Fresh,
    /// Past its grace period: shown as "à actualiser", ranked lower.
    Stale,
    /// Long past due: out of public results until confirmed.
    Hidden,
}

impl Freshness {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fresh => "fresh",
            Self::Stale => "stale",
            Self::Hidden => "hidden",
        }
    }

    /// How much a listing's rank is kept: stale information is shown after fresh.
    pub fn rank_factor(self) -> f64 {
        match self {
            Self::Fresh => 1.0,
            Self::Stale => 0.5,
            Self::Hidden => 0.0,
        }
    }
}

/// When confirmation falls due and what follows (configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RefreshSchedule {
    /// From the last confirmation to the due date.
    pub period_days: i64,
    /// After the due date, before the listing shows as "à actualiser".
    pub grace_days: i64,
    /// After the due date, before the listing leaves public results.
    pub hide_after_days: i64,
}

impl Default for RefreshSchedule {
    fn default() -> Self {
        Self {
            period_days: 182,
            grace_days: 30,
            hide_after_days: 90,
        }
    }
}

impl RefreshSchedule {
    pub fn due(&self, verified_at: DateTime<Utc>) -> DateTime<Utc> {
        verified_at + Duration::days(self.period_days)
    }

    pub fn freshness(&self, verified_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Freshness {
        let Some(verified_at) = verified_at else {
            return Freshness::Fresh;
        };
        let due = self.due(verified_at);
        if now >= due + Duration::days(self.hide_after_days) {
            Freshness::Hidden
        } else if now >= due + Duration::days(self.grace_days) {
            Freshness::Stale
        } else {
            Freshness::Fresh
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_ladder() {
        let s = RefreshSchedule::default();
        let verified = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let at = |days| s.freshness(Some(verified), verified + Duration::days(days));
        assert_eq!(at(0), Freshness::Fresh);
        assert_eq!(at(182 + 29), Freshness::Fresh, "within the grace period");
        assert_eq!(at(182 + 30), Freshness::Stale);
        assert_eq!(at(182 + 89), Freshness::Stale);
        assert_eq!(at(182 + 90), Freshness::Hidden);
        assert_eq!(s.freshness(None, verified), Freshness::Fresh);
    }
}

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
    pub const ALL: [Self; 3] = [Self::Fresh, Self::Stale, Self::Hidden];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RefreshSchedule {
    /// From the last confirmation to the due date.
    pub period_days: i64,
    /// After the due date, before the listing shows as "à actualiser".
    pub grace_days: i64,
    /// After the due date, before the listing leaves public results.
    pub hide_after_days: i64,
    /// Reminders, in days from the due date (negative: before it), in increasing order.
    pub reminder_days: Vec<i64>,
    /// How long a one-click confirmation link stays valid.
    pub link_ttl_days: i64,
}

impl Default for RefreshSchedule {
    fn default() -> Self {
        Self {
            period_days: 182,
            grace_days: 30,
            hide_after_days: 90,
            reminder_days: vec![-14, 0, 14],
            link_ttl_days: 45,
        }
    }
}

impl RefreshSchedule {
    pub fn due(&self, verified_at: DateTime<Utc>) -> DateTime<Utc> {
        verified_at + Duration::days(self.period_days)
    }

    /// When a listing confirmed at `verified_at` shows as "à actualiser".
    pub fn stale_at(&self, verified_at: DateTime<Utc>) -> DateTime<Utc> {
        self.due(verified_at) + Duration::days(self.grace_days)
    }

    /// When it leaves public results.
    pub fn hidden_at(&self, verified_at: DateTime<Utc>) -> DateTime<Utc> {
        self.due(verified_at) + Duration::days(self.hide_after_days)
    }

    /// The latest confirmation for which the `rung`-th reminder (1 = first) is due at `now`.
    pub fn reminder_cutoff(&self, rung: usize, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let offset = self.reminder_days.get(rung.checked_sub(1)?)?;
        Some(now - Duration::days(self.period_days + offset))
    }

    /// The latest confirmation that is stale at `now`.
    pub fn stale_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(self.period_days + self.grace_days)
    }

    /// The latest confirmation that is hidden at `now`.
    pub fn hidden_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now - Duration::days(self.period_days + self.hide_after_days)
    }

    /// How many reminders are due by `now` for a confirmation at `verified_at` (the
    /// sweep sends the latest of them, once).
    pub fn reminders_due(&self, verified_at: DateTime<Utc>, now: DateTime<Utc>) -> usize {
        let due = self.due(verified_at);
        self.reminder_days
            .iter()
            .filter(|d| due + Duration::days(**d) <= now)
            .count()
    }

    /// Checks the schedule makes sense; the message names the setting.
    pub fn check(&self) -> Result<(), String> {
        if self.period_days < 1 {
            return Err("refresh.period_days must be at least 1".into());
        }
        if self.grace_days < 0 || self.hide_after_days <= self.grace_days {
            return Err(
                "refresh.hide_after_days must be greater than refresh.grace_days (≥ 0)".into(),
            );
        }
        if !self.reminder_days.windows(2).all(|w| w[0] < w[1]) {
            return Err("refresh.reminder_days must be in increasing order".into());
        }
        if self.reminder_days.iter().any(|d| -*d >= self.period_days) {
            return Err("refresh.reminder_days must fall after the confirmation".into());
        }
        if self.link_ttl_days < 1 {
            return Err("refresh.link_ttl_days must be at least 1".into());
        }
        Ok(())
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

    #[test]
    fn reminders_fall_before_at_and_after_due() {
        let s = RefreshSchedule::default();
        let verified = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let at = |days| s.reminders_due(verified, verified + Duration::days(days));
        assert_eq!(at(182 - 15), 0);
        assert_eq!(at(182 - 14), 1);
        assert_eq!(at(181), 1);
        assert_eq!(at(182), 2);
        assert_eq!(at(182 + 14), 3);
        assert_eq!(at(400), 3);
        assert!(s.check().is_ok());
    }

    #[test]
    fn cutoffs_agree_with_the_schedule_at_every_boundary() {
        let s = RefreshSchedule::default();
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        for days in 150..300 {
            for verified in [
                now - Duration::days(days),
                now - Duration::days(days) + Duration::seconds(1),
            ] {
                let due = s.reminders_due(verified, now);
                for rung in 1..=3 {
                    let cutoff = s.reminder_cutoff(rung, now).unwrap();
                    assert_eq!(verified <= cutoff, due >= rung, "{days} days, rung {rung}");
                }
                let f = s.freshness(Some(verified), now);
                assert_eq!(verified <= s.stale_cutoff(now), f != Freshness::Fresh);
                assert_eq!(verified <= s.hidden_cutoff(now), f == Freshness::Hidden);
            }
        }
        assert_eq!(s.reminder_cutoff(0, now), None);
        assert_eq!(s.reminder_cutoff(4, now), None);
    }

    #[test]
    fn nonsense_schedules_are_refused() {
        let bad = [
            RefreshSchedule {
                reminder_days: vec![0, -14],
                ..RefreshSchedule::default()
            },
            RefreshSchedule {
                hide_after_days: 10,
                ..RefreshSchedule::default()
            },
            RefreshSchedule {
                reminder_days: vec![-200],
                ..RefreshSchedule::default()
            },
        ];
        for s in bad {
            assert!(s.check().is_err(), "{s:?}");
        }
    }
}

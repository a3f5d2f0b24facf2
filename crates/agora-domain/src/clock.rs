//! Time is injected, so that workflows driven by dates are tested by moving a clock.

use chrono::{DateTime, Timelike, Utc};
use std::sync::Mutex;

/// Times are whole seconds: stored timestamps then all have one text form on SQLite, so
/// they order correctly as text, and nothing in the domain needs finer resolution.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    t.with_nanosecond(0).unwrap_or(t)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        whole_seconds(Utc::now())
    }
}

/// A clock that only moves when told to.
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = at;
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        whole_seconds(
            *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_tell_whole_seconds() {
        assert_eq!(SystemClock.now().nanosecond(), 0);
        let clock = ManualClock::new(Utc::now());
        clock.advance(chrono::Duration::milliseconds(1500));
        assert_eq!(clock.now().nanosecond(), 0);
    }
}

/// Clock times in metropolitan France, where events take place: the time-zone database's
/// rule, not a copy of it.
pub mod paris {
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
    use chrono_tz::Europe::Paris;

    /// The time in France.
    pub fn local(at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&Paris).naive_local()
    }

    /// A date and time read in France, in UTC. In the hour skipped in spring the clock
    /// is read as the hour after; in the hour repeated in autumn, as its first pass.
    pub fn to_utc(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let naive = date.and_time(time);
        Paris
            .from_local_datetime(&naive)
            .earliest()
            .or_else(|| {
                Paris
                    .from_local_datetime(&(naive + chrono::Duration::hours(1)))
                    .earliest()
            })
            .map_or_else(|| Utc.from_utc_datetime(&naive), |t| t.with_timezone(&Utc))
    }

    /// "14 h 05".
    pub fn clock(at: DateTime<Utc>) -> String {
        local(at).format("%H h %M").to_string()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn summer_time_follows_the_rule() {
            let winter = Utc.with_ymd_and_hms(2027, 1, 15, 13, 5, 0).unwrap();
            assert_eq!(clock(winter), "14 h 05");
            let summer = Utc.with_ymd_and_hms(2027, 6, 15, 13, 5, 0).unwrap();
            assert_eq!(clock(summer), "15 h 05");
            // 2027-03-28: summer time from 01:00 UTC.
            let before = Utc.with_ymd_and_hms(2027, 3, 28, 0, 59, 0).unwrap();
            let after = Utc.with_ymd_and_hms(2027, 3, 28, 1, 0, 0).unwrap();
            assert_eq!(clock(before), "01 h 59");
            assert_eq!(clock(after), "03 h 00");
            let d = NaiveDate::from_ymd_opt(2027, 6, 15).unwrap();
            let t = NaiveTime::from_hms_opt(15, 5, 0).unwrap();
            assert_eq!(to_utc(d, t), summer);
            // 02:30 does not exist on 2027-03-28: read as 03:30, i.e. 01:30 UTC.
            let d = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
            let t = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
            assert_eq!(
                to_utc(d, t),
                Utc.with_ymd_and_hms(2027, 3, 28, 1, 30, 0).unwrap()
            );
        }
    }
}

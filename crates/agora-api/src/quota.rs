//! Request quotas and the IETF `RateLimit-Policy` / `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers): a partner's key is counted in the database
//! (per minute and per day, shared by every instance); an anonymous caller of the open
//! reads is counted here, per address and per minute, by this instance.

use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use agora_service::partners::Admission;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Addresses counted in one minute at most; beyond, new addresses are served uncounted
/// (a bound on memory, logged) rather than refused.
const MAX_ADDRESSES: usize = 200_000;

/// A fixed window per minute and per address.
#[derive(Debug)]
pub struct AnonymousLimit {
    per_minute: u32,
    window: Mutex<(i64, HashMap<IpAddr, u32>)>,
}

/// What the anonymous limit says of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset: u64,
}

impl AnonymousLimit {
    /// `per_minute` 0: no limit.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            window: Mutex::new((0, HashMap::new())),
        }
    }

    /// Counts a request from `client` at `epoch_secs`; `None` when there is no limit.
    pub fn admit(&self, client: IpAddr, epoch_secs: i64) -> Option<Verdict> {
        if self.per_minute == 0 {
            return None;
        }
        let minute = epoch_secs.div_euclid(60);
        let reset = u64::try_from(60 - epoch_secs.rem_euclid(60)).unwrap_or(60);
        let mut guard = match self.window.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (current, counts) = &mut *guard;
        if *current != minute {
            *current = minute;
            counts.clear();
        }
        if counts.len() >= MAX_ADDRESSES && !counts.contains_key(&client) {
            tracing::warn!("anonymous limit: too many addresses this minute; serving uncounted");
            return None;
        }
        let n = counts.entry(client).or_insert(0);
        *n = n.saturating_add(1);
        Some(Verdict {
            allowed: *n <= self.per_minute,
            limit: self.per_minute,
            remaining: self.per_minute.saturating_sub(*n),
            reset,
        })
    }
}

fn set(headers: &mut HeaderMap, name: &'static str, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(HeaderName::from_static(name), v);
    }
}

/// The headers of an anonymous caller's request.
pub fn anonymous_headers(headers: &mut HeaderMap, v: &Verdict) {
    set(
        headers,
        "ratelimit-policy",
        format!("\"per-address\";q={};w=60", v.limit),
    );
    set(
        headers,
        "ratelimit",
        format!("\"per-address\";r={};t={}", v.remaining, v.reset),
    );
}

/// The headers of a partner's request: both windows, the closer to exhaustion first.
pub fn partner_headers(headers: &mut HeaderMap, a: &Admission) {
    set(
        headers,
        "ratelimit-policy",
        format!(
            "\"minute\";q={};w=60, \"day\";q={};w=86400",
            a.per_minute, a.per_day
        ),
    );
    let minute = format!("\"minute\";r={};t={}", a.minute_remaining, a.minute_reset);
    let day = format!("\"day\";r={};t={}", a.day_remaining, a.day_reset);
    let value = if a.day_remaining < a.minute_remaining {
        format!("{day}, {minute}")
    } else {
        format!("{minute}, {day}")
    };
    set(headers, "ratelimit", value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_limited_within_its_minute_only() {
        let limit = AnonymousLimit::new(3);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        let t = 1_800_000_000 + 10; // 10 s into a minute
        let verdicts: Vec<bool> = (0..4).map(|_| limit.admit(a, t).unwrap().allowed).collect();
        assert_eq!(verdicts, [true, true, true, false]);
        assert!(
            limit.admit(b, t).unwrap().allowed,
            "another address has its own count"
        );
        let refused = limit.admit(a, t + 5).unwrap();
        assert_eq!((refused.remaining, refused.reset), (0, 45));
        assert!(
            limit.admit(a, t + 50).unwrap().allowed,
            "a new minute starts again"
        );
        assert!(AnonymousLimit::new(0).admit(a, t).is_none());
    }
}

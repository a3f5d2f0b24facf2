//! Metrics in the Prometheus text format: the process-wide recorder that counters and
//! histograms go to (HTTP requests here, searches and sign-ins in the use cases), the
//! middleware that times every request, and who may read `/metrics`.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::middleware::Next;
use ipnet::IpNet;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Instant;

/// Seconds: from a millisecond to ten seconds.
const LATENCY_BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Listings found by one search.
const RESULT_BUCKETS: [f64; 10] = [
    0.0, 1.0, 5.0, 10.0, 20.0, 50.0, 100.0, 500.0, 1000.0, 10000.0,
];

/// The recorder of this process. A process has one global recorder, whatever the number
/// of servers it runs (the tests run several): installed by the first, shared by all.
/// `None` when some other recorder was installed first (then only the figures read at
/// scrape time are served).
pub fn recorder() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE.get_or_init(install).as_ref()
}

fn install() -> Option<PrometheusHandle> {
    let builder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &LATENCY_BUCKETS)
        .and_then(|b| {
            b.set_buckets_for_metric(
                Matcher::Full("agora_search_results".into()),
                &RESULT_BUCKETS,
            )
        });
    let handle = match builder.and_then(PrometheusBuilder::install_recorder) {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = %e, "metrics recorder not installed");
            return None;
        }
    };
    describe();
    // Histograms keep their samples until rendered: without scrapes they would grow.
    let upkeep = handle.clone();
    let spawned = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(5));
                upkeep.run_upkeep();
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "metrics upkeep not started");
    }
    Some(handle)
}

/// Help texts, and the counters that exist from the start (at zero) so that a dashboard
/// finds them before the first event.
fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "agora_http_requests_total",
        "HTTP requests answered, by route template, method and status"
    );
    describe_histogram!(
        "agora_http_request_duration_seconds",
        "Time to answer an HTTP request (until the response starts), by route template and method"
    );
    describe_histogram!(
        "agora_search_duration_seconds",
        "Time the search index takes to answer a search (API and portal)"
    );
    describe_histogram!(
        "agora_search_results",
        "Listings matching one search (API and portal)"
    );
    describe_counter!(
        "agora_sign_in_failures_total",
        "Sign-ins (and password confirmations) refused for a wrong password or an unknown account"
    );
    describe_counter!(
        "agora_sign_in_throttled_total",
        "Sign-ins refused at once because a throttle imposes a wait"
    );
    describe_counter!(
        "agora_sign_in_throttles_started_total",
        "Throttle counters that started imposing waits, by scope"
    );
    describe_gauge!(
        "agora_process_start_time_seconds",
        "When this process started, in seconds since the Unix epoch"
    );
    describe_gauge!("agora_build_info", "This build: its version, always 1");
    metrics::counter!("agora_sign_in_failures_total").absolute(0);
    metrics::counter!("agora_sign_in_throttled_total").absolute(0);
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    metrics::gauge!("agora_process_start_time_seconds").set(started);
    metrics::gauge!("agora_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
}

/// Known methods by name; anything else is one label, so that made-up methods cannot
/// multiply the series.
fn method_label(method: &actix_web::http::Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

/// Counts and times every request, API and portal. The route label is the template that
/// matched (`/api/v1/structures/{id}`), never the path: no id, no query, and a bounded
/// number of series whatever clients ask for.
pub async fn record<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let result = next.call(req).await;
    let elapsed = started.elapsed().as_secs_f64();
    let (route, status) = match &result {
        Ok(res) => (
            res.request().match_pattern(),
            res.status().as_u16().to_string(),
        ),
        Err(e) => (
            None,
            e.as_response_error().status_code().as_u16().to_string(),
        ),
    };
    let route = route.unwrap_or_else(|| "unmatched".to_owned());
    metrics::counter!(
        "agora_http_requests_total",
        "route" => route.clone(),
        "method" => method,
        "status" => status,
    )
    .increment(1);
    metrics::histogram!(
        "agora_http_request_duration_seconds",
        "route" => route,
        "method" => method,
    )
    .record(elapsed);
    result
}

/// Who may read `/metrics`: clients from `allow`, or whoever presents the token.
#[derive(Clone)]
pub struct MetricsAccess {
    allow: Vec<IpNet>,
    /// The token's SHA-256: compared in constant time, never kept in clear.
    token: Option<[u8; 32]>,
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsAccess")
            .field("allow", &self.allow)
            .field("token", &self.token.map(|_| "<set>"))
            .finish()
    }
}

impl Default for MetricsAccess {
    /// This machine only.
    fn default() -> Self {
        Self {
            allow: Self::LOOPBACK
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
            token: None,
        }
    }
}

impl MetricsAccess {
    /// The default of `metrics.allow`.
    pub const LOOPBACK: [&str; 2] = ["127.0.0.1/32", "::1/128"];
    /// The shortest token accepted.
    pub const MIN_TOKEN_CHARS: usize = 32;

    /// From the settings: addresses or networks, and an optional token of 32 characters
    /// or more. The error names the setting.
    pub fn new(allow: &[String], token: Option<&str>) -> Result<Self, String> {
        let allow = crate::client::parse_trusted(allow).map_err(|e| {
            format!(
                "metrics.allow: {}",
                e.trim_start_matches("trusted_proxies: ")
            )
        })?;
        let token = match token {
            None => None,
            Some(t) if t.chars().count() < Self::MIN_TOKEN_CHARS => {
                return Err(format!(
                    "metrics.token: at least {} characters are needed (generate one with `openssl rand -hex 32`)",
                    Self::MIN_TOKEN_CHARS
                ));
            }
            Some(t) => Some(Sha256::digest(t.as_bytes()).into()),
        };
        Ok(Self { allow, token })
    }

    /// Whether a request from `peer` with `headers` may read the metrics.
    ///
    /// By address, the client is the one `trusted_proxies` name (crate::client). A request
    /// that carries `Forwarded` or `X-Forwarded-For` came through a proxy: it is judged
    /// by the client that a trusted proxy names, never by the connection's own address.
    /// A reverse proxy on this machine connects from loopback, and taking its address
    /// would hand the metrics to everyone it serves.
    pub fn allows(&self, peer: Option<IpAddr>, headers: &HeaderMap, proxies: &[IpNet]) -> bool {
        self.token_matches(headers) || self.address_allowed(peer, headers, proxies)
    }

    fn address_allowed(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        proxies: &[IpNet],
    ) -> bool {
        let Some(peer) = peer else {
            return false;
        };
        let client = crate::client::client_address(Some(peer), headers, proxies);
        let forwarded =
            headers.contains_key("forwarded") || headers.contains_key("x-forwarded-for");
        // Through a proxy, the client must be someone the proxy named: the connection's own
        // address means an untrusted proxy, or a header that could not be read.
        if forwarded && client == canonical(peer) {
            return false;
        }
        let client = canonical(client);
        self.allow.iter().any(|net| net.contains(&client))
    }

    fn token_matches(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.token else {
            return false;
        };
        let Some(given) = headers
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
        else {
            return false;
        };
        // Digests of equal length, compared without stopping at the first difference.
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        given
            .iter()
            .zip(expected.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn loopback_by_default_and_nobody_else() {
        let access = MetricsAccess::default();
        let none = HeaderMap::new();
        assert!(access.allows(ip("127.0.0.1"), &none, &[]));
        assert!(access.allows(ip("::1"), &none, &[]));
        assert!(access.allows(ip("::ffff:127.0.0.1"), &none, &[]));
        assert!(!access.allows(ip("127.0.0.2"), &none, &[]));
        assert!(!access.allows(ip("203.0.113.5"), &none, &[]));
        assert!(!access.allows(None, &none, &[]));
    }

    #[test]
    fn a_local_proxy_does_not_lend_its_loopback_address() {
        let access = MetricsAccess::default();
        let proxied = headers(&[("x-forwarded-for", "203.0.113.5")]);
        // An untrusted proxy on this machine: its header cannot be believed, its own
        // address does not count.
        assert!(!access.allows(ip("127.0.0.1"), &proxied, &[]));
        let rfc = headers(&[("forwarded", "for=203.0.113.5")]);
        assert!(!access.allows(ip("127.0.0.1"), &rfc, &[]));
        // A trusted one names the client, who is not allowed.
        let proxies = crate::client::parse_trusted(&["127.0.0.1".into()]).unwrap();
        assert!(!access.allows(ip("127.0.0.1"), &proxied, &proxies));
        // Nor is a header it could not read.
        let garbage = headers(&[("x-forwarded-for", "unknown")]);
        assert!(!access.allows(ip("127.0.0.1"), &garbage, &proxies));
        // A client on the proxy's machine that the proxy names is.
        let local = headers(&[("x-forwarded-for", "::1")]);
        assert!(access.allows(ip("127.0.0.1"), &local, &proxies));
        // A forged entry before the proxy's own changes nothing.
        let forged = headers(&[("x-forwarded-for", "127.0.0.1, 203.0.113.5")]);
        assert!(!access.allows(ip("127.0.0.1"), &forged, &proxies));
    }

    #[test]
    fn the_token_opens_from_anywhere_and_only_the_right_one() {
        let access = MetricsAccess::new(&[], Some(TOKEN)).unwrap();
        let far = ip("203.0.113.5");
        let bearer = |t: &str| headers(&[("authorization", &format!("Bearer {t}"))]);
        assert!(access.allows(far, &bearer(TOKEN), &[]));
        assert!(!access.allows(far, &bearer("0123456789abcdef0123456789abcdeX"), &[]));
        assert!(!access.allows(far, &bearer(""), &[]));
        assert!(!access.allows(far, &headers(&[("authorization", TOKEN)]), &[]));
        assert!(!access.allows(far, &HeaderMap::new(), &[]));
        // An empty `allow` refuses every address, loopback included.
        assert!(!access.allows(ip("127.0.0.1"), &HeaderMap::new(), &[]));
        // No token configured: no bearer opens.
        assert!(!MetricsAccess::default().allows(far, &bearer(TOKEN), &[]));
    }

    #[test]
    fn settings_are_checked() {
        assert!(MetricsAccess::new(&[], Some("short")).is_err());
        assert!(MetricsAccess::new(&["10.0.0.0/8".into(), "192.0.2.1".into()], None).is_ok());
        let e = MetricsAccess::new(&["nonsense".into()], None).unwrap_err();
        assert!(e.starts_with("metrics.allow:"), "{e}");
        let debug = format!("{:?}", MetricsAccess::new(&[], Some(TOKEN)).unwrap());
        assert!(!debug.contains(TOKEN) && debug.contains("<set>"));
    }
}

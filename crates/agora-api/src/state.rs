//! What every handler shares, built once per process (outside the per-worker factory).

use agora_service::Context;

#[derive(Clone, Debug)]
pub struct ApiState {
    pub ctx: Context,
    /// Largest JSON body accepted, in bytes.
    pub json_limit: usize,
    /// Origins allowed to call the API from a browser; none by default.
    pub cors_origins: Vec<String>,
    /// Reverse proxies whose `Forwarded`/`X-Forwarded-For` entries name the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Requests per minute an anonymous address may make to the API.
    pub anonymous_limit: std::sync::Arc<crate::quota::AnonymousLimit>,
    /// Who may read `/metrics`.
    pub metrics: crate::telemetry::MetricsAccess,
    /// Raised when the server is asked to stop: `/ready` answers 503 from then on.
    pub stopping: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl ApiState {
    pub const DEFAULT_JSON_LIMIT: usize = 64 * 1024;
    pub const DEFAULT_ANONYMOUS_PER_MINUTE: u32 = 600;

    pub fn new(ctx: Context) -> Self {
        Self {
            ctx,
            json_limit: Self::DEFAULT_JSON_LIMIT,
            cors_origins: Vec::new(),
            trusted_proxies: Vec::new(),
            anonymous_limit: std::sync::Arc::new(crate::quota::AnonymousLimit::new(
                Self::DEFAULT_ANONYMOUS_PER_MINUTE,
            )),
            metrics: crate::telemetry::MetricsAccess::default(),
            stopping: std::sync::Arc::default(),
        }
    }
}

//! Sending deliveries: claimed one at a time with a lease (so that two instances never
//! send the same attempt), the body written at the first attempt and kept, signed, POSTed
//! to the checked addresses only, without following redirects.

use super::address;
use crate::feed;
use crate::shutdown::StopSignal;
use crate::{Context, Result};
use agora_store::partners;
use agora_store::webhooks::{self as store, DeliveryRecord, DeliveryState};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use serde_json::json;
use sha2::Sha256;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// How long a dispatcher holds a delivery it is sending.
const LEASE_SECS: i64 = 120;

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`, as
/// the `Agora-Signature` header carries it.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        // HMAC takes keys of any length; this cannot happen.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Public roots (webpki's) and the ring provider, which lettre already uses; none only if
/// ring offered no protocol version, and then deliveries fail with a clear error.
static TLS: LazyLock<Option<Arc<rustls::ClientConfig>>> = LazyLock::new(|| {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
        .ok()
});

/// Sends `request` over `io` (HTTP/1.1) and returns the status.
async fn exchange<S>(
    io: S,
    request: hyper::Request<Full<Bytes>>,
) -> std::result::Result<u16, String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|_| "the receiver's connection failed".to_owned())?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let response = sender
        .send_request(request)
        .await
        .map_err(|_| "the receiver closed the connection without answering".to_owned())?;
    Ok(response.status().as_u16())
}

/// POSTs `body` to `url` by one of `addrs` (already checked): no proxy, no redirect
/// followed (a 3xx is a failure like any other non-2xx answer).
async fn post(
    url: &url::Url,
    addrs: &[SocketAddr],
    headers: &[(&'static str, String)],
    body: String,
) -> std::result::Result<u16, String> {
    let host = url.host_str().unwrap_or_default();
    let mut stream = None;
    for addr in addrs {
        if let Ok(s) = TcpStream::connect(addr).await {
            stream = Some(s);
            break;
        }
    }
    let stream = stream.ok_or_else(|| "could not connect to the receiver".to_owned())?;
    let authority = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let mut request = hyper::Request::post(target).header("host", authority);
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|_| "the request could not be built".to_owned())?;
    if url.scheme() == "http" {
        return exchange(stream, request).await;
    }
    let tls = TLS
        .clone()
        .ok_or_else(|| "no TLS configuration".to_owned())?;
    let name = ServerName::try_from(host.trim_matches(|c| c == '[' || c == ']').to_owned())
        .map_err(|_| "the host is not a valid TLS name".to_owned())?;
    let stream = TlsConnector::from(tls)
        .connect(name, stream)
        .await
        .map_err(|e| format!("TLS handshake failed: {e}"))?;
    exchange(stream, request).await
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DispatchReport {
    pub delivered: u64,
    pub retried: u64,
    pub failed: u64,
    pub disabled: u64,
}

/// The body of a delivery: the change as the feed shows it.
async fn body_of(ctx: &Context, d: &DeliveryRecord) -> Result<String> {
    let change = feed::change_at(ctx, d.change_seq).await?;
    Ok(json!({
        "id": d.id,
        "event": d.event,
        "created_at": d.created_at,
        "change": change,
    })
    .to_string())
}

/// One attempt: the receiver's status, or why there was none.
async fn attempt(
    ctx: &Context,
    url: &str,
    secret: &str,
    d: &DeliveryRecord,
    body: String,
) -> std::result::Result<u16, String> {
    let allow = &ctx.settings.webhooks.allow_networks;
    let url = address::parse(url, allow)?;
    let addrs = address::resolve(&url, allow).await?;
    let timestamp = ctx.now().timestamp();
    let headers = [
        ("content-type", "application/json".to_owned()),
        ("user-agent", "Agora-Webhooks/1".to_owned()),
        ("agora-delivery", d.id.to_string()),
        ("agora-event", d.event.clone()),
        (
            "agora-signature",
            signature(secret, timestamp, body.as_bytes()),
        ),
    ];
    tokio::time::timeout(
        ctx.settings.webhooks.timeout,
        post(&url, &addrs, &headers, body),
    )
    .await
    .map_err(|_| "the receiver did not answer in time".to_owned())?
}

/// Sends the deliveries that are due; what happened.
pub async fn dispatch_once(ctx: &Context) -> Result<DispatchReport> {
    dispatch_until(ctx, &StopSignal::never()).await
}

/// Sends the deliveries that are due until `stop` is raised: the one under way is
/// finished (its claim settled), no other is claimed.
async fn dispatch_until(ctx: &Context, stop: &StopSignal) -> Result<DispatchReport> {
    let now = ctx.now();
    store::release_expired_claims(&ctx.db, now).await?;
    let mut report = DispatchReport::default();
    for d in store::due(&ctx.db, now, 50).await? {
        if stop.is_raised() {
            break;
        }
        if !store::claim(&ctx.db, d.id, now + chrono::Duration::seconds(LEASE_SECS)).await? {
            continue;
        }
        deliver(ctx, d, &mut report).await?;
    }
    Ok(report)
}

async fn deliver(ctx: &Context, d: DeliveryRecord, report: &mut DispatchReport) -> Result<()> {
    let now = ctx.now();
    let hook = store::get(&ctx.db, d.webhook_id)
        .await?
        .filter(|w| w.disabled_at.is_none());
    let Some(hook) = hook else {
        return store::finish(&ctx.db, d.id, DeliveryState::Dropped, None, None, now, None)
            .await
            .map_err(Into::into);
    };
    let body = match &d.body {
        Some(b) => b.clone(),
        None => {
            let b = body_of(ctx, &d).await?;
            store::set_body(&ctx.db, d.id, &b).await?;
            b
        }
    };
    let outcome = attempt(ctx, &hook.url, &hook.secret, &d, body).await;
    let error = match outcome {
        Ok(status) if (200..300).contains(&status) => {
            store::finish(
                &ctx.db,
                d.id,
                DeliveryState::Delivered,
                Some(status),
                None,
                ctx.now(),
                None,
            )
            .await?;
            store::succeeded(&ctx.db, hook.id).await?;
            report.delivered += 1;
            return Ok(());
        }
        Ok(status) => (Some(status), format!("the receiver answered {status}")),
        Err(why) => (None, why),
    };
    let (status, why) = error;
    let delays = &ctx.settings.webhooks.retry_delays;
    // `d` was read before the claim counted this attempt: `d.attempts` attempts came
    // before it, so the wait before the next one is the `d.attempts`-th delay.
    let next = usize::try_from(d.attempts)
        .ok()
        .and_then(|i| delays.get(i))
        .map(|delay| now + *delay);
    let state = if next.is_some() {
        report.retried += 1;
        DeliveryState::Pending
    } else {
        report.failed += 1;
        DeliveryState::Failed
    };
    store::finish(&ctx.db, d.id, state, status, Some(why.clone()), now, next).await?;
    let failures = store::failed(&ctx.db, hook.id).await?;
    if failures >= ctx.settings.webhooks.disable_after {
        disable(ctx, &hook, failures, &why, now).await?;
        report.disabled += 1;
    }
    Ok(())
}

/// Disables a webhook that keeps failing and tells the partner's contact.
async fn disable(
    ctx: &Context,
    hook: &store::WebhookRecord,
    failures: u32,
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let txn = ctx.begin().await?;
    let reason = format!("{failures} failed attempts in a row; last: {why}");
    if !store::disable(&txn, hook.id, now, &reason).await? {
        txn.rollback().await?;
        return Ok(());
    }
    let partner = partners::get(&txn, hook.partner_id).await?;
    if let Some(p) = &partner
        && let Some(email) = &p.contact_email
    {
        let message =
            agora_mail::messages::partners::webhook_disabled(&p.name, &hook.url, failures, why);
        let to = crate::mail::Addressee {
            email: email.clone(),
            name: p.name.clone(),
        };
        crate::mail::enqueue(&txn, ctx, &to, &message).await?;
    }
    txn.commit().await?;
    ctx.mail_queued.notify_one();
    tracing::warn!(webhook = %hook.id, partner = %hook.partner_id, failures, "webhook disabled");
    Ok(())
}

/// Sends deliveries as changes arrive (and every `poll` for retries) until `stop` is
/// raised.
pub async fn run_dispatcher(ctx: Context, poll: std::time::Duration, stop: StopSignal) {
    while !stop.is_raised() {
        match dispatch_until(&ctx, &stop).await {
            Ok(r) if r != DispatchReport::default() => tracing::info!(
                delivered = r.delivered,
                retried = r.retried,
                failed = r.failed,
                disabled = r.disabled,
                "webhook deliveries"
            ),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhook dispatch failed; will retry"),
        }
        let changed = ctx.changed.clone();
        tokio::select! {
            () = changed.notified() => {}
            () = tokio::time::sleep(poll) => {}
            () = stop.raised() => {}
        }
    }
    tracing::info!("webhook dispatcher stopped");
}

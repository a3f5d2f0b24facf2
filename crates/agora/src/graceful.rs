//! `agora serve` until SIGTERM or SIGINT, then a graceful stop: `/ready` answers 503, the
//! listener closes (after `shutdown_delay_secs`), requests in flight finish, then the
//! background work stops at a safe point (index committed, unsent mail left queued). The
//! whole stop is bounded by `shutdown_timeout_secs`; a second signal or the bound running
//! out ends the process at once, with a non-zero status.

use crate::app::{Application, Background};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// The exit status when the bound ran out or a second signal came.
pub const UNFINISHED: i32 = 1;

/// The shutdown signals: SIGTERM (service managers, orchestrators) and SIGINT (Ctrl-C).
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// The next signal's name.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.term.recv() => "SIGTERM",
                _ = self.int.recv() => "SIGINT",
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

/// Serves until a shutdown signal, then stops gracefully; returns the exit status (0
/// when everything finished within the bound).
pub async fn serve(
    app: Application,
    mut background: Background,
    delay: Duration,
    bound: Duration,
) -> anyhow::Result<i32> {
    let mut signals = Signals::new()?;
    let handle = app.handle();
    let stopping = app.stopping();
    let mut server = tokio::spawn(app.run_until_stopped());
    let signal = tokio::select! {
        s = signals.next() => s,
        ended = &mut server => {
            // The server stopped by itself: an error to report, not a shutdown.
            ended??;
            return Ok(0);
        }
    };
    let started = Instant::now();
    stopping.store(true, Ordering::Relaxed);
    tracing::info!(
        signal,
        delay_secs = delay.as_secs(),
        bound_secs = bound.as_secs(),
        "shutting down: /ready answers 503; requests in flight will finish"
    );
    tokio::spawn(async move {
        let again = signals.next().await;
        tracing::error!(
            signal = again,
            "second signal: exiting now, work unfinished"
        );
        std::process::exit(UNFINISHED);
    });
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let graceful = async {
        tracing::info!("listener closed: no new connections");
        handle.stop(true).await;
        let _ = server.await;
        tracing::info!(
            ms = started.elapsed().as_millis() as u64,
            "requests in flight finished"
        );
        background.stop().await;
    };
    match tokio::time::timeout(bound, graceful).await {
        Ok(()) => {
            tracing::info!(ms = started.elapsed().as_millis() as u64, "stopped cleanly");
            Ok(0)
        }
        Err(_) => {
            tracing::error!(
                bound_secs = bound.as_secs(),
                "shutdown took longer than its bound: exiting with work unfinished"
            );
            Ok(UNFINISHED)
        }
    }
}

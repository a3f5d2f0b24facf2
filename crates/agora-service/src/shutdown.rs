//! Stopping the background work at a safe point when the server shuts down: each task
//! finishes what it is doing (a mail handed to the server, an index batch, a sweep, a
//! webhook delivery), takes nothing new, and returns.

use tokio::sync::watch;

/// Asks the tasks holding a [`StopSignal`] of it to stop.
#[derive(Debug)]
pub struct Stopper(watch::Sender<bool>);

/// What a background task watches to know it should stop.
#[derive(Debug, Clone)]
pub struct StopSignal(watch::Receiver<bool>);

/// A stopper and the signal it raises.
pub fn channel() -> (Stopper, StopSignal) {
    let (tx, rx) = watch::channel(false);
    (Stopper(tx), StopSignal(rx))
}

impl Stopper {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl StopSignal {
    /// A signal never raised (one-off commands, tests that drop their tasks).
    pub fn never() -> Self {
        channel().1
    }

    pub fn is_raised(&self) -> bool {
        *self.0.borrow()
    }

    /// Returns once the signal is raised; never when its stopper is gone unraised.
    pub async fn raised(&self) {
        let mut rx = self.0.clone();
        if rx.wait_for(|stop| *stop).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_raised_signal_is_seen_by_every_holder() {
        let (stopper, signal) = channel();
        let other = signal.clone();
        assert!(!signal.is_raised());
        let waiting = tokio::spawn(async move { other.raised().await });
        stopper.stop();
        waiting.await.unwrap();
        assert!(signal.is_raised());
        // Raised before waiting: returns at once.
        signal.raised().await;
    }

    #[tokio::test]
    async fn a_signal_whose_stopper_is_gone_never_fires() {
        let never = StopSignal::never();
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(50), never.raised()).await;
        assert!(waited.is_err());
        assert!(!never.is_raised());
    }
}

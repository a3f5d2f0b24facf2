//! Latency figures and how they are printed.

use std::time::Duration;

/// Measured latencies, each with a weight (1 unless merged from several runs).
#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<(Duration, f64)>,
    /// Wall time of the whole run, for throughput.
    pub elapsed: Duration,
}

impl Latencies {
    pub fn push(&mut self, d: Duration) {
        self.samples.push((d, 1.0));
    }

    pub fn extend(&mut self, other: Latencies) {
        self.samples.extend(other.samples);
    }

    /// Adds another run's samples as one equal share of the whole, however many it
    /// has: a system that completed fewer searches of a slow kind within the time allowed
    /// is not made to look faster by the mix of what it completed.
    pub fn extend_as_share(&mut self, other: Latencies) {
        let n = other.samples.len() as f64;
        self.samples
            .extend(other.samples.into_iter().map(|(d, w)| (d, w / n)));
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    fn percentile(&self, p: f64) -> Option<Duration> {
        let mut sorted = self.samples.clone();
        sorted.sort_unstable_by_key(|(d, _)| *d);
        let total: f64 = sorted.iter().map(|(_, w)| w).sum();
        let wanted = p / 100.0 * total;
        let mut seen = 0.0;
        for (d, w) in &sorted {
            seen += w;
            // A tolerance for the rounding of weights that are not powers of two.
            if seen >= wanted * (1.0 - 1e-9) {
                return Some(*d);
            }
        }
        sorted.last().map(|(d, _)| *d)
    }

    pub fn p50(&self) -> Option<Duration> {
        self.percentile(50.0)
    }

    pub fn p99(&self) -> Option<Duration> {
        self.percentile(99.0)
    }

    pub fn max(&self) -> Option<Duration> {
        self.samples.iter().map(|(d, _)| *d).max()
    }

    pub fn per_second(&self) -> Option<f64> {
        let secs = self.elapsed.as_secs_f64();
        (secs > 0.0 && !self.samples.is_empty()).then(|| self.samples.len() as f64 / secs)
    }
}

pub fn ms(d: Option<Duration>) -> String {
    d.map_or_else(
        || "–".to_owned(),
        |d| format!("{:.2}", d.as_secs_f64() * 1000.0),
    )
}

pub fn rate(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_owned(), |r| format!("{r:.0}"))
}

pub fn ratio(slow: Option<Duration>, fast: Option<Duration>) -> String {
    match (slow, fast) {
        (Some(s), Some(f)) if f > Duration::ZERO => {
            format!("{:.1}×", s.as_secs_f64() / f.as_secs_f64())
        }
        _ => "–".to_owned(),
    }
}

pub fn mib(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "–".to_owned(), |b| format!("{} MiB", b / (1024 * 1024)))
}

pub fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Share of two result pages in common (1 when both are empty).
pub fn overlap(a: &[uuid::Uuid], b: &[uuid::Uuid]) -> f64 {
    let larger = a.len().max(b.len());
    if larger == 0 {
        return 1.0;
    }
    a.iter().filter(|id| b.contains(id)).count() as f64 / larger as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let mut l = Latencies::default();
        for ms in 1..=100 {
            l.push(Duration::from_millis(ms));
        }
        assert_eq!(l.p50(), Some(Duration::from_millis(50)));
        assert_eq!(l.p99(), Some(Duration::from_millis(99)));
        assert_eq!(Latencies::default().p50(), None);
    }

    #[test]
    fn merged_runs_weigh_the_same_whatever_their_size() {
        let mut fast = Latencies::default();
        for _ in 0..900 {
            fast.push(Duration::from_millis(1));
        }
        let mut slow = Latencies::default();
        for ms in 100..200 {
            slow.push(Duration::from_millis(ms));
        }
        let mut all = Latencies::default();
        all.extend_as_share(fast);
        all.extend_as_share(slow);
        assert_eq!(all.len(), 1000);
        // Half of the weight is the fast run's: the median sits at its edge.
        assert_eq!(all.p50(), Some(Duration::from_millis(1)));
        assert_eq!(all.p99(), Some(Duration::from_millis(197)));
    }

    #[test]
    fn overlap_counts_shared_ids() {
        let ids: Vec<uuid::Uuid> = (0..4).map(uuid::Uuid::from_u128).collect();
        assert_eq!(overlap(&ids[..2], &ids[1..4]), 1.0 / 3.0);
        assert_eq!(overlap(&[], &[]), 1.0);
    }
}

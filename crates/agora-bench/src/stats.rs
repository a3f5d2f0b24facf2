//! Latency figures and how they are printed.

use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Latencies {
    samples: Vec<Duration>,
    /// Wall time of the whole run, for throughput.
    pub elapsed: Duration,
}

impl Latencies {
    pub fn push(&mut self, d: Duration) {
        self.samples.push(d);
    }

    pub fn extend(&mut self, other: Latencies) {
        self.samples.extend(other.samples);
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    fn percentile(&self, p: f64) -> Option<Duration> {
        if self.samples.is_empty() {
            return None;
        }
        let mut sorted = self.samples.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
    }

    pub fn p50(&self) -> Option<Duration> {
        self.percentile(50.0)
    }

    pub fn p99(&self) -> Option<Duration> {
        self.percentile(99.0)
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
    fn overlap_counts_shared_ids() {
        let ids: Vec<uuid::Uuid> = (0..4).map(uuid::Uuid::from_u128).collect();
        assert_eq!(overlap(&ids[..2], &ids[1..4]), 1.0 / 3.0);
        assert_eq!(overlap(&[], &[]), 1.0);
    }
}

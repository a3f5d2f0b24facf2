//! Concurrent load: `clients` callers each send one search at a time, taking the next
//! query of the mix, until `count` searches are done or `budget` has passed.

use crate::stats::Latencies;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub async fn run<Q, F, Fut>(
    queries: &[Q],
    clients: usize,
    count: usize,
    budget: Duration,
    call: F,
) -> anyhow::Result<Latencies>
where
    Q: Clone + Send + Sync + 'static,
    F: Fn(Q) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = anyhow::Result<()>> + Send,
{
    let queries: Arc<Vec<Q>> = Arc::new(queries.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + budget;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (queries, next, call) = (queries.clone(), next.clone(), call.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Latencies::default();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count || Instant::now() >= deadline || queries.is_empty() {
                    return Ok::<_, anyhow::Error>(latencies);
                }
                let query = queries[n % queries.len()].clone();
                let t = Instant::now();
                call(query).await?;
                latencies.push(t.elapsed());
            }
        }));
    }
    let mut all = Latencies::default();
    for task in tasks {
        all.extend(task.await??);
    }
    all.elapsed = started.elapsed();
    Ok(all)
}

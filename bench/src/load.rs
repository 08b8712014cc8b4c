//! A closed-loop load generator: `concurrency` tasks each repeat one journey
//! for a fixed time; every journey's latency is recorded.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// What one run measured.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub ok: u64,
    pub errors: u64,
    pub elapsed: Duration,
    latencies_us: Vec<u64>,
    pub first_error: Option<String>,
}

impl Stats {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    /// Adds one journey's outcome, for generators of their own (an open loop
    /// at a fixed rate); the caller sets `elapsed`.
    pub fn record(&mut self, outcome: Result<Duration, String>) {
        match outcome {
            Ok(latency) => {
                self.ok += 1;
                self.latencies_us.push(latency.as_micros() as u64);
            }
            Err(e) => {
                self.errors += 1;
                self.first_error.get_or_insert(e);
            }
        }
    }

    /// The latency at quantile `q` (0.5, 0.99) in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted[index] as f64 / 1000.0
    }
}

/// Runs `journey(worker_index)` from `concurrency` tasks until `duration` has
/// passed; a journey returns Err(message) when it did not end as a user expects.
pub async fn run<F, Fut>(concurrency: usize, duration: Duration, journey: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send,
{
    let journey = Arc::new(journey);
    let results = Arc::new(Mutex::new(Stats::default()));
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let journey = journey.clone();
        let results = results.clone();
        tasks.push(tokio::spawn(async move {
            let mut local = Stats::default();
            while Instant::now() < deadline {
                let begun = Instant::now();
                match journey(worker).await {
                    Ok(()) => {
                        local.ok += 1;
                        local.latencies_us.push(begun.elapsed().as_micros() as u64);
                    }
                    Err(e) => {
                        local.errors += 1;
                        local.first_error.get_or_insert(e);
                    }
                }
            }
            let mut all = results.lock().await;
            all.ok += local.ok;
            all.errors += local.errors;
            all.latencies_us.extend(local.latencies_us);
            if all.first_error.is_none() {
                all.first_error = local.first_error;
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let mut stats = results.lock().await.clone();
    stats.elapsed = started.elapsed();
    stats
}

//! What `/metrics` reports (Prometheus text, issue 23): the names, labels
//! and buckets in one place, recorded through the `metrics` facade from
//! wherever the event happens. Labels are bounded sets (route templates,
//! status classes, outcomes, kinds): never a company, an agent or a path
//! with an id in it, so the number of series stays small.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "agentgate_http_requests_total";
pub const HTTP_DURATION: &str = "agentgate_http_request_duration_seconds";
pub const LOGINS: &str = "agentgate_logins_total";
pub const CODES: &str = "agentgate_codes_total";
pub const EMAILS: &str = "agentgate_emails_total";
pub const SMTP_DURATION: &str = "agentgate_smtp_send_duration_seconds";
pub const HASH_QUEUE: &str = "agentgate_password_hash_queue";
pub const HASH_DURATION: &str = "agentgate_password_hash_duration_seconds";
pub const DB_POOL_WAIT: &str = "agentgate_db_pool_wait_seconds";

/// Seconds: from a fast page (1 ms) to a slow SMTP relay (30 s).
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// Installs the process-wide recorder once (the facade is global), and
/// returns the handle that renders it. Later calls return the same handle.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), BUCKETS)
                .expect("the buckets are not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder installed first (an embedding program): ours
            // still renders, it just sees nothing.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// How often the recorder folds the samples it has queued into the histograms.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Folds queued histogram samples into their buckets every few seconds. The
/// recorder queues each sample until `/metrics` is rendered, so a server
/// that nobody scrapes grew by about 1.3 MiB a minute under a steady load
/// (the soak, docs/PERFORMANCE.md); with this it holds a few seconds' worth.
pub fn spawn_upkeep() {
    let handle = install();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(UPKEEP_EVERY);
        loop {
            ticks.tick().await;
            handle.run_upkeep();
        }
    });
}

/// One HTTP request: its route template (`/agents/{id}`, or "unmatched"),
/// status class and time.
pub fn http_request(route: &str, status: u16, took: Duration) {
    let class = match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    };
    metrics::counter!(HTTP_REQUESTS, "route" => route.to_owned(), "status" => class).increment(1);
    metrics::histogram!(HTTP_DURATION, "route" => route.to_owned()).record(took.as_secs_f64());
}

/// How a login step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    SignedIn,
    CodeSent,
    TrustedComputer,
    WrongPassword,
    Throttled,
    WrongCode,
    Locked,
}

impl LoginOutcome {
    fn label(self) -> &'static str {
        match self {
            LoginOutcome::SignedIn => "signed_in",
            LoginOutcome::CodeSent => "code_sent",
            LoginOutcome::TrustedComputer => "trusted_computer",
            LoginOutcome::WrongPassword => "wrong_password",
            LoginOutcome::Throttled => "throttled",
            LoginOutcome::WrongCode => "wrong_code",
            LoginOutcome::Locked => "locked",
        }
    }
}

pub fn login(outcome: LoginOutcome) {
    metrics::counter!(LOGINS, "outcome" => outcome.label()).increment(1);
}

/// A code judged: `method` is email, app or recovery; `result` accepted or rejected.
pub fn code(method: &'static str, result: &'static str) {
    metrics::counter!(CODES, "method" => method, "result" => result).increment(1);
}

/// An email's delivery attempt: `kind` (code, notice …) and `result` (sent, retry, failed, dropped).
pub fn email(kind: &str, result: &'static str) {
    metrics::counter!(EMAILS, "kind" => kind.to_owned(), "result" => result).increment(1);
}

pub fn smtp_send(took: Duration) {
    metrics::histogram!(SMTP_DURATION).record(took.as_secs_f64());
}

/// Password checks waiting for their turn to hash (a place on the pool, then
/// a thread), and how long one hash took.
pub fn hash_queue(waiting: usize) {
    metrics::gauge!(HASH_QUEUE).set(waiting as f64);
}

pub fn hash_time(took: Duration) {
    metrics::histogram!(HASH_DURATION).record(took.as_secs_f64());
}

/// How long a request waited for a database connection.
pub fn pool_wait(took: Duration) {
    metrics::histogram!(DB_POOL_WAIT).record(took.as_secs_f64());
}

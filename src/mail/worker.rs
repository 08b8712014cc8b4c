//! The outbox worker (SPEC §6): delivers queued email at once when woken,
//! retries with backoff while the transport fails, and gives up after a day.
//! Every instance runs one; claims keep them from sending an email twice.
//!
//! Each send is its own task holding one of `AGENTGATE_SMTP_CONNECTIONS`
//! places, under one deadline for the whole SMTP conversation
//! (`AGENTGATE_SMTP_TIMEOUT_SECONDS`). The worker claims new rows whenever a
//! place is free, so a relay that stalls on one connection holds back only
//! the email on that connection. A claim's lease is longer than the deadline
//! plus the time to record the outcome, so no other instance takes a row
//! while it is being sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lettre::message::Mailbox;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::clock::SharedClock;
use crate::config::{Config, MailRetryPolicy};
use crate::crypto::random_token;
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::mail::health::MailHealth;
use crate::mail::outbox::{self, OutboxRow};
use crate::mail::transport::{DeliveryError, Mailer};

/// The wait before attempt number `attempts + 1`: `first_delay` after the
/// first failure, doubling, never more than `max_delay`.
pub fn retry_delay(policy: &MailRetryPolicy, attempts: i32) -> chrono::Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let delay = policy.first_delay * 2i32.pow(doublings);
    delay.min(policy.max_delay)
}

/// How long a claimed row belongs to its worker: twice the SMTP deadline and
/// a minute more (the outcome is written right after the deadline), and
/// never less than two minutes.
pub fn lease(smtp_timeout: Duration) -> chrono::Duration {
    let deadline = chrono::Duration::from_std(smtp_timeout).unwrap_or(chrono::Duration::minutes(10));
    (deadline * 2 + chrono::Duration::minutes(1)).max(chrono::Duration::minutes(2))
}

/// What became of one claimed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    Sent,
    Retry,
    Failed,
    /// Could no longer help (expired, its code used or replaced).
    Dropped,
}

/// What the worker needs: the request path's pool, the settings, the clock,
/// and the wake-up that a request which queued email rings.
#[derive(Clone)]
pub struct WorkerContext {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub wake: Arc<Notify>,
    /// Whether email is getting through (shown to admins).
    pub health: MailHealth,
    /// The database's outage state, shared with the requests.
    pub outage: db::Outage,
}

impl WorkerContext {
    async fn db<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    {
        db::run_blocking(self.pool.clone(), &self.outage, work).await
    }

    fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

/// A running worker, to stop it when the server stops.
pub struct WorkerHandle {
    stopping: Arc<AtomicBool>,
    wake: Arc<Notify>,
    /// The worker's sending places: all of them free means no send is in flight.
    places: Arc<Semaphore>,
    total: u32,
}

impl WorkerHandle {
    /// Stops claiming rows, and waits (at most `grace`) for the sends in
    /// flight to finish and be recorded. A send still running after that
    /// keeps its claim, which lapses after the lease: the row is then sent
    /// by another instance or at the next start. True when none was left.
    pub async fn finish(self, grace: Duration) -> bool {
        self.stopping.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        let idle = self.places.acquire_many(self.total);
        tokio::time::timeout(grace, idle).await.is_ok_and(|permits| permits.is_ok())
    }
}

/// Starts the worker on the current runtime.
pub fn spawn(ctx: WorkerContext, mailer: Mailer) -> WorkerHandle {
    let places = Arc::new(Semaphore::new(ctx.config.smtp_connections));
    let stopping = Arc::new(AtomicBool::new(false));
    let handle = WorkerHandle {
        stopping: stopping.clone(),
        wake: ctx.wake.clone(),
        places: places.clone(),
        total: u32::try_from(ctx.config.smtp_connections).unwrap_or(u32::MAX),
    };
    tokio::spawn(async move {
        let from: Mailbox = match ctx.config.mail_from.parse() {
            Ok(from) => from,
            Err(e) => {
                tracing::error!(error = %e, "MAIL_FROM is not a mailbox; the outbox worker does not run");
                return;
            }
        };
        // Set while every place was taken at the last claim: a send that
        // ends then wakes the worker, since rows may be waiting for a place.
        let saturated = Arc::new(AtomicBool::new(false));
        loop {
            if stopping.load(Ordering::SeqCst) {
                return;
            }
            let free = places.available_permits();
            let (claimed, wait) = if free == 0 {
                (0, time_until_next_due(&ctx).await)
            } else {
                match claim(&ctx, free).await {
                    Ok(Claimed { rows, next_due }) => {
                        let claimed = rows.len();
                        for (row, claim_id) in rows {
                            // At most `free` rows were claimed, and only sends give places back.
                            let Ok(place) = places.clone().acquire_owned().await else { return };
                            tokio::spawn(send(ctx.clone(), mailer.clone(), from.clone(), claim_id, row, place, saturated.clone()));
                        }
                        (claimed, wait_for(&ctx, next_due))
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox round failed");
                        (0, time_until_next_due(&ctx).await)
                    }
                }
            };
            if free > 0 && claimed == free {
                // Every free place got a row: more may be waiting. Look
                // again when a place frees up (or at once, if one has).
                saturated.store(true, Ordering::SeqCst);
                if places.available_permits() > 0 {
                    continue;
                }
            }
            tokio::select! {
                _ = ctx.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
    handle
}

/// Sleeps until the next queued row is due, but never longer than the poll
/// interval: another instance may write email this one is not told about.
async fn time_until_next_due(ctx: &WorkerContext) -> Duration {
    let next = ctx.db(|conn| Ok(outbox::next_due(conn)?)).await.ok().flatten();
    wait_for(ctx, next)
}

/// How long to sleep when the next queued row is due at `next` (`None`:
/// nothing is queued), within the poll interval.
fn wait_for(ctx: &WorkerContext, next: Option<chrono::NaiveDateTime>) -> Duration {
    let poll = ctx.config.mail_retry.poll_interval;
    match next {
        Some(due) => (due - ctx.now()).to_std().unwrap_or(Duration::ZERO).clamp(Duration::from_millis(20), poll),
        None => poll,
    }
}

/// What a claim found: the rows, each with its claim id, and when the next
/// queued row is due (`None`: none is queued).
struct Claimed {
    rows: Vec<(OutboxRow, String)>,
    next_due: Option<chrono::NaiveDateTime>,
}

/// Claims up to `limit` due rows for this worker, each under the lease, and
/// asks in the same trip to the database how long the worker may sleep next.
async fn claim(ctx: &WorkerContext, limit: usize) -> Result<Claimed, DbError> {
    let claim_id = random_token();
    let now = ctx.now();
    let lease_until = now + lease(ctx.config.smtp_timeout);
    let id = claim_id.clone();
    let (rows, next_due) = ctx
        .db(move |conn| {
            let rows = outbox::claim_due(conn, &id, now, lease_until, limit as i64)?;
            Ok((rows, outbox::next_due(conn)?))
        })
        .await?;
    Ok(Claimed { rows: rows.into_iter().map(|row| (row, claim_id.clone())).collect(), next_due })
}

/// Delivers one claimed row within the SMTP deadline and records what became of it.
async fn send(
    ctx: WorkerContext,
    mailer: Mailer,
    from: Mailbox,
    claim_id: String,
    row: OutboxRow,
    place: OwnedSemaphorePermit,
    saturated: Arc<AtomicBool>,
) {
    // Only a retry of a code's email costs a trip to the database here.
    let now = ctx.now();
    let stale = match row.challenge_to_check().map(str::to_owned) {
        _ if row.expired(now) => Ok(Some(outbox::EXPIRED)),
        Some(challenge_id) => ctx
            .db(move |conn| Ok(outbox::challenge_is_over(conn, &challenge_id, now)?))
            .await
            .map(|over| over.then_some(outbox::CHALLENGE_OVER)),
        None => Ok(None),
    };
    match stale {
        Ok(Some(reason)) => {
            drop_row(&ctx, &claim_id, &row, reason).await;
            drop(place);
            return;
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not check whether an email is still useful; sending it"),
    }
    let started = std::time::Instant::now();
    // The SMTP transport holds the attempt to AGENTGATE_SMTP_TIMEOUT_SECONDS.
    let outcome = mailer.deliver(&row, &from).await;
    crate::metrics::smtp_send(started.elapsed());
    let elapsed_ms = started.elapsed().as_millis() as u64;
    if let Err(e) = record_outcome(&ctx, &mailer, &claim_id, row, outcome, elapsed_ms).await {
        tracing::warn!(error = %e, "could not record an email's delivery; its claim lapses and it is tried again");
    }
    drop(place);
    if saturated.swap(false, Ordering::SeqCst) {
        ctx.wake.notify_one();
    }
}

/// Drops a claimed row that can no longer help.
async fn drop_row(ctx: &WorkerContext, claim_id: &str, row: &OutboxRow, reason: &'static str) {
    let (id, claim_id) = (row.id.clone(), claim_id.to_owned());
    match ctx.db(move |conn| Ok(outbox::mark_dropped(conn, &id, &claim_id, reason)?)).await {
        Ok(()) => {
            crate::metrics::email(&row.kind, "dropped");
            tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, reason, "email dropped, not sent")
        }
        Err(e) => tracing::warn!(outbox_id = %row.id, error = %e, "could not drop a stale email"),
    }
}

async fn record_outcome(
    ctx: &WorkerContext,
    mailer: &Mailer,
    claim_id: &str,
    row: OutboxRow,
    outcome: Result<(), DeliveryError>,
    elapsed_ms: u64,
) -> Result<Delivered, DbError> {
    let now = ctx.now();
    let claim_id = claim_id.to_owned();
    let policy = ctx.config.mail_retry.clone();
    let scrub = !mailer.keeps_content();
    let delivered = match outcome {
        Ok(()) => {
            let kept_claim = ctx
                .db({
                    let (id, claim_id) = (row.id.clone(), claim_id.clone());
                    move |conn| Ok(outbox::mark_sent(conn, &id, &claim_id, now, scrub)?)
                })
                .await?;
            if !kept_claim {
                tracing::warn!(outbox_id = %row.id, "an email was delivered after its claim lapsed");
            }
            if ctx.health.record_success() {
                tracing::info!("email is being delivered again");
            }
            tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, elapsed_ms, "email delivered");
            Delivered::Sent
        }
        Err(error) => {
            let next = now + retry_delay(&policy, row.attempts);
            if row.expires_at.is_some_and(|useful_until| next >= useful_until) {
                // The retry would come too late to help: drop it now.
                tracing::warn!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %error, "email delivery failed");
                drop_row(ctx, &claim_id, &row, outbox::EXPIRED).await;
                return Ok(Delivered::Dropped);
            }
            let give_up = matches!(error, DeliveryError::Permanent(_)) || next > row.created_at + policy.give_up_after;
            let message = error.to_string();
            if let DeliveryError::Configuration(cause) = &error {
                // Every email fails the same way until someone fixes it: say so once.
                if ctx.health.record_failure(cause, now) {
                    tracing::error!(cause = %cause, "email is not being delivered");
                }
            }
            if give_up {
                tracing::error!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %message, "email failed for good");
            } else {
                tracing::warn!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %message, retry_at = %next, "email delivery failed; will retry");
            }
            let id = row.id.clone();
            ctx.db(move |conn| {
                if give_up {
                    outbox::mark_failed(conn, &id, &claim_id, &message)?;
                } else {
                    outbox::mark_retry(conn, &id, &claim_id, next, &message)?;
                }
                Ok(())
            })
            .await?;
            if give_up { Delivered::Failed } else { Delivered::Retry }
        }
    };
    match delivered {
        Delivered::Sent => crate::metrics::email(&row.kind, "sent"),
        Delivered::Retry => crate::metrics::email(&row.kind, "retry"),
        Delivered::Failed => crate::metrics::email(&row.kind, "failed"),
        // Counted where it is dropped.
        Delivered::Dropped => {}
    }
    Ok(delivered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_within_five_seconds_and_double_to_five_minutes() {
        let policy = MailRetryPolicy::default();
        let delays: Vec<i64> = (1..=9).map(|attempts| retry_delay(&policy, attempts).num_seconds()).collect();
        assert_eq!(delays, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(retry_delay(&policy, 1000).num_seconds(), 300);
    }

    #[test]
    fn the_lease_outlasts_the_smtp_deadline_and_recording_the_outcome() {
        for seconds in [1, 30, 120, 600] {
            let deadline = Duration::from_secs(seconds);
            let lease = lease(deadline);
            assert!(lease.to_std().unwrap() >= deadline * 2, "{seconds} s");
            assert!(lease >= chrono::Duration::minutes(2));
        }
        assert_eq!(lease(Duration::from_secs(30)), chrono::Duration::minutes(2));
    }
}

//! The outbox worker (SPEC §6): delivers queued email at once when woken,
//! retries with backoff while the transport fails, and gives up after a day.
//! Every instance runs one; claims keep them from sending an email twice.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{StreamExt, stream};
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::crypto::random_token;
use crate::config::MailRetryPolicy;
use crate::mail::outbox::{self, OutboxRow};
use crate::mail::transport::{DeliveryError, Mailer};
use crate::db::{self, DbConnection, DbError, DbPool};
use crate::clock::SharedClock;
use crate::config::Config;

/// How long a claimed row belongs to its worker. Far above the SMTP timeout,
/// so a live worker never loses a row it is still sending.
const LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// The wait before attempt number `attempts + 1`: `first_delay` after the
/// first failure, doubling, never more than `max_delay`.
pub fn retry_delay(policy: &MailRetryPolicy, attempts: i32) -> chrono::Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 20) as u32;
    let delay = policy.first_delay * 2i32.pow(doublings);
    delay.min(policy.max_delay)
}

/// What became of one claimed row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    Sent,
    Retry,
    Failed,
}

/// What the worker needs: the request path's pool, the settings, the clock,
/// and the wake-up that a request which queued email rings.
#[derive(Clone)]
pub struct WorkerContext {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub wake: Arc<Notify>,
}

impl WorkerContext {
    async fn db<T, F>(&self, work: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    {
        db::run_blocking(self.pool.clone(), work).await
    }

    fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

/// Starts the worker on the current runtime.
pub fn spawn(state: WorkerContext, mailer: Mailer) {
    tokio::spawn(async move {
        let from: Mailbox = match state.config.mail_from.parse() {
            Ok(from) => from,
            Err(e) => {
                tracing::error!(error = %e, "MAIL_FROM is not a mailbox; the outbox worker does not run");
                return;
            }
        };
        loop {
            let full_batch = match deliver_due(&state, &mailer, &from).await {
                Ok(results) => results.len() >= claim_batch(&state),
                Err(e) => {
                    tracing::warn!(error = %e, "outbox round failed");
                    false
                }
            };
            if full_batch {
                // More may be waiting; look again at once. (Email queued
                // during a smaller round has woken the worker meanwhile:
                // `Notify` keeps the wake-up until the worker waits.)
                continue;
            }
            let wait = time_until_next_due(&state).await;
            tokio::select! {
                _ = state.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

/// Sleeps until the next queued row is due, but never longer than the poll
/// interval: another instance may write email this one is not told about.
async fn time_until_next_due(state: &WorkerContext) -> Duration {
    let poll = state.config.mail_retry.poll_interval;
    let next = state.db(|conn| Ok(outbox::next_due(conn)?)).await.ok().flatten();
    match next {
        Some(due) => (due - state.now()).to_std().unwrap_or(Duration::ZERO).clamp(Duration::from_millis(20), poll),
        None => poll,
    }
}

/// One round: claims the due rows (two waves) and delivers them,
/// `AGENTGATE_SMTP_CONNECTIONS` at once. Accepting one message takes an SMTP
/// server about 40 ms even on loopback (lettre writes the final dot apart
/// from the body, and Nagle's algorithm waits for the server's delayed ACK),
/// a remote relay more: one at a time would hold the codes of a morning login
/// rush to about 20 a second (measured by `scripts/bench`). Public so tests
/// and tools can run a round without waiting for the loop.
pub async fn deliver_due(state: &WorkerContext, mailer: &Mailer, from: &Mailbox) -> Result<Vec<Delivered>, DbError> {
    let claim_id = random_token();
    let now = state.now();
    let rows = {
        let claim_id = claim_id.clone();
        let batch = claim_batch(state) as i64;
        state.db(move |conn| Ok(outbox::claim_due(conn, &claim_id, now, now + LEASE, batch)?)).await?
    };
    let claim_id = claim_id.as_str();
    let results: Vec<Result<Delivered, DbError>> = stream::iter(rows)
        .map(|row| async move {
            let outcome = mailer.deliver(&row, from).await;
            record_outcome(state, mailer, claim_id, row, outcome).await
        })
        .buffered(state.config.smtp_connections)
        .collect()
        .await;
    results.into_iter().collect()
}

/// How many rows one round claims: enough to keep every SMTP connection
/// busy while the next ones are read.
fn claim_batch(state: &WorkerContext) -> usize {
    2 * state.config.smtp_connections
}

async fn record_outcome(
    state: &WorkerContext,
    mailer: &Mailer,
    claim_id: &str,
    row: OutboxRow,
    outcome: Result<(), DeliveryError>,
) -> Result<Delivered, DbError> {
    let now = state.now();
    let claim_id = claim_id.to_owned();
    let policy = state.config.mail_retry.clone();
    let scrub = !mailer.keeps_content();
    let delivered = match outcome {
        Ok(()) => {
            let kept_claim = state.db({
                let (id, claim_id) = (row.id.clone(), claim_id.clone());
                move |conn| Ok(outbox::mark_sent(conn, &id, &claim_id, now, scrub)?)
            }).await?;
            if !kept_claim {
                tracing::warn!(outbox_id = %row.id, "an email was delivered after its claim lapsed");
            }
            tracing::info!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, "email delivered");
            Delivered::Sent
        }
        Err(error) => {
            let next = now + retry_delay(&policy, row.attempts);
            let give_up = matches!(error, DeliveryError::Permanent(_)) || next > row.created_at + policy.give_up_after;
            let message = error.to_string();
            if give_up {
                tracing::error!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %message, "email failed for good");
            } else {
                tracing::warn!(outbox_id = %row.id, kind = %row.kind, attempts = row.attempts, error = %message, retry_at = %next, "email delivery failed; will retry");
            }
            let id = row.id.clone();
            state
                .db(move |conn| {
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
}

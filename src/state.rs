//! What every handler and worker shares.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::agents::anchors::PageAnchors;
use crate::auth::PasswordHasher;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{DbConnection, DbPool};
use crate::error::AppError;
use crate::web::streaming::StreamPermits;

/// The application's shared state, handed to handlers as `web::Data<AppState>`.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// Where the request path's transactions run (see [`crate::db::Pools`]).
    pub pool: DbPool,
    /// Read-only connections for long reads (see [`crate::db::Pools`]).
    pub read_pool: DbPool,
    pub clock: SharedClock,
    pub passwords: PasswordHasher,
    /// Wakes this instance's outbox worker (SPEC §6: an email is sent at once,
    /// not at the next poll).
    pub mail_wake: Arc<Notify>,
    /// Bounds the streamed downloads running at once (each holds a connection).
    pub streams: StreamPermits,
    /// Where deep pages of the Agents tab start (see `agents::anchors`).
    pub page_anchors: PageAnchors,
}

impl AppState {
    /// Runs database work on the blocking pool: diesel is synchronous, and a
    /// pooled connection must never be held across an `.await`.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.run_on(self.pool.clone(), work).await
    }

    /// Like [`AppState::db`], for long reads that write nothing (on SQLite
    /// the connection refuses writes): they do not hold up the request path.
    pub async fn db_read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.run_on(self.read_pool.clone(), work).await
    }

    async fn run_on<T, F>(&self, pool: DbPool, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let (result, enqueued) = tokio::task::spawn_blocking(move || {
            crate::mail::outbox::take_enqueued_flag();
            let result = pool
                .get()
                .map_err(|e| AppError::DatabaseUnavailable(e.to_string()))
                .and_then(|mut conn| work(&mut conn));
            // `work` has returned, so its transaction is committed (or rolled
            // back): the worker can see whatever email it queued.
            (result, crate::mail::outbox::take_enqueued_flag())
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("database task failed: {e}")))?;
        if enqueued {
            self.wake_mailer();
        }
        result
    }

    /// Tells the outbox worker to look for due email now.
    pub fn wake_mailer(&self) {
        self.mail_wake.notify_one();
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

//! What every handler and worker shares.

use std::sync::Arc;

use tokio::sync::{Notify, Semaphore};

use crate::agents::anchors::PageAnchors;
use crate::auth::PasswordHasher;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{self, DbConnection, DbPool};
use crate::mail::health::MailHealth;
use crate::mail::worker::WorkerContext;
use crate::error::AppError;

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
    /// Bounds the streamed downloads running at once (each holds a
    /// connection): `web::streaming::AT_ONCE` permits.
    pub streams: Arc<Semaphore>,
    /// Whether the database is reachable (fail fast and log once while not).
    pub db_outage: db::Outage,
    /// Whether email is getting through (the outbox worker writes it).
    pub mail_health: MailHealth,
    /// Where deep pages of the Agents tab start (see `agents::anchors`).
    pub page_anchors: PageAnchors,
    /// No agent existed at start: the login page points at the setup link
    /// until one does (checked in the database only while this is set).
    pub awaiting_setup: Arc<std::sync::atomic::AtomicBool>,
    /// When the database last said the setup is still to do (Unix ms): it is
    /// asked again at most once a second, so a login page loaded often
    /// before the setup costs no query each time.
    pub setup_checked_at: Arc<std::sync::atomic::AtomicI64>,
}

impl AppState {
    /// True until the first-run setup is done (the database decides, once
    /// it is done this instance never asks again).
    pub async fn setup_pending(&self) -> Result<bool, AppError> {
        use std::sync::atomic::Ordering;
        if !self.awaiting_setup.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let now_ms = self.now().and_utc().timestamp_millis();
        if now_ms - self.setup_checked_at.load(Ordering::Relaxed) < 1000 {
            return Ok(true);
        }
        let done = self.db_read(|conn| Ok(crate::db::models::Agent::any_exists(conn)?)).await?;
        if done {
            self.setup_done();
        } else {
            self.setup_checked_at.store(now_ms, Ordering::Relaxed);
        }
        Ok(!done)
    }

    /// The first-run setup is done (on this instance, or seen in the database).
    pub fn setup_done(&self) {
        self.awaiting_setup.store(false, std::sync::atomic::Ordering::Relaxed);
    }

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
        // The blocking thread speaks the request's language too.
        let tr = crate::i18n::current();
        let (result, enqueued) = db::run_blocking(pool, &self.db_outage, move |conn| {
            crate::mail::outbox::take_enqueued_flag();
            let result = crate::i18n::sync_scope(tr, || work(conn));
            // `work` has returned, so its transaction is committed (or rolled
            // back): the worker can see whatever email it queued.
            Ok::<_, AppError>((result, crate::mail::outbox::take_enqueued_flag()))
        })
        .await?;
        if enqueued {
            self.wake_mailer();
        }
        result
    }

    /// What this instance's outbox worker needs of the state.
    pub fn mail_worker(&self) -> WorkerContext {
        WorkerContext {
            pool: self.pool.clone(),
            config: self.config.clone(),
            clock: self.clock.clone(),
            wake: self.mail_wake.clone(),
            health: self.mail_health.clone(),
            outage: self.db_outage.clone(),
        }
    }

    /// Tells the outbox worker to look for due email now.
    pub fn wake_mailer(&self) {
        self.mail_wake.notify_one();
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

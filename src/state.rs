//! What every handler and worker shares.

use std::sync::Arc;

use crate::auth::PasswordHasher;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{DbConnection, DbPool};
use crate::error::AppError;

/// The application's shared state, handed to handlers as `web::Data<AppState>`.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: DbPool,
    pub clock: SharedClock,
    pub passwords: PasswordHasher,
}

impl AppState {
    /// Runs database work on the blocking pool: diesel is synchronous, and a
    /// pooled connection must never be held across an `.await`.
    pub async fn db<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| AppError::DatabaseUnavailable(e.to_string()))?;
            work(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("database task failed: {e}")))?
    }

    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

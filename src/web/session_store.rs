//! actix-session's store, kept in the database so a session can be ended from
//! the server (logout, password change, deactivation) on every instance.

use std::collections::HashMap;
use std::time::Duration;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use anyhow::anyhow;

use crate::crypto::{random_token, token_hash};
use crate::clock::SharedClock;
use crate::db::DbPool;
use crate::agents::policy::{self, SessionLifetimes};
use crate::db::models::Company;
use crate::db::models::session::{self, NewSession};
use crate::web::session::{AGENT_ID_KEY, ROTATE_ID_KEY};

type SessionState = HashMap<String, String>;

/// Keeps `sha256(session key)`, the state as JSON, the agent it belongs to,
/// and two deadlines: idle (extended on use) and absolute (fixed at creation).
#[derive(Clone)]
pub struct DbSessionStore {
    pool: DbPool,
    /// Shared with the requests: fail fast while the database is down.
    outage: crate::db::Outage,
    clock: SharedClock,
    /// The server's lifetimes; a company may choose shorter ones.
    lifetimes: SessionLifetimes,
}

/// When the session's agent signed in (Unix seconds, in the stored state;
/// written by the store, never by a request).
const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// How far the idle deadline must move before it is written again.
const IDLE_DEADLINE_STEP: chrono::Duration = chrono::Duration::seconds(60);

impl DbSessionStore {
    pub fn new(pool: DbPool, outage: crate::db::Outage, clock: SharedClock, idle_lifetime: Duration, absolute_lifetime: Duration) -> DbSessionStore {
        DbSessionStore { pool, outage, clock, lifetimes: SessionLifetimes { idle: idle_lifetime, absolute: absolute_lifetime } }
    }

    async fn with_conn<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut crate::db::DbConnection, chrono::NaiveDateTime) -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let now = self.clock.now();
        crate::db::run_blocking(self.pool.clone(), &self.outage, move |conn| work(conn, now)).await
    }

    /// Stores the state under a new random key, with a fresh idle deadline: a
    /// new row, or the row of `previous` moved to the new key (id rotation).
    /// The absolute deadline counts from the agent's sign-in, recorded in the
    /// state the first time a signed-in state is stored: a rotation while
    /// signed in (a password change) keeps it, a new sign-in starts it again.
    /// A signed-in session lives by its company's lifetimes (SPEC §8).
    async fn store_under_new_key(&self, previous: Option<String>, mut state: SessionState, ttl: &CookieDuration) -> anyhow::Result<SessionKey> {
        let key = random_token();
        let key_hash = token_hash(&key);
        let server = SessionLifetimes { idle: std::time::Duration::from_secs(ttl.whole_seconds().max(0) as u64), ..self.lifetimes };
        self.with_conn(move |conn, now| {
            let agent_id = agent_of(&state);
            let company_policy = match &agent_id {
                Some(agent_id) => Company::session_policy_of_agent(conn, agent_id)?,
                None => None,
            };
            let lifetimes = match company_policy {
                Some((idle_minutes, absolute_hours)) => policy::session_lifetimes(idle_minutes, absolute_hours, server),
                None => server,
            };
            let idle_seconds = company_policy
                .and_then(|(idle_minutes, _)| idle_minutes)
                .map(|_| i32::try_from(lifetimes.idle.as_secs()).unwrap_or(i32::MAX));
            let signed_in_at = signed_in_at(&state).unwrap_or_else(|| {
                if agent_id.is_some() {
                    state.insert(SIGNED_IN_AT_KEY.to_owned(), now.and_utc().timestamp().to_string());
                }
                now
            });
            let json = serde_json::to_string(&state)?;
            let new = NewSession {
                key_hash: &key_hash,
                agent_id: agent_id.as_deref(),
                state: &json,
                created_at: now,
                idle_expires_at: now + to_chrono(lifetimes.idle),
                absolute_expires_at: signed_in_at + to_chrono(lifetimes.absolute),
                idle_seconds,
            };
            match &previous {
                Some(previous) => session::rotate(conn, previous, &new)?,
                None => session::insert(conn, &new)?,
            }
            Ok(())
        })
        .await?;
        SessionKey::try_from(key).map_err(|e| anyhow!(e))
    }
}

/// When the session's agent signed in (see [`SIGNED_IN_AT_KEY`]).
fn signed_in_at(state: &SessionState) -> Option<chrono::NaiveDateTime> {
    let seconds = state.get(SIGNED_IN_AT_KEY)?.parse::<i64>().ok()?;
    chrono::DateTime::from_timestamp(seconds, 0).map(|at| at.naive_utc())
}

fn to_chrono(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The agent a session belongs to, copied into a column so that all of an
/// agent's sessions can be ended with one query.
fn agent_of(state: &SessionState) -> Option<String> {
    state.get(AGENT_ID_KEY).and_then(|json| serde_json::from_str::<String>(json).ok())
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<SessionState>, LoadError> {
        let key_hash = token_hash(session_key.as_ref());
        let idle = to_chrono(self.lifetimes.idle);
        // Every request that carries the session loads it, so this is where
        // its idle deadline moves: one trip to the database, not two.
        let state = self
            .with_conn(move |conn, now| Ok(session::load_live_and_touch(conn, &key_hash, now, idle, IDLE_DEADLINE_STEP)?))
            .await
            .map_err(LoadError::Other)?;
        match state {
            // A row that does not parse is treated as no session at all.
            Some(json) => Ok(serde_json::from_str(&json).ok()),
            None => Ok(None),
        }
    }

    async fn save(&self, mut state: SessionState, ttl: &CookieDuration) -> Result<SessionKey, SaveError> {
        // A new session has a new id anyway.
        state.remove(ROTATE_ID_KEY);
        self.store_under_new_key(None, state, ttl).await.map_err(SaveError::Other)
    }

    async fn update(&self, session_key: SessionKey, mut state: SessionState, ttl: &CookieDuration) -> Result<SessionKey, UpdateError> {
        // The idle deadline already moved when the session was loaded.
        let key_hash = token_hash(session_key.as_ref());
        if state.remove(ROTATE_ID_KEY).is_some() {
            return self.store_under_new_key(Some(key_hash), state, ttl).await.map_err(UpdateError::Other);
        }
        let json = serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let agent_id = agent_of(&state);
        // If the row is gone the session was ended elsewhere (logout, password
        // change): it is not brought back, and the cookie now points at nothing.
        self.with_conn(move |conn, _| Ok(session::update_state(conn, &key_hash, agent_id.as_deref(), &json)?))
            .await
            .map_err(UpdateError::Other)?;
        Ok(session_key)
    }

    /// The idle deadline already moved when the session was loaded.
    async fn update_ttl(&self, _session_key: &SessionKey, _ttl: &CookieDuration) -> Result<(), anyhow::Error> {
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let key_hash = token_hash(session_key.as_ref());
        self.with_conn(move |conn, _| Ok(session::delete(conn, &key_hash)?)).await
    }
}

//! Time as a dependency: the app asks a [`Clock`] for "now", so tests of expiry,
//! cooldowns and lock-outs move time forward instead of sleeping.

use std::sync::{Arc, Mutex};

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The source of the current UTC time.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> NaiveDateTime;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        database_precision(Utc::now().naive_utc())
    }
}

/// Microseconds: what both databases keep of a timestamp, so a time read
/// back equals the time written and differences come out in whole seconds.
fn database_precision(at: NaiveDateTime) -> NaiveDateTime {
    at.trunc_subsecs(6)
}

/// A clock that starts at the real time and moves only when told to (tests).
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<NaiveDateTime>>,
}

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock { now: Arc::new(Mutex::new(database_precision(Utc::now().naive_utc()))) }
    }
}

impl ManualClock {
    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The clock shared by the app.
pub type SharedClock = Arc<dyn Clock>;

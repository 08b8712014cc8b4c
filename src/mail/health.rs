//! Whether this instance's email is getting through. A failure that will hit
//! every email (authentication, TLS, a refused sender, an unreachable relay)
//! marks the transport as failing until a send succeeds: the log says so
//! once, with what to change, and admins see it on the Agents tab.

use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;

/// Email has not been getting through since `since`, because of `cause`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailFailure {
    pub since: NaiveDateTime,
    /// One line: what failed and what to change.
    pub cause: String,
}

/// The transport's state, shared by the worker and the pages.
#[derive(Debug, Clone, Default)]
pub struct MailHealth(Arc<Mutex<Option<MailFailure>>>);

impl MailHealth {
    /// The failure email delivery is in, if it is failing.
    pub fn failing(&self) -> Option<MailFailure> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Records a failure that hits every email. True when it is news (the
    /// transport was healthy, or failed for another cause): log it then.
    pub fn record_failure(&self, cause: &str, now: NaiveDateTime) -> bool {
        let mut state = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match state.as_mut() {
            Some(failure) if failure.cause == cause => false,
            Some(failure) => {
                failure.cause = cause.to_owned();
                true
            }
            None => {
                *state = Some(MailFailure { since: now, cause: cause.to_owned() });
                true
            }
        }
    }

    /// Records a delivery. True when it ends a failure (log the recovery).
    pub fn record_success(&self) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_news_once_and_a_delivery_ends_it() {
        let health = MailHealth::default();
        let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap().naive_utc();
        assert!(health.failing().is_none());
        assert!(health.record_failure("auth", at));
        assert!(!health.record_failure("auth", at + chrono::Duration::minutes(1)), "the same cause again is not news");
        assert_eq!(health.failing().unwrap().since, at);
        assert!(health.record_failure("tls", at), "another cause is");
        assert!(health.record_success());
        assert!(!health.record_success());
        assert!(health.failing().is_none());
    }
}

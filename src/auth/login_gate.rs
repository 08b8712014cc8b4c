//! The login throttle (SPEC §3 "login throttling"): every password step (the
//! login page, and a current password typed by a signed-in agent) counts
//! against the account and the client IP before its hash, in two
//! `auth::throttle` buckets; a success resets the account's count.
//!
//! A browser holding the agent's device cookie (`auth::device_cookie`)
//! counts against that device instead, and not against the client IP: an
//! attacker's failures from elsewhere lock out untrusted clients only.

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;

use crate::auth::throttle::{Bucket, Decision, Hit, hit, reset, take_back};
use crate::config::LoginLimits;
use crate::db::DbConnection;
use crate::domain::EmailAddress;

/// Failed password steps per account.
pub const LOGIN_ACCOUNT: &str = "login_account";
/// Failed password steps per client IP.
pub const LOGIN_IP: &str = "login_ip";
/// Failed password steps from one browser the agent signed in on before.
pub const LOGIN_DEVICE: &str = "login_device";

/// The bucket of an agent's own browser (its device cookie's id).
pub fn device_bucket(agent_id: &str, device: &str) -> Bucket {
    Bucket::new(LOGIN_DEVICE, format!("agent:{agent_id}:device:{device}"))
}

/// The account bucket of a login: the agent the email names, or, for an email
/// no agent has, the normalised email itself. Unknown addresses are counted
/// exactly like known ones, so a 429 says nothing about whether an account exists.
pub fn login_account_bucket(agent_id: Option<&str>, email_raw: &str) -> Bucket {
    match agent_id {
        Some(id) => Bucket::new(LOGIN_ACCOUNT, format!("agent:{id}")),
        None => {
            let normalised = EmailAddress::parse(email_raw)
                .map(|e| e.as_str().to_owned())
                .unwrap_or_else(|_| email_raw.trim().to_lowercase());
            Bucket::new(LOGIN_ACCOUNT, format!("email:{normalised}"))
        }
    }
}

/// Whether a password step may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginGate {
    /// Both buckets had room; the attempt is counted in each until settled.
    Open(LoginTickets),
    /// Too many recent failures for the account or the client IP. Nothing was
    /// counted: attempts while closed do not extend the wait.
    Closed { retry_after: Duration },
}

/// The attempt counted in the account (or device) and client-IP buckets, to
/// settle once the password was checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTickets {
    account: (Bucket, Hit),
    /// `None` for a browser with the agent's device cookie.
    ip: Option<(Bucket, Hit)>,
}

/// Which bucket a failed attempt just closed, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockedBy {
    Account,
    ClientIp,
}

/// Counts a password attempt against the client IP (unless `ip` is `None`:
/// a known device), then the account or device. Call it before checking the
/// password, in a write transaction.
pub fn open_login_gate(
    conn: &mut DbConnection,
    account: Bucket,
    ip: Option<Bucket>,
    limits: LoginLimits,
    now: NaiveDateTime,
) -> QueryResult<LoginGate> {
    let ip = match ip {
        Some(ip) => match hit(conn, &ip, limits.per_ip, now)? {
            Decision::Refused { retry_after } => return Ok(LoginGate::Closed { retry_after }),
            Decision::Allowed(hit) => Some((ip, hit)),
        },
        None => None,
    };
    match hit(conn, &account, limits.per_account, now)? {
        Decision::Refused { retry_after } => {
            // A refused attempt is not a failure: it does not count against the IP either.
            if let Some((ip, ip_hit)) = &ip {
                take_back(conn, ip, ip_hit, now)?;
            }
            Ok(LoginGate::Closed { retry_after })
        }
        Decision::Allowed(account_hit) => Ok(LoginGate::Open(LoginTickets { account: (account, account_hit), ip })),
    }
}

impl LoginTickets {
    /// The password was right: the account's count starts again, and the
    /// attempt does not count against the client IP (whose earlier failures
    /// stay: one valid account must not let an IP guess at others forever).
    pub fn succeeded(self, conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<()> {
        // The IP's row first, then the account's: the order open_login_gate
        // takes them in, so two logins behind one address cannot deadlock
        // on PostgreSQL (one holding each row, waiting for the other).
        if let Some((ip, hit)) = &self.ip {
            take_back(conn, ip, hit, now)?;
        }
        reset(conn, &self.account.0)
    }

    /// True when the attempt came from a browser with the agent's device cookie.
    pub fn from_known_device(&self) -> bool {
        self.ip.is_none()
    }

    /// The password was wrong: the attempt stays counted. Returns the buckets
    /// this failure closed (a lock-out starting), for the audit log.
    pub fn failed(self) -> Vec<LockedBy> {
        let mut locked = Vec::new();
        if self.account.1.filled_the_window() {
            locked.push(LockedBy::Account);
        }
        if self.ip.as_ref().is_some_and(|(_, hit)| hit.filled_the_window()) {
            locked.push(LockedBy::ClientIp);
        }
        locked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_emails_are_keyed_by_their_normalised_form() {
        assert_eq!(login_account_bucket(None, " Nobody@Example.COM "), login_account_bucket(None, "nobody@example.com"));
        assert_eq!(login_account_bucket(Some("abc"), "ada@example.com").key(), "agent:abc");
    }
}

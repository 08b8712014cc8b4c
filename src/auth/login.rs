//! The password step of a login. The later steps (emailed code, trusted
//! computer) build on its outcome.

use chrono::Duration;

use crate::audit::{self, Event, Outcome};
use crate::auth::throttle::{self, Bucket, LockedBy, LoginGate, login_account_bucket, open_login_gate};
use crate::db::models::Agent;
use crate::db::write_transaction;
use crate::domain::EmailAddress;
use crate::domain::login_candidate;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::client::ClientInfo;

/// The result of checking an email and password. One failure variant only:
/// unknown email, wrong password and deactivated account look the same (SPEC §3).
#[derive(Debug)]
pub enum PasswordCheck {
    Accepted(Agent),
    /// The failure is already in the audit log.
    Rejected,
    /// Too many recent failures for this account or this client IP (SPEC §3
    /// login throttling): refused before the password was looked at, so the
    /// right password is refused too. Says nothing about whether the account exists.
    Throttled { retry_after: Duration },
}

/// The message of the 429 page: the same for an account and an IP lock, and
/// for known and unknown emails.
pub fn throttled_message(retry_after: Duration) -> String {
    let minutes = throttle::whole_seconds_up(retry_after).div_ceil(60);
    let wait = if minutes <= 1 { "a minute".to_owned() } else { format!("{minutes} minutes") };
    format!(
        "Too many failed login attempts. To protect the account, logging in is paused: try again in {wait}. \
         If you forgot your password, ask for a reset instead of guessing."
    )
}

/// Checks the credentials, doing one argon2 verification whatever the outcome
/// (unless throttled, which is decided before and without it). Counts the
/// attempt against the account and the client IP first, then settles: a
/// success resets the account's count; a failure stays counted and is audited.
pub async fn check_password(state: &AppState, client: &ClientInfo, email_raw: &str, password_raw: &str) -> Result<PasswordCheck, AppError> {
    let email = EmailAddress::parse(email_raw).ok();
    let email_raw = email_raw.to_owned();
    let limits = state.config.login_limits;
    let ip_bucket = Bucket::for_client_ip(throttle::LOGIN_IP, client);
    let now = state.now();
    let (agent, gate) = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let agent = match &email {
                    Some(email) => Agent::find_by_email(conn, email)?,
                    None => None,
                };
                let account_bucket = login_account_bucket(agent.as_ref().map(|a| a.id.as_str()), &email_raw);
                let gate = open_login_gate(conn, account_bucket, ip_bucket, limits, now)?;
                Ok::<_, diesel::result::Error>((agent, gate))
            })
            .map_err(AppError::from)
        })
        .await?;
    let tickets = match gate {
        LoginGate::Closed { retry_after } => return Ok(PasswordCheck::Throttled { retry_after }),
        LoginGate::Open(tickets) => tickets,
    };

    let stored_hash = agent.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = state.passwords.verify(login_candidate(password_raw), stored_hash).await?;
    let accepted = password_ok && agent.as_ref().is_some_and(|a| a.active);

    let client = client.clone();
    let now = state.now();
    let agent = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if accepted {
                    return tickets.succeeded(conn, now);
                }
                let entry = match &agent {
                    Some(agent) => audit::Entry::for_agent(agent, Some(&client)),
                    None => audit::Entry { client: Some(&client), detail: Some("unknown email"), ..Default::default() },
                };
                audit::record(conn, Event::LoginFailed, Outcome::Failure, &entry, now)?;
                for locked in tickets.failed() {
                    let detail = match (locked, agent.is_some()) {
                        (LockedBy::Account, true) => "too many failed logins for this account: logins paused",
                        (LockedBy::Account, false) => "too many failed logins for an unknown email: logins paused",
                        (LockedBy::ClientIp, _) => "too many failed logins from this IP address: logins paused",
                    };
                    let lock_entry = audit::Entry { detail: Some(detail), ..entry.clone() };
                    audit::record(conn, Event::LoginThrottled, Outcome::Failure, &lock_entry, now)?;
                }
                Ok(())
            })
            .map_err(AppError::from)?;
            Ok(agent)
        })
        .await?;

    Ok(match agent {
        Some(agent) if accepted => PasswordCheck::Accepted(agent),
        _ => PasswordCheck::Rejected,
    })
}

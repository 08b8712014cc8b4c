//! Step-up re-authentication (issue 8): turning 2FA off, changing the email
//! address, changing the password and an admin resetting someone's 2FA each
//! need the agent's current password — and, when the agent has 2FA on, a
//! second factor — proven within the last `AGENTGATE_REAUTH_MINUTES` (10).
//! The second factor is one the agent could log in with
//! ([`LoginMethods`]: a passkey, the app's code or an emailed code, as the
//! company's policy counts them), so a step-up is never weaker than the
//! agent's login; recovery codes are for a lost device at login, not here.
//!
//! A browser's session records when it last proved each
//! ([`IdentityProofs`]): the login records the password (and the code, at
//! the code step), turning 2FA on records the confirmation code, a form that
//! asks for the current password records it, and the confirm-identity page
//! (`/account/confirm-identity`) records both. A session cookie alone, stolen
//! or left open on a shared screen, is then not enough for a change that
//! would lock the agent out or hand the account over.
//!
//! The web guard is `web::confirm_identity::require_confirmed_identity`. The functions here
//! are the rule itself, the throttled check of a current password, and the
//! code step of the confirm-identity page (a `step_up` code challenge, whose
//! wrong codes count towards the agent's code lock-out like a login's).

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, Event, Outcome};
use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome, Holder};
use crate::auth::codes::{self, IssueRefusal, Answer};
use crate::auth::login::{LoginMethod, LoginMethods};
use crate::auth::login_gate::{LOGIN_IP, LockedBy, LoginGate, LoginTickets, device_bucket, login_account_bucket, open_login_gate};
use crate::auth::throttle::Bucket;
use crate::config::{Config, LoginLimits};
use crate::db::models::Agent;
use crate::db::models::code_challenge::{ChallengePurpose, CloseReason, CodeChallenge};
use crate::db::{DbConnection, write_transaction};
use crate::domain::TwoFactorStatus;
use crate::auth::AuthError;
use crate::domain::ClientInfo;

/// When a browser last proved the password and last entered an emailed code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdentityProofs {
    pub password_at: Option<NaiveDateTime>,
    pub code_at: Option<NaiveDateTime>,
}

/// What a sensitive change still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// The current password (and then, with 2FA on, a code).
    Password,
    /// The password is recent; with 2FA on, a code is not.
    Code,
}

impl IdentityProofs {
    /// What is missing for a sensitive change at `now`, for an agent whose
    /// 2FA is `two_factor`; `None` when the proofs are recent enough. A code
    /// is needed only while 2FA is on (pending is not on yet).
    pub fn missing(&self, two_factor: TwoFactorStatus, now: NaiveDateTime, window: Duration) -> Option<Missing> {
        let recent = |at: Option<NaiveDateTime>| at.is_some_and(|at| now.signed_duration_since(at) < window);
        if !recent(self.password_at) {
            return Some(Missing::Password);
        }
        if two_factor == TwoFactorStatus::Enabled && !recent(self.code_at) {
            return Some(Missing::Code);
        }
        None
    }

    /// The same proofs with the password proven at `now` (a form that asks
    /// for the current password: what else would it need if that is right?).
    pub fn with_password_at(self, now: NaiveDateTime) -> IdentityProofs {
        IdentityProofs { password_at: Some(now), ..self }
    }
}

/// The verdict on a current password typed by a signed-in agent (a
/// throttled attempt gets none: see [`open_password_check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProof {
    Right,
    /// Wrong (already audited).
    Wrong,
}

/// The first half of checking the current password a signed-in agent typed:
/// the attempt is counted before any hash in the login throttle's buckets
/// (SPEC §3, shared with the login page, so a stolen session cannot guess the
/// password here instead): the agent's own browser's (`device`, from its
/// device cookie) alone, or else the account's and the client IP's.
pub fn open_password_check(
    conn: &mut DbConnection,
    agent: &Agent,
    client: &ClientInfo,
    device: Option<&str>,
    limits: LoginLimits,
    now: NaiveDateTime,
) -> diesel::QueryResult<LoginGate> {
    write_transaction(conn, |conn| match device {
        Some(device) => open_login_gate(conn, device_bucket(&agent.id, device), None, limits, now),
        None => {
            let account = login_account_bucket(Some(&agent.id), &agent.email);
            open_login_gate(conn, account, Some(Bucket::for_client_ip(LOGIN_IP, client)), limits, now)
        }
    })
}

/// The second half: a right password resets the account's count; a wrong
/// one is audited as a failed identity check (`place` says where it was
/// typed, "on the confirm-identity page") and stays counted.
pub fn settle_password_check(
    conn: &mut DbConnection,
    agent: &Agent,
    client: &ClientInfo,
    right: bool,
    tickets: LoginTickets,
    place: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<PasswordProof> {
    write_transaction(conn, |conn| {
        if right {
            tickets.succeeded(conn, now)?;
            return Ok(PasswordProof::Right);
        }
        let detail = format!("wrong current password {place}");
        let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(agent, Some(client)) };
        audit::record(conn, Event::IdentityCheck, Outcome::Failure, &entry, now)?;
        for locked in tickets.failed() {
            let detail = match locked {
                LockedBy::Account => "too many wrong passwords for this account: logins paused",
                LockedBy::ClientIp => "too many wrong passwords from this IP address: logins paused",
            };
            audit::record(conn, Event::LoginThrottled, Outcome::Failure, &audit::Entry { detail: Some(detail), ..entry.clone() }, now)?;
        }
        Ok(PasswordProof::Wrong)
    })
}

/// Records a confirmed identity (the confirm-identity page, without 2FA).
pub fn record_confirmed(conn: &mut DbConnection, agent: &Agent, client: &ClientInfo, detail: &str, now: NaiveDateTime) -> Result<(), AuthError> {
    let entry = audit::Entry { detail: Some(detail), ..audit::Entry::for_agent(agent, Some(client)) };
    Ok(audit::record(conn, Event::IdentityCheck, Outcome::Success, &entry, now)?)
}

/// What asking for a confirm-identity code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeRequest {
    /// A challenge is open; `refusal` says why no code went out now, if none did.
    Started { challenge_id: String, refusal: Option<IssueRefusal> },
    /// The agent's codes are locked: nothing was opened.
    Locked { until: Option<NaiveDateTime> },
}

/// Opens a confirm-identity challenge for this browser (ending the one it
/// had, `previous`) and, when an emailed code is the agent's first method
/// (`methods`), emails its code to the agent's address.
pub fn start_code(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    methods: LoginMethods,
    previous: Option<&str>,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<CodeRequest, AuthError> {
    codes::in_agent_code_transaction(conn, &agent.id, now, |conn, lockout| {
        if let Some(until) = lockout.lock_at(now) {
            return Ok(CodeRequest::Locked { until });
        }
        if let Some(previous) = previous
            && CodeChallenge::find(conn, previous)?.is_some_and(|c| c.agent_id == agent.id) {
                CodeChallenge::close(conn, previous, CloseReason::Superseded, now)?;
            }
        let challenge = codes::open_challenge(conn, &agent.id, ChallengePurpose::ConfirmIdentity, now + config.codes.pending_login_lifetime, client, now)?;
        let ctx = Context { config, client, now };
        // With a passkey or an app the answer comes from them; an email goes out only when asked for.
        let emailed_first = methods.method(None) == LoginMethod::Email;
        let refusal = if emailed_first { code_step::send_requested_code(conn, &ctx, agent, &challenge, &lockout)?.err() } else { None };
        Ok(CodeRequest::Started { challenge_id: challenge.id, refusal })
    })
}

/// The confirm-identity challenge `challenge_id` of this signed-in agent.
pub fn holder<'a>(agent: &'a Agent, challenge_id: &'a str) -> Holder<'a> {
    Holder::SignedInBrowser { agent_id: &agent.id, challenge_id }
}

/// Judges a confirm-identity answer: an emailed code, the agent's app's
/// code, or a passkey's answer to this challenge's ceremony (a missing or
/// malformed one counts as wrong). Wrong answers count towards the agent's
/// code lock-out, and a lock is announced by email, as at login.
pub fn check_code(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent, challenge_id: &str, submitted: Answer<'_>) -> Result<CodeOutcome<()>, AuthError> {
    let detail = match submitted {
        Answer::App(_) => "password and authenticator app code",
        Answer::Passkey(_) => "password and passkey",
        Answer::Emailed(_) | Answer::Recovery(_) => "password and code",
    };
    code_step::submit(conn, ctx, holder(agent, challenge_id), ChallengePurpose::ConfirmIdentity, submitted, |conn, agent, _| {
        record_confirmed(conn, agent, ctx.client, detail, ctx.now)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap().naive_utc()
    }

    #[test]
    fn a_password_within_the_window_is_enough_without_two_factor() {
        let window = Duration::minutes(10);
        let proofs = IdentityProofs { password_at: Some(at(0)), code_at: None };
        assert_eq!(proofs.missing(TwoFactorStatus::Disabled, at(9), window), None);
        assert_eq!(proofs.missing(TwoFactorStatus::Pending, at(9), window), None, "pending is not on yet");
        assert_eq!(proofs.missing(TwoFactorStatus::Disabled, at(10), window), Some(Missing::Password), "ten minutes is too old");
        assert_eq!(IdentityProofs::default().missing(TwoFactorStatus::Disabled, at(0), window), Some(Missing::Password));
    }

    #[test]
    fn with_two_factor_on_a_recent_code_is_needed_too() {
        let window = Duration::minutes(10);
        let password_only = IdentityProofs { password_at: Some(at(5)), code_at: None };
        assert_eq!(password_only.missing(TwoFactorStatus::Enabled, at(6), window), Some(Missing::Code));
        let old_code = IdentityProofs { password_at: Some(at(5)), code_at: Some(at(-6)) };
        assert_eq!(old_code.missing(TwoFactorStatus::Enabled, at(6), window), Some(Missing::Code));
        let both = IdentityProofs { password_at: Some(at(0)), code_at: Some(at(1)) };
        assert_eq!(both.missing(TwoFactorStatus::Enabled, at(9), window), None);
        // The older proof decides: a fresh code does not renew an old password.
        assert_eq!(both.missing(TwoFactorStatus::Enabled, at(10), window), Some(Missing::Password));
        // A form's current password stands in for the password, never for the code.
        assert_eq!(IdentityProofs::default().with_password_at(at(20)).missing(TwoFactorStatus::Enabled, at(20), window), Some(Missing::Code));
        assert_eq!(both.with_password_at(at(10)).missing(TwoFactorStatus::Enabled, at(10), window), None);
    }

    proptest::proptest! {
        /// Whatever the proofs: nothing is missing only if every proof needed
        /// is younger than the window.
        #[test]
        fn nothing_is_missing_only_within_the_window(
            password in proptest::option::of(-30i64..30),
            code in proptest::option::of(-30i64..30),
            enabled in proptest::bool::ANY,
            window in 1i64..20,
        ) {
            let proofs = IdentityProofs { password_at: password.map(at), code_at: code.map(at) };
            let status = if enabled { TwoFactorStatus::Enabled } else { TwoFactorStatus::Disabled };
            let fresh = |m: Option<i64>| m.is_some_and(|m| -m < window);
            let expected_ok = fresh(password) && (!enabled || fresh(code));
            proptest::prop_assert_eq!(proofs.missing(status, at(0), Duration::minutes(window)).is_none(), expected_ok);
        }
    }
}

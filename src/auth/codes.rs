//! The rules of emailed one-time codes (SPEC §3), in one place: how a code is
//! made and stored, when one may be sent, and how a submitted code is judged.
//!
//! It also sends them ([`send_code`]: the code email and its audit entry, for
//! every purpose), runs work on a challenge under its agent's lock
//! ([`with_locked_challenge`]) and announces a lock-out ([`announce_lock`]).
//!
//! Every function here runs inside [`in_agent_code_transaction`], which holds
//! the agent's `code_lockouts` row for the whole transaction: two requests
//! about one agent's codes (two submissions of one code, ten wrong codes at
//! once, two resends) run one after the other on every backend, and the
//! counters they change are updated with `x = x + 1` in the database.

use chrono::NaiveDateTime;
use rand::RngExt;

use crate::crypto::{constant_time_eq, keyed_hash};
use crate::config::CodePolicy;
use crate::db::models::code_challenge::{ChallengePurpose, CloseReason, CodeChallenge, NewCodeChallenge};
use crate::db::models::code_lockout::{self, CodeLockout};
use crate::db::models::one_time_code::{self, NewStoredCode};
use crate::db::{DbConnection, write_transaction};
use crate::audit::{self, Event, Outcome};
use crate::config::Config;
use crate::db::models::{Agent, email_change};
use crate::auth::passkeys::{self, Assertion};
use crate::auth::{authenticator, recovery_codes};
use crate::domain::{EmailAddress, OneTimeCode, RecoveryCode, new_public_id};
use crate::auth::{AuthError, Context};
use crate::i18n::Tr;
use crate::mail::messages::{self, CodePurpose, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::ClientInfo;

/// A new code: six digits, uniform over 000000..=999999, from `rand::rng()`
/// (a CSPRNG seeded and reseeded from the operating system).
pub fn new_code() -> OneTimeCode {
    OneTimeCode::from_number(rand::rng().random_range(0..1_000_000))
}

/// What is stored instead of the code: HMAC-SHA-256 under the server secret,
/// bound to its challenge, so a database leak does not reveal codes (a
/// million guesses would otherwise find any of them) and equal codes of two
/// logins have unrelated hashes.
pub fn code_hash(secret: &[u8], challenge_id: &str, code: &OneTimeCode) -> String {
    keyed_hash(secret, &format!("one-time-code:{challenge_id}"), code.expose())
}

/// Runs `work` in one write transaction holding the agent's code lock row.
pub fn in_agent_code_transaction<T, E>(
    conn: &mut DbConnection,
    agent_id: &str,
    now: NaiveDateTime,
    work: impl FnOnce(&mut DbConnection, CodeLockout) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    write_transaction(conn, |conn| {
        let lockout = code_lockout::lock(conn, agent_id, now)?;
        work(conn, lockout)
    })
}

/// Opens a challenge of `purpose` for the agent, open until `expires_at`,
/// remembering the browser that asked; returns it as stored.
pub fn open_challenge(
    conn: &mut DbConnection,
    agent_id: &str,
    purpose: ChallengePurpose,
    expires_at: NaiveDateTime,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> diesel::QueryResult<CodeChallenge> {
    let id = new_public_id();
    CodeChallenge::insert(
        conn,
        &NewCodeChallenge {
            id: &id,
            agent_id,
            purpose: purpose.as_str(),
            created_at: now,
            expires_at,
            ip: &client.ip,
            user_agent: &client.user_agent,
        },
    )
}

/// Why no code was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRefusal {
    /// A code of this challenge was sent less than the cooldown ago.
    Cooldown { retry_after: chrono::Duration },
    /// The agent had the maximum number of codes in the window.
    TooManyCodes { retry_after: chrono::Duration },
    /// The agent's login codes are locked (`until` is `None` until a reset).
    Locked { until: Option<NaiveDateTime> },
    /// Too many code emails were asked for from the client's IP address
    /// lately (the mail-bombing limit, `auth::mail_limits`).
    TooManyFromNetwork { retry_after: chrono::Duration },
}

impl IssueRefusal {
    /// Seconds until asking again can work, for `Retry-After`.
    pub fn retry_after_secs(&self, now: NaiveDateTime) -> u64 {
        let span = match self {
            IssueRefusal::Cooldown { retry_after }
            | IssueRefusal::TooManyCodes { retry_after }
            | IssueRefusal::TooManyFromNetwork { retry_after } => *retry_after,
            IssueRefusal::Locked { until: Some(until) } => *until - now,
            IssueRefusal::Locked { until: None } => chrono::Duration::hours(1),
        };
        // Round up: "retry in 29 s" said 0.5 s early would be refused again.
        let millis = span.num_milliseconds().max(1) as u64;
        millis.div_ceil(1000)
    }
}

/// Issues a code for an open challenge, or says why not. A new code starts
/// the challenge's count of wrong codes afresh; its earlier unexpired codes
/// stay valid (a late first email still works).
pub fn issue(
    conn: &mut DbConnection,
    policy: &CodePolicy,
    secret: &[u8],
    challenge: &CodeChallenge,
    lockout: &CodeLockout,
    now: NaiveDateTime,
) -> diesel::QueryResult<Result<OneTimeCode, IssueRefusal>> {
    if challenge.counts_towards_lockout()
        && let Some(until) = lockout.lock_at(now) {
            return Ok(Err(IssueRefusal::Locked { until }));
        }
    let issued = one_time_code::issued(conn, &challenge.id, &challenge.agent_id, now - policy.codes_window)?;
    if let Some(newest) = issued.newest_for_challenge {
        let next_allowed = newest + policy.resend_cooldown;
        if next_allowed > now {
            return Ok(Err(IssueRefusal::Cooldown { retry_after: next_allowed - now }));
        }
    }
    if issued.to_agent_since >= policy.codes_per_window {
        let frees_at = issued.oldest_to_agent_since.unwrap_or(now) + policy.codes_window;
        return Ok(Err(IssueRefusal::TooManyCodes { retry_after: frees_at - now }));
    }
    let code = new_code();
    one_time_code::insert(
        conn,
        &NewStoredCode {
            id: &new_public_id(),
            challenge_id: &challenge.id,
            agent_id: &challenge.agent_id,
            code_hash: &code_hash(secret, &challenge.id, &code),
            created_at: now,
            expires_at: now + policy.code_lifetime,
        },
    )?;
    if challenge.wrong_codes != 0 {
        CodeChallenge::reset_wrong_codes(conn, &challenge.id)?;
    }
    Ok(Ok(code))
}

/// A lock-out that a wrong code has just started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewLock {
    /// `None`: until the password is reset or an admin resets 2FA.
    pub until: Option<NaiveDateTime>,
    pub consecutive_wrong: i32,
}

/// What was entered at a code step.
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// A code from an email of this challenge (`None`: missing or malformed).
    Emailed(Option<&'a OneTimeCode>),
    /// The agent's authenticator app's current code.
    App(Option<&'a OneTimeCode>),
    /// One of the agent's recovery codes.
    Recovery(Option<&'a RecoveryCode>),
    /// A passkey's answer to this login's ceremony (`None`: cancelled,
    /// failed in the browser, or not readable).
    Passkey(Option<&'a Assertion>),
}

impl Answer<'_> {
    fn is_missing(&self) -> bool {
        matches!(self, Answer::Emailed(None) | Answer::App(None) | Answer::Recovery(None) | Answer::Passkey(None))
    }

    /// What the audit log calls it (`None`: the challenge's own code label).
    pub fn label(&self) -> Option<&'static str> {
        match self {
            Answer::Emailed(_) => None,
            Answer::App(_) => Some("authenticator app code"),
            Answer::Recovery(_) => Some("recovery code"),
            Answer::Passkey(_) => Some("passkey"),
        }
    }

    /// The method's name in metrics and the `method` field.
    pub fn method(&self) -> &'static str {
        match self {
            Answer::Emailed(_) => "email",
            Answer::App(_) => "app",
            Answer::Recovery(_) => "recovery",
            Answer::Passkey(_) => "passkey",
        }
    }

    pub fn is_provided(&self) -> bool {
        !self.is_missing()
    }
}

/// The verdict on a submitted code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    /// Right: every code of the challenge is now ended and the challenge closed.
    Accepted,
    /// Wrong (or missing, or malformed). `locked` is set when this code started a lock-out.
    Wrong { attempts_left: i32, locked: Option<NewLock> },
    /// Too many wrong codes for this challenge: its codes are dead until a new one is sent.
    NeedsNewCode,
    /// The agent's login codes are locked; nothing was compared.
    Locked { until: Option<NaiveDateTime> },
    /// The challenge is closed or past its lifetime.
    Expired,
}

/// Judges a submitted answer (a missing or malformed one counts as wrong).
/// For a login (and a step-up confirmation), wrong answers also count
/// against the agent across logins, and the 10th and 100th in a row lock the
/// agent's codes: emailed codes, app codes and recovery codes alike (SPEC §7).
pub fn check(
    conn: &mut DbConnection,
    config: &Config,
    challenge: &CodeChallenge,
    lockout: &CodeLockout,
    submitted: Answer<'_>,
    now: NaiveDateTime,
) -> Result<CodeCheck, AuthError> {
    let (policy, secret) = (&config.codes, config.secret_key.bytes());
    // Logins and step-up confirmations share the agent's lock-out.
    let is_login = challenge.counts_towards_lockout();
    if !challenge.is_open(now) {
        return Ok(CodeCheck::Expired);
    }
    if is_login
        && let Some(until) = lockout.lock_at(now) {
            return Ok(CodeCheck::Locked { until });
        }
    if challenge.wrong_codes >= policy.attempts_per_login {
        return Ok(CodeCheck::NeedsNewCode);
    }

    let matched = match submitted {
        Answer::Emailed(code) => {
            let live = one_time_code::live_for_challenge(conn, &challenge.id, now)?;
            code.is_some_and(|code| {
                let hash = code_hash(secret, &challenge.id, code);
                // Compare with every live code, without stopping at the first match.
                live.iter().fold(false, |found, stored| constant_time_eq(&stored.code_hash, &hash) | found)
            })
        }
        Answer::App(Some(code)) => authenticator::accept_login_code(conn, secret, &challenge.agent_id, code, now)?,
        Answer::Recovery(Some(code)) => recovery_codes::spend(conn, secret, &challenge.agent_id, code, now)?,
        Answer::Passkey(Some(answer)) => passkeys::accept_second_factor(conn, config, &challenge.id, &challenge.agent_id, answer, now)?,
        Answer::App(None) | Answer::Recovery(None) | Answer::Passkey(None) => false,
    };

    if matched {
        // One UPDATE ends the used code and every other code of this login;
        // closing the challenge only if it is still open makes the acceptance
        // happen once even if two submissions got this far.
        let ended = one_time_code::end_all_for_challenge(conn, &challenge.id, now)?;
        let closed = CodeChallenge::close(conn, &challenge.id, CloseReason::Completed, now)?;
        if (matches!(submitted, Answer::Emailed(_)) && ended == 0) || !closed {
            return Ok(CodeCheck::Expired);
        }
        // The lockout row is locked by this transaction, so it is current.
        if is_login && !lockout.is_clear() {
            code_lockout::clear(conn, &challenge.agent_id)?;
        }
        return Ok(CodeCheck::Accepted);
    }

    let wrong_codes = CodeChallenge::add_wrong_code(conn, &challenge.id)?;
    if wrong_codes >= policy.attempts_per_login {
        one_time_code::end_all_for_challenge(conn, &challenge.id, now)?;
    }
    let attempts_left = (policy.attempts_per_login - wrong_codes).max(0);
    let mut locked = None;
    if is_login {
        let consecutive_wrong = code_lockout::add_wrong(conn, &challenge.agent_id)?;
        if consecutive_wrong >= policy.lock_until_reset_after {
            code_lockout::set_lock(conn, &challenge.agent_id, None)?;
            locked = Some(NewLock { until: None, consecutive_wrong });
        } else if consecutive_wrong % policy.lock_after == 0 {
            let until = now + policy.lock_duration;
            code_lockout::set_lock(conn, &challenge.agent_id, Some(until))?;
            locked = Some(NewLock { until: Some(until), consecutive_wrong });
        }
    }
    Ok(CodeCheck::Wrong { attempts_left, locked })
}

/// Issues a code for `challenge` and queues its email (a sign-in or a
/// confirmation code, as the challenge is for) in `reader`'s language and
/// zone, in the caller's transaction; or says why no code may be sent now.
pub fn send_code(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    agent: &Agent,
    reader: Tr,
    challenge: &CodeChallenge,
    lockout: &CodeLockout,
) -> Result<Result<(), IssueRefusal>, AuthError> {
    let Context { config, client, now } = *ctx;
    let purpose = challenge.purpose().unwrap_or(ChallengePurpose::EnableTwoFactor);
    let email = recipient(conn, agent, challenge)?;
    let code = match issue(conn, &config.codes, config.secret_key.bytes(), challenge, lockout, now)? {
        Ok(code) => code,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let kind = match purpose {
        ChallengePurpose::Login => CodePurpose::Login,
        ChallengePurpose::ConfirmIdentity => CodePurpose::ConfirmIdentity,
        ChallengePurpose::ChangeEmail => CodePurpose::ChangeEmail,
        ChallengePurpose::EnableTwoFactor => CodePurpose::ConfirmTwoFactor,
    };
    let to = Recipient { email: &email, name: &agent.name, tr: reader };
    let message = messages::code_email(&to, kind, &code, config.codes.code_lifetime, &RequestContext::of(client, now), &config.base_url())?
        .for_challenge(&challenge.id)
        .useful_until(now + config.codes.code_lifetime);
    outbox::enqueue(conn, &message, now)?;
    let entry = audit::Entry { detail: Some(purpose.code_label()), ..audit::Entry::for_agent(agent, Some(client)) };
    audit::record(conn, Event::CodeSent, Outcome::Success, &entry, now)?;
    Ok(Ok(()))
}

/// Where a challenge's codes go: a new address's to the new address, every
/// other code to the agent's.
pub fn recipient(conn: &mut DbConnection, agent: &Agent, challenge: &CodeChallenge) -> diesel::QueryResult<EmailAddress> {
    match challenge.purpose() {
        Some(ChallengePurpose::ChangeEmail) => email_change::new_address_of(conn, &challenge.id),
        _ => Ok(agent.email_address()),
    }
}

/// Runs `work` on the challenge `challenge_id` and its agent (`None` when
/// the agent is no longer active) inside the agent's code transaction, both
/// read again under the lock (a concurrent request may have changed them);
/// `gone` when there is no such challenge.
///
/// `agent_id`: the agent the caller knows the challenge to be for (a
/// signed-in holder, or a pending login this request has just read), which
/// saves reading the challenge before the lock; a challenge of another
/// agent is `gone` too.
pub fn with_locked_challenge<T>(
    conn: &mut DbConnection,
    challenge_id: &str,
    agent_id: Option<&str>,
    now: NaiveDateTime,
    gone: T,
    work: impl FnOnce(&mut DbConnection, CodeChallenge, Option<Agent>, CodeLockout) -> Result<T, AuthError>,
) -> Result<T, AuthError> {
    let agent_id = match agent_id {
        Some(agent_id) => agent_id.to_owned(),
        None => match CodeChallenge::find(conn, challenge_id)? {
            Some(challenge) => challenge.agent_id,
            None => return Ok(gone),
        },
    };
    in_agent_code_transaction(conn, &agent_id, now, |conn, lockout| match CodeChallenge::find_with_agent_if_active(conn, challenge_id)? {
        Some((challenge, agent)) if challenge.agent_id == agent_id => work(conn, challenge, agent, lockout),
        _ => Ok(gone),
    })
}

/// Records a new lock-out and emails the agent about it (SPEC §3).
pub fn announce_lock(conn: &mut DbConnection, config: &Config, agent: &Agent, client: &ClientInfo, lock: NewLock, now: NaiveDateTime) -> Result<(), AuthError> {
    let detail = match lock.until {
        Some(_) => format!("{} wrong codes in a row: codes locked for {} minutes", lock.consecutive_wrong, config.codes.lock_duration.num_minutes()),
        None => format!("{} wrong codes in a row: codes locked until a password reset", lock.consecutive_wrong),
    };
    audit::record(conn, Event::CodeLockout, Outcome::Success, &audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(agent, Some(client)) }, now)?;
    let email = agent.email_address();
    let message = messages::codes_locked(
        &Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? },
        lock.consecutive_wrong,
        lock.until,
        &RequestContext::of(client, now),
        &config.base_url(),
    )?;
    outbox::enqueue(conn, &message, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_and_spread_over_the_whole_range() {
        let codes: Vec<u32> = (0..2000).map(|_| new_code().expose().parse().unwrap()).collect();
        assert!(codes.iter().all(|c| *c < 1_000_000));
        // Every leading digit shows up in 2000 draws of a uniform code.
        for digit in 0..10u32 {
            assert!(codes.iter().any(|c| c / 100_000 == digit), "leading digit {digit} never drawn");
        }
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert!(distinct.len() > 1900, "codes repeat too often: {}", distinct.len());
    }

    #[test]
    fn the_stored_hash_depends_on_the_secret_and_the_challenge() {
        let code = OneTimeCode::from_number(123_456);
        let hash = code_hash(b"secret", "challenge-a", &code);
        assert!(!hash.contains("123456"));
        assert_ne!(hash, code_hash(b"other secret", "challenge-a", &code));
        assert_ne!(hash, code_hash(b"secret", "challenge-b", &code));
        assert_eq!(hash, code_hash(b"secret", "challenge-a", &code));
    }
}

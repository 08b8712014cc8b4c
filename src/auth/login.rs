//! The steps of a login: the password (every login), then, with 2FA on, the
//! emailed code unless this browser is trusted for the agent.
//! [`open_password_step`] and [`settle_password`] check the password and, in one transaction, decide
//! whether a code is needed (the private `after_password` is the one place
//! that decides it); [`verify_login_code`] completes the second step (and
//! trusts the browser when the agent ticked "I am on a trusted computer").

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, Event, Outcome};
use crate::auth::codes::{self, CodeCheck, IssueRefusal, announce_lock, send_code, with_locked_challenge};
use crate::auth::throttle::{self, Bucket, LockedBy, LoginGate, LoginTickets, login_account_bucket, open_login_gate};
use crate::auth::trusted_computers::{self, Granted, TrustOffer, TrustedCookie};
use crate::config::{Config, LoginLimits};
use crate::db::{DbConnection, write_transaction};
use crate::db::models::{Agent, Company};
use crate::db::models::code_challenge::{ChallengePurpose, CloseReason, CodeChallenge};
use crate::db::models::code_lockout::{self, CodeLockout};
use crate::domain::{EmailAddress, OneTimeCode, TwoFactorStatus};
use crate::error::AppError;
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::ClientInfo;

/// What the password step came to. One failure variant only: unknown email,
/// wrong password and deactivated account look the same (SPEC §3).
#[derive(Debug)]
pub enum PasswordOutcome {
    /// The password was right: what follows, and the browser's trusted-computer
    /// cookie without its stale entries (expired, revoked, forged), to write back.
    /// (Boxed: the decision carries an agent, the other variants next to nothing.)
    Accepted { decision: Box<LoginDecision>, trusted_cookie: TrustedCookie },
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

/// What a browser brings to the password step besides the form.
pub struct BrowserAtLogin {
    /// The pending login it already had, ended in favour of the new one.
    pub previous_pending: Option<String>,
    /// Its trusted-computer cookie.
    pub trusted_cookie: TrustedCookie,
}

/// The first half of the password step (`POST /login`): finds the agent the
/// email names and counts the attempt against the account and the client IP
/// (SPEC §3 login throttling), in one transaction, before any hash. The
/// caller then verifies the password (one argon2 verification whatever the
/// agent) and hands the verdict to [`settle_password`].
pub fn open_password_step(
    conn: &mut DbConnection,
    limits: LoginLimits,
    client: &ClientInfo,
    email_raw: &str,
    now: NaiveDateTime,
) -> diesel::QueryResult<(Option<Agent>, LoginGate)> {
    let email = EmailAddress::parse(email_raw).ok();
    let ip_bucket = Bucket::for_client_ip(throttle::LOGIN_IP, client);
    write_transaction(conn, |conn| {
        let agent = match &email {
            Some(email) => Agent::find_by_email(conn, email)?,
            None => None,
        };
        let account_bucket = login_account_bucket(agent.as_ref().map(|a| a.id.as_str()), email_raw);
        let gate = open_login_gate(conn, account_bucket, ip_bucket, limits, now)?;
        Ok((agent, gate))
    })
}

/// The second half of the password step: with the right password of an
/// active agent, resets the account's count and decides the second step
/// ([`LoginDecision`]) in one transaction; otherwise the failure stays
/// counted and is audited.
pub fn settle_password(
    conn: &mut DbConnection,
    config: &Config,
    agent: Option<Agent>,
    password_ok: bool,
    tickets: LoginTickets,
    client: &ClientInfo,
    browser: BrowserAtLogin,
    now: NaiveDateTime,
) -> Result<PasswordOutcome, AppError> {
    match agent {
        Some(agent) if password_ok && agent.active => {
            let (decision, trusted_cookie) = after_password(conn, config, agent, tickets, client, browser, now)?;
            Ok(PasswordOutcome::Accepted { decision: Box::new(decision), trusted_cookie })
        }
        agent => {
            write_transaction(conn, |conn| record_failed_password(conn, agent.as_ref(), tickets, client, now))?;
            Ok(PasswordOutcome::Rejected)
        }
    }
}

/// A wrong password (or an unknown or deactivated account): audited, and the
/// attempt stays counted; a lock-out it starts is audited too.
fn record_failed_password(conn: &mut DbConnection, agent: Option<&Agent>, tickets: LoginTickets, client: &ClientInfo, now: NaiveDateTime) -> diesel::QueryResult<()> {
    let entry = match agent {
        Some(agent) => audit::Entry::for_agent(agent, Some(client)),
        None => audit::Entry { client: Some(client), detail: Some("unknown email"), ..Default::default() },
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
}

/// What follows a correct password.
#[derive(Debug)]
pub enum LoginDecision {
    /// No second step (2FA is off): sign the browser in now. The login is already recorded.
    SignIn(Agent),
    /// 2FA is on, but this browser is trusted for this agent until
    /// `trusted_until`: sign in without a code. The login is already recorded.
    TrustedComputer { agent: Agent, trusted_until: NaiveDateTime },
    /// The browser waits for the emailed code on `/login/verify`. `refusal`
    /// says why no code went out (too many codes lately), if none did.
    CodeRequired { challenge_id: String, refusal: Option<IssueRefusal> },
    /// Too many wrong codes: this agent's logins are locked (`None`: until a reset).
    CodesLocked { until: Option<NaiveDateTime> },
}

/// Settles a correct password's attempt and decides the second step, in one
/// transaction.
///
/// This is the one place where a login may skip the code: when the cookie
/// holds a live token of this agent (SPEC §2.3 step 2, §3 trusted computer).
/// A trusted browser skips the code even while codes are locked: the lock
/// stops code guessing, and a trusted computer needs no code.
fn after_password(
    conn: &mut DbConnection,
    config: &Config,
    agent: Agent,
    tickets: LoginTickets,
    client: &ClientInfo,
    browser: BrowserAtLogin,
    now: NaiveDateTime,
) -> Result<(LoginDecision, TrustedCookie), AppError> {
    let BrowserAtLogin { previous_pending, trusted_cookie } = browser;
    if agent.two_factor_status() != TwoFactorStatus::Enabled {
        write_transaction(conn, |conn| {
            tickets.succeeded(conn, now)?;
            Agent::record_login(conn, &agent.id, now)?;
            audit::record(conn, Event::LoginSucceeded, Outcome::Success, &audit::Entry::for_agent(&agent, Some(client)), now)
        })?;
        return Ok((LoginDecision::SignIn(agent), trusted_cookie));
    }
    let agent_id = agent.id.clone();
    codes::in_agent_code_transaction(conn, &agent_id, now, |conn, lockout| {
        tickets.succeeded(conn, now)?;
        let company = Company::find(conn, &agent.company_id)?.ok_or(diesel::result::Error::NotFound)?;
        let trust = trusted_computers::check(conn, config, &agent, &company, trusted_cookie, now)?;
        if let Some(trusted_until) = trust.trusted_until {
            if let Some(previous) = previous_pending.as_deref() {
                CodeChallenge::close(conn, previous, CloseReason::Superseded, now)?;
            }
            Agent::record_login(conn, &agent.id, now)?;
            let entry = audit::Entry { detail: Some("password and trusted computer"), ..audit::Entry::for_agent(&agent, Some(client)) };
            audit::record(conn, Event::LoginSucceeded, Outcome::Success, &entry, now)?;
            return Ok((LoginDecision::TrustedComputer { agent, trusted_until }, trust.cookie));
        }
        let decision = start_pending_login(conn, config, &agent, &lockout, client, previous_pending.as_deref(), now)?;
        Ok((decision, trust.cookie))
    })
}

fn start_pending_login(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    lockout: &CodeLockout,
    client: &ClientInfo,
    previous_pending: Option<&str>,
    now: NaiveDateTime,
) -> Result<LoginDecision, AppError> {
    if let Some(until) = lockout.lock_at(now) {
        let entry = audit::Entry { detail: Some("password right, but codes are locked"), ..audit::Entry::for_agent(agent, Some(client)) };
        audit::record(conn, Event::CodeLockout, Outcome::Failure, &entry, now)?;
        return Ok(LoginDecision::CodesLocked { until });
    }
    if let Some(previous) = previous_pending {
        CodeChallenge::close(conn, previous, CloseReason::Superseded, now)?;
    }
    let challenge = codes::open_challenge(conn, &agent.id, ChallengePurpose::Login, now + config.codes.pending_login_lifetime, client, now)?;
    let refusal = send_code(conn, config, agent, &challenge, lockout, client, now)?.err();
    Ok(LoginDecision::CodeRequired { challenge_id: challenge.id, refusal })
}

/// What the code step came to.
#[derive(Debug)]
pub enum CodeStepOutcome {
    /// The code was right: sign the browser in. `trusted` is set when the
    /// "I am on a trusted computer" box was ticked and the browser is now
    /// trusted (it holds the cookie to set).
    SignedIn { agent: Box<Agent>, trusted: Option<Granted> },
    /// The code page is shown again, as `view` describes it.
    Wrong { attempts_left: i32, view: Box<PendingLoginView> },
    /// Too many wrong codes for this login: a new code must be requested.
    NeedsNewCode { view: Box<PendingLoginView> },
    Locked { until: Option<NaiveDateTime> },
    /// The pending login is over (expired, replaced, revoked): start again.
    Expired,
}

/// Judges the code submitted for the pending login `challenge_id`.
/// `submitted` is `None` when the field was empty or malformed: that counts
/// as a wrong code (SPEC §3). With `trust_requested` (the box ticked) and a
/// right code, the browser becomes trusted in the same transaction, its new
/// token added to `trusted_cookie`.
pub fn verify_login_code(
    conn: &mut DbConnection,
    config: &Config,
    challenge_id: &str,
    submitted: Option<OneTimeCode>,
    trust_requested: bool,
    trusted_cookie: TrustedCookie,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<CodeStepOutcome, AppError> {
    with_locked_challenge(conn, challenge_id, now, CodeStepOutcome::Expired, |conn, challenge, lockout| {
        let agent = match Agent::find_active(conn, &challenge.agent_id)? {
            Some(agent) if challenge.is_for(ChallengePurpose::Login) && agent.two_factor_status() == TwoFactorStatus::Enabled => agent,
            _ => {
                CodeChallenge::close(conn, &challenge.id, CloseReason::Revoked, now)?;
                return Ok(CodeStepOutcome::Expired);
            }
        };
        let verdict = codes::check(conn, &config.codes, config.secret_key.bytes(), &challenge, &lockout, submitted.as_ref(), now)?;
        let entry = audit::Entry::for_agent(&agent, Some(client));
        // The page shown again after a refused code, read in the same trip.
        let view = |conn: &mut DbConnection| -> Result<Box<PendingLoginView>, AppError> {
            let company = Company::find(conn, &agent.company_id)?.ok_or(diesel::result::Error::NotFound)?;
            Ok(Box::new(PendingLoginView::of(config, &challenge, &agent, &company, Some(&lockout), now)))
        };
        Ok(match verdict {
            CodeCheck::Accepted => {
                Agent::record_login(conn, &agent.id, now)?;
                audit::record(conn, Event::CodeAccepted, Outcome::Success, &entry, now)?;
                audit::record(conn, Event::LoginSucceeded, Outcome::Success, &audit::Entry { detail: Some("password and code"), ..entry.clone() }, now)?;
                let trusted = if trust_requested {
                    let company = Company::find(conn, &agent.company_id)?.ok_or(diesel::result::Error::NotFound)?;
                    trusted_computers::grant(conn, config, &agent, &company, client, trusted_cookie, now)?
                } else {
                    None
                };
                CodeStepOutcome::SignedIn { agent: Box::new(agent), trusted }
            }
            CodeCheck::Wrong { attempts_left, locked } => {
                let detail = if submitted.is_some() { "wrong code" } else { "missing or malformed code" };
                audit::record(conn, Event::CodeRejected, Outcome::Failure, &audit::Entry { detail: Some(detail), ..entry.clone() }, now)?;
                match locked {
                    Some(lock) => {
                        announce_lock(conn, config, &agent, client, lock, now)?;
                        CodeStepOutcome::Locked { until: lock.until }
                    }
                    None => CodeStepOutcome::Wrong { attempts_left, view: view(conn)? },
                }
            }
            CodeCheck::NeedsNewCode => {
                audit::record(conn, Event::CodeRejected, Outcome::Failure, &audit::Entry { detail: Some("codes dead after too many wrong codes"), ..entry.clone() }, now)?;
                CodeStepOutcome::NeedsNewCode { view: view(conn)? }
            }
            CodeCheck::Locked { until } => {
                audit::record(conn, Event::CodeRejected, Outcome::Failure, &audit::Entry { detail: Some("codes locked"), ..entry.clone() }, now)?;
                CodeStepOutcome::Locked { until }
            }
            CodeCheck::Expired => CodeStepOutcome::Expired,
        })
    })
}

/// What a request for another code came to.
#[derive(Debug)]
pub enum ResendOutcome {
    Sent,
    Refused(IssueRefusal),
    Expired,
}

/// "Resend code" on the code page.
pub fn resend_login_code(conn: &mut DbConnection, config: &Config, challenge_id: &str, client: &ClientInfo, now: NaiveDateTime) -> Result<ResendOutcome, AppError> {
    with_locked_challenge(conn, challenge_id, now, ResendOutcome::Expired, |conn, challenge, lockout| {
        let agent = match Agent::find_active(conn, &challenge.agent_id)? {
            Some(agent) if challenge.is_for(ChallengePurpose::Login) && challenge.is_open(now) => agent,
            _ => return Ok(ResendOutcome::Expired),
        };
        Ok(match crate::auth::mail_limits::send_requested_code(conn, config, &agent, &challenge, &lockout, client, now)? {
            Ok(()) => ResendOutcome::Sent,
            Err(refusal) => ResendOutcome::Refused(refusal),
        })
    })
}

/// What the code page shows about a pending login.
#[derive(Debug, Clone)]
pub struct PendingLoginView {
    /// Where the codes go, masked (`a***@example.com`).
    pub masked_email: String,
    /// The login's codes are dead after too many wrong codes.
    pub needs_new_code: bool,
    /// The agent's codes are locked (`Some(None)`: until a reset).
    pub locked: Option<Option<NaiveDateTime>>,
    /// When the password step is forgotten.
    pub expires_at: NaiveDateTime,
    /// Whether "I am on a trusted computer" is offered, and for how long.
    pub trust_offer: TrustOffer,
}

/// The pending login behind a browser's session, if it can still be completed.
pub fn pending_login_view(conn: &mut DbConnection, config: &Config, challenge_id: &str, now: NaiveDateTime) -> diesel::QueryResult<Option<PendingLoginView>> {
    let Some(challenge) = CodeChallenge::find(conn, challenge_id)? else { return Ok(None) };
    if !challenge.is_for(ChallengePurpose::Login) || !challenge.is_open(now) {
        return Ok(None);
    }
    let Some(agent) = Agent::find_active(conn, &challenge.agent_id)? else { return Ok(None) };
    let Some(company) = Company::find(conn, &agent.company_id)? else { return Ok(None) };
    let lockout = code_lockout::find(conn, &agent.id)?;
    Ok(Some(PendingLoginView::of(config, &challenge, &agent, &company, lockout.as_ref(), now)))
}

impl PendingLoginView {
    fn of(config: &Config, challenge: &CodeChallenge, agent: &Agent, company: &Company, lockout: Option<&CodeLockout>, now: NaiveDateTime) -> PendingLoginView {
        PendingLoginView {
            masked_email: agent.email_address().masked(),
            needs_new_code: challenge.wrong_codes >= config.codes.attempts_per_login,
            locked: lockout.and_then(|l| l.lock_at(now)),
            expires_at: challenge.expires_at,
            trust_offer: trusted_computers::offer(config, company, agent),
        }
    }
}

/// How often, at most, an agent hears about abandoned logins.
const ABANDONED_NOTICE_INTERVAL: chrono::Duration = chrono::Duration::minutes(15);

/// Emails the agents whose password was entered but whose login was never
/// finished within the pending-login lifetime (SPEC §6 security notices).
/// Safe to run on several instances at once: each login is claimed by a
/// conditional UPDATE before its email is queued, in one transaction.
pub fn notify_abandoned_logins(conn: &mut DbConnection, config: &Config, now: NaiveDateTime) -> Result<usize, AppError> {
    let mut notified = 0;
    for challenge in CodeChallenge::abandoned_logins(conn, now, 100)? {
        let sent = crate::db::write_transaction(conn, |conn| -> Result<bool, AppError> {
            if !CodeChallenge::mark_abandoned_reported(conn, &challenge.id, now)? {
                return Ok(false);
            }
            // Starting over and finishing a later login is not suspicious, and
            // one email a quarter hour says enough.
            if CodeChallenge::completed_login_since(conn, &challenge.agent_id, challenge.created_at)?
                || CodeChallenge::abandoned_reported_since(conn, &challenge.agent_id, now - ABANDONED_NOTICE_INTERVAL)?
            {
                return Ok(false);
            }
            let Some(agent) = Agent::find_active(conn, &challenge.agent_id)? else { return Ok(false) };
            CodeChallenge::close(conn, &challenge.id, CloseReason::ReportedAbandoned, now)?;
            let email = agent.email_address();
            let context = RequestContext::new(challenge.created_at, &challenge.user_agent, &challenge.ip);
            let message = messages::abandoned_login(&Recipient { email: &email, name: &agent.name }, &context, &config.base_url())?;
            outbox::enqueue(conn, &message, now)?;
            let entry = audit::Entry { detail: Some("password right, no code followed"), ..audit::Entry::for_agent(&agent, None) };
            audit::record(conn, Event::LoginFailed, Outcome::Failure, &entry, now)?;
            Ok(true)
        })?;
        if sent {
            notified += 1;
        }
    }
    Ok(notified)
}

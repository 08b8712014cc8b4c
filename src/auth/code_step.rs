//! The code step of every journey that asks for an emailed code: the second
//! step of a login, turning 2FA on, confirming identity before a sensitive
//! change, and confirming a new email address. One place finds the step's
//! challenge, checks that it still belongs to whoever asks, judges the code
//! (`auth::codes`, the SPEC §3 rules), audits it and announces a lock-out;
//! each journey adds only what a right code does ([`submit`]'s `accept`).
//!
//! Adding a purpose: a [`ChallengePurpose`] variant (and its stored name), its
//! line in [`ChallengePurpose::code_label`] and [`accepts_agent`], its email
//! in `mail::messages::CodePurpose`, and a `routes::code_page::CodePageSpec`.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::Context;
use crate::auth::codes::{self, Answer, CodeCheck, IssueRefusal, announce_lock, send_code, with_locked_challenge};
use crate::auth::mail_limits::CODE_EMAILS_IP;
use crate::auth::throttle::{self, Bucket};
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::models::code_challenge::{ChallengePurpose, ChallengeWithAgent, CloseReason, CodeChallenge};
use crate::db::models::code_lockout::CodeLockout;
use crate::db::models::{Agent, Company, one_time_code};
use crate::domain::{EmailAddress, TwoFactorStatus};
use crate::auth::AuthError;

/// Where a code step's challenge is found.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// A browser that is not signed in holds the challenge id (a pending
    /// login): the challenge names the agent. `agent_id`: that agent, when
    /// this request has just read it with the challenge (a challenge of
    /// another agent is then not the holder's).
    Browser { challenge_id: &'a str, agent_id: Option<&'a str> },
    /// A signed-in agent whose browser holds the challenge id (confirm identity).
    SignedInBrowser { agent_id: &'a str, challenge_id: &'a str },
    /// A signed-in agent's one open challenge of the purpose (turning 2FA on,
    /// a new email address).
    SignedIn { agent_id: &'a str },
}

impl Holder<'_> {
    /// The challenge to look at, before any lock is taken.
    fn challenge_id(&self, conn: &mut DbConnection, purpose: ChallengePurpose, now: NaiveDateTime) -> diesel::QueryResult<Option<String>> {
        match *self {
            Holder::Browser { challenge_id, .. } | Holder::SignedInBrowser { challenge_id, .. } => Ok(Some(challenge_id.to_owned())),
            Holder::SignedIn { agent_id } => Ok(CodeChallenge::find_open(conn, agent_id, purpose, now)?.map(|c| c.id)),
        }
    }

    fn agent_id(&self) -> Option<&str> {
        match *self {
            Holder::Browser { agent_id, .. } => agent_id,
            Holder::SignedInBrowser { agent_id, .. } | Holder::SignedIn { agent_id } => Some(agent_id),
        }
    }
}

/// Whether this agent may still use a challenge of `purpose`: a login's
/// code step needs a second factor on, a confirmation needs the email factor
/// pending.
pub fn accepts_agent(purpose: ChallengePurpose, agent: &Agent) -> bool {
    match purpose {
        ChallengePurpose::Login => agent.two_factor_status() == TwoFactorStatus::Enabled,
        ChallengePurpose::EnableTwoFactor => agent.email_two_factor_status() == TwoFactorStatus::Pending,
        ChallengePurpose::ConfirmIdentity | ChallengePurpose::ChangeEmail => true,
    }
}

/// The challenge's agent (read with it, `None` when no longer active), if
/// the challenge is of `purpose`, the holder's, and the agent may still use it.
fn owner(holder: Holder<'_>, purpose: ChallengePurpose, challenge: &CodeChallenge, agent: Option<Agent>) -> Option<Agent> {
    agent.filter(|agent| is_owned(holder, purpose, challenge) && accepts_agent(purpose, agent))
}

/// Whether the challenge is of `purpose` and, for a holder signed in as an
/// agent, that agent's.
fn is_owned(holder: Holder<'_>, purpose: ChallengePurpose, challenge: &CodeChallenge) -> bool {
    challenge.is_for(purpose) && holder.agent_id().is_none_or(|id| id == challenge.agent_id)
}

/// The outcome of entering a code, whatever it was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeOutcome<T> {
    /// Right: the challenge is closed, and `T` is what the journey did.
    Accepted(T),
    /// Wrong, missing or malformed (counted, audited).
    Wrong { attempts_left: i32 },
    /// Too many wrong codes for this challenge: a new code must be sent.
    NeedsNewCode,
    /// The agent's codes are locked (`None`: until a reset); nothing was compared.
    Locked { until: Option<NaiveDateTime> },
    /// The challenge is over (expired, closed, replaced, not the holder's).
    Expired,
}

/// Judges a code entered for the holder's challenge of `purpose` (`None`:
/// missing or malformed, which counts as wrong), in the agent's code
/// transaction. A right code closes the challenge and runs `accept` (on its
/// agent and the challenge, as read under the lock) in the
/// same transaction; a wrong one is audited, and a lock-out it starts is
/// announced to the agent.
pub fn submit<T>(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    holder: Holder<'_>,
    purpose: ChallengePurpose,
    submitted: Answer<'_>,
    accept: impl FnOnce(&mut DbConnection, &Agent, &CodeChallenge) -> Result<T, AuthError>,
) -> Result<CodeOutcome<T>, AuthError> {
    let Some(challenge_id) = holder.challenge_id(conn, purpose, ctx.now)? else { return Ok(CodeOutcome::Expired) };
    with_locked_challenge(conn, &challenge_id, holder.agent_id(), ctx.now, CodeOutcome::Expired, |conn, challenge, agent, lockout| {
        let Some(agent) = owner(holder, purpose, &challenge, agent) else {
            // A login of an agent since deactivated, or whose 2FA was turned off, cannot be finished.
            if purpose == ChallengePurpose::Login {
                CodeChallenge::close(conn, &challenge.id, CloseReason::Revoked, ctx.now)?;
            }
            return Ok(CodeOutcome::Expired);
        };
        let config = ctx.config;
        let verdict = codes::check(conn, config, &challenge, &lockout, submitted, ctx.now)?;
        let label = submitted.label().unwrap_or(purpose.code_label());
        let entry = audit::Entry::for_agent(&agent, Some(ctx.client));
        let rejected = |conn: &mut DbConnection, detail: &str| {
            audit::record(conn, Event::CodeRejected, Outcome::Failure, &audit::Entry { detail: Some(detail), ..entry.clone() }, ctx.now)
        };
        let method = submitted.method();
        match verdict {
            CodeCheck::Accepted => crate::metrics::code(method, "accepted"),
            CodeCheck::Expired => {}
            _ => crate::metrics::code(method, "rejected"),
        }
        Ok(match verdict {
            CodeCheck::Accepted => {
                audit::record(conn, Event::CodeAccepted, Outcome::Success, &audit::Entry { detail: Some(label), ..entry.clone() }, ctx.now)?;
                CodeOutcome::Accepted(accept(conn, &agent, &challenge)?)
            }
            CodeCheck::Wrong { attempts_left, locked } => {
                let detail = if submitted.is_provided() { format!("wrong {label}") } else { format!("missing or malformed {label}") };
                rejected(conn, &detail)?;
                match locked {
                    Some(lock) => {
                        announce_lock(conn, config, &agent, ctx.client, lock, ctx.now)?;
                        CodeOutcome::Locked { until: lock.until }
                    }
                    None => CodeOutcome::Wrong { attempts_left },
                }
            }
            CodeCheck::NeedsNewCode => {
                rejected(conn, &format!("{label}: dead after too many wrong codes"))?;
                CodeOutcome::NeedsNewCode
            }
            CodeCheck::Locked { until } => {
                rejected(conn, &format!("{label}: codes locked"))?;
                CodeOutcome::Locked { until }
            }
            CodeCheck::Expired => CodeOutcome::Expired,
        })
    })
}

/// What asking for another code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resent {
    Sent,
    Refused(IssueRefusal),
    /// The challenge is over: the journey starts again.
    Expired,
}

/// "Resend code" / "Send a new code": another code for the holder's open
/// challenge of `purpose`, counted against the client IP.
pub fn resend(conn: &mut DbConnection, ctx: &Context<'_>, holder: Holder<'_>, purpose: ChallengePurpose) -> Result<Resent, AuthError> {
    let Some(challenge_id) = holder.challenge_id(conn, purpose, ctx.now)? else { return Ok(Resent::Expired) };
    with_locked_challenge(conn, &challenge_id, holder.agent_id(), ctx.now, Resent::Expired, |conn, challenge, agent, lockout| {
        let Some(agent) = owner(holder, purpose, &challenge, agent).filter(|_| challenge.is_open(ctx.now)) else {
            return Ok(Resent::Expired);
        };
        Ok(match send_requested_code(conn, ctx, &agent, &challenge, &lockout)? {
            Ok(()) => Resent::Sent,
            Err(refusal) => Resent::Refused(refusal),
        })
    })
}

/// Sends a code the agent asked for with a button (or by ticking a box),
/// counted against the client IP first (SPEC §3 mail-bombing limits), in the
/// caller's agent code transaction. A refused send (too soon, too many,
/// locked) takes the IP's count back: only emails that went out are counted.
pub fn send_requested_code(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    agent: &Agent,
    challenge: &CodeChallenge,
    lockout: &CodeLockout,
) -> Result<Result<(), IssueRefusal>, AuthError> {
    let (config, client, now) = (ctx.config, ctx.client, ctx.now);
    // A lock-out says more than "too many from your network": let `issue` say it.
    if challenge.counts_towards_lockout() && lockout.lock_at(now).is_some() {
        let reader = agent.reader(conn)?;
        return send_code(conn, ctx, agent, reader, challenge, lockout);
    }
    let bucket = Bucket::for_client_ip(CODE_EMAILS_IP, client);
    let hit = match throttle::hit(conn, &bucket, config.mail_limits.code_emails_per_ip, now)? {
        throttle::Decision::Refused { retry_after } => return Ok(Err(IssueRefusal::TooManyFromNetwork { retry_after })),
        throttle::Decision::Allowed(hit) => hit,
    };
    let reader = agent.reader(conn)?;
    let sent = send_code(conn, ctx, agent, reader, challenge, lockout)?;
    if sent.is_err() {
        throttle::take_back(conn, &bucket, &hit, now)?;
    }
    Ok(sent)
}

/// What a code page shows about the holder's open challenge.
#[derive(Debug, Clone)]
pub struct CodeView {
    pub agent: Agent,
    pub company: Company,
    pub challenge: CodeChallenge,
    /// Where its codes go (a new address's codes go to the new address).
    pub sent_to: EmailAddress,
    /// Too many wrong codes: its codes are dead until a new one is sent.
    pub needs_new_code: bool,
    /// The agent's codes are locked (`Some(None)`: until a reset).
    pub locked: Option<Option<NaiveDateTime>>,
    /// A code of this challenge was emailed (an agent with an app gets one
    /// only when they ask).
    pub email_sent: bool,
    /// When the agent may be sent a code again, if they have had the most
    /// codes the window allows (SPEC §3: 5 per 15 minutes).
    pub next_code_at: Option<NaiveDateTime>,
}

/// The holder's open challenge of `purpose`, if it can still be completed.
pub fn view(conn: &mut DbConnection, config: &Config, holder: Holder<'_>, purpose: ChallengePurpose, now: NaiveDateTime) -> diesel::QueryResult<Option<CodeView>> {
    let Some(ChallengeWithAgent { challenge, agent, company, lockout }) = open_challenge(conn, holder, purpose, now)? else { return Ok(None) };
    let sent_to = codes::recipient(conn, &agent, &challenge)?;
    let locked = lockout.and_then(|l| l.lock_at(now));
    let needs_new_code = challenge.wrong_codes >= config.codes.attempts_per_login;
    let policy = &config.codes;
    let issued = one_time_code::issued(conn, &challenge.id, &agent.id, now - policy.codes_window)?;
    let email_sent = issued.newest_for_challenge.is_some();
    // When the agent's window of codes frees a place, if it is full now.
    let next_code_at = (issued.to_agent_since >= policy.codes_per_window)
        .then(|| issued.oldest_to_agent_since.unwrap_or(now) + policy.codes_window);
    Ok(Some(CodeView { agent, company, challenge, sent_to, needs_new_code, locked, email_sent, next_code_at }))
}

/// The holder's open challenge of `purpose` with the agent it is for (and
/// what is read with it), if it can still be completed: the first statement
/// of [`view`], for a step that needs no more. The same rules as [`owner`],
/// on the agent read with the challenge.
pub fn open_challenge(conn: &mut DbConnection, holder: Holder<'_>, purpose: ChallengePurpose, now: NaiveDateTime) -> diesel::QueryResult<Option<ChallengeWithAgent>> {
    let Some(challenge_id) = holder.challenge_id(conn, purpose, now)? else { return Ok(None) };
    let Some(found) = CodeChallenge::find_with_active_agent(conn, &challenge_id)? else { return Ok(None) };
    let usable = found.challenge.is_open(now) && is_owned(holder, purpose, &found.challenge) && accepts_agent(purpose, &found.agent);
    Ok(usable.then_some(found))
}

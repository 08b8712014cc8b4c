//! The steps of a login: the password (every login), then, with 2FA on, the
//! emailed code unless this browser is trusted for the agent.
//! [`open_password_step`] and [`settle_password`] check the password and, in one transaction, decide
//! whether a code is needed (the private `after_password` is the one place
//! that decides it); [`verify_login_code`] completes the second step (and
//! trusts the browser when the agent ticked "I am on a trusted computer").

use chrono::{Duration, NaiveDateTime};

use crate::audit::{self, Event, Outcome};
use crate::auth::Context;
use crate::auth::code_step::{CodeOutcome, Holder};
use crate::auth::codes::{self, Answer, IssueRefusal, send_code};
use crate::auth::recovery_codes;
use crate::auth::code_step;
use crate::auth::device_cookie::DeviceCookie;
use crate::auth::login_gate::{LOGIN_IP, LockedBy, LoginGate, LoginTickets, device_bucket, login_account_bucket, open_login_gate};
use crate::auth::throttle::{self, Bucket, Decision};
use crate::auth::trusted_computers::{self, Granted, TrustOffer, TrustedCookie};
use crate::config::{ABANDONED_NOTICE_SPACING, Config, Limit, LoginLimits};
use crate::db::{DbConnection, grouped_writes, write_transaction};
use crate::db::models::{Agent, Company};
use crate::db::models::code_challenge::{ChallengePurpose, ChallengeWithAgent, CloseReason, CodeChallenge};
use crate::db::models::code_lockout::CodeLockout;
use crate::domain::{EmailAddress, TwoFactorStatus};
use crate::auth::AuthError;
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
    crate::i18n::t1("auth-login-throttled", "wait", throttle::wait_in_words(retry_after))
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
/// (SPEC §3 login throttling), before any hash. The
/// caller then verifies the password (one argon2 verification whatever the
/// agent) and hands the verdict to [`settle_password`].
pub fn open_password_step(
    conn: &mut DbConnection,
    limits: LoginLimits,
    client: &ClientInfo,
    email_raw: &str,
    device: &DeviceCookie,
    now: NaiveDateTime,
) -> diesel::QueryResult<(Option<(Agent, Company)>, LoginGate)> {
    let email = EmailAddress::parse(email_raw).ok();
    // Each bucket's count is a compare-and-swap of its own: nothing here
    // needs a transaction around it (two round trips fewer on PostgreSQL).
    grouped_writes(conn, |conn| {
        let agent = match &email {
            Some(email) => Agent::find_by_email_with_company(conn, email)?,
            None => None,
        };
        // The agent's own browser counts against itself only (see auth::device_cookie).
        let known_device = agent.as_ref().and_then(|(a, _)| device.device_of(&a.id).map(|d| device_bucket(&a.id, d)));
        let gate = match known_device {
            Some(bucket) => open_login_gate(conn, bucket, None, limits, now)?,
            None => {
                let account_bucket = login_account_bucket(agent.as_ref().map(|(a, _)| a.id.as_str()), email_raw);
                open_login_gate(conn, account_bucket, Some(Bucket::for_client_ip(LOGIN_IP, client)), limits, now)?
            }
        };
        Ok((agent, gate))
    })
}

/// The second half of the password step: with the right password of an
/// active agent, resets the account's count and decides the second step
/// ([`LoginDecision`]) in one transaction; otherwise the failure stays
/// counted and is audited.
pub fn settle_password(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    agent: Option<(Agent, Company)>,
    password_ok: bool,
    tickets: LoginTickets,
    browser: BrowserAtLogin,
) -> Result<PasswordOutcome, AuthError> {
    let Context { config, client, now } = *ctx;
    match agent {
        Some((agent, company)) if password_ok && agent.active => {
            let (decision, trusted_cookie) = after_password(conn, ctx, agent, &company, tickets, browser)?;
            Ok(PasswordOutcome::Accepted { decision: Box::new(decision), trusted_cookie })
        }
        agent => {
            write_transaction(conn, |conn| record_failed_password(conn, config, agent.as_ref().map(|(agent, _)| agent), tickets, client, now))?;
            Ok(PasswordOutcome::Rejected)
        }
    }
}

/// The rate bucket that spaces the "someone may be guessing your password" emails.
pub const ATTACK_NOTICE: &str = "attack_notice";
/// At most one such email a day per agent.
pub const ATTACK_NOTICE_LIMIT: Limit = Limit { max: 1, window: Duration::hours(24) };

/// A wrong password (or an unknown or deactivated account): audited, and the
/// attempt stays counted; a lock-out it starts is audited too.
fn record_failed_password(
    conn: &mut DbConnection,
    config: &Config,
    agent: Option<&Agent>,
    tickets: LoginTickets,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    let entry = match agent {
        Some(agent) => audit::Entry::for_agent(agent, Some(client)),
        None => audit::Entry { client: Some(client), detail: Some("unknown email"), ..Default::default() },
    };
    audit::record(conn, Event::LoginFailed, Outcome::Failure, &entry, now)?;
    let from_known_device = tickets.from_known_device();
    for locked in tickets.failed() {
        let detail = match (locked, agent.is_some(), from_known_device) {
            (LockedBy::Account, true, true) => "too many failed logins from this agent's own browser: logins from it paused",
            (LockedBy::Account, true, false) => "too many failed logins for this account from new browsers: logins from new browsers paused",
            (LockedBy::Account, false, _) => "too many failed logins for an unknown email: logins paused",
            (LockedBy::ClientIp, _, _) => "too many failed logins from this IP address: logins paused",
        };
        let lock_entry = audit::Entry { detail: Some(detail), ..entry.clone() };
        audit::record(conn, Event::LoginThrottled, Outcome::Failure, &lock_entry, now)?;
        // Someone who is not the agent is guessing: tell the agent once, not
        // at every lock of a guessing run that goes on all day.
        if let (LockedBy::Account, Some(agent), false) = (locked, agent, from_known_device)
            && matches!(throttle::hit(conn, &Bucket::new(ATTACK_NOTICE, agent.id.clone()), ATTACK_NOTICE_LIMIT, now)?, Decision::Allowed(_))
        {
            let email = agent.email_address();
            let since = now - config.login_limits.per_account.window;
            let message = messages::account_under_attack(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, config.login_limits.per_account.max, since, &config.base_url())?;
            outbox::enqueue(conn, &message, now)?;
        }
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
    ctx: &Context<'_>,
    agent: Agent,
    company: &Company,
    tickets: LoginTickets,
    browser: BrowserAtLogin,
) -> Result<(LoginDecision, TrustedCookie), AuthError> {
    let Context { config, client, now } = *ctx;
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
        let trust = trusted_computers::check(conn, config, &agent, company, trusted_cookie, now)?;
        if let Some(trusted_until) = trust.trusted_until {
            if let Some(previous) = previous_pending.as_deref() {
                CodeChallenge::close(conn, previous, CloseReason::Superseded, now)?;
            }
            Agent::record_login(conn, &agent.id, now)?;
            let entry = audit::Entry { detail: Some("password and trusted computer"), ..audit::Entry::for_agent(&agent, Some(client)) };
            audit::record(conn, Event::LoginSucceeded, Outcome::Success, &entry, now)?;
            return Ok((LoginDecision::TrustedComputer { agent, trusted_until }, trust.cookie));
        }
        let decision = start_pending_login(conn, ctx, &agent, agent.tr(company), &lockout, previous_pending.as_deref())?;
        Ok((decision, trust.cookie))
    })
}

/// `reader`: the agent's language and zone, for the code email.
fn start_pending_login(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    agent: &Agent,
    reader: crate::i18n::Tr,
    lockout: &CodeLockout,
    previous_pending: Option<&str>,
) -> Result<LoginDecision, AuthError> {
    let Context { config, client, now } = *ctx;
    if let Some(until) = lockout.lock_at(now) {
        let entry = audit::Entry { detail: Some("password right, but codes are locked"), ..audit::Entry::for_agent(agent, Some(client)) };
        audit::record(conn, Event::CodeLockout, Outcome::Failure, &entry, now)?;
        return Ok(LoginDecision::CodesLocked { until });
    }
    if let Some(previous) = previous_pending {
        CodeChallenge::close(conn, previous, CloseReason::Superseded, now)?;
    }
    let challenge = codes::open_challenge(conn, &agent.id, ChallengePurpose::Login, now + config.codes.pending_login_lifetime, client, now)?;
    // With an app or a passkey the answer comes from it; an email goes out only when asked for.
    let refusal = if agent.app_enabled || agent.has_passkey() { None } else { send_code(conn, ctx, agent, reader, &challenge, lockout)?.err() };
    Ok(LoginDecision::CodeRequired { challenge_id: challenge.id, refusal })
}

/// What a right login code signs in: the agent, and the trusted-computer
/// grant when "I am on a trusted computer" was ticked (the cookie to set).
#[derive(Debug)]
pub struct SignedInByCode {
    pub agent: Agent,
    pub trusted: Option<Granted>,
}

/// The pending login `challenge_id` of a browser that is not signed in.
pub fn holder(challenge_id: &str) -> Holder<'_> {
    Holder::Browser { challenge_id, agent_id: None }
}

/// Judges the answer submitted for the pending login `challenge_id`: an
/// emailed code, the app's code or a recovery code (a missing or malformed
/// one counts as wrong, SPEC §3). With `trust_requested` (the box ticked)
/// and a right answer, the browser becomes trusted in the same transaction,
/// its new token added to `trusted_cookie`. `agent_id`: the pending
/// login's agent as [`pending_login_methods`] has just read it.
pub fn verify_login_code(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    challenge_id: &str,
    pending: &PendingLogin,
    submitted: Answer<'_>,
    trust_requested: bool,
    trusted_cookie: TrustedCookie,
) -> Result<CodeOutcome<SignedInByCode>, AuthError> {
    let holder = Holder::Browser { challenge_id, agent_id: Some(&pending.agent.id) };
    code_step::submit(conn, ctx, holder, ChallengePurpose::Login, submitted, |conn, agent, _| {
        Agent::record_login(conn, &agent.id, ctx.now)?;
        let detail = match submitted {
            Answer::Emailed(_) => "password and code",
            Answer::App(_) => "password and authenticator app code",
            Answer::Recovery(_) => "password and recovery code",
            Answer::Passkey(_) => "password and passkey",
        };
        let entry = audit::Entry { detail: Some(detail), ..audit::Entry::for_agent(agent, Some(ctx.client)) };
        audit::record(conn, Event::LoginSucceeded, Outcome::Success, &entry, ctx.now)?;
        if let Answer::Recovery(_) = submitted {
            recovery_codes::announce_used(conn, ctx, agent)?;
        }
        let trusted = if trust_requested {
            // The agent's company, as the pending login read it: an agent
            // never moves to another company.
            trusted_computers::grant(conn, ctx.config, agent, &pending.company, ctx.client, trusted_cookie, ctx.now)?
        } else {
            None
        };
        Ok(SignedInByCode { agent: agent.clone(), trusted })
    })
}

/// How the agent answers a login's code step (SPEC §7, field `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMethod {
    Email,
    App,
    Recovery,
    Passkey,
}

impl LoginMethod {
    pub fn parse(raw: &str) -> Option<LoginMethod> {
        match raw {
            "email" => Some(LoginMethod::Email),
            "app" => Some(LoginMethod::App),
            "recovery" => Some(LoginMethod::Recovery),
            "passkey" => Some(LoginMethod::Passkey),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LoginMethod::Email => "email",
            LoginMethod::App => "app",
            LoginMethod::Recovery => "recovery",
            LoginMethod::Passkey => "passkey",
        }
    }
}

/// What the code page shows about a pending login.
#[derive(Debug, Clone)]
pub struct PendingLoginView {
    /// The agent whose login it is.
    pub agent_id: String,
    /// Where the codes go, masked (`a***@example.com`).
    pub masked_email: String,
    /// The login's codes are dead after too many wrong codes.
    pub needs_new_code: bool,
    /// The agent's codes are locked (`Some(None)`: until a reset).
    pub locked: Option<Option<NaiveDateTime>>,
    /// Whether "I am on a trusted computer" is offered, and for how long.
    pub trust_offer: TrustOffer,
    /// The methods the login can be finished with.
    pub methods: LoginMethods,
    /// A code of this login was emailed already.
    pub email_sent: bool,
    /// When a code can be emailed again, if the agent had the most codes lately.
    pub next_code_at: Option<NaiveDateTime>,
}

/// The second factors a pending login can be finished with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginMethods {
    /// The agent has a passkey or security key (the default method then).
    pub has_passkey: bool,
    /// The agent's authenticator app is offered: they have one, and the
    /// company counts it (or it is all they have besides email).
    pub has_app: bool,
    /// "Email me a code instead" is offered: email 2FA is on, and the
    /// company lets it count (or it is the agent's only factor).
    pub email_offered: bool,
    /// Unused recovery codes.
    pub recovery_left: i32,
}

impl LoginMethods {
    pub fn of(company: &Company, agent: &Agent) -> LoginMethods {
        LoginMethods {
            has_passkey: agent.has_passkey(),
            has_app: agent.app_enabled && (company.app_factor_allowed || !agent.has_passkey()),
            email_offered: agent.email_factor_on() && (company.email_factor_allowed || (!agent.app_enabled && !agent.has_passkey())),
            recovery_left: agent.recovery_codes_left,
        }
    }

    /// The method the page asks for: the one requested if the agent has it,
    /// else a passkey when there is one, else the app, else email.
    pub fn method(&self, requested: Option<LoginMethod>) -> LoginMethod {
        let default = if self.has_passkey {
            LoginMethod::Passkey
        } else if self.has_app {
            LoginMethod::App
        } else {
            LoginMethod::Email
        };
        match requested {
            Some(LoginMethod::Passkey) if self.has_passkey => LoginMethod::Passkey,
            Some(LoginMethod::App) if self.has_app => LoginMethod::App,
            Some(LoginMethod::Email) if self.email_offered || default == LoginMethod::Email => LoginMethod::Email,
            Some(LoginMethod::Recovery) if self.recovery_left > 0 => LoginMethod::Recovery,
            _ => default,
        }
    }
}

/// The pending login behind a browser's session, if it can still be completed.
pub fn pending_login_view(conn: &mut DbConnection, config: &Config, challenge_id: &str, now: NaiveDateTime) -> diesel::QueryResult<Option<PendingLoginView>> {
    let Some(view) = code_step::view(conn, config, holder(challenge_id), ChallengePurpose::Login, now)? else { return Ok(None) };
    let (agent, company) = (&view.agent, &view.company);
    Ok(Some(PendingLoginView {
        agent_id: agent.id.clone(),
        masked_email: view.sent_to.masked(),
        needs_new_code: view.needs_new_code,
        locked: view.locked,
        trust_offer: trusted_computers::offer(config, company, agent),
        methods: LoginMethods::of(company, agent),
        email_sent: view.email_sent,
        next_code_at: view.next_code_at,
    }))
}

/// A pending login that can still be completed: its agent, their company
/// and the methods the code step takes.
pub struct PendingLogin {
    pub agent: Agent,
    pub company: Company,
    pub methods: LoginMethods,
}

/// The pending login behind a browser's session, if it can still be
/// completed: what the code step reads to know which method an answer is
/// for, in one statement, where [`pending_login_view`] needs more.
pub fn pending_login_methods(conn: &mut DbConnection, challenge_id: &str, now: NaiveDateTime) -> diesel::QueryResult<Option<PendingLogin>> {
    let Some(ChallengeWithAgent { agent, company, .. }) = code_step::open_challenge(conn, holder(challenge_id), ChallengePurpose::Login, now)? else { return Ok(None) };
    let methods = LoginMethods::of(&company, &agent);
    Ok(Some(PendingLogin { agent, company, methods }))
}

/// Emails the agents whose password was entered but whose login was never
/// finished within the pending-login lifetime (SPEC §6 security notices).
/// Safe to run on several instances at once: each login is claimed by a
/// conditional UPDATE before its email is queued, in one transaction.
pub fn notify_abandoned_logins(conn: &mut DbConnection, config: &Config, now: NaiveDateTime) -> Result<usize, AuthError> {
    let mut notified = 0;
    for challenge in CodeChallenge::abandoned_logins(conn, now, 100)? {
        let sent = crate::db::write_transaction(conn, |conn| -> Result<bool, AuthError> {
            if !CodeChallenge::mark_abandoned_reported(conn, &challenge.id, now)? {
                return Ok(false);
            }
            // Starting over and finishing a later login is not suspicious, and
            // one email a quarter hour says enough.
            if CodeChallenge::completed_login_since(conn, &challenge.agent_id, challenge.created_at)?
                || CodeChallenge::abandoned_reported_since(conn, &challenge.agent_id, now - ABANDONED_NOTICE_SPACING)?
            {
                return Ok(false);
            }
            let Some(agent) = Agent::find_active(conn, &challenge.agent_id)? else { return Ok(false) };
            CodeChallenge::close(conn, &challenge.id, CloseReason::ReportedAbandoned, now)?;
            let email = agent.email_address();
            let context = RequestContext::new(challenge.created_at, &challenge.user_agent, &challenge.ip);
            let message = messages::abandoned_login(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &context, &config.base_url())?;
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

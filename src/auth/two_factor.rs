//! Turning an agent's 2FA on and off (SPEC §2.2), and resetting it for an
//! agent who is locked out. On needs a code sent to the agent's address;
//! off needs the current password (checked by the caller); both email the agent.
//!
//! The `*_in_transaction` functions run inside
//! [`codes::in_agent_code_transaction`], so that the Account Setting form
//! can change the name, the password and 2FA all together or not at all.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::Context;
use crate::auth::{passkeys, recovery_codes};
use crate::db::models::authenticator_app;
use crate::auth::code_step::{self, CodeOutcome, Holder, Resent};
use crate::auth::codes::{self, IssueRefusal, Answer};
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::models::code_challenge::{ChallengePurpose, CloseReason, CodeChallenge};
use crate::db::models::code_lockout::{self, CodeLockout};
use crate::auth::trusted_computers;
use crate::db::models::Agent;
use crate::domain::{EmailAddress, OneTimeCode, TwoFactorStatus};
use crate::auth::AuthError;
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::ClientInfo;

/// A change the Account Setting checkbox asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TwoFactorChange {
    /// Ticked while off: send a confirmation code; 2FA is pending until it is entered.
    RequestEnable,
    /// Unticked while pending: forget the unconfirmed request.
    CancelPending,
    /// Unticked while on (the caller checked the current password).
    Disable,
}

impl TwoFactorChange {
    /// What ticking or unticking the box means for an agent in `status`.
    pub fn from_checkbox(status: TwoFactorStatus, ticked: bool) -> Option<TwoFactorChange> {
        match (status, ticked) {
            (TwoFactorStatus::Disabled, true) => Some(TwoFactorChange::RequestEnable),
            (TwoFactorStatus::Pending, false) => Some(TwoFactorChange::CancelPending),
            (TwoFactorStatus::Enabled, false) => Some(TwoFactorChange::Disable),
            _ => None,
        }
    }
}

/// What applying a change came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeApplied {
    /// 2FA is pending; `refusal` says why no code went out, if none did.
    ConfirmationRequested { refusal: Option<IssueRefusal> },
    Cancelled,
    Disabled,
}

/// Applies a change inside the caller's agent code transaction.
pub fn apply_in_transaction(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    lockout: &CodeLockout,
    change: TwoFactorChange,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<ChangeApplied, AuthError> {
    match change {
        TwoFactorChange::RequestEnable => {
            Agent::set_two_factor(conn, &agent.id, TwoFactorStatus::Pending)?;
            let refusal = new_confirmation(conn, config, agent, lockout, client, now)?.err();
            Ok(ChangeApplied::ConfirmationRequested { refusal })
        }
        TwoFactorChange::CancelPending => {
            Agent::set_two_factor(conn, &agent.id, TwoFactorStatus::Disabled)?;
            CodeChallenge::close_all_for_agent(conn, &agent.id, Some(ChallengePurpose::EnableTwoFactor), CloseReason::Cancelled, now)?;
            Ok(ChangeApplied::Cancelled)
        }
        TwoFactorChange::Disable => {
            Agent::set_two_factor(conn, &agent.id, TwoFactorStatus::Disabled)?;
            let entry = audit::Entry::for_agent(agent, Some(client));
            if !agent.app_enabled && !agent.has_passkey() {
                CodeChallenge::close_all_for_agent(conn, &agent.id, None, CloseReason::Revoked, now)?;
                // A trusted computer only ever skipped a code; with no code there is nothing to skip.
                trusted_computers::forget_all(conn, &agent.id, &entry, "two-factor authentication turned off", now)?;
                recovery_codes::void_all(conn, &agent.id)?;
            }
            let entry = audit::Entry { detail: Some("emailed codes"), ..entry };
            audit::record(conn, Event::TwoFactorDisabled, Outcome::Success, &entry, now)?;
            let email = agent.email_address();
            let message = messages::two_factor_disabled(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(client, now), &config.base_url())?;
            outbox::enqueue(conn, &message, now)?;
            Ok(ChangeApplied::Disabled)
        }
    }
}

/// Opens a new confirmation (closing any earlier one) and sends its code.
fn new_confirmation(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    lockout: &CodeLockout,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<Result<(), IssueRefusal>, AuthError> {
    CodeChallenge::close_all_for_agent(conn, &agent.id, Some(ChallengePurpose::EnableTwoFactor), CloseReason::Superseded, now)?;
    let expires_at = now + config.codes.pending_login_lifetime.max(config.codes.code_lifetime);
    let challenge = codes::open_challenge(conn, &agent.id, ChallengePurpose::EnableTwoFactor, expires_at, client, now)?;
    code_step::send_requested_code(conn, &Context { config, client, now }, agent, &challenge, lockout)
}

/// The agent's open confirmation.
pub fn holder(agent: &Agent) -> Holder<'_> {
    Holder::SignedIn { agent_id: &agent.id }
}

/// "Send a new code" on the confirmation page: another code for the open
/// confirmation, or a new confirmation if the last one ran out.
pub fn resend_confirmation(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent) -> Result<Result<(), IssueRefusal>, AuthError> {
    match code_step::resend(conn, ctx, holder(agent), ChallengePurpose::EnableTwoFactor)? {
        Resent::Sent => Ok(Ok(())),
        Resent::Refused(refusal) => Ok(Err(refusal)),
        Resent::Expired => codes::in_agent_code_transaction(conn, &agent.id, ctx.now, |conn, lockout| {
            if Agent::find_active(conn, &agent.id)?.map(|a| a.email_two_factor_status()) != Some(TwoFactorStatus::Pending) {
                return Ok(Ok(()));
            }
            new_confirmation(conn, ctx.config, agent, &lockout, ctx.client, ctx.now)
        }),
    }
}

/// Checks the confirmation code; the right one turns 2FA on and emails the agent.
pub fn confirm(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent, submitted: Option<&OneTimeCode>) -> Result<CodeOutcome<()>, AuthError> {
    code_step::submit(conn, ctx, holder(agent), ChallengePurpose::EnableTwoFactor, Answer::Emailed(submitted), |conn, agent, _| {
        Agent::set_two_factor(conn, &agent.id, TwoFactorStatus::Enabled)?;
        audit::record(conn, Event::TwoFactorEnabled, Outcome::Success, &audit::Entry::for_agent(agent, Some(ctx.client)), ctx.now)?;
        let email = agent.email_address();
        let message = messages::two_factor_enabled(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        Ok(())
    })
}

/// Turns 2FA off for an agent who cannot get in (an admin's action, or
/// `agentgate reset-two-factor`): forgets their trusted computers, ends their
/// pending logins, lifts a code lock-out, records and emails it. `audit_entry`
/// says who did it; its subject becomes the agent.
/// `done_by`: the admin's name, or None for the server's command line.
pub fn reset(conn: &mut DbConnection, config: &Config, agent: &Agent, done_by: Option<&str>, audit_entry: &audit::Entry<'_>, now: NaiveDateTime) -> Result<(), AuthError> {
    codes::in_agent_code_transaction(conn, &agent.id, now, |conn, _| {
        Agent::set_two_factor(conn, &agent.id, TwoFactorStatus::Disabled)?;
        // Every factor goes (SPEC §7 admin reset): the app and the recovery codes too.
        authenticator_app::delete(conn, &agent.id)?;
        Agent::set_app_enabled(conn, &agent.id, false)?;
        passkeys::remove_all(conn, &agent.id)?;
        recovery_codes::void_all(conn, &agent.id)?;
        let entry = audit::Entry { company_id: Some(&agent.company_id), subject_id: Some(&agent.id), ..audit_entry.clone() };
        trusted_computers::forget_all(conn, &agent.id, &entry, "two-factor authentication reset", now)?;
        CodeChallenge::close_all_for_agent(conn, &agent.id, None, CloseReason::Revoked, now)?;
        code_lockout::clear(conn, &agent.id)?;
        audit::record(conn, Event::TwoFactorReset, Outcome::Success, &entry, now)?;
        let email = agent.email_address();
        let message = messages::two_factor_reset(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, done_by, now, &config.base_url())?;
        outbox::enqueue(conn, &message, now)?;
        Ok(())
    })
}

/// `agentgate reset-two-factor --email`: the CLI knows the address.
pub fn reset_by_email(conn: &mut DbConnection, config: &Config, email: &EmailAddress, now: NaiveDateTime) -> Result<Option<Agent>, AuthError> {
    let Some(agent) = Agent::find_by_email(conn, email)? else { return Ok(None) };
    let entry = audit::Entry { detail: Some("via the command line"), ..Default::default() };
    reset(conn, config, &agent, None, &entry, now)?;
    Ok(Some(agent))
}

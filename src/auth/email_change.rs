//! Changing an agent's email address (SPEC §2.2 step 6). The address is the
//! login name and where the codes go, so a change:
//!
//! 1. needs step-up re-authentication (the current password, and with 2FA on
//!    a recent code; checked by the caller) and an address no account uses;
//! 2. emails a code to the NEW address (a `change_email` code challenge, the
//!    address kept in `email_changes`), and changes nothing yet;
//! 3. takes effect only when that code is entered: then the old address is
//!    told, trusted computers are forgotten, every session of the agent ends
//!    (the caller gives this browser a new one), pending logins, codes and
//!    reset links sent to the old address die, and `email_changed` is audited.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::accounts::AccountError;
use crate::auth::Context;
use crate::auth::code_step::{self, CodeOutcome, CodeView, Holder};
use crate::auth::codes::{self, IssueRefusal, Answer};
use crate::auth::mail_limits::allow_email_change;
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::models::code_challenge::{ChallengePurpose, CloseReason, CodeChallenge};
use crate::db::models::{Agent, email_change, password_reset_token, session, trusted_computer};
use crate::domain::{EmailAddress, OneTimeCode};
use crate::auth::AuthError;
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::ClientInfo;

/// Why a new address was refused; the message is shown to the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddressRefusal {
    #[error("{}", crate::i18n::t("auth-email-unchanged"))]
    Unchanged,
    #[error("{}", crate::i18n::t("auth-email-taken"))]
    InUse,
}

/// Starts a change to `new_email`: counted against the agent's limit, refused
/// when the address is theirs already or another account's; otherwise any
/// earlier change is ended and a code goes to the new address. `Ok(Ok(refusal))`:
/// the change waits for its code (`refusal` says why none went out now, if none did).
pub fn request(
    conn: &mut DbConnection,
    config: &Config,
    agent: &Agent,
    new_email: &EmailAddress,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<Result<Option<IssueRefusal>, AddressRefusal>, AuthError> {
    codes::in_agent_code_transaction(conn, &agent.id, now, |conn, lockout| {
        allow_email_change(conn, &config.mail_limits, &agent.id, now)?;
        if new_email.as_str() == agent.email {
            return Ok(Err(AddressRefusal::Unchanged));
        }
        if Agent::email_in_use(conn, new_email)? {
            return Ok(Err(AddressRefusal::InUse));
        }
        CodeChallenge::close_all_for_agent(conn, &agent.id, Some(ChallengePurpose::ChangeEmail), CloseReason::Superseded, now)?;
        let expires_at = now + config.codes.pending_login_lifetime.max(config.codes.code_lifetime);
        let challenge = codes::open_challenge(conn, &agent.id, ChallengePurpose::ChangeEmail, expires_at, client, now)?;
        email_change::insert(conn, &challenge.id, &agent.id, new_email.as_str(), now)?;
        let ctx = Context { config, client, now };
        Ok(Ok(code_step::send_requested_code(conn, &ctx, agent, &challenge, &lockout)?.err()))
    })
}

/// The agent's open email change.
pub fn holder(agent: &Agent) -> Holder<'_> {
    Holder::SignedIn { agent_id: &agent.id }
}

/// Drops the open change, if any ("Cancel").
pub fn cancel(conn: &mut DbConnection, agent: &Agent, now: NaiveDateTime) -> diesel::QueryResult<usize> {
    CodeChallenge::close_all_for_agent(conn, &agent.id, Some(ChallengePurpose::ChangeEmail), CloseReason::Cancelled, now)
}

/// What a right code for the new address came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// The address changed: the agent's sessions have ended (the caller
    /// renews this browser's).
    Done { old: EmailAddress, new: EmailAddress },
    /// Another account took the address meanwhile; the change is over.
    InUse,
}

/// Checks the code of the agent's open change; the right one makes the change.
pub fn confirm(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent, submitted: Option<&OneTimeCode>) -> Result<CodeOutcome<Changed>, AuthError> {
    code_step::submit(conn, ctx, holder(agent), ChallengePurpose::ChangeEmail, Answer::Emailed(submitted), |conn, agent, challenge| {
        let new = email_change::new_address_of(conn, &challenge.id)?;
        let entry = audit::Entry::for_agent(agent, Some(ctx.client));
        if Agent::email_in_use(conn, &new)? {
            let detail = "the new address is used by another account now";
            audit::record(conn, Event::EmailChanged, Outcome::Failure, &audit::Entry { detail: Some(detail), ..entry.clone() }, ctx.now)?;
            return Ok(Changed::InUse);
        }
        apply(conn, agent, &new, &entry, ctx.client, ctx.now)?;
        Ok(Changed::Done { old: agent.email_address(), new })
    })
}

/// The change itself, in the code's transaction.
fn apply(conn: &mut DbConnection, agent: &Agent, new: &EmailAddress, entry: &audit::Entry<'_>, client: &ClientInfo, now: NaiveDateTime) -> Result<(), AuthError> {
    // The unique index settles a race with another account taking the address.
    Agent::update_email(conn, &agent.id, new.as_str()).map_err(AccountError::from)?;
    trusted_computer::delete_for_agent(conn, &agent.id)?;
    session::delete_for_agent(conn, &agent.id)?;
    // Whatever was sent to the old address must not work any more: pending
    // logins and their codes, a 2FA confirmation, reset links.
    CodeChallenge::close_all_for_agent(conn, &agent.id, None, CloseReason::Revoked, now)?;
    password_reset_token::delete_for_agent(conn, &agent.id)?;
    let detail = format!("from {} to {}; other sessions ended, trusted computers forgotten", agent.email, new.as_str());
    audit::record(conn, Event::EmailChanged, Outcome::Success, &audit::Entry { detail: Some(&detail), ..entry.clone() }, now)?;
    let old = agent.email_address();
    let notice = messages::email_changed(&Recipient { email: &old, name: &agent.name, tr: agent.reader(conn)? }, new, &RequestContext::of(client, now))?;
    outbox::enqueue(conn, &notice, now)?;
    Ok(())
}

/// The agent's open change, if any: where its codes go, masked, and whether
/// too many wrong codes have killed them.
pub fn pending(conn: &mut DbConnection, config: &Config, agent: &Agent, now: NaiveDateTime) -> diesel::QueryResult<Option<CodeView>> {
    code_step::view(conn, config, holder(agent), ChallengePurpose::ChangeEmail, now)
}

//! Password reset by emailed link (SPEC §4 `/password/forgot`, `/password/reset`).
//! The link's token is random (256 bits), stored only as a SHA-256, valid for
//! an hour and single use. A reset ends every session of the agent, forgets
//! their trusted computers and lifts a code lock-out; it never turns 2FA off,
//! so the next login still asks for a code.

use chrono::NaiveDateTime;

use crate::audit::{self, Event, Outcome};
use crate::auth::codes;
use crate::auth::trusted_computers;
use crate::crypto::{random_token, token_hash};
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::models::code_challenge::{CloseReason, CodeChallenge};
use crate::db::models::{Agent, code_lockout, password_reset_token, session};
use crate::domain::EmailAddress;
use crate::auth::AuthError;
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;
use crate::domain::ClientInfo;

/// At most this many reset emails per agent per hour: enough for a lost
/// email or two, not enough to flood an inbox.
pub const MAX_LINKS_PER_HOUR: i64 = 3;

/// Sends a reset link if an active agent has that address. The caller shows
/// the same answer either way, so the form does not reveal who has an account;
/// too many requests for the address or from the client IP get a 429 (the
/// same for every address, see `auth::mail_limits`).
pub fn request(conn: &mut DbConnection, config: &Config, email: &EmailAddress, client: &ClientInfo, now: NaiveDateTime) -> Result<(), AuthError> {
    // Mail-bombing limits per typed address and per IP: a 429 for any
    // address alike, before anything is looked up.
    crate::auth::mail_limits::allow_password_reset(conn, &config.mail_limits, email, client, now)?;
    let Some(agent) = Agent::find_by_email(conn, email)?.filter(|a| a.active) else {
        let entry = audit::Entry { client: Some(client), detail: Some("unknown or inactive email"), ..Default::default() };
        audit::record(conn, Event::PasswordResetRequested, Outcome::Failure, &entry, now)?;
        return Ok(());
    };
    crate::db::write_transaction(conn, |conn| {
        if password_reset_token::count_since(conn, &agent.id, now - chrono::Duration::hours(1))? >= MAX_LINKS_PER_HOUR {
            let entry = audit::Entry { detail: Some("too many reset links this hour; none sent"), ..audit::Entry::for_agent(&agent, Some(client)) };
            return audit::record(conn, Event::PasswordResetRequested, Outcome::Failure, &entry, now).map_err(AuthError::from);
        }
        let token = random_token();
        let lifetime = config.codes.reset_link_lifetime;
        password_reset_token::insert(conn, &token_hash(&token), &agent.id, now, now + lifetime)?;
        let link = format!("{}/password/reset?token={token}", config.base_url());
        let to = agent.email_address();
        let message = messages::password_reset(&Recipient { email: &to, name: &agent.name, tr: agent.reader(conn)? }, &link, lifetime, &RequestContext::of(client, now))?.useful_until(now + lifetime);
        outbox::enqueue(conn, &message, now)?;
        audit::record(conn, Event::PasswordResetRequested, Outcome::Success, &audit::Entry::for_agent(&agent, Some(client)), now)?;
        Ok(())
    })
}

/// The agent a reset link belongs to, while it can still be used.
pub fn agent_for_token(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> diesel::QueryResult<Option<Agent>> {
    match password_reset_token::live_agent(conn, &token_hash(token), now)? {
        Some(agent_id) => Agent::find_active(conn, &agent_id),
        None => Ok(None),
    }
}

/// Why a reset was refused.
#[derive(Debug, thiserror::Error)]
pub enum ResetError {
    #[error("{}", crate::i18n::t("auth-reset-link-not-valid"))]
    LinkNotValid,
    #[error(transparent)]
    Auth(#[from] AuthError),
}

impl From<diesel::result::Error> for ResetError {
    fn from(error: diesel::result::Error) -> ResetError {
        ResetError::Auth(error.into())
    }
}

/// Sets the new password through a reset link, all in one transaction.
pub fn complete(conn: &mut DbConnection, config: &Config, token: &str, agent: &Agent, password_hash: &str, client: &ClientInfo, now: NaiveDateTime) -> Result<(), ResetError> {
    codes::in_agent_code_transaction(conn, &agent.id, now, |conn, _| {
        // The conditional UPDATE spends the link once, even under concurrency.
        if !password_reset_token::consume(conn, &token_hash(token), now)? {
            return Err(ResetError::LinkNotValid);
        }
        Agent::update_password(conn, &agent.id, password_hash, now)?;
        password_reset_token::delete_for_agent(conn, &agent.id)?;
        session::delete_for_agent(conn, &agent.id)?;
        trusted_computers::forget_all(conn, &agent.id, &audit::Entry::for_agent(agent, Some(client)), "password reset", now)?;
        // Whoever knew the old password can no longer finish a pending login.
        CodeChallenge::close_all_for_agent(conn, &agent.id, None, CloseReason::Revoked, now)?;
        code_lockout::clear(conn, &agent.id)?;
        let entry = audit::Entry { detail: Some("by reset link"), ..audit::Entry::for_agent(agent, Some(client)) };
        audit::record(conn, Event::PasswordResetCompleted, Outcome::Success, &entry, now)?;
        audit::record(conn, Event::PasswordChanged, Outcome::Success, &entry, now)?;
        let email = agent.email_address();
        let message = messages::password_changed(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(client, now), &config.base_url())
            .map_err(AuthError::from)?;
        outbox::enqueue(conn, &message, now)?;
        Ok(())
    })
}

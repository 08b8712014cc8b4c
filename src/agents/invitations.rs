//! Adding an agent by invitation (SPEC §2.4, §4 `/agents/new`): the agent is
//! created without a password and emailed a single-use link, valid 7 days, to
//! a page where they choose one. Resending replaces the link.

use chrono::{Duration, NaiveDateTime};

use crate::agents::{Actor, AgentActionError};
use crate::audit::{self, Event, Outcome};
use crate::auth::mail_limits;
use crate::config::MailLimits;
use crate::crypto::{random_token, token_hash};
use crate::db::models::{Agent, Company, NewAgent, invitation};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{EmailAddress, PersonName, Role, new_public_id};
use crate::mail::messages::{self, Recipient};
use crate::mail::outbox;

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

/// A validated "Add agent" form.
#[derive(Debug, Clone)]
pub struct Invitee {
    pub name: PersonName,
    pub email: EmailAddress,
    pub role: Role,
}

/// Creates the agent (no password yet), their invitation and its email, all
/// in one transaction. An email address already in use anywhere changes
/// nothing; so does an invitation over the mail-bombing `limits` (a 429).
pub fn invite_agent(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    invitee: &Invitee,
    limits: &MailLimits,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<String, AgentActionError> {
    write_transaction(conn, |conn| {
        if Agent::email_in_use(conn, &invitee.email)? {
            return Err(AgentActionError::EmailInUse);
        }
        let agent_id = new_public_id();
        Agent::insert(
            conn,
            &NewAgent {
                id: &agent_id,
                company_id: &actor.company.id,
                name: invitee.name.as_str(),
                email: invitee.email.as_str(),
                role: invitee.role.as_str(),
                password_hash: None,
                active: true,
                created_at: now,
                password_changed_at: now,
                language: &actor.company.language,
            },
        )?;
        let detail = format!("added as {}", invitee.role.as_str());
        audit::record(conn, Event::AgentAdded, Outcome::Success, &actor.entry(&agent_id, Some(&detail)), now)?;
        send_invitation(conn, actor, &agent_id, invitee.name.as_str(), &invitee.email, limits, base_url, now)?;
        Ok(agent_id)
    })
}

/// Sends a new link to an invited agent; the previous link stops working
/// (unless over the mail-bombing `limits`: a 429, nothing changes).
pub fn resend_invitation(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    agent_id: &str,
    limits: &MailLimits,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent = Agent::find_in_company(conn, &actor.company.id, agent_id)?.ok_or(AgentActionError::NotFound)?;
        if !agent.is_invited() {
            return Err(AgentActionError::NotInvited(agent.name.clone()));
        }
        if !agent.active {
            return Err(AgentActionError::Deactivated(agent.name.clone()));
        }
        send_invitation(conn, actor, &agent.id, &agent.name, &agent.email_address(), limits, base_url, now)?;
        Ok(agent)
    })
}

/// Queues the invitation email, in the caller's transaction, counted in the
/// mail-bombing limits (admin, invited address, client IP) first.
#[allow(clippy::too_many_arguments)]
fn send_invitation(
    conn: &mut DbConnection,
    actor: &Actor<'_>,
    agent_id: &str,
    name: &str,
    email: &EmailAddress,
    limits: &MailLimits,
    base_url: &str,
    now: NaiveDateTime,
) -> Result<(), AgentActionError> {
    // Every web request has a client; only a caller outside HTTP has none.
    if let Some(client) = actor.client {
        mail_limits::allow_invitation(conn, limits, &actor.admin.id, email, client, now)?;
    }
    let token = random_token();
    let expires_at = now + Duration::days(INVITATION_DAYS);
    invitation::replace(conn, agent_id, &token_hash(&token), Some(&actor.admin.id), now, expires_at)?;
    let link = format!("{base_url}/invitation?token={token}");
    let email = messages::invitation(&Recipient { email, name, tr: actor.company.tr() }, &actor.admin.name, &actor.company.name, &link, expires_at)?.useful_until(expires_at);
    outbox::enqueue(conn, &email, now)?;
    audit::record(conn, Event::InvitationSent, Outcome::Success, &actor.entry(agent_id, None), now)?;
    Ok(())
}

/// What the invitation page shows: whose invitation it is.
#[derive(Debug, Clone)]
pub struct OpenInvitation {
    pub agent: Agent,
    pub company: Company,
    pub expires_at: NaiveDateTime,
}

/// The open invitation a link's token names, if it still works.
pub fn find_open_invitation(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<OpenInvitation, AgentActionError> {
    let found = invitation::find_open(conn, &token_hash(token), now)?.ok_or(AgentActionError::InvitationInvalid)?;
    let agent = Agent::find_active(conn, &found.agent_id)?.filter(Agent::is_invited).ok_or(AgentActionError::InvitationInvalid)?;
    let company = Company::find(conn, &agent.company_id)?.ok_or(AgentActionError::InvitationInvalid)?;
    Ok(OpenInvitation { agent, company, expires_at: found.expires_at })
}

/// Spends the link and sets the agent's first password, all or nothing: of
/// two requests with the same link, one wins and the other changes nothing.
pub fn accept_invitation(
    conn: &mut DbConnection,
    token: &str,
    password_hash: &str,
    client: Option<&crate::domain::ClientInfo>,
    now: NaiveDateTime,
) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent_id = invitation::consume(conn, &token_hash(token), now)?.ok_or(AgentActionError::InvitationInvalid)?;
        if !Agent::set_first_password(conn, &agent_id, password_hash, now)? {
            return Err(AgentActionError::InvitationInvalid);
        }
        let agent = Agent::find_active(conn, &agent_id)?.ok_or(AgentActionError::InvitationInvalid)?;
        audit::record(conn, Event::InvitationAccepted, Outcome::Success, &audit::Entry::for_agent(&agent, client), now)?;
        Ok(agent)
    })
}

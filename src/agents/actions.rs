//! What an admin can do to an agent of their company (SPEC §2.4): deactivate,
//! reactivate, reset two-factor authentication, change the role. Each runs in
//! one transaction with its audit entry, finds the agent only within the
//! admin's company (another company's id is "not found"), and keeps at least
//! one admin able to sign in.

use chrono::NaiveDateTime;

use crate::agents::{Actor, AgentActionError};
use crate::audit::{self, Event, Outcome};
use crate::auth::{accounts, two_factor};
use crate::config::Config;
use crate::db::models::{Agent, Company, session};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{Role, TwoFactorStatus};

/// The agent, if they belong to the actor's company.
pub fn find_agent(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str) -> Result<Agent, AgentActionError> {
    Agent::find_in_company(conn, &actor.company.id, agent_id)?.ok_or(AgentActionError::NotFound)
}

/// Refuses to take away the last admin who can sign in, whether by
/// deactivating or by demoting them. Call with the company row locked.
fn keep_an_admin(conn: &mut DbConnection, target: &Agent) -> Result<(), AgentActionError> {
    let can_sign_in_as_admin = target.is_admin() && target.active && !target.is_invited();
    if can_sign_in_as_admin && Agent::count_admins_who_can_sign_in(conn, &target.company_id)? <= 1 {
        return Err(AgentActionError::LastAdmin(target.name.clone()));
    }
    Ok(())
}

/// Locks the company (see [`Company::lock`]) and finds the agent in it.
fn lock_and_find(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str) -> Result<Agent, AgentActionError> {
    Company::lock(conn, &actor.company.id)?;
    find_agent(conn, actor, agent_id)
}

/// Deactivates the agent: they cannot log in, their sessions end and their
/// trusted computers and open invitation are forgotten at once. Returns the
/// agent as they were; deactivating a deactivated agent changes nothing.
pub fn deactivate(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str, now: NaiveDateTime) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent = lock_and_find(conn, actor, agent_id)?;
        if !agent.active {
            return Ok(agent);
        }
        keep_an_admin(conn, &agent)?;
        accounts::deactivate_in_transaction(conn, &agent, &actor.entry(&agent.id, None), now)?;
        Ok(agent)
    })
}

/// Lets a deactivated agent log in again (with the password they had; an
/// invited agent needs a new invitation).
pub fn reactivate(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str, now: NaiveDateTime) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent = lock_and_find(conn, actor, agent_id)?;
        if agent.active {
            return Ok(agent);
        }
        Agent::set_active(conn, &agent.id, true)?;
        audit::record(conn, Event::AgentReactivated, Outcome::Success, &actor.entry(&agent.id, None), now)?;
        Ok(agent)
    })
}

/// Turns the agent's 2FA off, forgets their trusted computers, ends their
/// pending logins, lifts a code lock-out and emails them (SPEC §2.4; the steps
/// are `auth::two_factor::reset`, shared with `agentgate reset-two-factor`).
/// With the company policy on, they must set 2FA up again at their next page.
pub fn reset_two_factor(conn: &mut DbConnection, config: &Config, actor: &Actor<'_>, agent_id: &str, now: NaiveDateTime) -> Result<Agent, AgentActionError> {
    let agent = find_agent(conn, actor, agent_id)?;
    if agent.two_factor_status() == TwoFactorStatus::Disabled {
        return Err(AgentActionError::TwoFactorAlreadyOff(agent.name));
    }
    // Who did it, as the email to the agent says it: in the agent's language.
    let by = agent.tr(actor.company).t2("agent-reset-by", "name", &actor.admin.name, "company", &actor.company.name);
    let detail = format!("was {}", agent.two_factor_status().as_str());
    two_factor::reset(conn, config, &agent, Some(&by), &actor.entry(&agent.id, Some(&detail)), now)?;
    Ok(agent)
}

/// Ends every session of the agent without deactivating them: each of
/// their browsers goes to the login page at its next request (a lost or
/// shared computer). Their trusted computers stay; the login still needs
/// the password.
pub fn sign_out_everywhere(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str, now: NaiveDateTime) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent = find_agent(conn, actor, agent_id)?;
        let ended = session::delete_for_agent(conn, &agent.id)?;
        let detail = format!("signed out everywhere by an admin ({ended} session(s))");
        audit::record(conn, Event::SessionEnded, Outcome::Success, &actor.entry(&agent.id, Some(&detail)), now)?;
        Ok(agent)
    })
}

/// Makes the agent an admin or a plain agent; the last admin stays one.
pub fn change_role(conn: &mut DbConnection, actor: &Actor<'_>, agent_id: &str, role: Role, now: NaiveDateTime) -> Result<Agent, AgentActionError> {
    write_transaction(conn, |conn| {
        let agent = lock_and_find(conn, actor, agent_id)?;
        if agent.role() == role {
            return Ok(agent);
        }
        if role == Role::Agent {
            keep_an_admin(conn, &agent)?;
        }
        Agent::set_role(conn, &agent.id, role)?;
        let detail = format!("{} -> {}", agent.role().as_str(), role.as_str());
        audit::record(conn, Event::RoleChanged, Outcome::Success, &actor.entry(&agent.id, Some(&detail)), now)?;
        Ok(agent)
    })
}

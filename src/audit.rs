//! The security audit log (append-only through the application). An entry
//! never holds a password, code, token or session id: only who, what, when,
//! from where, and how it ended.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::domain::new_public_id;
use crate::web::client::ClientInfo;

/// The kinds of security event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    CodeSent,
    CodeAccepted,
    CodeRejected,
    CodeLockout,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorReset,
    TrustedComputerAdded,
    TrustedComputerForgotten,
    PasswordChanged,
    PasswordResetRequested,
    EmailChanged,
    SessionEnded,
    AgentAdded,
    AgentDeactivated,
    AgentReactivated,
    InvitationSent,
    InvitationAccepted,
    RoleChanged,
    PolicyChanged,
    AccessRefused,
}

impl Event {
    pub fn as_str(self) -> &'static str {
        match self {
            Event::LoginSucceeded => "login_succeeded",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::CodeSent => "code_sent",
            Event::CodeAccepted => "code_accepted",
            Event::CodeRejected => "code_rejected",
            Event::CodeLockout => "code_lockout",
            Event::TwoFactorEnabled => "two_factor_enabled",
            Event::TwoFactorDisabled => "two_factor_disabled",
            Event::TwoFactorReset => "two_factor_reset",
            Event::TrustedComputerAdded => "trusted_computer_added",
            Event::TrustedComputerForgotten => "trusted_computer_forgotten",
            Event::PasswordChanged => "password_changed",
            Event::PasswordResetRequested => "password_reset_requested",
            Event::EmailChanged => "email_changed",
            Event::SessionEnded => "session_ended",
            Event::AgentAdded => "agent_added",
            Event::AgentDeactivated => "agent_deactivated",
            Event::AgentReactivated => "agent_reactivated",
            Event::InvitationSent => "invitation_sent",
            Event::InvitationAccepted => "invitation_accepted",
            Event::RoleChanged => "role_changed",
            Event::PolicyChanged => "policy_changed",
            Event::AccessRefused => "access_refused",
        }
    }
}

/// How the event ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
        }
    }
}

/// One entry. `actor` did it; `subject` is the agent it concerns (often the same).
#[derive(Debug, Clone, Default)]
pub struct Entry<'a> {
    pub company_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub client: Option<&'a ClientInfo>,
    /// A short, secret-free note ("via CLI", "policy: require 2FA on").
    pub detail: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// An agent acting on their own account.
    pub fn for_agent(agent: &'a crate::db::models::Agent, client: Option<&'a ClientInfo>) -> Entry<'a> {
        Entry {
            company_id: Some(&agent.company_id),
            actor_id: Some(&agent.id),
            subject_id: Some(&agent.id),
            client,
            detail: None,
        }
    }
}

/// Appends an entry. Call it in the transaction of the change it records.
pub fn record(conn: &mut DbConnection, event: Event, outcome: Outcome, entry: &Entry<'_>, now: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(new_public_id()),
            audit_events::occurred_at.eq(now),
            audit_events::company_id.eq(entry.company_id),
            audit_events::actor_id.eq(entry.actor_id),
            audit_events::subject_id.eq(entry.subject_id),
            audit_events::event.eq(event.as_str()),
            audit_events::outcome.eq(outcome.as_str()),
            audit_events::ip.eq(entry.client.map(|c| c.ip.as_str())),
            audit_events::user_agent.eq(entry.client.map(|c| c.user_agent.as_str())),
            audit_events::detail.eq(entry.detail),
        ))
        .execute(conn)
        .map(|_| ())
}

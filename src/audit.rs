//! The security audit log (append-only through the application). An entry
//! never holds a password, code, token or session id: only who, what, when,
//! from where, and how it ended.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::audit_events;
use crate::domain::new_public_id;
use crate::domain::ClientInfo;

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
    PasswordResetCompleted,
    EmailChanged,
    /// Confirm identity (step-up re-authentication): the password (and with 2FA on a code)
    /// confirmed before a sensitive change, or a wrong current password.
    IdentityCheck,
    SessionEnded,
    AgentAdded,
    AgentDeactivated,
    AgentReactivated,
    InvitationSent,
    InvitationAccepted,
    RoleChanged,
    PolicyChanged,
    AccessRefused,
    /// A new set of recovery codes (the old set void).
    RecoveryCodesGenerated,
    /// A recovery code signed the agent in.
    RecoveryCodeUsed,
}

impl Event {
    /// Every event, in the order the Activity page's filter lists them.
    pub const ALL: [Event; 28] = [
        Event::LoginSucceeded,
        Event::LoginFailed,
        Event::LoginThrottled,
        Event::CodeSent,
        Event::CodeAccepted,
        Event::CodeRejected,
        Event::CodeLockout,
        Event::TwoFactorEnabled,
        Event::TwoFactorDisabled,
        Event::TwoFactorReset,
        Event::TrustedComputerAdded,
        Event::TrustedComputerForgotten,
        Event::PasswordChanged,
        Event::PasswordResetRequested,
        Event::EmailChanged,
        Event::IdentityCheck,
        Event::SessionEnded,
        Event::AgentAdded,
        Event::AgentDeactivated,
        Event::AgentReactivated,
        Event::InvitationSent,
        Event::InvitationAccepted,
        Event::RoleChanged,
        Event::PolicyChanged,
        Event::AccessRefused,
        Event::PasswordResetCompleted,
        Event::RecoveryCodesGenerated,
        Event::RecoveryCodeUsed,
    ];

    /// The event stored as `raw`, if it is one.
    pub fn parse(raw: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == raw)
    }

    /// What the Activity page calls it, in the reader's language (the stored
    /// name, [`Event::as_str`], stays).
    pub fn label(self) -> String {
        match self {
            Event::LoginSucceeded => crate::i18n::t("audit-event-login-succeeded"),
            Event::LoginFailed => crate::i18n::t("audit-event-login-failed"),
            Event::LoginThrottled => crate::i18n::t("audit-event-login-throttled"),
            Event::CodeSent => crate::i18n::t("audit-event-code-sent"),
            Event::CodeAccepted => crate::i18n::t("audit-event-code-accepted"),
            Event::CodeRejected => crate::i18n::t("audit-event-code-rejected"),
            Event::CodeLockout => crate::i18n::t("audit-event-code-lockout"),
            Event::TwoFactorEnabled => crate::i18n::t("audit-event-two-factor-enabled"),
            Event::TwoFactorDisabled => crate::i18n::t("audit-event-two-factor-disabled"),
            Event::TwoFactorReset => crate::i18n::t("audit-event-two-factor-reset"),
            Event::TrustedComputerAdded => crate::i18n::t("audit-event-trusted-computer-added"),
            Event::TrustedComputerForgotten => crate::i18n::t("audit-event-trusted-computer-forgotten"),
            Event::PasswordChanged => crate::i18n::t("audit-event-password-changed"),
            Event::PasswordResetRequested => crate::i18n::t("audit-event-password-reset-requested"),
            Event::PasswordResetCompleted => crate::i18n::t("audit-event-password-reset-completed"),
            Event::EmailChanged => crate::i18n::t("audit-event-email-changed"),
            Event::IdentityCheck => crate::i18n::t("audit-event-identity-check"),
            Event::SessionEnded => crate::i18n::t("audit-event-session-ended"),
            Event::AgentAdded => crate::i18n::t("audit-event-agent-added"),
            Event::AgentDeactivated => crate::i18n::t("audit-event-agent-deactivated"),
            Event::AgentReactivated => crate::i18n::t("audit-event-agent-reactivated"),
            Event::InvitationSent => crate::i18n::t("audit-event-invitation-sent"),
            Event::InvitationAccepted => crate::i18n::t("audit-event-invitation-accepted"),
            Event::RoleChanged => crate::i18n::t("audit-event-role-changed"),
            Event::PolicyChanged => crate::i18n::t("audit-event-policy-changed"),
            Event::AccessRefused => crate::i18n::t("audit-event-access-refused"),
            Event::RecoveryCodesGenerated => crate::i18n::t("audit-event-recovery-codes-generated"),
            Event::RecoveryCodeUsed => crate::i18n::t("audit-event-recovery-code-used"),
        }
    }

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
            Event::PasswordResetCompleted => "password_reset_completed",
            Event::EmailChanged => "email_changed",
            Event::IdentityCheck => "reauthentication",
            Event::SessionEnded => "session_ended",
            Event::AgentAdded => "agent_added",
            Event::AgentDeactivated => "agent_deactivated",
            Event::AgentReactivated => "agent_reactivated",
            Event::InvitationSent => "invitation_sent",
            Event::InvitationAccepted => "invitation_accepted",
            Event::RoleChanged => "role_changed",
            Event::PolicyChanged => "policy_changed",
            Event::AccessRefused => "access_refused",
            Event::RecoveryCodesGenerated => "recovery_codes_generated",
            Event::RecoveryCodeUsed => "recovery_code_used",
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
///
/// This module has no function that updates an entry, and deletes only in
/// [`expire_before`] (the retention period, `AGENTGATE_AUDIT_RETENTION_DAYS`):
/// the log is otherwise append-only through the application (a test checks
/// the source for it).
/// Forgets entries older than `before`, at most `batch` of them (the oldest),
/// so the retention sweep never holds a long transaction. Returns how many.
/// The one delete of the log: past its retention an entry is gone by policy.
pub fn expire_before(conn: &mut DbConnection, before: NaiveDateTime, batch: i64) -> QueryResult<usize> {
    let oldest: Vec<String> =
        audit_events::table.filter(audit_events::occurred_at.lt(before)).order(audit_events::occurred_at.asc()).select(audit_events::id).limit(batch).load(conn)?;
    if oldest.is_empty() {
        return Ok(0);
    }
    diesel::delete(audit_events::table.filter(audit_events::id.eq_any(&oldest))).execute(conn)
}

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

/// A stored entry, as the Activity page and Account Setting read it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub company_id: Option<String>,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub event: String,
    pub outcome: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
}

/// Which of a company's entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Entries where this agent acted or was acted on.
    pub agent_id: Option<String>,
    pub event: Option<Event>,
}

/// One page of a company's log, newest first, and whether older entries follow.
/// `page` counts from 1.
pub fn company_page(
    conn: &mut DbConnection,
    company_id: &str,
    filter: &Filter,
    page: u32,
    per_page: u32,
) -> QueryResult<(Vec<AuditEvent>, bool)> {
    let mut query = audit_events::table
        .filter(audit_events::company_id.eq(company_id))
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(agent_id) = &filter.agent_id {
        query = query.filter(audit_events::actor_id.eq(agent_id.clone()).or(audit_events::subject_id.eq(agent_id.clone())));
    }
    if let Some(event) = filter.event {
        query = query.filter(audit_events::event.eq(event.as_str()));
    }
    let offset = i64::from(page.max(1) - 1) * i64::from(per_page);
    let mut rows = query
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(i64::from(per_page) + 1)
        .offset(offset)
        .load(conn)?;
    let has_more = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    Ok((rows, has_more))
}

/// An agent's latest sign-in attempts on their own account (Account Setting).
pub fn recent_sign_ins(conn: &mut DbConnection, agent_id: &str, limit: i64) -> QueryResult<Vec<AuditEvent>> {
    audit_events::table
        .filter(audit_events::subject_id.eq(agent_id))
        .filter(audit_events::event.eq_any([Event::LoginSucceeded.as_str(), Event::LoginFailed.as_str()]))
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(limit)
        .select(AuditEvent::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_parses_back_from_its_stored_name() {
        for event in Event::ALL {
            assert_eq!(Event::parse(event.as_str()), Some(event));
            assert!(!event.label().is_empty());
        }
        assert_eq!(Event::parse("login_succeeded "), None);
    }

    #[test]
    fn every_event_has_its_own_label_in_every_language() {
        for language in crate::i18n::Language::ALL {
            let tr = crate::i18n::Tr::new(language, chrono_tz::Tz::UTC);
            let mut labels: Vec<String> = crate::i18n::sync_scope(tr, || Event::ALL.iter().map(|e| e.label()).collect());
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), Event::ALL.len(), "{language:?}: two events share a label");
        }
        let polish = crate::i18n::Tr::new(crate::i18n::Language::Polish, chrono_tz::Tz::UTC);
        assert_eq!(crate::i18n::sync_scope(polish, || Event::AccessRefused.label()), "Odmowa dostępu");
    }

    /// "Entries are append-only through the application": no code in the
    /// crate updates or deletes `audit_events`.
    #[test]
    fn no_code_updates_or_deletes_audit_entries() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap().replace(char::is_whitespace, "").to_lowercase();
                    // Built here so this test's own source does not match.
                    for verb in ["update(", "delete(", "update", "deletefrom", "truncate", "truncatetable"] {
                        let forbidden = format!("{verb}{}", ["audit", "events"].join("_"));
                        if text.contains(&forbidden) {
                            offenders.push(format!("{}: {forbidden}", path.display()));
                        }
                    }
                }
            }
        }
        // The retention sweep (`expire_before`, in this file) is the one delete.
    let retention_delete = format!("delete({}", ["audit", "events"].join("_"));
    offenders.retain(|o| !(o.contains("src/audit.rs") && o.ends_with(&retention_delete)));
    assert!(offenders.is_empty(), "the audit log must stay append-only: {offenders:?}");
    }
}

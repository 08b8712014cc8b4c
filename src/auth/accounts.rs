//! Creating agents and changing what identifies them: plain functions on a
//! connection, shared by the pages and the CLI.

use chrono::NaiveDateTime;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::audit::{self, Event, Outcome};
use crate::auth::trusted_computers;
use crate::db::models::{Agent, Company, NewAgent, NewCompany, invitation, session, setup_token};
use crate::db::{DbConnection, write_transaction};
use crate::error::AppError;
use crate::domain::{CompanyName, EmailAddress, PersonName, Role, new_public_id};
use crate::i18n::Language;

/// Why an account operation was refused; the message is shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{}", crate::i18n::t("auth-email-in-use"))]
    EmailInUse,
    #[error("{}", crate::i18n::t("auth-unknown-email"))]
    UnknownEmail,
    #[error("{}", crate::i18n::t("auth-setup-closed"))]
    SetupClosed,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Db(DieselError),
}

impl From<DieselError> for AccountError {
    fn from(error: DieselError) -> AccountError {
        match error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AccountError::EmailInUse,
            other => AccountError::Db(other),
        }
    }
}

/// A validated request for a new admin.
#[derive(Debug)]
pub struct NewAdmin {
    pub company: CompanyName,
    pub name: PersonName,
    pub email: EmailAddress,
    pub password_hash: String,
    /// The language of the admin, and of the company when it is new.
    pub language: Language,
}

/// Where `create_admin` put the new admin.
#[derive(Debug, PartialEq, Eq)]
pub enum AdminPlacement {
    NewCompany,
    ExistingCompany,
}

/// Creates the company if no company has that name, then its new admin.
/// (The command line's `create-admin`.)
pub fn create_admin(conn: &mut DbConnection, admin: &NewAdmin, now: NaiveDateTime) -> Result<(String, AdminPlacement), AccountError> {
    write_transaction(conn, |conn| create_admin_in_transaction(conn, admin, "admin, via the command line", now))
}

/// Creates the admin (and their company if need be) and records
/// `agent_added` with `detail` saying how.
fn create_admin_in_transaction(
    conn: &mut DbConnection,
    admin: &NewAdmin,
    detail: &str,
    now: NaiveDateTime,
) -> Result<(String, AdminPlacement), AccountError> {
    if Agent::email_in_use(conn, &admin.email)? {
        return Err(AccountError::EmailInUse);
    }
    let (company_id, placement) = match Company::find_by_name(conn, admin.company.as_str())? {
        Some(company) => (company.id, AdminPlacement::ExistingCompany),
        None => {
            let id = new_public_id();
            let company = NewCompany { id: &id, name: admin.company.as_str(), trusted_days_max: 30, created_at: now, language: admin.language.code() };
            Company::insert(conn, &company)?;
            (id, AdminPlacement::NewCompany)
        }
    };
    let agent_id = new_public_id();
    Agent::insert(
        conn,
        &NewAgent {
            id: &agent_id,
            company_id: &company_id,
            name: admin.name.as_str(),
            email: admin.email.as_str(),
            role: Role::Admin.as_str(),
            password_hash: Some(&admin.password_hash),
            active: true,
            created_at: now,
            password_changed_at: now,
            language: admin.language.code(),
        },
    )?;
    let entry = audit::Entry { company_id: Some(&company_id), subject_id: Some(&agent_id), detail: Some(detail), ..Default::default() };
    audit::record(conn, Event::AgentAdded, Outcome::Success, &entry, now)?;
    Ok((agent_id, placement))
}

/// First run (SPEC §2.1): spends the setup token and creates the first company
/// and admin, all or nothing. Refused once any agent exists.
pub fn complete_setup(conn: &mut DbConnection, token_hash: &str, admin: &NewAdmin, now: NaiveDateTime) -> Result<String, AccountError> {
    write_transaction(conn, |conn| {
        if Agent::any_exists(conn)? || !setup_token::consume(conn, token_hash)? {
            return Err(AccountError::SetupClosed);
        }
        setup_token::delete_all(conn)?;
        let (agent_id, _) = create_admin_in_transaction(conn, admin, "first admin, through the setup link", now)?;
        Ok(agent_id)
    })
}

/// Applies an Account Setting update in one transaction. A new password hash
/// ends every session of the agent and forgets their trusted computers; the caller gives the browser that made the
/// change a fresh session.
pub fn update_account(
    conn: &mut DbConnection,
    agent_id: &str,
    new_name: Option<&str>,
    new_password_hash: Option<&str>,
    audit_entry: &audit::Entry<'_>,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    write_transaction(conn, |conn| update_account_in_transaction(conn, agent_id, new_name, new_password_hash, audit_entry, now))
}

/// [`update_account`] inside the caller's transaction (the Account Setting
/// form changes 2FA in the same one).
pub fn update_account_in_transaction(
    conn: &mut DbConnection,
    agent_id: &str,
    new_name: Option<&str>,
    new_password_hash: Option<&str>,
    audit_entry: &audit::Entry<'_>,
    now: NaiveDateTime,
) -> Result<(), AccountError> {
    if let Some(name) = new_name {
        Agent::update_name(conn, agent_id, name)?;
    }
    if let Some(hash) = new_password_hash {
        Agent::update_password(conn, agent_id, hash, now)?;
        session::delete_for_agent(conn, agent_id)?;
        trusted_computers::forget_all(conn, agent_id, audit_entry, "password changed", now)?;
        audit::record(conn, Event::PasswordChanged, Outcome::Success, audit_entry, now)?;
    }
    Ok(())
}

/// Deactivates an agent, ends all their sessions and forgets their trusted computers at once. `audit_entry`
/// says who did it (its subject is the agent).
pub fn deactivate(conn: &mut DbConnection, agent: &Agent, audit_entry: &audit::Entry<'_>, now: NaiveDateTime) -> Result<(), AccountError> {
    write_transaction(conn, |conn| Ok(deactivate_in_transaction(conn, agent, audit_entry, now)?))
}

/// [`deactivate`] inside the caller's transaction (the Agents tab checks the
/// last-admin rule in the same one). An open invitation dies with it.
pub fn deactivate_in_transaction(
    conn: &mut DbConnection,
    agent: &Agent,
    audit_entry: &audit::Entry<'_>,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    Agent::set_active(conn, &agent.id, false)?;
    session::delete_for_agent(conn, &agent.id)?;
    invitation::delete_for_agent(conn, &agent.id)?;
    let entry = audit::Entry { company_id: Some(&agent.company_id), subject_id: Some(&agent.id), ..audit_entry.clone() };
    trusted_computers::forget_all(conn, &agent.id, &entry, "agent deactivated", now)?;
    audit::record(conn, Event::AgentDeactivated, Outcome::Success, &entry, now)
}

/// `agentgate deactivate --email`: the CLI knows the address, not the id.
pub fn deactivate_by_email(conn: &mut DbConnection, email: &EmailAddress, now: NaiveDateTime) -> Result<Agent, AccountError> {
    let agent = Agent::find_by_email(conn, email)?.ok_or(AccountError::UnknownEmail)?;
    deactivate(conn, &agent, &audit::Entry { detail: Some("via the command line"), ..Default::default() }, now)?;
    Ok(agent)
}

impl From<AccountError> for AppError {
    fn from(error: AccountError) -> AppError {
        match error {
            AccountError::Db(e) => e.into(),
            AccountError::Unavailable(e) => AppError::DatabaseUnavailable(e),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

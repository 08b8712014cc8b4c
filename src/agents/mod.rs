//! The Agents tab (SPEC §2.4): what admins see of their company's agents and
//! what they can do to them. Plain functions on a connection; the pages in
//! `routes::agents` parse input, call one of these, and render.

pub mod actions;
pub mod anchors;
pub mod csv;
pub mod invitations;
mod list_sql;
pub mod listing;
pub mod policy;
pub mod seed;
mod sql;
pub mod view;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::error::AppError;

/// Why an admin's action on an agent was refused; the message is shown.
#[derive(Debug, thiserror::Error)]
pub enum AgentActionError {
    #[error("An account with that email address already exists.")]
    EmailInUse,
    /// No such agent in the admin's company (another company's id included).
    #[error("No such agent.")]
    NotFound,
    #[error("{0} is the last active admin of the company. Make another agent an admin first.")]
    LastAdmin(String),
    #[error("{0} has already chosen a password: there is no invitation to send.")]
    NotInvited(String),
    #[error("{0} is deactivated. Reactivate them first.")]
    Deactivated(String),
    /// Resetting 2FA of an agent who has none would only email them.
    #[error("Two-factor authentication is already off for {0}: there is nothing to reset.")]
    TwoFactorAlreadyOff(String),
    #[error("This invitation link is not valid any more: it was used, replaced by a newer one, or it expired. Ask your admin to send a new invitation.")]
    InvitationInvalid,
    #[error(transparent)]
    Template(#[from] askama::Error),
    /// A step shared with the rest of the app failed (its own error page).
    #[error(transparent)]
    Auth(#[from] crate::auth::AuthError),
    #[error(transparent)]
    Db(DieselError),
}

impl From<DieselError> for AgentActionError {
    fn from(error: DieselError) -> AgentActionError {
        match error {
            // Two admins adding the same address at once: the unique index decides.
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AgentActionError::EmailInUse,
            other => AgentActionError::Db(other),
        }
    }
}

impl From<AgentActionError> for AppError {
    fn from(error: AgentActionError) -> AppError {
        match error {
            AgentActionError::NotFound => AppError::NotFound,
            AgentActionError::Template(e) => e.into(),
            AgentActionError::Db(e) => e.into(),
            AgentActionError::Auth(e) => e.into(),
            AgentActionError::InvitationInvalid => {
                AppError::LinkNotValid { message: AgentActionError::InvitationInvalid.to_string(), next: ("/login", crate::i18n::t("error-go-to-login")) }
            }
            other => AppError::bad_request(other.to_string()),
        }
    }
}

/// The admin acting on the Agents tab, and from where (for the audit log).
#[derive(Clone, Copy)]
pub struct Actor<'a> {
    pub admin: &'a crate::db::models::Agent,
    pub company: &'a crate::db::models::Company,
    pub client: Option<&'a crate::domain::ClientInfo>,
}

impl<'a> Actor<'a> {
    /// An audit entry: this admin did something to `subject`.
    pub fn entry(&self, subject_id: &'a str, detail: Option<&'a str>) -> crate::audit::Entry<'a> {
        crate::audit::Entry {
            company_id: Some(&self.company.id),
            actor_id: Some(&self.admin.id),
            subject_id: Some(subject_id),
            client: self.client,
            detail,
        }
    }
}

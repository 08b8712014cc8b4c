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
pub mod view;

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::error::AppError;

/// Why an admin's action on an agent was refused; the message is shown, in
/// the reader's language.
#[derive(Debug, thiserror::Error)]
pub enum AgentActionError {
    #[error("{}", crate::i18n::t("agent-error-email-in-use"))]
    EmailInUse,
    /// No such agent in the admin's company (another company's id included).
    #[error("{}", crate::i18n::t("agent-error-not-found"))]
    NotFound,
    #[error("{}", crate::i18n::t1("agent-error-last-admin", "name", .0))]
    LastAdmin(String),
    #[error("{}", crate::i18n::t1("agent-error-not-invited", "name", .0))]
    NotInvited(String),
    #[error("{}", crate::i18n::t1("agent-error-deactivated", "name", .0))]
    Deactivated(String),
    /// Resetting 2FA of an agent who has none would only email them.
    #[error("{}", crate::i18n::t1("agent-error-two-factor-already-off", "name", .0))]
    TwoFactorAlreadyOff(String),
    #[error("{}", crate::i18n::t("agent-error-invitation-invalid"))]
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

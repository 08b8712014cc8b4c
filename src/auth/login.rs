//! The password step of a login. The later steps (emailed code, trusted
//! computer) build on its outcome.

use crate::db::models::Agent;
use crate::domain::EmailAddress;
use crate::domain::login_candidate;
use crate::error::AppError;
use crate::state::AppState;

/// The result of checking an email and password. One failure variant only:
/// unknown email, wrong password and deactivated account look the same (SPEC §3).
#[derive(Debug)]
pub enum PasswordCheck {
    Accepted(Agent),
    /// `agent` is the account the email named, if any: for the audit log only,
    /// never for the page.
    Rejected { agent: Option<Agent> },
}

/// Checks the credentials, doing one argon2 verification whatever the outcome.
pub async fn check_password(state: &AppState, email_raw: &str, password_raw: &str) -> Result<PasswordCheck, AppError> {
    let agent = match EmailAddress::parse(email_raw) {
        Ok(email) => state.db(move |conn| Ok(Agent::find_by_email(conn, &email)?)).await?,
        Err(_) => None,
    };
    let stored_hash = agent.as_ref().and_then(|a| a.password_hash.clone());
    let password_ok = state.passwords.verify(login_candidate(password_raw), stored_hash).await?;
    Ok(match agent {
        Some(agent) if password_ok && agent.active => PasswordCheck::Accepted(agent),
        agent => PasswordCheck::Rejected { agent },
    })
}

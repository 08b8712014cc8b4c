//! Authentication: password hashing, secrets, accounts, the login steps and trusted computers.

pub mod accounts;
pub mod code_step;
pub mod codes;
pub mod email_change;
pub mod login;
pub mod login_gate;
pub mod mail_limits;
pub mod password;
pub mod password_reset;
pub mod setup;
pub mod confirm_identity;
pub mod trusted_computers;
pub mod two_factor;
pub mod throttle;

pub use password::PasswordHasher;

/// What a step of a request needs besides its connection: the settings,
/// who is asking, and when (one timestamp for the whole step).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub config: &'a crate::config::Config,
    pub client: &'a crate::domain::ClientInfo,
    pub now: chrono::NaiveDateTime,
}

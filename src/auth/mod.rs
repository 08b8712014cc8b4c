//! Authentication: password hashing, secrets, accounts, the login steps and trusted computers.

pub mod accounts;
pub mod authenticator;
pub mod code_step;
pub mod codes;
pub mod device_cookie;
pub mod email_change;
pub mod login;
pub mod login_gate;
pub mod mail_limits;
pub mod passkeys;
pub mod password;
pub mod password_reset;
pub mod recovery_codes;
pub mod setup;
pub mod confirm_identity;
pub mod trusted_computers;
pub mod two_factor;
pub mod throttle;

pub use password::PasswordHasher;

use crate::error::AppError;

/// What authentication work can fail with. Routes turn it into a page
/// (`From<AuthError> for AppError`, below); nothing here knows about HTTP.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    /// An email could not be rendered.
    #[error("email template: {0}")]
    Email(#[from] askama::Error),
    #[error(transparent)]
    Account(#[from] accounts::AccountError),
    #[error(transparent)]
    Hash(#[from] password::HashError),
    /// A rate limit refused the request; `message` says so to the person.
    #[error("{message}")]
    Limited { message: String, retry_after_secs: u64 },
    /// webauthn-rs could not start a ceremony, or its state could not be
    /// stored: a fault of this server, never of the browser's answer.
    #[error("passkeys: {0}")]
    Passkey(String),
}

impl From<AuthError> for AppError {
    fn from(error: AuthError) -> AppError {
        match error {
            AuthError::Db(e) => e.into(),
            AuthError::Email(e) => e.into(),
            AuthError::Account(e) => e.into(),
            AuthError::Hash(e) => e.into(),
            AuthError::Limited { message, retry_after_secs } => AppError::TooManyRequests { message, retry_after_secs },
            AuthError::Passkey(detail) => AppError::Internal(anyhow::anyhow!(detail)),
        }
    }
}

/// What a step of a request needs besides its connection: the settings,
/// who is asking, and when (one timestamp for the whole step).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub config: &'a crate::config::Config,
    pub client: &'a crate::domain::ClientInfo,
    pub now: chrono::NaiveDateTime,
}

/// Each rate-limit purpose with the window of the limit that counts in its
/// buckets, for the housekeeping (`throttle::sweep`): a bucket idle for
/// longer than its window holds no attempt that counts any more. Per
/// purpose, not the longest window for all: that is the attack notice's
/// day, and would keep every login's address bucket a day. A purpose
/// missing here is kept a day idle, which is safe but slow: add new ones.
pub fn rate_limit_windows(config: &crate::config::Config) -> Vec<(&'static str, chrono::Duration)> {
    let (login, mail) = (&config.login_limits, &config.mail_limits);
    vec![
        (login_gate::LOGIN_ACCOUNT, login.per_account.window),
        (login_gate::LOGIN_DEVICE, login.per_account.window),
        (login_gate::LOGIN_IP, login.per_ip.window),
        (passkeys::PASSWORDLESS_IP, login.per_ip.window),
        (passkeys::CEREMONY_IP, passkeys::CEREMONIES_PER_IP.window),
        (login::ATTACK_NOTICE, login::ATTACK_NOTICE_LIMIT.window),
        (mail_limits::CODE_EMAILS_IP, mail.code_emails_per_ip.window),
        (mail_limits::EMAIL_CHANGE_AGENT, mail.email_changes_per_agent.window),
        (mail_limits::RESET_ADDRESS, mail.resets_per_address.window),
        (mail_limits::RESET_IP, mail.resets_per_ip.window),
        (mail_limits::INVITATION_ADMIN, mail.invitations_per_admin.window),
        (mail_limits::INVITATION_ADDRESS, mail.invitations_per_address.window),
        (mail_limits::INVITATION_IP, mail.invitations_per_ip.window),
    ]
}

//! Email: every message is written to the outbox in the caller's transaction
//! (SPEC §6) and delivered later by the outbox worker, so no request waits on
//! SMTP and no email is lost when the SMTP server is down.

pub mod health;
pub mod messages;
pub mod outbox;
pub mod transport;
pub mod worker;

use crate::domain::EmailAddress;

/// What an email is for; stored with it (for the dev mailbox and the logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailKind {
    LoginCode,
    TwoFactorConfirmation,
    SecurityNotice,
    PasswordReset,
    Invitation,
    EmailChange,
}

impl EmailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::LoginCode => "login_code",
            EmailKind::TwoFactorConfirmation => "two_factor_confirmation",
            EmailKind::SecurityNotice => "security_notice",
            EmailKind::PasswordReset => "password_reset",
            EmailKind::Invitation => "invitation",
            EmailKind::EmailChange => "email_change",
        }
    }
}

/// A message ready for the outbox. The recipient is a validated address and
/// the subject must be a single line: nothing a user typed can add a header.
#[derive(Debug, Clone)]
pub struct Email {
    pub kind: EmailKind,
    pub to: EmailAddress,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// After this the email can no longer help (a code's or a link's
    /// expiry): the worker drops it instead of delivering it late.
    pub useful_until: Option<chrono::NaiveDateTime>,
    /// The code challenge the email carries a code of: dropped, not sent,
    /// once the challenge is used, replaced or expired.
    pub challenge_id: Option<String>,
}

impl Email {
    /// The email is useless after `at`.
    pub fn useful_until(mut self, at: chrono::NaiveDateTime) -> Email {
        self.useful_until = Some(at);
        self
    }

    /// The email carries a code of `challenge_id`.
    pub fn for_challenge(mut self, challenge_id: &str) -> Email {
        self.challenge_id = Some(challenge_id.to_owned());
        self
    }
}

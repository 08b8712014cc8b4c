//! Limits on the emails that requests can make AgentGate send, so that nobody
//! can use it to flood a mailbox (issue 8, "mail bombing"). They are counted
//! in the database with [`crate::auth::throttle`] buckets, so every instance
//! shares them, and each refusal is a 429 page with `Retry-After`.
//!
//! | email | per agent (or address) | per client IP |
//! | --- | --- | --- |
//! | a code asked for with a button: "Resend code", the 2FA confirmation (first and "Send a new code"), "Confirm it is you", a new address's code | SPEC §3's own limits in [`crate::auth::codes::issue`]: 30 s between two codes of one challenge, 5 codes per agent per 15 minutes, whatever their purpose | [`MailLimits::code_emails_per_ip`] ([`code_step::send_requested_code`](crate::auth::code_step::send_requested_code)) |
//! | an email change (a code to a new address) | [`MailLimits::email_changes_per_agent`] ([`allow_email_change`]) | the code's |
//! | forgot-password | [`MailLimits::resets_per_address`], counted for the typed address whether or not an account has it (and at most 3 links per agent per hour, silently) | [`MailLimits::resets_per_ip`] ([`allow_password_reset`]) |
//! | an invitation | [`MailLimits::invitations_per_admin`] and [`MailLimits::invitations_per_address`] | [`MailLimits::invitations_per_ip`] ([`allow_invitation`]) |
//!
//! The code a login's password step sends is not counted per IP: many agents
//! behind one office address log in at nine, and that email is already
//! bounded per agent and needs the password.

use chrono::{Duration, NaiveDateTime};

use crate::auth::throttle::{self, Bucket};
use crate::config::{Limit, MailLimits};
use crate::db::DbConnection;
use crate::domain::EmailAddress;
use crate::auth::AuthError;
use crate::domain::ClientInfo;

/// Code emails asked for from one client IP.
pub const CODE_EMAILS_IP: &str = "code_email_ip";
/// Email-change requests of one agent.
pub const EMAIL_CHANGE_AGENT: &str = "email_change_agent";
/// Forgot-password requests for one typed address.
pub const RESET_ADDRESS: &str = "reset_address";
/// Forgot-password requests from one client IP.
pub const RESET_IP: &str = "reset_ip";
/// Invitations sent by one admin.
pub const INVITATION_ADMIN: &str = "invitation_admin";
/// Invitations sent to one address.
pub const INVITATION_ADDRESS: &str = "invitation_address";
/// Invitations sent from one client IP.
pub const INVITATION_IP: &str = "invitation_ip";

/// Counts a request to change `agent_id`'s email address; a 429 when there
/// were too many lately. Counted before the new address is looked at, so the
/// limit also bounds probing which addresses have accounts.
pub fn allow_email_change(conn: &mut DbConnection, limits: &MailLimits, agent_id: &str, now: NaiveDateTime) -> Result<(), AuthError> {
    let buckets = [(Bucket::new(EMAIL_CHANGE_AGENT, format!("agent:{agent_id}")), limits.email_changes_per_agent)];
    refuse_when_full(conn, &buckets, now, |wait| {
        crate::i18n::t1("auth-limit-email-change", "wait", wait)
    })
}

/// Counts a forgot-password request for the typed `address` and the client
/// IP; a 429 when either had too many lately. The address's bucket is the
/// same whether or not an account has it, so the answer still says nothing
/// about who has an account. Separate from the login throttle: it keeps
/// working while logins are paused (SPEC §3).
pub fn allow_password_reset(conn: &mut DbConnection, limits: &MailLimits, address: &EmailAddress, client: &ClientInfo, now: NaiveDateTime) -> Result<(), AuthError> {
    let buckets = [
        (Bucket::for_client_ip(RESET_IP, client), limits.resets_per_ip),
        (Bucket::new(RESET_ADDRESS, address.as_str()), limits.resets_per_address),
    ];
    refuse_when_full(conn, &buckets, now, |wait| {
        crate::i18n::t1("auth-limit-password-reset", "wait", wait)
    })
}

/// The guard for an invitation email: counts it for the inviting admin, the
/// invited address and the client IP, and answers a 429 when any had too many
/// lately. One line, in the transaction that queues the invitation:
///
/// ```ignore
/// mail_limits::allow_invitation(conn, &config.mail_limits, &admin.id, &invitee_email, &client, now)?;
/// ```
///
/// If the transaction rolls back, the counts roll back with it.
pub fn allow_invitation(
    conn: &mut DbConnection,
    limits: &MailLimits,
    admin_id: &str,
    invitee: &EmailAddress,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<(), AuthError> {
    let buckets = [
        (Bucket::for_client_ip(INVITATION_IP, client), limits.invitations_per_ip),
        (Bucket::new(INVITATION_ADMIN, format!("agent:{admin_id}")), limits.invitations_per_admin),
        (Bucket::new(INVITATION_ADDRESS, invitee.as_str()), limits.invitations_per_address),
    ];
    refuse_when_full(conn, &buckets, now, |wait| {
        crate::i18n::t1("auth-limit-invitation", "wait", wait)
    })
}

/// Counts one request in every bucket, or answers the 429 page that
/// `message` words (it receives the wait, e.g. "12 minutes").
fn refuse_when_full(
    conn: &mut DbConnection,
    buckets: &[(Bucket, Limit)],
    now: NaiveDateTime,
    message: impl FnOnce(&str) -> String,
) -> Result<(), AuthError> {
    match throttle::hit_all(conn, buckets, now)? {
        Ok(_) => Ok(()),
        Err(wait) => Err(refusal(wait, message)),
    }
}

fn refusal(wait: Duration, message: impl FnOnce(&str) -> String) -> AuthError {
    throttle::refusal(wait, message(&throttle::wait_in_words(wait)))
}

//! The numbers of the rules of SPEC §3 and §6: every one is a policy, so
//! every one is configurable, and the defaults are the specification's.

use std::time::Duration as StdDuration;

use chrono::Duration;

/// At most `max` attempts in any window of `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    /// `max` attempts per `minutes` minutes.
    pub const fn per_minutes(max: u32, minutes: i64) -> Limit {
        Limit { max, window: Duration::minutes(minutes) }
    }

    /// `max` attempts per `seconds` seconds ("not more often than every 30 s" is `per_seconds(1, 30)`).
    pub const fn per_seconds(max: u32, seconds: i64) -> Limit {
        Limit { max, window: Duration::seconds(seconds) }
    }
}

/// The login throttle's limits (SPEC §3; configurable, see the README's configuration table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    pub per_account: Limit,
    pub per_ip: Limit,
}

impl Default for LoginLimits {
    /// SPEC §3: 10 failures in 15 minutes, per account and per client IP.
    fn default() -> LoginLimits {
        LoginLimits { per_account: Limit::per_minutes(10, 15), per_ip: Limit::per_minutes(10, 15) }
    }
}

/// The numbers of the mail-bombing limits (each configurable, see `config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailLimits {
    /// Code emails asked for with a button, per client IP (IPv6 per /64).
    pub code_emails_per_ip: Limit,
    /// Requests to change the email address (each emails a code to the new one), per agent.
    pub email_changes_per_agent: Limit,
    /// Forgot-password requests per typed address, known or not.
    pub resets_per_address: Limit,
    /// Forgot-password requests per client IP.
    pub resets_per_ip: Limit,
    /// Invitations per inviting admin.
    pub invitations_per_admin: Limit,
    /// Invitations per invited address (a resend included).
    pub invitations_per_address: Limit,
    /// Invitations per client IP.
    pub invitations_per_ip: Limit,
}

impl Default for MailLimits {
    fn default() -> MailLimits {
        MailLimits {
            // An office behind one address: a few dozen agents may ask for a
            // code in a quarter hour; a flood asks for hundreds.
            code_emails_per_ip: Limit::per_minutes(30, 15),
            email_changes_per_agent: Limit::per_minutes(5, 60),
            // A lost email or two, not an inbox full.
            resets_per_address: Limit::per_minutes(5, 60),
            resets_per_ip: Limit::per_minutes(20, 60),
            // Onboarding a team in an afternoon is fine; a resend loop is not.
            invitations_per_admin: Limit::per_minutes(100, 60),
            invitations_per_address: Limit::per_minutes(3, 60),
            invitations_per_ip: Limit::per_minutes(100, 60),
        }
    }
}

/// The numbers of the code rules (SPEC §3). Every one is a policy, so every
/// one is configurable; the defaults are the specification's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePolicy {
    /// How long an emailed code works.
    pub code_lifetime: Duration,
    /// How long the password step is remembered while the code is awaited.
    pub pending_login_lifetime: Duration,
    /// The shortest time between two codes of one login.
    pub resend_cooldown: Duration,
    /// At most this many codes per agent within `codes_window`.
    pub codes_per_window: i64,
    pub codes_window: Duration,
    /// Wrong codes per pending login before its codes are dead.
    pub attempts_per_login: i32,
    /// Consecutive wrong codes (across logins) that lock the agent's codes for `lock_duration`.
    pub lock_after: i32,
    pub lock_duration: Duration,
    /// Consecutive wrong codes that lock them until a password reset or an admin's 2FA reset.
    pub lock_until_reset_after: i32,
    /// How long a password reset link works.
    pub reset_link_lifetime: Duration,
}

impl Default for CodePolicy {
    fn default() -> CodePolicy {
        CodePolicy {
            code_lifetime: Duration::minutes(10),
            pending_login_lifetime: Duration::minutes(10),
            resend_cooldown: Duration::seconds(30),
            codes_per_window: 5,
            codes_window: Duration::minutes(15),
            attempts_per_login: 5,
            lock_after: 10,
            lock_duration: Duration::minutes(15),
            lock_until_reset_after: 100,
            reset_link_lifetime: Duration::minutes(60),
        }
    }
}

/// At most one "a login was not finished" email per agent in this long
/// (`auth::login::notify_abandoned_logins`; not a SPEC number). The
/// challenges that record those emails are kept as long ([`CodePolicy::ended_challenge_horizons`]).
pub const ABANDONED_NOTICE_SPACING: Duration = Duration::minutes(15);

/// Two housekeeping rounds (one a minute, src/startup.rs): an abandoned login
/// is reported within a round of expiring, and instances' clocks differ a little.
const HOUSEKEEPING_MARGIN: Duration = Duration::minutes(2);

/// How long the housekeeping keeps an ended code challenge, with its codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChallengeHorizons {
    /// Past its expiry: every ended challenge but one reported as abandoned.
    pub after_expiry: Duration,
    /// Past its closing: a login reported as abandoned (closed after it expired).
    pub after_abandoned_report: Duration,
}

impl CodePolicy {
    /// How long ended challenges are kept: as long as something reads them,
    /// and no longer, so the table stays the size of the last minutes' logins.
    /// What reads them:
    /// - the codes-per-window count (`one_time_code::issued`)
    ///   counts the codes of the last `codes_window`; a code is written while
    ///   its challenge is open, so before the challenge expired;
    /// - the abandoned-login notice skips an agent who finished a login begun
    ///   after the abandoned one (`CodeChallenge::completed_login_since`): that
    ///   login expires after the abandoned one, which is reported within a round;
    /// - and an agent told of another abandoned login within
    ///   [`ABANDONED_NOTICE_SPACING`] (`CodeChallenge::abandoned_reported_since`,
    ///   by the time the reported challenge was closed).
    pub fn ended_challenge_horizons(&self) -> ChallengeHorizons {
        ChallengeHorizons {
            after_expiry: self.codes_window + HOUSEKEEPING_MARGIN,
            after_abandoned_report: self.codes_window.max(ABANDONED_NOTICE_SPACING) + HOUSEKEEPING_MARGIN,
        }
    }
}

/// How the outbox worker retries (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailRetryPolicy {
    /// The wait before the first retry; it doubles up to `max_delay`.
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// After this long since the email was written, it is marked failed.
    pub give_up_after: Duration,
    /// How often the worker looks at the outbox when nothing woke it (mail
    /// written by another instance, a retry coming due).
    pub poll_interval: StdDuration,
}

impl Default for MailRetryPolicy {
    fn default() -> MailRetryPolicy {
        MailRetryPolicy {
            first_delay: Duration::seconds(5),
            max_delay: Duration::minutes(5),
            give_up_after: Duration::hours(24),
            poll_interval: StdDuration::from_secs(5),
        }
    }
}


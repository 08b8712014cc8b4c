//! Authenticator apps (TOTP, RFC 6238; SPEC §7): SHA-1, 6 digits, 30-second
//! steps, one step of clock skew either way. The 160-bit secret comes from
//! the OS CSPRNG and is kept sealed under the server secret
//! (`crypto::seal`, bound to the agent); it is shown only on the setup page,
//! which turns the app on after a first valid code. Each step is accepted
//! once per agent: `last_used_step` is moved forward with a conditional
//! UPDATE, so a code replayed (or raced) within its window fails.

use chrono::NaiveDateTime;
use totp_rs::{Algorithm, TOTP};

use crate::audit::{self, Event, Outcome};
use crate::auth::{AuthError, Context};
use crate::crypto::{constant_time_eq, open, random_bytes, seal};
use crate::db::models::authenticator_app::{self, AuthenticatorApp};
use crate::auth::recovery_codes;
use crate::db::models::{Agent, Company};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{OneTimeCode, TwoFactorStatus};
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;

pub const STEP_SECONDS: i64 = 30;
pub const SKEW_STEPS: i64 = 1;
const DIGITS: usize = 6;
/// The name the app lists the account under.
pub const ISSUER: &str = "AgentGate";
const SEAL_PURPOSE: &str = "authenticator-app-secret";

/// The RFC 6238 time step of `now`.
pub fn step_at(now: NaiveDateTime) -> i64 {
    now.and_utc().timestamp().div_euclid(STEP_SECONDS)
}

fn totp(secret: &[u8], account: &str) -> TOTP {
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS as u64, secret.to_vec(), Some(ISSUER.to_owned()), account.to_owned())
}

/// The code an app shows during `step`.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    totp(secret, "").generate(u64::try_from(step.max(0)).unwrap_or(0) * STEP_SECONDS as u64)
}

/// The step within ±[`SKEW_STEPS`] of `now` whose code is `code`, if it is
/// later than `last_used`. Every candidate is compared, in constant time.
pub fn matching_step(secret: &[u8], code: &OneTimeCode, now: NaiveDateTime, last_used: Option<i64>) -> Option<i64> {
    let current = step_at(now);
    let mut found = None;
    for step in current - SKEW_STEPS..=current + SKEW_STEPS {
        if constant_time_eq(&code_at_step(secret, step), code.expose()) && found.is_none() {
            found = Some(step);
        }
    }
    found.filter(|step| last_used.is_none_or(|last| *step > last))
}

/// The `otpauth://` URI the QR code carries.
pub fn otpauth_uri(secret: &[u8], account: &str) -> String {
    totp(secret, account).get_url()
}

/// The key as a person types it: base 32 in groups of four.
pub fn grouped_key(secret: &[u8]) -> String {
    let base32 = totp(secret, "").get_secret_base32();
    base32.as_bytes().chunks(4).map(|g| std::str::from_utf8(g).unwrap_or_default()).collect::<Vec<_>>().join(" ")
}

/// The QR code of `uri` as an inline SVG element (no script, no external service).
pub fn qr_svg(uri: &str) -> String {
    use qrcode::render::svg;
    let Ok(code) = qrcode::QrCode::new(uri.as_bytes()) else { return String::new() };
    let image = code.render::<svg::Color<'_>>().min_dimensions(200, 200).dark_color(svg::Color("#111827")).light_color(svg::Color("#ffffff")).build();
    // Inline in HTML, the XML declaration has no place.
    match image.find("<svg") {
        Some(start) => image[start..].replacen("<svg", r#"<svg role="img" aria-label="QR code for your authenticator app""#, 1),
        None => String::new(),
    }
}

fn unseal(config_secret: &[u8], app: &AuthenticatorApp) -> Option<Vec<u8>> {
    open(config_secret, SEAL_PURPOSE, &app.agent_id, &app.secret_sealed)
}

/// What the setup page shows: the app's key while it waits for a first code.
#[derive(Debug, Clone)]
pub enum Setup {
    /// Waiting for a first code from an app holding `secret`.
    Pending { secret: Vec<u8> },
    /// An app is on already; its key is never shown again.
    AlreadyOn,
}

/// The setup of the agent's app: the pending one (so a reload shows the key
/// already scanned), or a new one with a fresh 160-bit secret.
pub fn setup(conn: &mut DbConnection, server_secret: &[u8], agent: &Agent, now: NaiveDateTime) -> diesel::QueryResult<Setup> {
    write_transaction(conn, |conn| {
        match authenticator_app::find(conn, &agent.id)? {
            Some(app) if app.confirmed_at.is_some() => return Ok(Setup::AlreadyOn),
            Some(app) => {
                if let Some(secret) = unseal(server_secret, &app) {
                    return Ok(Setup::Pending { secret });
                }
            }
            None => {}
        }
        let secret: [u8; 20] = random_bytes();
        authenticator_app::start_setup(conn, &agent.id, &seal(server_secret, SEAL_PURPOSE, &agent.id, &secret), now)?;
        Ok(Setup::Pending { secret: secret.to_vec() })
    })
}

/// What a first code on the setup page came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupOutcome {
    /// The app is on. `first_factor`: it is the agent's first second factor
    /// (recovery codes are offered next).
    TurnedOn { first_factor: bool },
    Wrong,
    /// No setup is waiting (already on, or never started).
    NotWaiting,
}

/// Turns the agent's pending app on if `code` is its current code (±1 step),
/// with an audit entry and an email to the agent.
pub fn confirm_setup(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent, code: Option<&OneTimeCode>) -> Result<SetupOutcome, AuthError> {
    write_transaction(conn, |conn| {
        let Some(app) = authenticator_app::find(conn, &agent.id)?.filter(|a| a.confirmed_at.is_none()) else {
            return Ok(SetupOutcome::NotWaiting);
        };
        let Some(secret) = unseal(ctx.config.secret_key.bytes(), &app) else { return Ok(SetupOutcome::NotWaiting) };
        let Some(step) = code.and_then(|code| matching_step(&secret, code, ctx.now, None)) else {
            return Ok(SetupOutcome::Wrong);
        };
        if !authenticator_app::confirm(conn, &agent.id, step, ctx.now)? {
            return Ok(SetupOutcome::NotWaiting);
        }
        let first_factor = agent.two_factor_status() != TwoFactorStatus::Enabled;
        Agent::set_app_enabled(conn, &agent.id, true)?;
        let entry = audit::Entry { detail: Some("authenticator app added"), ..audit::Entry::for_agent(agent, Some(ctx.client)) };
        audit::record(conn, Event::TwoFactorEnabled, Outcome::Success, &entry, ctx.now)?;
        let email = agent.email_address();
        let message = messages::authenticator_added(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        Ok(SetupOutcome::TurnedOn { first_factor })
    })
}

/// Judges a login's app code (in the caller's agent code transaction):
/// true when it matches a step not used before, which is then used up.
pub fn accept_login_code(conn: &mut DbConnection, server_secret: &[u8], agent_id: &str, code: &OneTimeCode, now: NaiveDateTime) -> diesel::QueryResult<bool> {
    let Some(app) = authenticator_app::find(conn, agent_id)?.filter(|a| a.confirmed_at.is_some()) else { return Ok(false) };
    let Some(secret) = unseal(server_secret, &app) else { return Ok(false) };
    match matching_step(&secret, code, now, app.last_used_step) {
        Some(step) => authenticator_app::use_step(conn, agent_id, step),
        None => Ok(false),
    }
}

/// Why removing the app was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RemoveRefusal {
    #[error("{}", crate::i18n::t("auth-app-none"))]
    NoApp,
    #[error("{}", crate::i18n::t("auth-app-last-factor"))]
    LastFactorRequired,
}

/// Removes the agent's app (the caller has confirmed their identity). When
/// it was the last factor, the recovery codes go too; the company's
/// requirement keeps the last factor in place.
pub fn remove(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent) -> Result<Result<(), RemoveRefusal>, AuthError> {
    write_transaction(conn, |conn| {
        let Some(agent) = Agent::find_active(conn, &agent.id)? else { return Ok(Err(RemoveRefusal::NoApp)) };
        if authenticator_app::find(conn, &agent.id)?.is_none() {
            return Ok(Err(RemoveRefusal::NoApp));
        }
        let last_factor = agent.app_enabled && !agent.email_factor_on() && !agent.has_passkey();
        if last_factor && Company::find(conn, &agent.company_id)?.is_some_and(|c| c.require_two_factor) {
            return Ok(Err(RemoveRefusal::LastFactorRequired));
        }
        authenticator_app::delete(conn, &agent.id)?;
        Agent::set_app_enabled(conn, &agent.id, false)?;
        if last_factor {
            recovery_codes::void_all(conn, &agent.id)?;
        }
        let entry = audit::Entry { detail: Some("authenticator app removed"), ..audit::Entry::for_agent(&agent, Some(ctx.client)) };
        audit::record(conn, Event::TwoFactorDisabled, Outcome::Success, &entry, ctx.now)?;
        let email = agent.email_address();
        let message = messages::authenticator_removed(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        Ok(Ok(()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    /// The SHA-1 seed of RFC 6238 appendix B.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    fn at(unix: i64) -> NaiveDateTime {
        DateTime::from_timestamp(unix, 0).unwrap().naive_utc()
    }

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // Appendix B's 8-digit SHA-1 values, of which a 6-digit code is the last six.
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at_step(RFC_SECRET, step_at(at(time))), expected[2..], "T = {time}");
        }
    }

    #[test]
    fn one_step_of_skew_is_accepted_and_no_more() {
        let now = at(1_234_567_890);
        let step = step_at(now);
        for (offset, accepted) in [(-2, false), (-1, true), (0, true), (1, true), (2, false)] {
            let code = OneTimeCode::parse(&code_at_step(RFC_SECRET, step + offset)).unwrap();
            assert_eq!(matching_step(RFC_SECRET, &code, now, None), accepted.then_some(step + offset), "offset {offset}");
        }
    }

    #[test]
    fn a_step_is_accepted_once() {
        let now = at(1_234_567_890);
        let step = step_at(now);
        let code = OneTimeCode::parse(&code_at_step(RFC_SECRET, step)).unwrap();
        assert_eq!(matching_step(RFC_SECRET, &code, now, Some(step - 1)), Some(step));
        assert_eq!(matching_step(RFC_SECRET, &code, now, Some(step)), None, "replayed");
        let earlier = OneTimeCode::parse(&code_at_step(RFC_SECRET, step - 1)).unwrap();
        assert_eq!(matching_step(RFC_SECRET, &earlier, now, Some(step)), None, "older than the last one used");
    }

    #[test]
    fn the_uri_and_key_carry_the_secret_for_an_app() {
        let uri = otpauth_uri(RFC_SECRET, "ada@example.com");
        assert!(uri.starts_with("otpauth://totp/AgentGate:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), "{uri}");
        assert!(uri.contains("issuer=AgentGate"));
        assert_eq!(grouped_key(RFC_SECRET), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        let svg = qr_svg(&uri);
        assert!(svg.starts_with("<svg role=\"img\""), "{}", &svg[..40]);
        assert!(!svg.contains("<?xml") && !svg.contains("script"));
    }
}

//! Passkeys and security keys (WebAuthn, SPEC §7), verified by webauthn-rs:
//! registering one in Account Setting, answering a login's second step with
//! one, and signing in with one alone (a discoverable credential with user
//! verification: possession and a PIN or biometric, two factors).
//!
//! Every ceremony's state stays on the server (`webauthn_ceremonies`), so a
//! ceremony begun on one instance finishes on another; it is used once
//! (taken out of the table before it is judged) and lives
//! [`CEREMONY_LIFETIME`]. The relying party is the public URL's host: a
//! passkey made for one AgentGate works on no other site, which is what
//! makes it phishing-resistant.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};
use url::{Host, Url};
use webauthn_rs::prelude::{
    AuthenticationResult, DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Uuid, Webauthn, WebauthnBuilder,
};

use crate::audit::{self, Event, Outcome};
use crate::auth::recovery_codes;
use crate::auth::throttle::{self, Bucket, Decision};
use crate::auth::{AuthError, Context};
use crate::config::{Config, Limit};
use crate::crypto::random_bytes;
use crate::db::models::code_lockout;
use crate::db::models::passkey::{self as store, NewCeremony, NewPasskey, StoredPasskey};
use crate::db::models::{Agent, Company};
use crate::db::{DbConnection, write_transaction};
use crate::domain::{PasskeyName, TwoFactorStatus, new_public_id};
use crate::mail::messages::{self, Recipient, RequestContext};
use crate::mail::outbox;

/// How long a ceremony may take, from the options to the answer.
pub const CEREMONY_LIFETIME: Duration = Duration::minutes(5);

/// The most passkeys one agent may register.
pub const MAX_PER_AGENT: usize = 20;

/// Passwordless ceremonies one network may start: the login page starts one
/// per view for the browser's passkey autofill.
pub const CEREMONIES_PER_IP: Limit = Limit { max: 120, window: Duration::minutes(5) };

/// The rate bucket of [`CEREMONIES_PER_IP`].
pub const CEREMONY_IP: &str = "passkey_ceremony_ip";

/// Failed passwordless sign-ins one network may make, as for passwords.
pub const PASSWORDLESS_IP: &str = "passkey_ip";

/// The relying party of this server: its id (a domain) and origin. A public
/// URL on a loopback address is served as `localhost` (browsers refuse an IP
/// address as a relying party id); on another IP address there is none, and
/// passkeys are not offered.
pub fn relying_party(public_url: &Url) -> Option<(String, Url)> {
    let host = match public_url.host()? {
        Host::Domain(domain) => domain.to_owned(),
        host if crate::config::is_loopback_host(&host) => "localhost".to_owned(),
        _ => return None,
    };
    let mut origin = Url::parse(&format!("{}://{host}", public_url.scheme())).ok()?;
    origin.set_port(public_url.port()).ok()?;
    Some((host, origin))
}

/// The verifier for this server's relying party (`None`: passkeys unavailable).
pub fn verifier(config: &Config) -> Option<Webauthn> {
    let (rp_id, origin) = relying_party(&config.public_url)?;
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name("AgentGate")
        .timeout(CEREMONY_LIFETIME.to_std().unwrap_or_default())
        .build()
        .ok()
}

/// The relying party id the pages hand to the script, which offers passkeys
/// only on a page served from it.
pub fn rp_id(config: &Config) -> Option<String> {
    relying_party(&config.public_url).map(|(id, _)| id)
}

/// A started ceremony, for the browser: its id and the options for
/// `navigator.credentials.create()` or `.get()`, as webauthn-rs writes them.
#[derive(Debug, Serialize)]
pub struct Started {
    pub ceremony: String,
    pub options: serde_json::Value,
}

/// What a ceremony is for (its stored `purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Register,
    SecondFactor,
    Passwordless,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::SecondFactor => "second_factor",
            Purpose::Passwordless => "passwordless",
        }
    }
}

/// A registration's state, and the user handle it gives the new credential.
#[derive(Serialize, Deserialize)]
struct RegistrationState {
    user_handle: Uuid,
    state: PasskeyRegistration,
}

fn save_ceremony(
    conn: &mut DbConnection,
    purpose: Purpose,
    agent_id: Option<&str>,
    login_id: Option<&str>,
    state: &impl Serialize,
    now: NaiveDateTime,
) -> Result<String, AuthError> {
    let id = new_public_id();
    let state = serde_json::to_string(state).map_err(|e| AuthError::Passkey(format!("ceremony state: {e}")))?;
    store::insert_ceremony(
        conn,
        &NewCeremony { id: &id, purpose: purpose.as_str(), agent_id, login_id, state: &state, created_at: now, expires_at: now + CEREMONY_LIFETIME },
    )?;
    Ok(id)
}

fn to_json(value: &impl Serialize) -> Result<serde_json::Value, AuthError> {
    serde_json::to_value(value).map_err(|e| AuthError::Passkey(format!("ceremony options: {e}")))
}

fn encode_id(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn load(stored: &StoredPasskey) -> Option<Passkey> {
    serde_json::from_str(&stored.credential).ok()
}

/// The signature counter stored with a credential (0: the authenticator keeps none).
fn stored_counter(stored: &StoredPasskey) -> u32 {
    serde_json::from_str::<serde_json::Value>(&stored.credential)
        .ok()
        .and_then(|v| v.pointer("/cred/counter").and_then(serde_json::Value::as_u64))
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(0)
}

/// The agent's WebAuthn user handle: the one their passkeys carry, or a new
/// random one for a first passkey.
fn user_handle(conn: &mut DbConnection, agent_id: &str) -> diesel::QueryResult<Uuid> {
    let existing = store::user_handle_of(conn, agent_id)?.and_then(|raw| Uuid::parse_str(&raw).ok());
    Ok(existing.unwrap_or_else(|| Uuid::from_bytes(random_bytes())))
}

/// Starts registering a passkey for `agent`; `None` when passkeys are not
/// available on this server or the agent has the most allowed.
pub fn start_registration(conn: &mut DbConnection, config: &Config, agent: &Agent, now: NaiveDateTime) -> Result<Option<Started>, AuthError> {
    let Some(webauthn) = verifier(config) else { return Ok(None) };
    write_transaction(conn, |conn| {
        let existing = store::of_agent(conn, &agent.id)?;
        if existing.len() >= MAX_PER_AGENT {
            return Ok(None);
        }
        let exclude = existing.iter().filter_map(load).map(|p| p.cred_id().clone()).collect();
        let user_handle = user_handle(conn, &agent.id)?;
        let (options, state) = webauthn
            .start_passkey_registration(user_handle, &agent.email, &agent.name, Some(exclude))
            .map_err(|e| AuthError::Passkey(format!("start registration: {e}")))?;
        let mut options = to_json(&options)?;
        // Ask for a discoverable credential where the authenticator can make
        // one, so the passkey can also sign in without a password (a hint to
        // the browser; the registration's checks do not depend on it).
        if let Some(selection) = options.pointer_mut("/publicKey/authenticatorSelection").and_then(serde_json::Value::as_object_mut) {
            selection.insert("residentKey".to_owned(), "preferred".into());
        }
        let ceremony = save_ceremony(conn, Purpose::Register, Some(&agent.id), None, &RegistrationState { user_handle, state }, now)?;
        Ok(Some(Started { ceremony, options }))
    })
}

/// Why a passkey was not added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegisterRefusal {
    #[error("{}", crate::i18n::t("auth-passkey-expired"))]
    Expired,
    #[error("{}", crate::i18n::t("auth-passkey-failed"))]
    Failed,
    #[error("{}", crate::i18n::t("auth-passkey-registered"))]
    AlreadyRegistered,
    #[error("{}", crate::i18n::t1("auth-passkey-too-many", "max", MAX_PER_AGENT))]
    TooMany,
}

/// What adding a passkey came to.
#[derive(Debug)]
pub struct Added {
    pub passkey: StoredPasskey,
    /// The agent had no second factor before: recovery codes are offered next.
    pub first_factor: bool,
}

/// Finishes a registration with the browser's answer: stores the passkey
/// under `name`, turns 2FA on if it was the agent's first factor, audits it
/// and emails the agent.
pub fn finish_registration(
    conn: &mut DbConnection,
    ctx: &Context<'_>,
    agent: &Agent,
    ceremony_id: &str,
    name: &PasskeyName,
    response: &str,
) -> Result<Result<Added, RegisterRefusal>, AuthError> {
    let Some(webauthn) = verifier(ctx.config) else { return Ok(Err(RegisterRefusal::Failed)) };
    write_transaction(conn, |conn| {
        let Some(ceremony) = store::take_ceremony(conn, ceremony_id, Purpose::Register.as_str(), ctx.now)?.filter(|c| c.agent_id.as_deref() == Some(&agent.id))
        else {
            return Ok(Err(RegisterRefusal::Expired));
        };
        let Ok(RegistrationState { user_handle, state }) = serde_json::from_str::<RegistrationState>(&ceremony.state) else {
            return Ok(Err(RegisterRefusal::Expired));
        };
        let Ok(credential) = serde_json::from_str::<RegisterPublicKeyCredential>(response) else { return Ok(Err(RegisterRefusal::Failed)) };
        let passkey = match webauthn.finish_passkey_registration(&credential, &state) {
            Ok(passkey) => passkey,
            Err(e) => {
                tracing::info!(error = %e, "passkey registration refused");
                return Ok(Err(RegisterRefusal::Failed));
            }
        };
        let credential_id = encode_id(passkey.cred_id().as_ref());
        if store::credential_id_taken(conn, &credential_id)? {
            return Ok(Err(RegisterRefusal::AlreadyRegistered));
        }
        if store::of_agent(conn, &agent.id)?.len() >= MAX_PER_AGENT {
            return Ok(Err(RegisterRefusal::TooMany));
        }
        let serialized = serde_json::to_string(&passkey).map_err(|e| AuthError::Passkey(format!("passkey: {e}")))?;
        let id = new_public_id();
        let user_handle = user_handle.to_string();
        store::insert(
            conn,
            &NewPasskey { id: &id, agent_id: &agent.id, credential_id: &credential_id, user_handle: &user_handle, name: name.as_str(), credential: &serialized, created_at: ctx.now },
        )?;
        let first_factor = agent.two_factor_status() != TwoFactorStatus::Enabled;
        Agent::refresh_passkey_count(conn, &agent.id)?;
        let detail = format!("passkey \"{}\" added", name.as_str());
        let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(agent, Some(ctx.client)) };
        audit::record(conn, Event::TwoFactorEnabled, Outcome::Success, &entry, ctx.now)?;
        let email = agent.email_address();
        let message = messages::passkey_added(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, name.as_str(), &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        let passkey = store::by_credential_id(conn, &credential_id)?.ok_or(diesel::result::Error::NotFound)?;
        Ok(Ok(Added { passkey, first_factor }))
    })
}

/// The agent's passkeys, oldest first.
pub fn list(conn: &mut DbConnection, agent_id: &str) -> diesel::QueryResult<Vec<StoredPasskey>> {
    store::of_agent(conn, agent_id)
}

/// Why removing a passkey was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RemoveRefusal {
    #[error("{}", crate::i18n::t("auth-passkey-not-found"))]
    NotFound,
    #[error("{}", crate::i18n::t("auth-passkey-last-factor"))]
    LastFactorRequired,
}

/// Removes one of the agent's passkeys (the caller has confirmed their
/// identity). When it was the last factor, the recovery codes go too; the
/// company's requirement keeps the last factor in place.
pub fn remove(conn: &mut DbConnection, ctx: &Context<'_>, agent: &Agent, passkey_id: &str) -> Result<Result<(), RemoveRefusal>, AuthError> {
    write_transaction(conn, |conn| {
        let Some(agent) = Agent::find_active(conn, &agent.id)? else { return Ok(Err(RemoveRefusal::NotFound)) };
        let Some(passkey) = store::of_agent(conn, &agent.id)?.into_iter().find(|p| p.id == passkey_id) else {
            return Ok(Err(RemoveRefusal::NotFound));
        };
        let last_factor = agent.passkey_count <= 1 && !agent.app_enabled && !agent.email_factor_on();
        if last_factor && Company::find(conn, &agent.company_id)?.is_some_and(|c| c.require_two_factor) {
            return Ok(Err(RemoveRefusal::LastFactorRequired));
        }
        store::delete(conn, &agent.id, &passkey.id)?;
        Agent::refresh_passkey_count(conn, &agent.id)?;
        if last_factor {
            recovery_codes::void_all(conn, &agent.id)?;
        }
        let detail = format!("passkey \"{}\" removed", passkey.name);
        let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(&agent, Some(ctx.client)) };
        audit::record(conn, Event::TwoFactorDisabled, Outcome::Success, &entry, ctx.now)?;
        let email = agent.email_address();
        let message = messages::passkey_removed(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &passkey.name, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
        outbox::enqueue(conn, &message, ctx.now)?;
        Ok(Ok(()))
    })
}

/// Every passkey of the agent goes (an admin's 2FA reset).
pub fn remove_all(conn: &mut DbConnection, agent_id: &str) -> diesel::QueryResult<()> {
    store::delete_all(conn, agent_id)?;
    Agent::refresh_passkey_count(conn, agent_id).map(|_| ())
}

/// Starts the passkey ceremony of a second step, for the agent's own
/// passkeys: `login_id` is the step's code challenge (a pending login's, or
/// a confirm-identity step's); `None` when there is nothing to ask for.
pub fn start_second_factor(conn: &mut DbConnection, config: &Config, login_id: &str, agent_id: &str, now: NaiveDateTime) -> Result<Option<Started>, AuthError> {
    let Some(webauthn) = verifier(config) else { return Ok(None) };
    let passkeys: Vec<Passkey> = store::of_agent(conn, agent_id)?.iter().filter_map(load).collect();
    if passkeys.is_empty() {
        return Ok(None);
    }
    let (options, state) = webauthn.start_passkey_authentication(&passkeys).map_err(|e| AuthError::Passkey(format!("start authentication: {e}")))?;
    let ceremony = save_ceremony(conn, Purpose::SecondFactor, Some(agent_id), Some(login_id), &state, now)?;
    Ok(Some(Started { ceremony, options: to_json(&options)? }))
}

/// A browser's answer to a passkey ceremony, parsed at the edge.
#[derive(Debug, Clone)]
pub struct Assertion {
    pub ceremony: String,
    pub credential: Box<PublicKeyCredential>,
}

impl Assertion {
    /// `None` when either field is missing or the credential is not the JSON a browser sends.
    pub fn parse(ceremony: &str, credential: &str) -> Option<Assertion> {
        let ceremony = ceremony.trim();
        if !crate::domain::is_public_id(ceremony) {
            return None;
        }
        let credential = serde_json::from_str::<PublicKeyCredential>(credential).ok()?;
        Some(Assertion { ceremony: ceremony.to_owned(), credential: Box::new(credential) })
    }
}

/// Judges a passkey answer to the login `login_id` of `agent_id`, in the
/// caller's agent code transaction: true when the ceremony was this login's,
/// the signature verifies for one of the agent's passkeys, and its counter
/// does not go backwards. The ceremony is used up either way.
pub fn accept_second_factor(conn: &mut DbConnection, config: &Config, login_id: &str, agent_id: &str, answer: &Assertion, now: NaiveDateTime) -> Result<bool, AuthError> {
    let Some(webauthn) = verifier(config) else { return Ok(false) };
    let Some(ceremony) = store::take_ceremony(conn, &answer.ceremony, Purpose::SecondFactor.as_str(), now)? else { return Ok(false) };
    if ceremony.agent_id.as_deref() != Some(agent_id) || ceremony.login_id.as_deref() != Some(login_id) {
        return Ok(false);
    }
    let Ok(state) = serde_json::from_str::<PasskeyAuthentication>(&ceremony.state) else { return Ok(false) };
    let result = match webauthn.finish_passkey_authentication(&answer.credential, &state) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "passkey second factor refused");
            return Ok(false);
        }
    };
    let Some(stored) = store::by_credential_id(conn, &encode_id(result.cred_id().as_ref()))?.filter(|p| p.agent_id == agent_id) else {
        return Ok(false);
    };
    record_use(conn, &stored, &result, now)
}

/// Checks the counter against the stored one (the state may be older than
/// another sign-in that finished meanwhile) and stores what changed: a
/// counter that does not move forward may be a cloned authenticator.
fn record_use(conn: &mut DbConnection, stored: &StoredPasskey, result: &AuthenticationResult, now: NaiveDateTime) -> Result<bool, AuthError> {
    let before = stored_counter(stored);
    if (result.counter() > 0 || before > 0) && result.counter() <= before {
        tracing::warn!(passkey = %stored.id, "passkey counter did not increase: possibly a cloned authenticator");
        return Ok(false);
    }
    let Some(mut passkey) = load(stored) else { return Ok(false) };
    let updated = match passkey.update_credential(result) {
        Some(true) => Some(serde_json::to_string(&passkey).map_err(|e| AuthError::Passkey(format!("passkey: {e}")))?),
        _ => None,
    };
    store::record_use(conn, &stored.id, updated.as_deref(), now)?;
    Ok(true)
}

/// Starts a passwordless sign-in ceremony (the login page's "Sign in with a
/// passkey" and the browser's passkey autofill); `Err` with the wait when
/// this network started too many lately.
pub fn start_passwordless(conn: &mut DbConnection, ctx: &Context<'_>) -> Result<Result<Option<Started>, Duration>, AuthError> {
    let Some(webauthn) = verifier(ctx.config) else { return Ok(Ok(None)) };
    write_transaction(conn, |conn| {
        if let Decision::Refused { retry_after } = throttle::hit(conn, &Bucket::for_client_ip(CEREMONY_IP, ctx.client), CEREMONIES_PER_IP, ctx.now)? {
            return Ok(Err(retry_after));
        }
        let (options, state) = webauthn.start_discoverable_authentication().map_err(|e| AuthError::Passkey(format!("start discoverable: {e}")))?;
        let ceremony = save_ceremony(conn, Purpose::Passwordless, None, None, &state, ctx.now)?;
        Ok(Ok(Some(Started { ceremony, options: to_json(&options)? })))
    })
}

/// What a passwordless sign-in came to.
#[derive(Debug)]
pub enum Passwordless {
    /// Signed in: both factors were proven by the passkey (possession and
    /// user verification).
    SignedIn(Box<Agent>),
    /// Not a valid answer for any active agent (counted against the network).
    Failed,
    /// The ceremony expired or was used already.
    Expired,
    /// Too many failures from this network lately.
    Throttled { retry_after: Duration },
    /// The agent's codes are locked (SPEC §3): a passkey does not lift it.
    Locked { until: Option<NaiveDateTime> },
}

/// Finishes a passwordless sign-in: the credential names the agent (its
/// user handle and id must match a stored passkey of an active agent), and
/// the signature must verify for that passkey. `known_browser`: the browser
/// holds the agent's device cookie (else the agent is emailed).
pub fn finish_passwordless(conn: &mut DbConnection, ctx: &Context<'_>, answer: &Assertion, known_browser: impl Fn(&str) -> bool) -> Result<Passwordless, AuthError> {
    let Some(webauthn) = verifier(ctx.config) else { return Ok(Passwordless::Failed) };
    let limit = ctx.config.login_limits.per_ip;
    let bucket = Bucket::for_client_ip(PASSWORDLESS_IP, ctx.client);
    write_transaction(conn, |conn| {
        let hit = match throttle::hit(conn, &bucket, limit, ctx.now)? {
            Decision::Refused { retry_after } => return Ok(Passwordless::Throttled { retry_after }),
            Decision::Allowed(hit) => hit,
        };
        let Some(ceremony) = store::take_ceremony(conn, &answer.ceremony, Purpose::Passwordless.as_str(), ctx.now)? else {
            return Ok(Passwordless::Expired);
        };
        let verified = verify_discoverable(conn, &webauthn, &ceremony.state, answer, ctx.now)?;
        let Some((agent, passkey)) = verified else {
            let entry = audit::Entry { client: Some(ctx.client), detail: Some("passkey sign-in refused"), ..Default::default() };
            audit::record(conn, Event::LoginFailed, Outcome::Failure, &entry, ctx.now)?;
            return Ok(Passwordless::Failed);
        };
        if let Some(until) = code_lockout::find(conn, &agent.id)?.and_then(|l| l.lock_at(ctx.now)) {
            let entry = audit::Entry { detail: Some("passkey right, but codes are locked"), ..audit::Entry::for_agent(&agent, Some(ctx.client)) };
            audit::record(conn, Event::CodeLockout, Outcome::Failure, &entry, ctx.now)?;
            return Ok(Passwordless::Locked { until });
        }
        throttle::take_back(conn, &bucket, &hit, ctx.now)?;
        Agent::record_login(conn, &agent.id, ctx.now)?;
        let detail = format!("passkey \"{}\" without a password", passkey.name);
        let entry = audit::Entry { detail: Some(&detail), ..audit::Entry::for_agent(&agent, Some(ctx.client)) };
        audit::record(conn, Event::LoginSucceeded, Outcome::Success, &entry, ctx.now)?;
        if !known_browser(&agent.id) {
            let email = agent.email_address();
            let message = messages::passkey_sign_in(&Recipient { email: &email, name: &agent.name, tr: agent.reader(conn)? }, &passkey.name, &RequestContext::of(ctx.client, ctx.now), &ctx.config.base_url())?;
            outbox::enqueue(conn, &message, ctx.now)?;
        }
        Ok(Passwordless::SignedIn(Box::new(agent)))
    })
}

/// The active agent and passkey a discoverable answer proves, if it does.
fn verify_discoverable(conn: &mut DbConnection, webauthn: &Webauthn, state: &str, answer: &Assertion, now: NaiveDateTime) -> Result<Option<(Agent, StoredPasskey)>, AuthError> {
    let Ok(state) = serde_json::from_str::<DiscoverableAuthentication>(state) else { return Ok(None) };
    let Ok((user_handle, credential_id)) = webauthn.identify_discoverable_authentication(&answer.credential) else { return Ok(None) };
    let Some(stored) = store::by_credential_id(conn, &encode_id(credential_id))?.filter(|p| p.user_handle == user_handle.to_string()) else {
        return Ok(None);
    };
    let Some(agent) = Agent::find_active(conn, &stored.agent_id)? else { return Ok(None) };
    let Some(passkey) = load(&stored) else { return Ok(None) };
    let result = match webauthn.finish_discoverable_authentication_v2(&answer.credential, state, &passkey) {
        Ok(result) => result,
        Err(e) => {
            tracing::info!(error = %e, "passwordless passkey sign-in refused");
            return Ok(None);
        }
    };
    if !record_use(conn, &stored, &result, now)? {
        return Ok(None);
    }
    Ok(Some((agent, stored)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relying_party_is_the_public_urls_host() {
        let rp = |url: &str| relying_party(&Url::parse(url).unwrap()).map(|(id, origin)| (id, origin.to_string()));
        assert_eq!(rp("https://signin.example.com"), Some(("signin.example.com".into(), "https://signin.example.com/".into())));
        assert_eq!(rp("https://signin.example.com:8443/x"), Some(("signin.example.com".into(), "https://signin.example.com:8443/".into())));
        // Browsers refuse an IP address as an id: loopback is served as localhost.
        assert_eq!(rp("http://127.0.0.1:8080"), Some(("localhost".into(), "http://localhost:8080/".into())));
        assert_eq!(rp("http://localhost:8080"), Some(("localhost".into(), "http://localhost:8080/".into())));
        assert_eq!(rp("http://192.0.2.10:8080"), None);
    }
}

//! Typed access to the session state, so keys are spelled in one place.

use actix_session::{Session, SessionExt, SessionGetError, SessionInsertError};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};

use chrono::NaiveDateTime;

use crate::crypto::random_token;
use crate::domain::{ClientInfo, new_public_id};
use crate::auth::confirm_identity::IdentityProofs;
use crate::error::AppError;

/// The session key holding the signed-in agent's id (also read by the store).
pub const AGENT_ID_KEY: &str = "agent_id";
/// Asks the store to move the session to a new id as it saves it (read and
/// removed by the store, never stored). actix-session's own `renew` deletes
/// the old row and inserts a new one: two writes where one will do.
pub const ROTATE_ID_KEY: &str = "rotate_id";
const CSRF_KEY: &str = "csrf";
/// The pending login (a `code_challenges` id) of a browser between the
/// password step and the code step. Such a browser is not signed in.
const PENDING_LOGIN_KEY: &str = "pending_login";
/// Where a pending login goes once the code is accepted.
const PENDING_NEXT_KEY: &str = "pending_next";
/// When this browser last proved the agent's password, and last entered an
/// emailed code (Unix milliseconds): the step-up re-authentication of
/// sensitive changes (`auth::confirm_identity`).
const REAUTH_PASSWORD_KEY: &str = "reauth_password_at";
const REAUTH_CODE_KEY: &str = "reauth_code_at";
/// The "confirm it is you" code challenge this browser waits on.
const STEP_UP_CHALLENGE_KEY: &str = "step_up_challenge";
/// What the home page says once about a trusted computer at this login.
const TRUST_NOTICE_KEY: &str = "trust_notice";
/// A signed-in session's own public id (kept across id rotations), so that
/// the agent can name one of their sessions to sign it out.
pub const SESSION_ID_KEY: &str = "session_id";
/// The browser and IP address the session signed in from.
pub const CLIENT_IP_KEY: &str = "client_ip";
pub const CLIENT_AGENT_KEY: &str = "client_user_agent";

/// A trusted computer's part in this login, for a one-time notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TrustNotice {
    /// No code was asked for: this computer is trusted until then (Unix seconds, UTC).
    CodeSkipped { until: i64 },
    /// The box was ticked: this computer is now trusted until then.
    ComputerTrusted { until: i64 },
}

/// The browser's server-side session.
pub struct TypedSession(Session);

impl TypedSession {
    /// Signs the agent in on a new session id with a new CSRF token (SPEC §3:
    /// the id rotates at every privilege change; the token rotates at login).
    /// The session remembers where it signed in from, for the agent's list
    /// of their sessions.
    pub fn sign_in(&self, agent_id: &str, client: &ClientInfo) -> Result<(), AppError> {
        self.0.clear();
        self.renew()?;
        self.0.insert(AGENT_ID_KEY, agent_id).map_err(insert_error)?;
        self.0.insert(CSRF_KEY, random_token()).map_err(insert_error)?;
        self.0.insert(SESSION_ID_KEY, new_public_id()).map_err(insert_error)?;
        self.0.insert(CLIENT_IP_KEY, &client.ip).map_err(insert_error)?;
        self.0.insert(CLIENT_AGENT_KEY, &client.user_agent).map_err(insert_error)?;
        Ok(())
    }

    /// This signed-in session's own id (see [`SESSION_ID_KEY`]).
    pub fn session_id(&self) -> Option<String> {
        self.0.get(SESSION_ID_KEY).ok().flatten()
    }

    /// Passes the password step of a login that needs a code: a new session id
    /// and CSRF token, holding only the pending login (SPEC §3: the id rotates
    /// at the password step and again at the code step, in `sign_in`).
    pub fn begin_pending_login(&self, challenge_id: &str, next: Option<&str>) -> Result<(), AppError> {
        self.0.clear();
        self.renew()?;
        self.0.insert(PENDING_LOGIN_KEY, challenge_id).map_err(insert_error)?;
        if let Some(next) = next {
            self.0.insert(PENDING_NEXT_KEY, next).map_err(insert_error)?;
        }
        self.0.insert(CSRF_KEY, random_token()).map_err(insert_error)?;
        Ok(())
    }

    /// The pending login of this browser, if it is between the two steps.
    pub fn pending_login(&self) -> Result<Option<String>, AppError> {
        self.0.get(PENDING_LOGIN_KEY).map_err(get_error)
    }

    /// Remembers, for the next page that shows notices, how a trusted computer took part in this login.
    pub fn set_trust_notice(&self, notice: TrustNotice) -> Result<(), AppError> {
        self.0.insert(TRUST_NOTICE_KEY, notice).map_err(insert_error)
    }

    /// The trust notice of this login, once: it is removed as it is read.
    pub fn take_trust_notice(&self) -> Option<TrustNotice> {
        let notice = self.0.get::<TrustNotice>(TRUST_NOTICE_KEY).ok().flatten()?;
        self.0.remove(TRUST_NOTICE_KEY);
        Some(notice)
    }

    /// Where to go after the code step.
    pub fn pending_next(&self) -> Option<String> {
        self.0.get(PENDING_NEXT_KEY).ok().flatten()
    }

    /// Records that this browser proved the agent's password now (at login,
    /// on the confirm-identity page, or in a form that asks for it).
    pub fn record_password_proof(&self, now: NaiveDateTime) -> Result<(), AppError> {
        self.0.insert(REAUTH_PASSWORD_KEY, now.and_utc().timestamp_millis()).map_err(insert_error)
    }

    /// Records that this browser entered an emailed code now (the login's
    /// code step, confirming 2FA, or the confirm-identity page).
    pub fn record_code_proof(&self, now: NaiveDateTime) -> Result<(), AppError> {
        self.0.insert(REAUTH_CODE_KEY, now.and_utc().timestamp_millis()).map_err(insert_error)
    }

    /// When this browser last proved the password and entered a code.
    /// (`sign_in` clears both: a new login records its own.)
    pub fn identity_proofs(&self) -> IdentityProofs {
        let at = |key: &str| {
            self.0
                .get::<i64>(key)
                .ok()
                .flatten()
                .and_then(chrono::DateTime::from_timestamp_millis)
                .map(|at| at.naive_utc())
        };
        IdentityProofs { password_at: at(REAUTH_PASSWORD_KEY), code_at: at(REAUTH_CODE_KEY) }
    }

    /// Remembers the confirm-identity challenge this browser waits on.
    pub fn begin_confirm_identity(&self, challenge_id: &str) -> Result<(), AppError> {
        self.0.insert(STEP_UP_CHALLENGE_KEY, challenge_id).map_err(insert_error)
    }

    /// The confirm-identity challenge of this browser, if any.
    pub fn confirm_identity_challenge(&self) -> Option<String> {
        self.0.get(STEP_UP_CHALLENGE_KEY).ok().flatten()
    }

    pub fn end_confirm_identity(&self) {
        self.0.remove(STEP_UP_CHALLENGE_KEY);
    }

    /// Keeps the agent signed in on a new session id, after their other
    /// sessions were ended (password change).
    pub fn rotate(&self) -> Result<(), AppError> {
        self.renew()
    }

    /// A new session id at the end of this request (see [`ROTATE_ID_KEY`]).
    fn renew(&self) -> Result<(), AppError> {
        self.0.insert(ROTATE_ID_KEY, true).map_err(insert_error)
    }

    pub fn agent_id(&self) -> Result<Option<String>, AppError> {
        self.0.get(AGENT_ID_KEY).map_err(get_error)
    }

    pub fn csrf_token(&self) -> Option<String> {
        self.0.get(CSRF_KEY).ok().flatten()
    }

    /// Ends the session: the server-side record is deleted and the cookie removed.
    pub fn log_out(&self) {
        self.0.purge();
    }

    /// The raw session, for the modules that keep their own keys in it.
    pub fn inner(&self) -> &Session {
        &self.0
    }
}

fn insert_error(e: SessionInsertError) -> AppError {
    AppError::Internal(anyhow::anyhow!("session insert failed: {e}"))
}

fn get_error(e: SessionGetError) -> AppError {
    AppError::Internal(anyhow::anyhow!("session read failed: {e}"))
}

impl FromRequest for TypedSession {
    type Error = actix_web::Error;
    type Future = Ready<Result<TypedSession, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(TypedSession(req.get_session())))
    }
}

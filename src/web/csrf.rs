//! CSRF protection (SPEC §3): a synchronizer token in the server-side session
//! for signed-in and pending browsers; for anonymous forms (login, setup) a
//! token in a signed cookie, so an anonymous `GET /login` writes nothing to the
//! database. Both are compared in constant time, plus an Origin check.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpMessage, HttpRequest};

use crate::crypto::{constant_time_eq, keyed_hash, random_token};
use crate::state::AppState;
use crate::error::AppError;
use crate::web::session::TypedSession;

const COOKIE_BASE_NAME: &str = "agentgate_csrf";
const PURPOSE: &str = "csrf-cookie";

/// The anonymous browser's CSRF token, read from (or made for) its cookie.
#[derive(Debug, Clone)]
pub struct CookieToken {
    pub token: String,
    /// True when the request had no valid cookie and one must be set.
    pub is_new: bool,
}

/// `__Host-` prefixed under https (SPEC §4).
pub fn cookie_name(state: &AppState, base: &str) -> String {
    if state.config.is_https() { format!("__Host-{base}") } else { base.to_owned() }
}

/// Reads the signed CSRF cookie, or makes a new token when it is missing or forged.
pub fn cookie_token(state: &AppState, req: &HttpRequest) -> CookieToken {
    let name = cookie_name(state, COOKIE_BASE_NAME);
    let existing = req.cookie(&name).and_then(|cookie| {
        let (token, signature) = cookie.value().split_once('.')?;
        let expected = keyed_hash(state.config.secret_key.bytes(), PURPOSE, token);
        constant_time_eq(signature, &expected).then(|| token.to_owned())
    });
    match existing {
        Some(token) => CookieToken { token, is_new: false },
        None => CookieToken { token: random_token(), is_new: true },
    }
}

/// The Set-Cookie for a new anonymous token.
pub fn cookie_for(state: &AppState, token: &str) -> Cookie<'static> {
    let signature = keyed_hash(state.config.secret_key.bytes(), PURPOSE, token);
    Cookie::build(cookie_name(state, COOKIE_BASE_NAME), format!("{token}.{signature}"))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax)
        .finish()
}

/// The token a form on this page must carry.
pub fn form_token(req: &HttpRequest, session: &TypedSession) -> String {
    if let Some(token) = session.csrf_token() {
        return token;
    }
    req.extensions().get::<CookieToken>().map(|c| c.token.clone()).unwrap_or_default()
}

/// Refuses a state-changing request whose token does not match, or that a
/// browser says came from another site.
pub fn verify(state: &AppState, req: &HttpRequest, session: &TypedSession, submitted: Option<&str>) -> Result<(), AppError> {
    if came_from_another_site(state, req) {
        return Err(AppError::CsrfRejected);
    }
    let Some(submitted) = submitted.filter(|t| !t.is_empty()) else {
        return Err(AppError::CsrfRejected);
    };
    let expected = match session.csrf_token() {
        Some(token) => token,
        None => {
            let cookie = req.extensions().get::<CookieToken>().cloned();
            match cookie {
                Some(CookieToken { token, is_new: false }) => token,
                _ => return Err(AppError::CsrfRejected),
            }
        }
    };
    if constant_time_eq(submitted, &expected) { Ok(()) } else { Err(AppError::CsrfRejected) }
}

/// Browsers send `Sec-Fetch-Site` and `Origin` with cross-site form posts.
fn came_from_another_site(state: &AppState, req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" {
            return true;
        }
    }
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
        if origin == "null" {
            return true;
        }
        let ours = state.config.public_url.origin().ascii_serialization();
        let host_origin = req.connection_info().host().to_owned();
        let same_as_request_host = origin.split_once("://").map(|(_, rest)| rest == host_origin).unwrap_or(false);
        return origin != ours && !same_as_request_host;
    }
    false
}

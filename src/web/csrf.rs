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

/// The token a form on this page must carry, masked afresh for each page
/// (see [`mask`]).
pub fn form_token(req: &HttpRequest, session: &TypedSession) -> String {
    if let Some(token) = session.csrf_token() {
        return mask(&token);
    }
    req.extensions().get::<CookieToken>().map(|c| mask(&c.token)).unwrap_or_default()
}

/// The token XORed with a fresh random pad, pad first, both hex: every page
/// carries different bytes for the same secret, so a compressed page tells
/// nothing about it however often an attacker makes it reflect their input
/// (BREACH). A masked token is 4 characters per character of the token.
pub fn mask(token: &str) -> String {
    let mut pad = vec![0u8; token.len()];
    rand::RngExt::fill(&mut rand::rng(), &mut pad[..]);
    let masked: Vec<u8> = token.bytes().zip(&pad).map(|(byte, key)| byte ^ key).collect();
    format!("{}{}", crate::crypto::to_hex(pad), crate::crypto::to_hex(masked))
}

/// The token inside a masked one; `None` when it is not one.
fn unmask(submitted: &str) -> Option<String> {
    if !submitted.len().is_multiple_of(4) || submitted.len() > 1024 {
        return None;
    }
    let (pad, masked) = submitted.split_at(submitted.len() / 2);
    let (pad, masked) = (hex::decode(pad).ok()?, hex::decode(masked).ok()?);
    String::from_utf8(pad.iter().zip(&masked).map(|(key, byte)| key ^ byte).collect()).ok()
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
    let submitted = unmask(submitted).unwrap_or_default();
    if constant_time_eq(&submitted, &expected) { Ok(()) } else { Err(AppError::CsrfRejected) }
}

/// Browsers send `Sec-Fetch-Site` and `Origin` with cross-site form posts.
fn came_from_another_site(state: &AppState, req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site == "cross-site" {
            return true;
        }
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
        if origin == "null" {
            return true;
        }
        return !is_our_origin(origin, &state.config.public_url);
    }
    false
}

/// True when `origin` is the public URL's scheme, host and port (the
/// socket's own address when no public URL is configured). Never compared
/// with `Host` or forwarding headers, which the client writes. On loopback,
/// `localhost`, `127.0.0.1` and `[::1]` are one machine.
fn is_our_origin(origin: &str, public_url: &url::Url) -> bool {
    let Ok(origin) = url::Url::parse(origin) else { return false };
    let loopback = |url: &url::Url| url.host().is_some_and(|host| crate::config::is_loopback_host(&host));
    origin.scheme() == public_url.scheme()
        && origin.port_or_known_default() == public_url.port_or_known_default()
        && (origin.host() == public_url.host() || (loopback(&origin) && loopback(public_url)))
}

#[cfg(test)]
mod tests {
    use super::is_our_origin;

    #[test]
    fn a_masked_token_differs_each_time_and_unmasks_to_the_token() {
        let token = crate::crypto::random_token();
        let (first, second) = (super::mask(&token), super::mask(&token));
        assert_ne!(first, second, "a fresh pad each time");
        assert!(!first.contains(&token));
        assert_eq!(super::unmask(&first).as_deref(), Some(token.as_str()));
        assert_eq!(super::unmask(&second).as_deref(), Some(token.as_str()));
        for bad in ["", "abc", &token, "zz".repeat(43).as_str()] {
            assert_ne!(super::unmask(bad).as_deref(), Some(token.as_str()), "{bad:?}");
        }
    }

    #[test]
    fn only_the_public_urls_scheme_host_and_port_are_ours() {
        let public = url::Url::parse("https://signin.example.com").unwrap();
        assert!(is_our_origin("https://signin.example.com", &public));
        assert!(is_our_origin("https://signin.example.com:443", &public));
        for other in ["http://signin.example.com", "https://signin.example.com:8443", "https://evil.example", "https://signin.example.com.evil.example", "null", "garbage"] {
            assert!(!is_our_origin(other, &public), "{other}");
        }
        let local = url::Url::parse("http://127.0.0.1:8080").unwrap();
        assert!(is_our_origin("http://localhost:8080", &local));
        assert!(is_our_origin("http://[::1]:8080", &local));
        assert!(!is_our_origin("http://localhost:8081", &local));
        assert!(!is_our_origin("https://127.0.0.1:8080", &local));
    }
}

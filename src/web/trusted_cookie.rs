//! The trusted-computer cookie on the wire (SPEC §3, §4): `agentgate_trusted`
//! (`__Host-agentgate_trusted` under https), HttpOnly, SameSite=Lax, Secure
//! under https, Path=/, living as long as the longest trust it holds. What it
//! means is `auth::trusted_computers`.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;

use crate::auth::trusted_computers::{COOKIE_BASE_NAME, TrustedCookie};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::csrf::cookie_name;

/// The browser's trusted-computer tokens (none when it has no such cookie).
pub fn read(state: &AppState, req: &HttpRequest) -> TrustedCookie {
    let cookie = req.cookie(&cookie_name(state, COOKIE_BASE_NAME));
    TrustedCookie::parse(cookie.as_ref().map(|c| c.value()))
}

/// Writes `cookie` back to the browser when it changed: its new value, or
/// its removal when no token is left.
pub fn write(response: &mut HttpResponse, state: &AppState, cookie: &TrustedCookie, now: NaiveDateTime) -> Result<(), AppError> {
    if !cookie.changed() {
        return Ok(());
    }
    let mut built = Cookie::build(cookie_name(state, COOKIE_BASE_NAME), cookie.value())
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax)
        .finish();
    if cookie.is_empty() {
        built.make_removal();
    } else {
        let fallback = now + chrono::Duration::days(i64::from(state.config.trusted_days));
        let seconds = (cookie.expires_at().unwrap_or(fallback) - now).num_seconds().max(1);
        built.set_max_age(time::Duration::seconds(seconds));
    }
    response
        .add_cookie(&built)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("trusted-computer cookie: {e}")))
}

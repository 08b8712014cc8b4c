//! The device cookie on the wire: `agentgate_device` (`__Host-agentgate_device`
//! under https), HttpOnly, SameSite=Lax, Secure under https, Path=/, for a
//! year after the last sign-in. What it means is `auth::device_cookie`.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::{HttpRequest, HttpResponse};

use crate::auth::device_cookie::{COOKIE_BASE_NAME, DeviceCookie, LIFETIME_DAYS};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::csrf::cookie_name;

/// The browser's verified device entries (none without the cookie).
pub fn read(state: &AppState, req: &HttpRequest) -> DeviceCookie {
    let cookie = req.cookie(&cookie_name(state, COOKIE_BASE_NAME));
    DeviceCookie::parse(cookie.as_ref().map(|c| c.value()), state.config.secret_key.bytes())
}

/// Remembers this browser as the agent's after a complete sign-in.
pub fn remember(response: &mut HttpResponse, state: &AppState, req: &HttpRequest, agent_id: &str) -> Result<(), AppError> {
    let cookie = read(state, req).after_sign_in(agent_id);
    let built = Cookie::build(cookie_name(state, COOKIE_BASE_NAME), cookie.value(state.config.secret_key.bytes()))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(LIFETIME_DAYS))
        .finish();
    response.add_cookie(&built).map_err(|e| AppError::Internal(anyhow::anyhow!("device cookie: {e}")))
}

//! The step-up guard of sensitive changes (see `auth::step_up`): a handler
//! calls it before the change, and a browser without a recent enough
//! confirmation of identity is sent to `/account/confirm-identity`, then back.

use crate::auth::step_up::Missing;
use crate::error::AppError;
use crate::routes::safe_next;
use crate::state::AppState;
use crate::web::guards::SignedIn;

/// Where the confirm-identity page sends the browser back to when `next`
/// is not a local path.
const DEFAULT_NEXT: &str = "/account/settings";

/// Requires the current password — and, with 2FA on, an emailed code —
/// proven by this browser within `AGENTGATE_REAUTH_MINUTES`. Otherwise the
/// browser is sent (303) to `/account/confirm-identity?next=<next>`; `next` is
/// the page to come back to, a GET page (for a POST action, the page that
/// holds its form). For example, an admin resetting someone's 2FA:
///
/// ```ignore
/// step_up::require_recent_reauth(&signed_in, &state, "/agents")?;
/// ```
pub fn require_recent_reauth(signed_in: &SignedIn, state: &AppState, next: &str) -> Result<(), AppError> {
    let proofs = signed_in.session.reauthentication();
    match proofs.missing(signed_in.agent.two_factor_status(), state.now(), state.config.reauth_window) {
        None => Ok(()),
        Some(_) => Err(reauth_required(next)),
    }
}

/// For a form that asks for the current password itself: only the code
/// part (with 2FA on, a code within the window). The form's password,
/// checked by the handler, is the password part.
pub fn require_recent_code(signed_in: &SignedIn, state: &AppState, next: &str) -> Result<(), AppError> {
    let now = state.now();
    let proofs = signed_in.session.reauthentication().with_password_at(now);
    match proofs.missing(signed_in.agent.two_factor_status(), now, state.config.reauth_window) {
        Some(Missing::Code) => Err(reauth_required(next)),
        Some(Missing::Password) | None => Ok(()),
    }
}

/// True when this browser would be sent to confirm its identity before a
/// change that asks for the current password (to say so on the page).
pub fn code_needed(signed_in: &SignedIn, state: &AppState) -> bool {
    require_recent_code(signed_in, state, DEFAULT_NEXT).is_err()
}

fn reauth_required(next: &str) -> AppError {
    AppError::ReauthRequired { next: safe_next(Some(next)).unwrap_or_else(|| DEFAULT_NEXT.to_owned()) }
}

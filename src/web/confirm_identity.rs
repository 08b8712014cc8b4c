//! The step-up guard of sensitive changes (see `auth::confirm_identity`): a handler
//! calls it before the change, and a browser without a recent enough
//! confirmation of identity is sent to `/account/confirm-identity`, then back.

use crate::auth::login::throttled_message;
use crate::auth::confirm_identity::{self, Missing, PasswordProof};
use crate::auth::login_gate::LoginGate;
use crate::auth::throttle;
use crate::error::AppError;
use crate::web::redirect::safe_next;
use crate::state::AppState;
use crate::domain::{ClientInfo, login_candidate};
use crate::web::device_cookie;
use crate::web::guards::SignedIn;
use actix_web::HttpRequest;

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
/// confirm_identity::require_confirmed_identity(&signed_in, &state, "/agents")?;
/// ```
pub fn require_confirmed_identity(signed_in: &SignedIn, state: &AppState, next: &str) -> Result<(), AppError> {
    let proofs = signed_in.session.identity_proofs();
    match proofs.missing(signed_in.agent.two_factor_status(), state.now(), state.config.reauth_window) {
        None => Ok(()),
        Some(_) => Err(confirm_identity_required(next)),
    }
}

/// For a form that asks for the current password itself: only the code
/// part (with 2FA on, a code within the window). The form's password,
/// checked by the handler, is the password part.
pub fn require_recent_code(signed_in: &SignedIn, state: &AppState, next: &str) -> Result<(), AppError> {
    let now = state.now();
    let proofs = signed_in.session.identity_proofs().with_password_at(now);
    match proofs.missing(signed_in.agent.two_factor_status(), now, state.config.reauth_window) {
        Some(Missing::Code) => Err(confirm_identity_required(next)),
        Some(Missing::Password) | None => Ok(()),
    }
}

/// True when this browser would be sent to confirm its identity before a
/// change that asks for the current password (to say so on the page).
pub fn code_needed(signed_in: &SignedIn, state: &AppState) -> bool {
    require_recent_code(signed_in, state, DEFAULT_NEXT).is_err()
}

/// Checks the current password typed in a signed-in form, through the
/// login throttle (`place` says which form, for the audit log): true when it
/// is right, and this browser has then proven the password now; a 429 when
/// too many wrong passwords came lately. The agent's own browser (its device
/// cookie) is counted on its own, as at login: guesses from elsewhere that
/// paused new browsers do not stop the agent confirming a change.
pub async fn check_current_password(
    req: &HttpRequest,
    signed_in: &SignedIn,
    state: &AppState,
    client: &ClientInfo,
    typed: &str,
    place: &'static str,
) -> Result<bool, AppError> {
    let device = device_cookie::read(state, req).device_of(&signed_in.agent.id).map(str::to_owned);
    let slot = if device.is_some() { state.passwords.reserve_priority().await? } else { state.passwords.reserve().await? };
    let (agent, limits, now) = (signed_in.agent.clone(), state.config.login_limits, state.now());
    let owned_client = client.clone();
    let gate = state
        .db(move |conn| Ok(confirm_identity::open_password_check(conn, &agent, &owned_client, device.as_deref(), limits, now)?))
        .await?;
    let tickets = match gate {
        LoginGate::Closed { retry_after } => return Err(throttle::refusal(retry_after, throttled_message(retry_after)).into()),
        LoginGate::Open(tickets) => tickets,
    };
    let right = slot.verify(login_candidate(typed), signed_in.agent.password_hash.clone()).await?;
    let (agent, client, now) = (signed_in.agent.clone(), client.clone(), state.now());
    let proof = state.db(move |conn| Ok(confirm_identity::settle_password_check(conn, &agent, &client, right, tickets, place, now)?)).await?;
    match proof {
        PasswordProof::Right => {
            signed_in.session.record_password_proof(state.now())?;
            Ok(true)
        }
        PasswordProof::Wrong => Ok(false),
    }
}

fn confirm_identity_required(next: &str) -> AppError {
    AppError::ConfirmIdentityRequired { next: safe_next(Some(next)).unwrap_or_else(|| DEFAULT_NEXT.to_owned()) }
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;

    use super::confirm_identity_required;

    fn location(next: &str) -> String {
        let response = confirm_identity_required(next).error_response();
        assert_eq!(response.status(), actix_web::http::StatusCode::SEE_OTHER);
        response.headers().get("location").unwrap().to_str().unwrap().to_owned()
    }

    #[test]
    fn the_browser_is_sent_to_confirm_its_identity_and_back_to_a_page_of_this_site() {
        assert_eq!(location("/agents"), "/account/confirm-identity?next=%2Fagents");
        assert_eq!(location("/agents?q=bob&page=2"), "/account/confirm-identity?next=%2Fagents%3Fq%3Dbob%26page%3D2");
        for elsewhere in ["https://evil.example/", "//evil.example", "/\\evil.example", "", "agents"] {
            assert_eq!(location(elsewhere), "/account/confirm-identity?next=%2Faccount%2Fsettings", "{elsewhere:?}");
        }
    }
}

//! The routes of SPEC §4, one module per page family. Handlers are thin: parse
//! the form into domain types, call one function, render or redirect.

mod account;
mod agents;
mod assets;
mod health;
mod home;
mod invitation;
mod login;
mod setup;

use actix_web::{HttpResponse, web};
use actix_web::http::header;

use crate::error::AppError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/static/{name}", web::get().to(assets::asset))
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/setup", web::get().to(setup::setup_page))
        .route("/setup", web::post().to(setup::setup_submit))
        .route("/login", web::get().to(login::login_page))
        .route("/login", web::post().to(login::login_submit))
        .route("/logout", web::post().to(login::logout))
        .route("/account/settings", web::get().to(account::settings_page))
        .route("/account/settings", web::post().to(account::settings_submit))
        .route("/invitation", web::get().to(invitation::invitation_page))
        .route("/invitation", web::post().to(invitation::invitation_submit))
        .route("/agents", web::get().to(agents::list))
        .route("/agents.csv", web::get().to(agents::export_csv))
        .route("/agents/new", web::get().to(agents::new_page))
        .route("/agents/new", web::post().to(agents::new_submit))
        .route("/agents/policy", web::get().to(agents::policy_page))
        .route("/agents/policy", web::post().to(agents::policy_submit))
        .route("/agents/{id}", web::get().to(agents::detail))
        .route("/agents/{id}/resend-invitation", web::post().to(agents::resend_invitation_submit))
        .route("/agents/{id}/role", web::post().to(agents::role_submit))
        // deactivate, reactivate, reset-two-factor: GET confirms, POST acts.
        .route("/agents/{id}/{action}", web::get().to(agents::action_page))
        .route("/agents/{id}/{action}", web::post().to(agents::action_submit));
}

/// 303 See Other: the answer to a successful form post.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location.to_owned())).finish()
}

/// The unknown-route page.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// Messages shown after a redirect, by code; only known codes show anything,
/// so a crafted link cannot put words on the page.
pub fn notice_text(code: Option<&str>) -> Option<String> {
    let text = match code? {
        "setup_done" => "Your company is ready. Log in with the email and password you just chose.",
        "logged_out" => "You have been logged out.",
        "saved" => "Your settings were updated.",
        "password_changed" => "Your password was changed. Your other sessions have been signed out.",
        "invitation_accepted" => "Your password is set. Log in with your email address and the password you just chose.",
        _ => return None,
    };
    Some(text.to_owned())
}

/// A `next` that stays on this site: a path, not `//host` or a scheme.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let is_local_path = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    is_local_path.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(safe_next(Some("/account/settings")).as_deref(), Some("/account/settings"));
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "evil", "/a\r\nb"] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }
}

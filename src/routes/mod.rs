//! The routes of SPEC §4, one module per page family. Handlers are thin: parse
//! the form into domain types, call one function, render or redirect.

mod account;
pub(crate) mod activity;
mod agents;
mod assets;
pub(crate) mod code_page;
mod dev;
mod email;
#[doc(hidden)]
pub mod fuzz_targets;
mod health;
mod home;
pub(crate) mod confirm_identity;
mod invitation;
pub mod login;
mod metrics;
mod passkeys;
mod password;
mod second_factors;
mod setup;

use actix_web::{HttpResponse, web};

use crate::error::AppError;

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(metrics::metrics_page))
        // Static files are compressed; pages are not: a page holds a CSRF
        // token next to text an attacker can choose (a search, an email),
        // and compressing the two together leaks the token (BREACH).
        .service(web::scope("/static").route("/{name}", web::get().to(assets::asset)))
        .route("/favicon.ico", web::get().to(assets::favicon))
        .route("/setup", web::get().to(setup::setup_page))
        .route("/setup", web::post().to(setup::setup_submit))
        .route("/login", web::get().to(login::login_page))
        .route("/login", web::post().to(login::login_submit))
        .route("/login/verify", web::get().to(login::verify_step_page))
        .route("/login/verify", web::post().to(login::verify_submit))
        .route("/login/resend", web::post().to(login::resend))
        .route("/logout", web::post().to(login::logout))
        .route("/account/settings", web::get().to(account::settings_page))
        .route("/account/settings", web::post().to(account::settings_submit))
        .route("/account/two-factor/confirm", web::get().to(account::confirm_page))
        .route("/account/two-factor/confirm", web::post().to(account::confirm_submit))
        .route("/account/two-factor/resend", web::post().to(account::confirm_resend))
        .route("/account/confirm-identity", web::get().to(confirm_identity::password_page))
        .route("/account/confirm-identity", web::post().to(confirm_identity::password_submit))
        .route("/account/confirm-identity/code", web::get().to(confirm_identity::code_step_page))
        .route("/account/confirm-identity/code", web::post().to(confirm_identity::code_submit))
        .route("/account/confirm-identity/resend", web::post().to(confirm_identity::resend))
        .route("/account/email", web::get().to(email::change_page))
        .route("/account/email", web::post().to(email::change_submit))
        .route("/account/email/confirm", web::get().to(email::confirm_page))
        .route("/account/email/confirm", web::post().to(email::confirm_submit))
        .route("/account/email/resend", web::post().to(email::resend))
        .route("/account/email/cancel", web::post().to(email::cancel))
        .route("/account/authenticator", web::get().to(second_factors::setup_form))
        .route("/account/authenticator", web::post().to(second_factors::setup_submit))
        .route("/account/authenticator/remove", web::post().to(second_factors::remove))
        .route("/account/passkeys", web::get().to(passkeys::passkeys_page))
        .route("/account/passkeys", web::post().to(passkeys::add))
        .route("/account/passkeys/options", web::post().to(passkeys::registration_options))
        .route("/account/passkeys/{id}/remove", web::post().to(passkeys::remove))
        .route("/login/verify/passkey", web::post().to(passkeys::second_factor_options))
        .route("/login/passkey/options", web::post().to(passkeys::sign_in_options))
        .route("/login/passkey", web::post().to(passkeys::sign_in))
        .route("/account/recovery-codes", web::get().to(second_factors::recovery_codes_page))
        .route("/account/recovery-codes", web::post().to(second_factors::generate))
        .route("/account/sessions/sign-out-others", web::post().to(account::sign_out_other_sessions))
        .route("/account/sessions/{id}/sign-out", web::post().to(account::sign_out_session))
        .route("/account/trusted-computers/revoke-all", web::post().to(account::forget_all_trusted_computers))
        .route("/account/trusted-computers/{id}/revoke", web::post().to(account::forget_trusted_computer))
        .route("/password/forgot", web::get().to(password::forgot_page))
        .route("/password/forgot", web::post().to(password::forgot_submit))
        .route("/password/reset", web::get().to(password::reset_page))
        .route("/password/reset", web::post().to(password::reset_submit))
        .route("/activity", web::get().to(activity::activity_page))
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

/// The development mailbox (SPEC §4 `/dev/mailbox`): registered only when
/// `AGENTGATE_MAIL=mailbox`; with any other transport the route does not exist.
pub fn configure_dev_mailbox(cfg: &mut web::ServiceConfig) {
    cfg.route("/dev/mailbox", web::get().to(dev::mailbox));
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
        "login_expired" => "Your login took too long and was forgotten. Enter your email and password again.",
        "code_resent" => "A new code is on its way. Earlier codes still work until they expire.",
        "code_not_sent" => "Too many codes were sent to your address lately, so no new one was sent. Wait a few minutes, then choose to send a new code.",
        "confirmation_sent" => "We emailed you a code. Enter it here to turn on two-factor authentication.",
        "two_factor_enabled" => "Two-factor authentication is on. Each login will now ask for a code sent to your email.",
        "two_factor_disabled" => "Two-factor authentication is off. We emailed you about the change.",
        "authenticator_added" => "Your authenticator app is on. Each login will now ask for the code it shows.",
        "authenticator_removed" => "The authenticator app was removed. We emailed you about the change.",
        "passkey_added" => "Your passkey was added. Logins can now use it, with or without your password.",
        "passkey_removed" => "The passkey was removed. We emailed you about the change.",
        "passkey_failed" => "That passkey did not sign you in. Use your email and password, or try the passkey again.",
        "passkey_expired" => "Signing in with the passkey took too long. Try again.",
        "two_factor_cancelled" => "Two-factor authentication was not turned on.",
        "trusted_computer_forgotten" => "That computer is forgotten: logging in from it asks for a code again.",
        "trusted_computers_forgotten" => "All your trusted computers are forgotten: every login asks for a code again.",
        "password_reset" => "Your password was changed and your sessions were signed out. Log in with the new password.",
        "step_up_expired" => "Confirming it is you took too long, or was started again elsewhere. Enter your password again.",
        "email_code_sent" => "We emailed a code to the new address. Enter it here to make the change.",
        "email_changed" => "Your email address was changed: log in with the new one from now on. We told the old address, signed out your other sessions and forgot your trusted computers.",
        "email_change_cancelled" => "Your email address was not changed.",
        "invited" => "The agent was added and emailed an invitation link, valid for 7 days.",
        "invitation_resent" => "A new invitation link was emailed. The previous link no longer works.",
        "deactivated" => "The agent was deactivated: their sessions ended and their trusted computers were forgotten.",
        "reactivated" => "The agent was reactivated and can log in again.",
        "two_factor_reset" => "Two-factor authentication was reset: it is off, their trusted computers were forgotten, and they were emailed.",
        "role_changed" => "The role was changed.",
        "policy_saved" => "The company policy was saved.",
        "session_signed_out" => "That session is signed out: the next page opened in it goes to the login page.",
        "other_sessions_signed_out" => "Your other sessions are signed out. This one stays signed in.",
        "signed_out_everywhere" => "The agent is signed out everywhere: each of their browsers goes to the login page at its next page.",
        _ => return None,
    };
    Some(text.to_owned())
}

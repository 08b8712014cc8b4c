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
        .route("/account/confirm-identity/passkey", web::post().to(passkeys::step_up_options))
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
    use crate::i18n::t;
    let text = match code? {
        "setup_done" => t("notice-setup-done"),
        "logged_out" => t("notice-logged-out"),
        "saved" => t("notice-saved"),
        "password_changed" => t("notice-password-changed"),
        "invitation_accepted" => t("notice-invitation-accepted"),
        "login_expired" => t("notice-login-expired"),
        "code_resent" => t("notice-code-resent"),
        "code_not_sent" => t("notice-code-not-sent"),
        "confirmation_sent" => t("notice-confirmation-sent"),
        "two_factor_enabled" => t("notice-two-factor-enabled"),
        "two_factor_disabled" => t("notice-two-factor-disabled"),
        "authenticator_added" => t("notice-authenticator-added"),
        "authenticator_removed" => t("notice-authenticator-removed"),
        "passkey_added" => t("notice-passkey-added"),
        "passkey_removed" => t("notice-passkey-removed"),
        "passkey_failed" => t("notice-passkey-failed"),
        "passkey_expired" => t("notice-passkey-expired"),
        "two_factor_cancelled" => t("notice-two-factor-cancelled"),
        "trusted_computer_forgotten" => t("notice-trusted-computer-forgotten"),
        "trusted_computers_forgotten" => t("notice-trusted-computers-forgotten"),
        "password_reset" => t("notice-password-reset"),
        "step_up_expired" => t("notice-step-up-expired"),
        "email_code_sent" => t("notice-email-code-sent"),
        "email_changed" => t("notice-email-changed"),
        "email_change_cancelled" => t("notice-email-change-cancelled"),
        "invited" => t("notice-invited"),
        "invitation_resent" => t("notice-invitation-resent"),
        "deactivated" => t("notice-deactivated"),
        "reactivated" => t("notice-reactivated"),
        "two_factor_reset" => t("notice-two-factor-reset"),
        "role_changed" => t("notice-role-changed"),
        "policy_saved" => t("notice-policy-saved"),
        "session_signed_out" => t("notice-session-signed-out"),
        "other_sessions_signed_out" => t("notice-other-sessions-signed-out"),
        "signed_out_everywhere" => t("notice-signed-out-everywhere"),
        _ => return None,
    };
    Some(text)
}

//! Authenticator apps and recovery codes (SPEC §7): setting an app up from
//! its QR page, signing in with its codes (once each, ±1 step), choosing
//! email or a recovery code instead, limits shared with emailed codes,
//! removing the app, and an admin's reset.

use agentgate::auth::authenticator::{code_at_step, step_at};
use agentgate::domain::Role;
use chrono::Duration;
use diesel::prelude::*;
use reqwest::Client;

use crate::agents_support::audit_details;
use crate::helpers::{PASSWORD, TestApp, get_with, location, login_with, new_browser, submit_form_with};
use crate::mail_server::TestSmtp;
use crate::two_factor_steps::{enable_two_factor, spawn_app_with_smtp, spawn_app_with_smtp_and};

/// The key as the setup page shows it, read back into bytes as an app would.
pub fn key_on_page(page: &str) -> Vec<u8> {
    let start = page.find("id=\"secret-key\">").expect("the setup page shows the key") + "id=\"secret-key\">".len();
    let grouped = &page[start..start + page[start..].find('<').unwrap()];
    totp_rs::Secret::Encoded(grouped.replace(' ', "")).to_bytes().expect("a base 32 key")
}

/// What the app shows `offset` steps from the server's clock.
pub fn app_code(app: &TestApp, key: &[u8], offset: i64) -> String {
    code_at_step(key, step_at(app.clock_now()) + offset)
}

/// Recovery codes as the page shows them, once.
fn codes_on_page(page: &str) -> Vec<String> {
    page.split("<li><code>").skip(1).map(|rest| rest[..rest.find('<').unwrap()].to_owned()).collect()
}

struct Enrolled {
    key: Vec<u8>,
    recovery_codes: Vec<String>,
}

/// Sets an app up for the agent signed in on `browser`, and returns its key
/// and the first recovery codes; then moves the clock past the step used.
async fn add_app(app: &TestApp, browser: &Client) -> Enrolled {
    let page = get_with(browser, &app.url("/account/authenticator")).await.text().await.unwrap();
    assert!(page.contains("<svg role=\"img\" aria-label=\"QR code for your authenticator app\""), "an inline SVG QR code");
    let key = key_on_page(&page);
    assert_eq!(key.len(), 20, "160 bits");
    let response = submit_form_with(browser, &app.address, "/account/authenticator", "/account/authenticator", &[("code", &app_code(app, &key, 0))]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers().get("cache-control").unwrap(), "no-store");
    let page = response.text().await.unwrap();
    assert!(page.contains("Your authenticator app is on."));
    let recovery_codes = codes_on_page(&page);
    assert_eq!(recovery_codes.len(), 10);
    app.clock.advance(Duration::seconds(30));
    Enrolled { key, recovery_codes }
}

async fn agent_row(app: &TestApp, email: &str) -> agentgate::db::models::Agent {
    let email = email.to_owned();
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        agents::table.filter(agents::email.eq(email)).select(agentgate::db::models::Agent::as_select()).first(conn).unwrap()
    })
    .await
}

/// A fresh app with Ada (admin) signed in on `app.client`.
async fn ada() -> (TestApp, TestSmtp, String) {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    assert_eq!(location(&app.login(&email, PASSWORD).await), "/");
    (app, smtp, email)
}

async fn log_out(app: &TestApp, browser: &Client) {
    assert_eq!(submit_form_with(browser, &app.address, "/", "/logout", &[]).await.status(), 303);
}

/// The password step for an agent with an app: ends on the code page, no email sent.
async fn password_step(app: &TestApp, browser: &Client, email: &str) {
    assert_eq!(location(&login_with(browser, &app.address, email, PASSWORD).await), "/login/verify");
}

async fn answer(app: &TestApp, browser: &Client, method: &str, code: &str) -> reqwest::Response {
    submit_form_with(browser, &app.address, "/login/verify", "/login/verify", &[("method", method), ("code", code)]).await
}

#[tokio::test]
async fn an_agent_adds_an_app_and_signs_in_with_its_codes() {
    let (app, smtp, email) = ada().await;
    let settings = app.get("/account/settings").await.text().await.unwrap();
    assert!(settings.contains("Set up an authenticator app"));

    // A wrong first code leaves it off.
    let page = app.get("/account/authenticator").await.text().await.unwrap();
    let key = key_on_page(&page);
    let wrong = crate::two_factor_steps::other_code(&app_code(&app, &key, 0));
    let response = app.submit_form("/account/authenticator", "/account/authenticator", &[("code", &wrong)]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("That code is not right."));
    assert!(!agent_row(&app, &email).await.app_enabled);
    // A reload shows the same key: the one already scanned still works.
    assert_eq!(key_on_page(&app.get("/account/authenticator").await.text().await.unwrap()), key);

    let enrolled = add_app(&app, &app.client).await;
    assert_eq!(enrolled.key, key);
    let ada = agent_row(&app, &email).await;
    assert!(ada.app_enabled && ada.recovery_codes_left == 10);
    assert_eq!(ada.two_factor_status(), agentgate::domain::TwoFactorStatus::Enabled);
    smtp.expect_email(&email, "an authenticator app was added").await;
    smtp.expect_email(&email, "new recovery codes").await;
    assert_eq!(audit_details(&app, "two_factor_enabled").await, [Some("authenticator app added".to_owned())]);
    // The key is never shown again, and the stored secret is not the key.
    let page = app.get("/account/authenticator").await.text().await.unwrap();
    assert!(page.contains("An authenticator app is on") && !page.contains("secret-key"));
    let sealed: String = app.db(|conn| agentgate::db::schema::authenticator_apps::table.select(agentgate::db::schema::authenticator_apps::secret_sealed).first(conn).unwrap()).await;
    assert!(!sealed.contains(&hex::encode(&key)));

    // The next login asks for the app's code; no email goes out.
    log_out(&app, &app.client).await;
    let before = smtp.count();
    password_step(&app, &app.client, &email).await;
    let page = app.get("/login/verify").await.text().await.unwrap();
    assert!(page.contains("Open your authenticator app"));
    assert!(page.contains("Use a recovery code") && !page.contains("Email me a code instead"), "Ada has no email 2FA");
    let code = app_code(&app, &enrolled.key, 0);
    assert_eq!(location(&answer(&app, &app.client, "app", &code).await), "/");
    assert_eq!(smtp.count(), before, "no code email");
    assert!(audit_details(&app, "login_succeeded").await.contains(&Some("password and authenticator app code".to_owned())));

    // The same code again, in a new login within its window: refused.
    log_out(&app, &app.client).await;
    password_step(&app, &app.client, &email).await;
    let response = answer(&app, &app.client, "app", &code).await;
    assert_eq!(response.status(), 422, "a step is accepted once");
    assert!(response.text().await.unwrap().contains("That code is not right. 4 attempts left."));
    // One step of skew either way is accepted, two are not.
    assert_eq!(answer(&app, &app.client, "app", &app_code(&app, &enrolled.key, 2)).await.status(), 422);
    assert_eq!(answer(&app, &app.client, "app", &app_code(&app, &enrolled.key, -2)).await.status(), 422);
    assert_eq!(location(&answer(&app, &app.client, "app", &app_code(&app, &enrolled.key, 1)).await), "/");
}

#[tokio::test]
async fn email_is_offered_instead_when_email_2fa_is_on() {
    let (app, smtp, email) = ada().await;
    enable_two_factor(&app.client, &app, &smtp, &email, "Ada Admin").await;
    let enrolled = add_app(&app, &app.client).await;
    let _ = enrolled;
    log_out(&app, &app.client).await;
    password_step(&app, &app.client, &email).await;
    let page = app.get("/login/verify").await.text().await.unwrap();
    assert!(page.contains("Open your authenticator app") && page.contains("Email me a code instead"));
    let response = submit_form_with(&app.client, &app.address, "/login/verify", "/login/resend", &[("method", "email")]).await;
    assert_eq!(location(&response), "/login/verify?method=email&notice=code_resent");
    let code = smtp.next_login_code(&email).await;
    let page = app.get("/login/verify?method=email").await.text().await.unwrap();
    assert!(page.contains("We emailed a 6-digit code to") && page.contains("Use your authenticator app"));
    assert_eq!(location(&answer(&app, &app.client, "email", &code).await), "/");
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_tells_the_agent() {
    let (app, smtp, email) = ada().await;
    let enrolled = add_app(&app, &app.client).await;
    log_out(&app, &app.client).await;
    password_step(&app, &app.client, &email).await;
    let page = app.get("/login/verify?method=recovery").await.text().await.unwrap();
    assert!(page.contains("Recovery code") && page.contains("Use your authenticator app"));
    // Typed in capitals with spaces instead of hyphens: still the code.
    let typed = enrolled.recovery_codes[3].to_uppercase().replace('-', " ");
    assert_eq!(location(&answer(&app, &app.client, "recovery", &typed).await), "/");
    let notice = smtp.expect_email(&email, "a recovery code was used").await;
    assert!(notice.text.contains("9 recovery codes are left."), "{}", notice.text);
    assert_eq!(agent_row(&app, &email).await.recovery_codes_left, 9);
    assert_eq!(audit_details(&app, "recovery_code_used").await, [Some("signed in with a recovery code; 9 left".to_owned())]);

    // Used once: refused the second time.
    log_out(&app, &app.client).await;
    password_step(&app, &app.client, &email).await;
    let response = answer(&app, &app.client, "recovery", &enrolled.recovery_codes[3]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("That recovery code is not right, or was used already."));
    assert_eq!(location(&answer(&app, &app.client, "recovery", &enrolled.recovery_codes[4]).await), "/");

    // A new set (identity confirmed at this login) voids the old one.
    let response = app.submit_form("/account/recovery-codes", "/account/recovery-codes", &[]).await;
    assert_eq!(response.status(), 200);
    let new_codes = codes_on_page(&response.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    assert!(new_codes.iter().all(|c| c.len() == 29 && c.split('-').count() == 6), "{new_codes:?}");
    assert_eq!(agent_row(&app, &email).await.recovery_codes_left, 10);
    let page = app.get("/account/recovery-codes").await.text().await.unwrap();
    assert!(page.contains("10 recovery codes are left") && !page.contains(&new_codes[0]), "never shown again");
    log_out(&app, &app.client).await;
    password_step(&app, &app.client, &email).await;
    assert_eq!(answer(&app, &app.client, "recovery", &enrolled.recovery_codes[5]).await.status(), 422, "the old set is void");
    assert_eq!(location(&answer(&app, &app.client, "recovery", &new_codes[0]).await), "/");
}

#[tokio::test]
async fn few_recovery_codes_left_the_home_page_asks_for_a_new_set() {
    let (app, _smtp, email) = ada().await;
    add_app(&app, &app.client).await;
    assert!(!app.get("/").await.text().await.unwrap().contains("recovery-codes-low"));
    let id = agent_row(&app, &email).await.id;
    app.db(move |conn| {
        use agentgate::db::schema::agents;
        diesel::update(agents::table.find(id)).set(agents::recovery_codes_left.eq(3)).execute(conn).unwrap()
    })
    .await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("Only 3 recovery codes are left") && home.contains("href=\"/account/recovery-codes\""));
}

#[tokio::test]
async fn wrong_app_and_recovery_codes_count_in_the_code_limits() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![]).await;
    let email = app.complete_setup().await;
    assert_eq!(location(&app.login(&email, PASSWORD).await), "/");
    let enrolled = add_app(&app, &app.client).await;
    log_out(&app, &app.client).await;
    // Five wrong answers kill this login (SPEC §3: 5 per login).
    password_step(&app, &app.client, &email).await;
    for left in (0..5).rev() {
        let response = answer(&app, &app.client, "app", "000000").await;
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        if left == 0 {
            assert!(page.contains("Log in again to start over."), "{page}");
        }
    }
    let right = app_code(&app, &enrolled.key, 0);
    assert_eq!(answer(&app, &app.client, "app", &right).await.status(), 422, "the login is dead");
    // Five more, as recovery codes, in a new login: the tenth in a row locks codes.
    let browser = new_browser();
    password_step(&app, &browser, &email).await;
    for _ in 0..4 {
        assert_eq!(answer(&app, &browser, "recovery", "0000-0000-0000-0000-0000-0000").await.status(), 422);
    }
    let locked = answer(&app, &browser, "recovery", "0000-0000-0000-0000-0000-0000").await;
    assert_eq!(locked.status(), 429);
    smtp.expect_email(&email, "locked").await;
    // Locked: even the right code is not looked at.
    let third = new_browser();
    let response = login_with(&third, &app.address, &email, PASSWORD).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn removing_the_app_needs_identity_and_keeps_a_required_factor() {
    let (app, smtp, email) = ada().await;
    let enrolled = add_app(&app, &app.client).await;
    // Required by the company and her only factor: refused.
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "30")]).await;
    let response = app.submit_form("/account/settings", "/account/authenticator/remove", &[]).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("the app is your only second factor"));
    assert!(agent_row(&app, &email).await.app_enabled);
    app.submit_form("/agents", "/agents/policy", &[("trusted_days_max", "30")]).await;

    // Later than the confirm-identity window: sent to confirm it is her first.
    app.clock.advance(Duration::minutes(11));
    let response = app.submit_form("/account/settings", "/account/authenticator/remove", &[]).await;
    assert!(location(&response).starts_with("/account/confirm-identity"), "{}", location(&response));
    assert!(agent_row(&app, &email).await.app_enabled);

    let confirm = submit_form_with(&app.client, &app.address, "/account/settings", "/account/confirm-identity", &[("current_password", PASSWORD)]).await;
    assert_eq!(confirm.status(), 303);
    let code = app_code(&app, &enrolled.key, 0);
    let confirmed = submit_form_with(&app.client, &app.address, "/account/settings", "/account/confirm-identity/code", &[("method", "app"), ("code", &code), ("next", "/account/settings")]).await;
    assert_eq!(location(&confirmed), "/account/settings");
    let response = app.submit_form("/account/settings", "/account/authenticator/remove", &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=authenticator_removed");
    let ada = agent_row(&app, &email).await;
    assert!(!ada.app_enabled && ada.recovery_codes_left == 0, "the last factor went, and the codes with it");
    assert_eq!(ada.two_factor_status(), agentgate::domain::TwoFactorStatus::Disabled);
    smtp.expect_email(&email, "the authenticator app was removed").await;
    let count: i64 = app.db(|conn| agentgate::db::schema::recovery_codes::table.count().get_result(conn).unwrap()).await;
    assert_eq!(count, 0);
}

#[tokio::test]
async fn an_admins_reset_removes_every_factor() {
    let (app, smtp, admin) = ada().await;
    let bo = app.add_agent(&admin, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let browser = new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await), "/");
    add_app(&app, &browser).await;
    assert!(agent_row(&app, "bo@acme.test").await.app_enabled);

    let response = app.submit_form(&format!("/agents/{bo}"), &format!("/agents/{bo}/reset-two-factor"), &[]).await;
    assert_eq!(response.status(), 303, "{}", location(&response));
    let bo_row = agent_row(&app, "bo@acme.test").await;
    assert!(!bo_row.app_enabled && bo_row.recovery_codes_left == 0);
    assert_eq!(bo_row.two_factor_status(), agentgate::domain::TwoFactorStatus::Disabled);
    let apps: i64 = app.db(|conn| agentgate::db::schema::authenticator_apps::table.count().get_result(conn).unwrap()).await;
    assert_eq!(apps, 0);
    smtp.expect_email("bo@acme.test", "reset").await;
    // Bo signs in with his password alone now.
    log_out(&app, &browser).await;
    assert_eq!(location(&login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await), "/");
}

#[tokio::test]
async fn the_pages_need_a_signed_in_agent_and_recovery_codes_need_a_factor() {
    let (app, _smtp, _email) = ada().await;
    // No factor yet: no recovery codes to make.
    let page = app.get("/account/recovery-codes").await.text().await.unwrap();
    assert!(page.contains("Turn on two-factor authentication or an authenticator app"));
    assert_eq!(app.submit_form("/account/recovery-codes", "/account/recovery-codes", &[]).await.status(), 400);
    let anonymous = new_browser();
    for path in ["/account/authenticator", "/account/recovery-codes"] {
        assert!(location(&get_with(&anonymous, &app.url(path)).await).starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn confirming_identity_takes_the_apps_code() {
    let (app, smtp, email) = ada().await;
    let enrolled = add_app(&app, &app.client).await;
    // Both emails of the enrolment, in whichever order they arrive, before
    // counting: a late one would look like a code email.
    smtp.expect_email(&email, "an authenticator app was added").await;
    smtp.expect_email(&email, "new recovery codes").await;
    app.clock.advance(Duration::minutes(11));
    let before = smtp.count();
    let confirm = submit_form_with(&app.client, &app.address, "/account/settings", "/account/confirm-identity", &[("current_password", PASSWORD), ("next", "/account/recovery-codes")]).await;
    assert!(location(&confirm).starts_with("/account/confirm-identity/code"), "{}", location(&confirm));
    let page = get_with(&app.client, &app.url(&location(&confirm))).await.text().await.unwrap();
    assert!(page.contains("Open your authenticator app"), "{page}");
    assert!(!page.contains("Email me a code instead"), "Ada has no email 2FA");
    assert_eq!(smtp.count(), before, "no email code for an agent with an app");
    let code = app_code(&app, &enrolled.key, 0);
    let done = submit_form_with(&app.client, &app.address, &location(&confirm), "/account/confirm-identity/code", &[("method", "app"), ("code", &code), ("next", "/account/recovery-codes")]).await;
    assert_eq!(location(&done), "/account/recovery-codes");
    assert_eq!(app.submit_form("/account/recovery-codes", "/account/recovery-codes", &[]).await.status(), 200, "identity confirmed");
}

#[tokio::test]
async fn emailed_codes_stay_on_while_the_company_requires_them_and_there_is_no_app() {
    let (app, smtp, email) = ada().await;
    enable_two_factor(&app.client, &app, &smtp, &email, "Ada Admin").await;
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "30")]).await;
    let response = crate::two_factor_steps::set_two_factor_box(&app.client, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Acme Support requires it, so it stays on."));
    assert!(agent_row(&app, &email).await.email_factor_on());
    // With an app, the emailed codes can go: the app stays.
    add_app(&app, &app.client).await;
    let response = crate::two_factor_steps::set_two_factor_box(&app.client, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_disabled");
    let ada = agent_row(&app, &email).await;
    assert!(!ada.email_factor_on() && ada.app_enabled && ada.recovery_codes_left == 10);
    assert_eq!(ada.two_factor_status(), agentgate::domain::TwoFactorStatus::Enabled);
}

//! Passkeys (SPEC §7) in real Chromium, with its WebAuthn virtual
//! authenticator (the WebDriver extension commands under
//! `/session/{id}/webauthn/`): an admin adds a passkey, signs in with it as
//! the second step and without a password, requires passkeys of admins,
//! confirms it is her with it, and removes it. The app is opened as
//! `localhost`: browsers refuse an IP address as a relying party id.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

use super::harness::{Browser, browser_test};

/// A WebDriver command of the WebAuthn extension, under the session.
#[derive(Debug)]
struct WebAuthn {
    path: String,
    method: http::Method,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for WebAuthn {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/webauthn/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(Value::to_string))
    }
}

/// Adds a virtual authenticator that verifies the user (a PIN or a
/// fingerprint): a platform one that keeps discoverable credentials (like
/// Touch ID), or a USB security key that does not; returns its id.
async fn add_virtual_authenticator(browser: &Browser, platform: bool) -> String {
    let options = json!({
        "protocol": "ctap2",
        "transport": if platform { "internal" } else { "usb" },
        "hasResidentKey": platform,
        "hasUserVerification": true,
        "isUserConsenting": true,
        "isUserVerified": true,
    });
    let command = WebAuthn { path: "authenticator".to_owned(), method: http::Method::POST, body: Some(options) };
    let id = browser.client().issue_cmd(command).await.expect("chromedriver adds a virtual authenticator");
    id.as_str().expect("the authenticator's id").to_owned()
}

async fn remove_virtual_authenticator(browser: &Browser, authenticator: &str) {
    let command = WebAuthn { path: format!("authenticator/{authenticator}"), method: http::Method::DELETE, body: None };
    browser.client().issue_cmd(command).await.expect("chromedriver removes the virtual authenticator");
}

/// The credentials the virtual authenticator holds.
async fn credentials(browser: &Browser, authenticator: &str) -> Vec<Value> {
    let command = WebAuthn { path: format!("authenticator/{authenticator}/credentials"), method: http::Method::GET, body: None };
    let list = browser.client().issue_cmd(command).await.expect("chromedriver lists the credentials");
    list.as_array().cloned().unwrap_or_default()
}

/// An app set up with its first admin, then opened under its `localhost` name.
async fn app_at_localhost() -> (TestApp, String) {
    let mut app = spawn_app().await;
    let email = app.complete_setup().await;
    app.address = app.address.replace("127.0.0.1", "localhost");
    (app, email)
}

#[tokio::test]
async fn an_admin_adds_a_passkey_signs_in_with_it_requires_it_and_removes_it() {
    browser_test("passkeys", |browser| async move {
        let (app, email) = app_at_localhost().await;
        browser.log_in(&app, &email, PASSWORD).await;

        // Account Setting → Add a passkey: a USB security key, named.
        let security_key = add_virtual_authenticator(&browser, false).await;
        browser.visit(&app, "/account/settings").await;
        browser.click_and_load("Add a passkey").await;
        browser.wait_for_path("/account/passkeys").await;
        browser.wait_for_text("main", "You have no passkeys yet.").await;
        browser.assert_accessible().await;
        browser.fill("#passkey-name", "YubiKey 5").await;
        browser.click_and_load("Add a passkey").await;
        // The first second factor: recovery codes, shown once.
        browser.wait_for_text("h1", "Recovery codes").await;
        assert_eq!(credentials(&browser, &security_key).await.len(), 1, "the key holds the new credential");
        browser.click_and_load("Done").await;
        browser.wait_for_text("#passkeys", "Manage passkeys").await;

        // The next login asks for the passkey first, and the key finishes it.
        browser.log_out().await;
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        browser.wait_for_text("main", "Use your passkey or security key").await;
        let note = browser.find("[data-passkey-unsupported]").await;
        assert!(!note.is_displayed().await.unwrap(), "WebAuthn is there: no \"cannot use passkeys\" note");
        browser.assert_accessible().await;
        browser.click_and_load("Use your passkey").await;
        browser.wait_for_path("/").await;
        browser.wait_for_text("h1", "Welcome").await;

        // A second passkey, on the laptop itself: discoverable.
        remove_virtual_authenticator(&browser, &security_key).await;
        let laptop = add_virtual_authenticator(&browser, true).await;
        browser.visit(&app, "/account/passkeys").await;
        browser.fill("#passkey-name", "Laptop Touch ID").await;
        browser.click_and_load("Add a passkey").await;
        browser.wait_for_text(".notice", "Your passkey was added.").await;
        browser.wait_for_text("#passkey-list", "YubiKey 5").await;
        browser.wait_for_text("#passkey-list", "Laptop Touch ID").await;
        browser.assert_accessible().await;
        let stored = credentials(&browser, &laptop).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0]["isResidentCredential"], true, "discoverable, so it can sign in without a password");

        // Without a password: the login page's passkey autofill (conditional
        // mediation) signs her in as soon as the browser offers the passkey.
        browser.open_account_menu().await;
        browser.click_and_load("Log out").await;
        browser.wait_for_path("/").await;
        browser.wait_for_text("h1", "Welcome").await;

        // The admin requires passkeys of admins; the Agents tab shows hers.
        browser.visit(&app, "/agents").await;
        browser.click("#admins_must_use_passkey").await;
        browser.click_and_load("Save policy").await;
        browser.wait_for_text(".notice", "The company policy was saved.").await;
        browser.wait_for_text("#passkey-summary", "1 of 1 agent uses a passkey").await;
        browser.wait_for_text("table", "2 passkeys · 10 codes").await;

        // Past the step-up window, the passkeys page asks who is there
        // first: her password, then her passkey (no code is emailed).
        app.clock.advance(chrono::Duration::minutes(11));
        browser.visit(&app, "/account/passkeys").await;
        browser.wait_for_path("/account/confirm-identity").await;
        browser.wait_for_text("main", "your passkey or security key").await;
        browser.fill("#current_password", PASSWORD).await;
        browser.click_and_load("Continue").await;
        browser.wait_for_path("/account/confirm-identity/code").await;
        browser.wait_for_text("main", "Use your passkey or security key").await;
        browser.assert_accessible().await;
        browser.click_and_load("Use your passkey").await;
        browser.wait_for_path("/account/passkeys").await;

        // Removing both leaves her without the factor her company requires:
        // she is led to Account Setting to add one.
        browser.click_and_load("Remove").await;
        browser.wait_for_text(".notice", "The passkey was removed.").await;
        browser.click_and_load("Remove").await;
        browser.wait_for_text("#no-passkeys", "You have no passkeys yet.").await;
        browser.wait_for_text("main", "requires a passkey or security key").await;
        browser.visit(&app, "/agents").await;
        browser.wait_for_path("/account/settings").await;
    })
    .await;
}

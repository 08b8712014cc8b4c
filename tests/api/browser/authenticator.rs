//! SPEC §7 in a real browser: the agent sets an authenticator app up from
//! the QR page (reading the key as a person would type it), keeps the
//! recovery codes, and signs in with the app's code.

use crate::authenticator::app_code;
use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn an_agent_adds_an_authenticator_app_and_signs_in_with_it() {
    browser_test("authenticator_app", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;

        browser.visit(&app, "/account/settings").await;
        browser.click_and_load("Set up an authenticator app").await;
        browser.wait_for_path("/account/authenticator").await;
        assert!(browser.exists(".qr svg").await, "the QR code is an inline SVG");
        browser.assert_accessible().await;
        let typed_key = browser.text("#secret-key").await;
        let key = totp_rs::Secret::Encoded(typed_key.replace(' ', "")).to_bytes().unwrap();
        browser.fill("#code", &app_code(&app, &key, 0)).await;
        browser.click_and_load("Turn on").await;

        // The recovery codes, shown once, with Download and Print.
        browser.wait_for_text("h1", "Recovery codes").await;
        browser.wait_for_text("main", "This is the only time they are shown.").await;
        assert!(browser.exists("a[download='agentgate-recovery-codes.txt']").await);
        assert!(browser.exists("button[data-print]").await);
        browser.assert_accessible().await;
        browser.click_and_load("Done").await;
        browser.wait_for_text("#authenticator", "Manage authenticator app").await;

        // The next login asks for the app's code.
        browser.log_out().await;
        app.clock.advance(chrono::Duration::seconds(30));
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        browser.wait_for_text("main", "Open your authenticator app").await;
        browser.assert_accessible().await;
        browser.fill("#code", &app_code(&app, &key, 0)).await;
        browser.click_and_load("Log In").await;
        browser.wait_for_path("/").await;
        browser.wait_for_text("h1", "Welcome").await;
    })
    .await;
}

//! Changing the email address and confirming identity in a real browser:
//! from the Profile section to the new address's code, every page accessible.

use chrono::Duration;

use crate::helpers::{PASSWORD, spawn_app};
use crate::two_factor_steps::{agent_with_two_factor_on_dev_mailbox, newest_dev_mailbox_code};

use super::harness::browser_test;

#[tokio::test]
async fn an_agent_with_two_factor_confirms_it_is_them_then_changes_their_email() {
    browser_test("email_change", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        agent_with_two_factor_on_dev_mailbox(&app, &email).await;
        app.clock.advance(Duration::minutes(15));

        // Log in with a code, and let the step-up window pass.
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        let code = newest_dev_mailbox_code(&app, &email).await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Log In").await;
        browser.wait_for_path("/").await;
        app.clock.advance(Duration::minutes(11));

        // Profile -> Change email address: confirm it is you first.
        browser.visit(&app, "/account/settings").await;
        browser.wait_for_text("#step-up-help", "confirm it is you").await;
        browser.click_and_load("Change email address").await;
        browser.wait_for_path("/account/confirm-identity").await;
        browser.wait_for_text("h1", "Confirm it is you").await;
        browser.assert_accessible().await;
        browser.fill("#current_password", PASSWORD).await;
        browser.click_and_load("Continue").await;
        browser.wait_for_path("/account/confirm-identity/code").await;
        browser.assert_accessible().await;
        app.clock.advance(Duration::seconds(1));
        let code = newest_dev_mailbox_code(&app, &email).await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Confirm").await;

        // Back on the email form: the new address and the password.
        browser.wait_for_path("/account/email").await;
        browser.wait_for_text("h1", "Change email address").await;
        browser.assert_accessible().await;
        browser.fill("#new_email", "ada@lovelace.test").await;
        browser.fill("#current_password", PASSWORD).await;
        browser.click_and_load("Email me a code").await;
        browser.wait_for_path("/account/email/confirm").await;
        browser.wait_for_text("main", "a***@lovelace.test").await;
        browser.assert_accessible().await;
        app.clock.advance(Duration::seconds(1));
        let code = newest_dev_mailbox_code(&app, "ada@lovelace.test").await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Change my email address").await;
        browser.wait_for_text(".notice", "Your email address was changed").await;
        assert_eq!(browser.value("#email").await, "ada@lovelace.test");
        browser.assert_accessible().await;
    })
    .await;
}

//! SPEC §2.2 and §2.3 in a real browser, on the default configuration: the
//! newcomer turns 2FA on in Account Setting, logs out, logs in, and reads the
//! codes at /dev/mailbox.

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::{Browser, browser_test};

impl Browser {
    /// Opens /dev/mailbox and reads the newest code shown there.
    pub async fn newest_code_in_dev_mailbox(&self, app: &crate::helpers::TestApp) -> String {
        self.visit(app, "/dev/mailbox").await;
        self.wait_for_text(".mailbox-code", "").await.trim().to_owned()
    }
}

#[tokio::test]
async fn a_newcomer_turns_two_factor_on_and_logs_in_with_a_code_from_the_dev_mailbox() {
    browser_test("two_factor_newcomer", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;

        // Round button -> Account Setting -> Other Settings -> tick -> Update.
        browser.open_account_menu().await;
        browser.click_and_load("Account Setting").await;
        browser.wait_for_text("#other-heading", "Other Settings").await;
        browser.click("#two_factor_enabled").await;
        browser.click_and_load("Update").await;
        browser.wait_for_path("/account/two-factor/confirm").await;
        browser.assert_accessible().await;

        let code = browser.newest_code_in_dev_mailbox(&app).await;
        assert_eq!(code.len(), 6, "{code:?}");
        browser.assert_accessible().await;
        browser.visit(&app, "/account/two-factor/confirm").await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Confirm").await;
        browser.wait_for_text(".notice", "Two-factor authentication is on").await;
        assert!(browser.find("#two_factor_enabled").await.is_selected().await.unwrap());

        // Log out, log in: the code page, then signed in.
        browser.log_out().await;
        app.clock.advance(chrono::Duration::seconds(1));
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        browser.wait_for_text("main", "a***@acme.test").await;
        browser.assert_accessible().await;
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.visit(&app, "/login/verify").await;
        browser.fill("#code", &format!("{} {}", &code[..3], &code[3..])).await;
        browser.click_and_load("Log In").await;
        browser.wait_for_path("/").await;
        browser.wait_for_text("h1", "Welcome").await;
    })
    .await;
}

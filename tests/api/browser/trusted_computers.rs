//! SPEC §2.3 step 4 in a real browser: tick "I am on a trusted computer"
//! once and the next login on that browser skips the code; another browser
//! profile (another computer) still gets one; Forget brings the code back.

use chrono::Duration;

use crate::helpers::{PASSWORD, TestApp, spawn_app};

use super::harness::{Browser, browser_test};

impl Browser {
    /// Account Setting → tick Two factor authentication → Update → the code
    /// from /dev/mailbox → Confirm.
    async fn turn_on_two_factor(&self, app: &TestApp) {
        self.visit(app, "/account/settings").await;
        self.click("#two_factor_enabled").await;
        self.click_and_load("Update").await;
        self.wait_for_path("/account/two-factor/confirm").await;
        let code = self.newest_code_in_dev_mailbox(app).await;
        self.visit(app, "/account/two-factor/confirm").await;
        self.fill("#code", &code).await;
        self.click_and_load("Confirm").await;
        self.wait_for_text(".notice", "Two-factor authentication is on").await;
    }

    /// On the code page: the newest code from /dev/mailbox, the trusted-computer box as asked, Log In.
    async fn enter_emailed_code(&self, app: &TestApp, trusted: bool) {
        let code = self.newest_code_in_dev_mailbox(app).await;
        self.visit(app, "/login/verify").await;
        self.fill("#code", &code).await;
        if trusted {
            self.click("#trusted").await;
        }
        self.click_and_load("Log In").await;
        self.wait_for_path("/").await;
    }
}

#[tokio::test]
async fn ticking_the_box_once_skips_the_code_on_that_browser_until_it_is_forgotten() {
    browser_test("trusted_computer", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        browser.turn_on_two_factor(&app).await;
        browser.log_out().await;

        // Log in with the code and the box ticked.
        app.clock.advance(Duration::minutes(1));
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        browser.wait_for_text("label[for=trusted]", "I am on a trusted computer").await;
        browser.assert_accessible().await;
        browser.enter_emailed_code(&app, true).await;
        browser.wait_for_text(".notice", "This computer is now trusted for your account").await;
        browser.log_out().await;

        // Again on this browser: the password alone.
        app.clock.advance(Duration::minutes(1));
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/").await;
        browser.wait_for_text(".notice", "You were not asked for a code because this computer is trusted").await;
        browser.assert_accessible().await;

        // Another computer still gets a code.
        let other = browser.another_profile("other_computer").await;
        app.clock.advance(Duration::minutes(1));
        other.submit_login(&app, &email, PASSWORD).await;
        other.wait_for_path("/login/verify").await;
        other.wait_for_text("main", "We emailed a 6-digit code").await;

        // Account Setting lists this computer; Forget brings the code back.
        browser.open_account_menu().await;
        browser.click_and_load("Account Setting").await;
        browser.wait_for_text("#trusted-heading", "Trusted computers").await;
        browser.wait_for_text(".trusted-item", "This computer").await;
        browser.assert_accessible().await;
        browser.click_and_load("Forget").await;
        browser.wait_for_text(".notice", "That computer is forgotten").await;
        browser.wait_for_text("#trusted-computers", "No computer is trusted").await;
        browser.log_out().await;
        app.clock.advance(Duration::minutes(1));
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
    })
    .await;
}

//! Logging in and out in a browser, and the failed-login message.

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn a_wrong_password_is_announced_and_the_email_kept() {
    browser_test("login_failed", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;

        browser.submit_login(&app, &email, "not the password at all").await;

        let alert = browser.wait_for_text("[role=alert]", "do not match").await;
        assert_eq!(alert, "That email and password do not match an active account.");
        assert_eq!(browser.path().await, "/login");
        assert_eq!(browser.value("#email").await, email);
        assert_eq!(browser.value("#password").await, "", "a rejected password is not sent back");
        assert_eq!(browser.focused().await, "input#password", "the email is kept, so the password field has the focus");
        browser.assert_accessible().await;
    })
    .await;
}

#[tokio::test]
async fn log_out_from_the_round_button_ends_the_session() {
    browser_test("logout", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;

        browser.open_account_menu().await;
        browser.wait_for_text(".account-menu .menu", "Account Setting").await;
        browser.wait_for_text(".account-menu .menu", "Log out").await;
        browser.assert_accessible().await;
        browser.click_and_load("Log out").await;

        browser.wait_for_path("/login").await;
        browser.wait_for_text("[role=status]", "You have been logged out.").await;
        assert!(!browser.exists("summary.avatar").await, "no round button once logged out");
        assert_eq!(app.session_count().await, 0);
        // The signed-in pages are closed to this browser now.
        browser.visit(&app, "/account/settings").await;
        browser.wait_for_path("/login").await;
        browser.assert_accessible().await;
    })
    .await;
}

#[tokio::test]
async fn a_signed_out_visit_to_a_page_returns_there_after_login() {
    browser_test("login_next", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.visit(&app, "/account/settings").await;
        browser.wait_for_path("/login").await;

        browser.fill("#email", &email).await;
        browser.fill("#password", PASSWORD).await;
        browser.click_and_load("Log In").await;

        browser.wait_for_path("/account/settings").await;
        browser.wait_for_text("h1", "Account Setting").await;
    })
    .await;
}

#[tokio::test]
async fn another_browser_profile_is_not_signed_in() {
    browser_test("second_profile", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        assert!(browser.exists("summary.avatar").await);

        let other = browser.another_profile("other").await;
        other.visit(&app, "/").await;
        other.wait_for_path("/login").await;
        assert!(!other.exists("summary.avatar").await, "the other profile has no session");
        assert_eq!(app.session_count().await, 1);
    })
    .await;
}

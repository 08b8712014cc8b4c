//! First run in a browser: the setup link creates the company and its admin,
//! who then logs in and lands on the home page.

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;
use super::journeys::ADMIN_EMAIL;

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_who_then_logs_in() {
    browser_test("first_run_setup", |browser| async move {
        let app = spawn_app().await;
        browser.open_setup_link(&app).await;
        assert_eq!(browser.title().await, "Set up AgentGate · AgentGate");
        browser.wait_for_text("h1", "Set up AgentGate").await;
        browser.assert_accessible().await;

        browser.complete_setup(&app, PASSWORD).await;
        browser.wait_for_text("[role=status]", "Your company is ready").await;
        assert_eq!(browser.title().await, "Log in · AgentGate");
        browser.assert_accessible().await;

        browser.log_in(&app, ADMIN_EMAIL, PASSWORD).await;
        assert_eq!(browser.path().await, "/");
        browser.wait_for_text("h1", "Welcome, Ada Admin").await;
        browser.wait_for_text("summary.avatar", "AA").await;
        assert_eq!(browser.title().await, "Home · AgentGate");
        browser.assert_accessible().await;
    })
    .await;
}

#[tokio::test]
async fn setup_mistakes_are_announced_and_the_typed_values_kept() {
    browser_test("first_run_setup_errors", |browser| async move {
        let app = spawn_app().await;
        browser.open_setup_link(&app).await;
        browser.fill("#company", "Acme Support").await;
        browser.fill("#name", "Ada Admin").await;
        browser.fill("#email", ADMIN_EMAIL).await;
        browser.fill("#password", PASSWORD).await;
        browser.fill("#password_confirm", "a different password entirely").await;
        browser.click_and_load("Create company").await;

        browser.wait_for_text("[role=alert]", "Password").await;
        assert_eq!(browser.value("#company").await, "Acme Support");
        assert_eq!(browser.value("#email").await, ADMIN_EMAIL);
        browser.assert_accessible().await;
    })
    .await;
}

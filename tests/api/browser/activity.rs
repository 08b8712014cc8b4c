//! The Activity page and Account Setting's recent sign-ins in a browser:
//! reached from the top bar, filtered with the form, accessible.

use crate::helpers::{PASSWORD, login_with, new_browser, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn an_admin_filters_the_activity_page_and_sees_their_sign_ins() {
    browser_test("activity", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        app.add_agent(&email, "Bob Agent", "bob@acme.test", agentgate::domain::Role::Agent).await;
        login_with(&new_browser(), &app.address, "bob@acme.test", "not bob's password at all").await;
        browser.log_in(&app, &email, PASSWORD).await;

        browser.click_and_load("Activity").await;
        browser.wait_for_path("/activity").await;
        browser.wait_for_text("h1", "Activity").await;
        browser.wait_for_text("tbody", "Sign-in failed").await;
        browser.assert_accessible().await;

        browser.fill("#email", "bob@acme.test").await;
        browser.click_and_load("Filter").await;
        browser.wait_for_text("[role=status]", "Showing the activity of Bob Agent").await;
        assert!(!browser.text("tbody").await.contains("Signed in"), "Ada's sign-in is filtered out");
        browser.assert_accessible().await;

        browser.visit(&app, "/account/settings").await;
        browser.wait_for_text("#sign-ins-heading", "Recent sign-ins").await;
        browser.assert_accessible().await;
    })
    .await;
}

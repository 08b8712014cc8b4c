//! The sessions page and an admin's "Sign out everywhere", in a real browser.

use agentgate::domain::Role;
use fantoccini::Locator;

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn an_agent_signs_out_their_other_browser_from_account_setting() {
    browser_test("sessions", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        let laptop = browser.another_profile("laptop").await;
        laptop.log_in(&app, &email, PASSWORD).await;

        browser.visit(&app, "/account/settings").await;
        browser.wait_for_text("#sessions", "This session").await;
        let rows = browser.client().find_all(Locator::Css("#sessions tbody tr")).await.unwrap();
        assert_eq!(rows.len(), 2, "both browsers are listed");
        browser.assert_accessible().await;

        // Sign out the row that is not this session.
        browser.mark_page().await;
        browser.click("#sessions tbody tr:not(:has(.badge)) button").await;
        browser.wait_for_new_page().await;
        browser.wait_for_text("[role=status]", "That session is signed out").await;
        assert_eq!(app.session_count().await, 1);

        laptop.visit(&app, "/account/settings").await;
        laptop.wait_for_path("/login").await;
    })
    .await;
}

#[tokio::test]
async fn an_admin_signs_an_agent_out_everywhere() {
    browser_test("sign_out_everywhere", |browser| async move {
        let app = spawn_app().await;
        let admin = app.complete_setup().await;
        let bo_id = app.add_agent(&admin, "Bo Agent", "bo@acme.test", Role::Agent).await;
        let bo = browser.another_profile("bo").await;
        bo.log_in(&app, "bo@acme.test", PASSWORD).await;

        browser.log_in(&app, &admin, PASSWORD).await;
        browser.visit(&app, &format!("/agents/{bo_id}")).await;
        browser.wait_for_text("#sessions", "Signed-in sessions").await;
        browser.click_and_load("Sign out everywhere").await;
        browser.wait_for_text("h1", "Sign Bo Agent out everywhere?").await;
        browser.assert_accessible().await;
        browser.click_and_load("Sign out everywhere").await;
        browser.wait_for_text("[role=status]", "signed out everywhere").await;
        browser.wait_for_text("#sessions", "Not signed in anywhere now.").await;

        bo.visit(&app, "/").await;
        bo.wait_for_path("/login").await;
    })
    .await;
}

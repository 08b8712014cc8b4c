//! Error pages in a browser: they explain, are announced, and lead back.

use crate::helpers::spawn_app;

use super::harness::browser_test;

#[tokio::test]
async fn an_unknown_page_explains_itself_and_links_back() {
    browser_test("error_not_found", |browser| async move {
        let app = spawn_app().await;
        browser.visit(&app, "/no/such/page").await;

        assert_eq!(browser.title().await, "Page not found · AgentGate");
        browser.wait_for_text("h1", "Page not found").await;
        browser.wait_for_text("[role=alert]", "does not exist").await;
        browser.assert_accessible().await;

        browser.click_and_load("Go to the start page").await;
        browser.wait_for_path("/login").await;
    })
    .await;
}

#[tokio::test]
async fn a_used_setup_link_is_closed() {
    browser_test("error_setup_closed", |browser| async move {
        let app = spawn_app().await;
        app.complete_setup().await;

        browser.open_setup_link(&app).await;
        browser.wait_for_text("h1", "Page not found").await;
        browser.assert_accessible().await;
    })
    .await;
}

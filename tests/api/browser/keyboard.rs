//! The journey with the keyboard alone: no click anywhere.

use fantoccini::key::Key;

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn log_in_and_open_account_setting_with_the_keyboard_only() {
    browser_test("keyboard_only", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.visit(&app, "/login").await;

        // The email field has the focus when the page opens.
        assert_eq!(browser.focused().await, "input#email");
        browser.type_text(&email).await;
        browser.press(Key::Tab).await;
        assert_eq!(browser.focused().await, "input#password");
        browser.type_text(PASSWORD).await;
        browser.press_and_load(Key::Enter).await;
        browser.wait_for_text("h1", "Welcome, Ada Admin").await;

        // Tab to the round button; every stop shows where the focus is.
        browser.tab_to("summary \"AA\"").await;
        assert!(browser.focus_is_visible().await, "the round button shows a focus ring");
        browser.press(Key::Enter).await;
        browser.wait_until_visible(".account-menu .menu").await;

        browser.tab_to("a \"Account Setting\"").await;
        assert!(browser.focus_is_visible().await, "the menu item shows a focus ring");
        browser.press_and_load(Key::Enter).await;
        browser.wait_for_path("/account/settings").await;

        // Change the name and press Save profile, still without the mouse.
        browser.tab_to("input#name").await;
        // Tabbing into a field selects its text: End keeps it and adds to it.
        browser.press(Key::End).await;
        browser.type_text(" Byron").await;
        browser.tab_to("button \"Save profile\"").await;
        assert!(browser.focus_is_visible().await, "the Save profile button shows a focus ring");
        browser.press_and_load(Key::Enter).await;
        browser.wait_for_text("[role=status]", "Your settings were updated.").await;
        assert_eq!(browser.value("#name").await, "Ada Admin Byron");

        // And log out: round button, Tab to Log out, Enter.
        browser.tab_to("summary \"AA\"").await;
        browser.press(Key::Enter).await;
        browser.tab_to("button \"Log out\"").await;
        browser.press_and_load(Key::Enter).await;
        browser.wait_for_path("/login").await;
    })
    .await;
}

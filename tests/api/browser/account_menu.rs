//! The account menu (the round button with the initials) closes as menus do:
//! on Escape, giving the focus back to the button, and on a click or a Tab
//! outside it (static/menu.js; without script it is a plain <details>).

use fantoccini::key::Key;

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::{Browser, browser_test};

impl Browser {
    async fn wait_until_menu_closed(&self, after: &str) {
        let closed = self.poll(|| async { (!self.exists("details.account-menu[open]").await).then_some(()) }).await;
        assert!(closed.is_some(), "the account menu is still open after {after}");
        assert!(!self.find(".account-menu .menu").await.is_displayed().await.unwrap(), "its items are hidden after {after}");
    }
}

#[tokio::test]
async fn the_account_menu_closes_on_escape_and_on_a_click_outside() {
    browser_test("account_menu_closes", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        browser.wait_for_text("h1", "Welcome, Ada Admin").await;

        // Escape closes it and gives the focus back to the round button.
        browser.open_account_menu().await;
        browser.press(Key::Escape).await;
        browser.wait_until_menu_closed("Escape").await;
        assert_eq!(browser.focused().await, "summary \"AA\"");

        // Escape from inside the menu too.
        browser.press(Key::Enter).await;
        browser.wait_until_visible(".account-menu .menu").await;
        browser.tab_to("a \"Account Setting\"").await;
        browser.press(Key::Escape).await;
        browser.wait_until_menu_closed("Escape on a menu item").await;
        assert_eq!(browser.focused().await, "summary \"AA\"");

        // A click anywhere else on the page closes it.
        browser.open_account_menu().await;
        browser.click("main h1").await;
        browser.wait_until_menu_closed("a click on the page").await;

        // The round button still toggles it, and its items still work.
        browser.open_account_menu().await;
        browser.click("summary.avatar").await;
        browser.wait_until_menu_closed("a second click on the round button").await;
        browser.open_account_menu().await;
        browser.click_and_load("Account Setting").await;
        browser.wait_for_path("/account/settings").await;
        browser.log_out().await;
    })
    .await;
}

//! Account Setting in a browser: reached through the round button, it changes
//! the name (Save profile) and the password (Change password), each section
//! saving on its own.

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

const NEW_PASSWORD: &str = "a brand new long passphrase";

#[tokio::test]
async fn the_round_button_leads_to_account_setting_where_the_name_changes() {
    browser_test("account_setting_name", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;

        browser.open_account_menu().await;
        browser.click_and_load("Account Setting").await;
        browser.wait_for_path("/account/settings").await;
        browser.wait_for_text("h1", "Account Setting").await;
        assert_eq!(browser.title().await, "Account Setting · AgentGate");
        assert_eq!(browser.value("#name").await, "Ada Admin");
        browser.assert_accessible().await;

        browser.fill("#name", "Ada Lovelace").await;
        browser.click_and_load("Save profile").await;

        browser.wait_for_text("[role=status]", "Your settings were updated.").await;
        assert_eq!(browser.value("#name").await, "Ada Lovelace");
        browser.wait_for_text("summary.avatar", "AL").await;
        browser.assert_accessible().await;
    })
    .await;
}

#[tokio::test]
async fn a_password_change_is_checked_then_used_at_the_next_login() {
    browser_test("account_setting_password", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        browser.visit(&app, "/account/settings").await;

        // A typo in the confirmation: nothing changes and the page says why.
        browser.fill("#current_password", PASSWORD).await;
        browser.fill("#new_password", NEW_PASSWORD).await;
        browser.fill("#confirm_password", "a brand new long passphrasf").await;
        browser.click_and_load("Change password").await;
        browser.wait_for_text("[role=alert]", "New password").await;
        browser.assert_accessible().await;

        browser.fill("#current_password", PASSWORD).await;
        browser.fill("#new_password", NEW_PASSWORD).await;
        browser.fill("#confirm_password", NEW_PASSWORD).await;
        browser.click_and_load("Change password").await;
        browser.wait_for_text("[role=status]", "Your password was changed.").await;

        browser.log_out().await;
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_text("[role=alert]", "do not match").await;
        browser.log_in(&app, &email, NEW_PASSWORD).await;
        browser.wait_for_text("h1", "Welcome").await;
    })
    .await;
}

#[tokio::test]
async fn the_browsers_time_zone_is_suggested_and_chosen_with_one_click() {
    browser_test("account_setting_time_zone", |browser| async move {
        use agentgate::db::schema::agents;
        use diesel::prelude::*;

        let app = spawn_app().await;
        let email = app.complete_setup().await;
        browser.log_in(&app, &email, PASSWORD).await;
        browser.visit(&app, "/account/settings").await;
        let own = browser.client().execute("return Intl.DateTimeFormat().resolvedOptions().timeZone", vec![]).await.expect("the browser's zone");
        let own = match own.as_str().unwrap_or_default() {
            "Etc/UTC" | "Etc/GMT" | "GMT" | "UCT" | "Universal" | "Zulu" => "UTC".to_owned(),
            zone => zone.to_owned(),
        };
        // Ada's zone is another one: the page offers the browser's.
        let other = if own == "Asia/Tokyo" { "Europe/Warsaw" } else { "Asia/Tokyo" };
        let address = email.clone();
        app.db(move |conn| diesel::update(agents::table.filter(agents::email.eq(&address))).set(agents::time_zone.eq(other)).execute(conn).unwrap()).await;
        browser.visit(&app, "/account/settings").await;
        assert_eq!(browser.value("#time_zone").await, other);
        browser.wait_until_visible("#time-zone-browser").await;
        browser.wait_for_text("#time-zone-browser", &format!("Your browser is set to {own}.")).await;
        browser.assert_accessible().await;

        browser.click_on(&format!("Use {own}")).await;
        assert_eq!(browser.value("#time_zone").await, own);
        let hidden = browser.client().execute("return document.getElementById('time-zone-browser').hidden", vec![]).await.unwrap();
        assert_eq!(hidden.as_bool(), Some(true), "the hint goes once its zone is chosen");
        assert!(browser.focused().await.contains("time_zone"), "the focus moves to the list: {}", browser.focused().await);

        browser.click_and_load("Save profile").await;
        browser.wait_for_text("[role=status]", "Your settings were updated.").await;
        let address = email.clone();
        let stored: Option<String> = app.db(move |conn| agents::table.filter(agents::email.eq(&address)).select(agents::time_zone).first(conn).unwrap()).await;
        assert_eq!(stored.as_deref(), Some(own.as_str()));
        assert!(!browser.find("#time-zone-browser").await.is_displayed().await.unwrap(), "no hint once the zones agree");
    })
    .await;
}

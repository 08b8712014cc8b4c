//! The README's screenshots, made by a test so they always show the current
//! pages. `scripts/screenshots` runs this test with
//! `AGENTGATE_README_SCREENSHOTS=docs/screenshots`; in the normal test run
//! they go to `target/screenshots/readme/`.

use std::path::PathBuf;

use agentgate::domain::{Role, TwoFactorStatus};

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::{Browser, browser_test, screenshot_dir};

/// Width of the README's desktop screenshots: wide enough to look like a
/// laptop, small enough to keep the PNGs light.
const README_WIDTH: u32 = 1024;

fn readme_dir() -> PathBuf {
    match std::env::var_os("AGENTGATE_README_SCREENSHOTS") {
        Some(dir) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir),
        None => screenshot_dir().join("readme"),
    }
}

async fn save(browser: &Browser, name: &str) {
    browser.save_screenshot_to(&readme_dir().join(format!("{name}.png"))).await;
}

#[tokio::test]
async fn readme_screenshots() {
    browser_test("readme_screenshots", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;

        browser.visit(&app, "/login").await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "login").await;

        browser.log_in(&app, &email, PASSWORD).await;
        browser.open_account_menu().await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "home-menu").await;

        browser.visit(&app, "/account/settings").await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "account-setting").await;

        // Two-factor authentication on, then the code page of the next login.
        browser.click("#two_factor_enabled").await;
        browser.click_and_load("Update").await;
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "dev-mailbox").await;
        browser.visit(&app, "/account/two-factor/confirm").await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Confirm").await;
        browser.log_out().await;
        browser.submit_login(&app, &email, PASSWORD).await;
        browser.wait_for_path("/login/verify").await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "login-code").await;
        browser.visit(&app, "/login").await;

        browser.fit_to_page(320).await;
        save(&browser, "login-phone").await;

        // The Agents tab, with a few colleagues in each 2FA state.
        for (name, address, state) in [
            ("Bob Okafor", "bob@acme.test", TwoFactorStatus::Enabled),
            ("Carol Jensen", "carol@acme.test", TwoFactorStatus::Pending),
            ("Dan Silva", "dan@acme.test", TwoFactorStatus::Disabled),
        ] {
            let id = app.add_agent(&email, name, address, Role::Agent).await;
            app.db(move |conn| agentgate::db::models::Agent::set_two_factor(conn, &id, state).unwrap()).await;
        }
        browser.fit_to_page(README_WIDTH).await;
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.visit(&app, "/login/verify").await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Log In").await;
        browser.visit(&app, "/agents").await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "agents").await;
    })
    .await;
}

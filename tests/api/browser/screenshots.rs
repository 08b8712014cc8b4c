//! The README's screenshots, made by a test so they always show the current
//! pages. `scripts/screenshots` runs this test with
//! `AGENTGATE_README_SCREENSHOTS=docs/screenshots`; in the normal test run
//! they go to `target/screenshots/readme/`.

use std::path::PathBuf;

use crate::agents_support::Seed;
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

/// The page as it is, `width` wide and as tall as its content, saved as a
/// README screenshot (other journeys add theirs: the Polish one).
pub(super) async fn save_readme(browser: &Browser, name: &str, width: u32) {
    browser.fit_to_page(width).await;
    save(browser, name).await;
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

        // The Agents tab with a few agents of each status.
        let company = crate::agents_support::company_of(&app, &email).await;
        crate::agents_support::seed_agents(
            &app,
            &company,
            vec![
                Seed::new("Grace Hopper", "grace@acme.test").two_factor("enabled").last_login(app.clock_now() - chrono::Duration::hours(3)),
                Seed::new("Alan Turing", "alan@acme.test").two_factor("pending").last_login(app.clock_now() - chrono::Duration::days(2)),
                Seed::new("Linus Torvalds", "linus@acme.test").last_login(app.clock_now() - chrono::Duration::days(9)),
                Seed::new("Radia Perlman", "radia@acme.test").invited(),
                Seed::new("Ken Thompson", "ken@acme.test").two_factor("enabled").deactivated(),
            ],
        )
        .await;
        browser.visit(&app, "/agents").await;
        // The table has seven columns: a wider window shows them without scrolling.
        browser.fit_to_page(1280).await;
        save(&browser, "agents").await;
        // Adding an authenticator app: the QR page (before any factor is on).
        browser.visit(&app, "/account/authenticator").await;
        browser.fit_to_page(README_WIDTH).await;
        save(&browser, "authenticator").await;
        browser.visit(&app, "/account/settings").await;

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
    })
    .await;
}

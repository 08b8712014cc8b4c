//! Every page fits a 320 px wide phone without sideways scrolling, and a wide
//! screen without stretching. The screenshots are saved for a person to look at:
//! `target/screenshots/narrow-*.png` and `wide-*.png`.

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::{Browser, browser_test};

const NARROW: u32 = 320;
const WIDE: u32 = 1920;

async fn check_both_widths(browser: &Browser, page: &str) {
    for (label, width) in [("narrow", NARROW), ("wide", WIDE)] {
        browser.fit_to_page(width).await;
        browser.assert_no_horizontal_scroll().await;
        browser.screenshot(&format!("{label}-{page}")).await;
    }
    browser.resize(NARROW, 640).await;
}

#[tokio::test]
async fn pages_fit_from_320_px_to_wide_screens() {
    browser_test("responsive", |browser| async move {
        let app = spawn_app().await;
        browser.open_setup_link(&app).await;
        check_both_widths(&browser, "setup").await;

        let email = browser.complete_setup(&app, PASSWORD).await;
        check_both_widths(&browser, "login").await;

        browser.submit_login(&app, &email, "a wrong password, long enough").await;
        check_both_widths(&browser, "login-error").await;

        browser.log_in(&app, &email, PASSWORD).await;
        browser.open_account_menu().await;
        check_both_widths(&browser, "home-menu").await;
        // The open menu stays inside a narrow screen.
        let (x, _, width, _) = browser.find(".account-menu .menu").await.rectangle().await.expect("menu box");
        assert!(x >= 0.0 && x + width <= f64::from(NARROW), "the menu overflows a 320 px screen: x={x}, width={width}");

        browser.visit(&app, "/account/settings").await;
        check_both_widths(&browser, "account-setting").await;

        browser.visit(&app, "/no/such/page").await;
        check_both_widths(&browser, "error").await;
    })
    .await;
}

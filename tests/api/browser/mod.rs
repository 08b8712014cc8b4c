//! Journeys in a real browser: headless Chromium driven through WebDriver
//! against the real server (see `harness` for how, and the README section
//! "Browser tests" for what to install).
//!
//! To test a new page: write `browser_test("what_it_proves", |browser| async
//! move { ... })` in a module here, drive the page with the helpers of
//! `Browser` (`visit`, `fill`, `click_and_load`, `wait_for_text`, ...), and
//! call `browser.assert_accessible()` on each page the journey shows.

mod accessibility;
mod harness;
mod journeys;

mod account;
mod errors;
mod first_run;
mod keyboard;
mod login;
mod responsive;
mod screenshots;

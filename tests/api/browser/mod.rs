//! Journeys in a real browser: headless Chromium driven through WebDriver
//! against the real server (see `harness` for how, and the README section
//! "Browser tests" for what to install).
//!
//! # Adding a browser test for a new page
//!
//! 1. Add a module here (`mod agents;`) with one `#[tokio::test]` per journey,
//!    whose body is `browser_test("unique_name", |browser| async move { ... }).await`.
//!    The name becomes `target/screenshots/unique_name.png` (the last page).
//! 2. Inside: `let app = spawn_app().await;` (or `spawn_app_with(env)`), arrange
//!    with the HTTP helpers (`app.complete_setup()`, `app.add_agent(..)`,
//!    `app.db(..)`), then act as a user with `Browser`:
//!    - `browser.open_setup_link(&app)`, `browser.complete_setup(&app, PASSWORD)`,
//!      `browser.log_in(&app, email, password)`,
//!      `browser.submit_login(..)` (when the login should fail), `browser.open_account_menu()`,
//!      `browser.log_out()` (journeys.rs);
//!    - `visit(&app, path)`, `fill(css, text)`, `click(css)`, `click_on("Update")`
//!      (a button or link by its words), `click_and_load("Update")` (and wait for
//!      the next page), `press(Key::Tab)`, `press_and_load(Key::Enter)`,
//!      `type_text(..)`, `tab_to("button \"Update\"")`, `focused()`;
//!    - wait and read: `wait_for_path("/agents")`, `wait_for_text(css, words)`,
//!      `wait_until_visible(css)`, `text(css)`, `value(css)`, `exists(css)`, `title()`;
//!    - another computer: `browser.another_profile("label")` (its own cookies).
//! 3. On every page the journey shows, call `browser.assert_accessible().await`
//!    (labels on every field + axe-core: no serious or critical violation).
//! 4. For a README screenshot, add a `save(&browser, "name")` step to
//!    `screenshots.rs` and run `scripts/screenshots`.
//!
//! Never sleep: every helper polls until the page is ready, for up to
//! `harness::TIMEOUT`.

mod accessibility;
mod harness;
mod journeys;

mod account;
mod account_menu;
mod activity;
mod authenticator;
mod passkeys;
mod polish;
mod finish;
mod agents_tab;
mod agents;
mod email_change;
mod errors;
mod first_run;
mod keyboard;
mod login;
mod responsive;
mod screenshots;
mod sessions;
mod trusted_computers;
mod two_factor;

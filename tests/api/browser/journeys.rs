//! Steps many browser tests share, written as a user does them: through the
//! page's own fields and buttons, never by posting forms behind the page's back.

use crate::helpers::TestApp;

use super::harness::Browser;

/// The first admin that [`Browser::complete_setup`] creates.
pub const ADMIN_NAME: &str = "Ada Admin";
pub const ADMIN_EMAIL: &str = "ada@acme.test";

impl Browser {
    /// Opens the one-time setup link the app printed at start.
    pub async fn open_setup_link(&self, app: &TestApp) {
        let link = app.setup_link.clone().expect("a fresh app prints a setup link");
        self.visit(app, link.trim_start_matches(&app.address)).await;
    }

    /// Opens the app's one-time setup link, creates "Acme Support" with
    /// Ada Admin (`ADMIN_EMAIL`, `password`), and waits for the login page.
    /// Returns the admin's email.
    pub async fn complete_setup(&self, app: &TestApp, password: &str) -> String {
        self.open_setup_link(app).await;
        self.fill("#company", "Acme Support").await;
        self.fill("#name", ADMIN_NAME).await;
        self.fill("#email", ADMIN_EMAIL).await;
        self.fill("#password", password).await;
        self.fill("#password_confirm", password).await;
        self.click_and_load("Create company").await;
        self.wait_for_path("/login").await;
        ADMIN_EMAIL.to_owned()
    }

    /// Opens `/login`, types `email` and `password` and clicks **Log In**,
    /// then waits for the answer page (whatever it is).
    pub async fn submit_login(&self, app: &TestApp, email: &str, password: &str) {
        self.visit(app, "/login").await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click_and_load("Log In").await;
    }

    /// Logs in through the login page and waits until the browser has left it
    /// (on the home page, or wherever the app sends the agent next).
    pub async fn log_in(&self, app: &TestApp, email: &str, password: &str) {
        self.submit_login(app, email, password).await;
        let path = self.path().await;
        if path == "/login" || path.starts_with("/login?") {
            let page = self.text("main").await;
            panic!("logging in as {email} did not leave the login page: {page}");
        }
    }

    /// Clicks the round button with the initials and waits until its menu shows.
    pub async fn open_account_menu(&self) {
        self.click("summary.avatar").await;
        self.wait_until_visible(".account-menu .menu").await;
    }

    /// Round button → **Log out**, then waits for the login page.
    pub async fn log_out(&self) {
        self.open_account_menu().await;
        self.click_and_load("Log out").await;
        self.wait_for_path("/login").await;
    }
}

//! The steps of the 2FA journeys, as a browser takes them: reused by every
//! journey file so each test reads as the story it checks.

use agentgate::db::schema::outbox;
use agentgate::mail::outbox::OutboxRow;
use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Client, Response};

use crate::helpers::{ExtraEnv, PASSWORD, TestApp, get_with, location, login_with, spawn_app_with, submit_form_with};
use crate::mail_server::TestSmtp;

/// An app that delivers its email to a fresh SMTP server inside the test.
pub async fn spawn_app_with_smtp() -> (TestApp, TestSmtp) {
    spawn_app_with_smtp_and(Vec::new()).await
}

pub async fn spawn_app_with_smtp_and(extra: ExtraEnv) -> (TestApp, TestSmtp) {
    let smtp = TestSmtp::start();
    let mut env = smtp.env();
    env.extend(extra);
    (spawn_app_with(env).await, smtp)
}

impl TestApp {
    /// Moves the app's clock forward and lets the outbox worker look again
    /// (a retry may have come due).
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.state.wake_mailer();
    }

    /// Queues `count` security notices (they never expire) to
    /// agent{first}@acme.test and on, and wakes the worker.
    pub async fn queue_notices(&self, first: usize, count: usize) {
        let now = self.clock_now();
        self.db(move |conn| {
            for n in first..first + count {
                let email = agentgate::mail::Email {
                    kind: agentgate::mail::EmailKind::SecurityNotice,
                    to: agentgate::domain::EmailAddress::parse(&format!("agent{n}@acme.test")).unwrap(),
                    subject: format!("Notice {n}"),
                    text: format!("Notice number {n}."),
                    html: format!("<p>Notice number {n}.</p>"),
                    useful_until: None,
                    challenge_id: None,
                };
                agentgate::mail::outbox::enqueue(conn, &email, now).unwrap();
            }
        })
        .await;
        self.state.wake_mailer();
    }

    /// The outbox statuses, oldest first.
    pub async fn outbox_statuses(&self) -> Vec<String> {
        self.db(|conn| outbox::table.order(outbox::created_at.asc()).select(outbox::status).load::<String>(conn).unwrap()).await
    }

    /// The outbox rows, oldest first.
    pub async fn outbox_rows(&self) -> Vec<OutboxRow> {
        self.db(|conn| outbox::table.order(outbox::created_at.asc()).select(OutboxRow::as_select()).load(conn).unwrap()).await
    }

    /// Waits (polling, up to 10 s) until the outbox rows satisfy `done`.
    pub async fn wait_for_outbox(&self, what: &str, done: impl Fn(&[OutboxRow]) -> bool) -> Vec<OutboxRow> {
        let started = std::time::Instant::now();
        loop {
            let rows = self.outbox_rows().await;
            if done(&rows) {
                return rows;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "the outbox never showed {what}: {rows:#?}");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Waits (polling, up to 10 s) until no email is queued or being sent.
    pub async fn outbox_settled(&self) {
        let started = std::time::Instant::now();
        loop {
            let busy = self.outbox_statuses().await.iter().any(|s| s == "pending" || s == "sending");
            if !busy {
                return;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "the outbox never settled: {:?}", self.outbox_statuses().await);
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// Posts Account Setting with the Two factor authentication box ticked or not.
pub async fn set_two_factor_box(client: &Client, address: &str, name: &str, ticked: bool, current_password: &str) -> Response {
    let mut fields = vec![("name", name), ("two_factor_shown", "1"), ("current_password", current_password)];
    if ticked {
        fields.push(("two_factor_enabled", "on"));
    }
    submit_form_with(client, address, "/account/settings", "/account/settings", &fields).await
}

/// Enters a confirmation code on `/account/two-factor/confirm`.
pub async fn confirm_code(client: &Client, address: &str, code: &str) -> Response {
    submit_form_with(client, address, "/account/two-factor/confirm", "/account/two-factor/confirm", &[("code", code)]).await
}

/// Turns 2FA on for the agent signed in on `client`, reading the
/// confirmation code from the email, as the agent would.
pub async fn enable_two_factor(client: &Client, app: &TestApp, smtp: &TestSmtp, email: &str, name: &str) {
    let response = set_two_factor_box(client, &app.address, name, true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    let code = smtp.expect_email(email, "confirmation code").await.code();
    let response = confirm_code(client, &app.address, &code).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_enabled");
    // The "two-factor authentication is on" notice.
    smtp.expect_email(email, "two-factor authentication is on").await;
}

/// Signs in with the password only (2FA off) and turns 2FA on; then logs out.
pub async fn agent_with_two_factor(app: &TestApp, smtp: &TestSmtp, email: &str, name: &str) {
    let browser = crate::helpers::new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, email, PASSWORD).await), "/");
    enable_two_factor(&browser, app, smtp, email, name).await;
    let response = submit_form_with(&browser, &app.address, "/", "/logout", &[]).await;
    assert_eq!(response.status(), 303);
}

/// The password step of a login that needs a code: ends on the code page.
pub async fn password_step(client: &Client, address: &str, email: &str) {
    let response = login_with(client, address, email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/login/verify");
}

/// Enters a code on the code page (`trusted`: the trusted-computer box).
pub async fn submit_code(client: &Client, address: &str, code: &str) -> Response {
    submit_form_with(client, address, "/login/verify", "/login/verify", &[("code", code)]).await
}

/// Posts a code with an already known CSRF token (for concurrent requests).
pub async fn post_code(client: &Client, address: &str, token: &str, code: &str) -> Response {
    client.post(format!("{address}/login/verify")).form(&[("csrf_token", token), ("code", code)]).send().await.expect("request sent")
}

/// The CSRF token of the code page.
pub async fn code_page_token(client: &Client, address: &str) -> String {
    let page = get_with(client, &format!("{address}/login/verify")).await.text().await.unwrap();
    crate::helpers::csrf_token_in(&page).expect("the code page has a form")
}

/// "Resend code".
pub async fn resend_code(client: &Client, address: &str) -> Response {
    submit_form_with(client, address, "/login/verify", "/login/resend", &[]).await
}

/// True when `client` is signed in (the home page opens).
pub async fn is_signed_in(client: &Client, address: &str) -> bool {
    get_with(client, &format!("{address}/")).await.status() == 200
}

/// A six-digit code that is not `code`.
pub fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// The newest code emailed to `to`, as /dev/mailbox shows it (the default
/// `mailbox` transport; it lists newest first, so move the clock between
/// two emails to one address).
pub async fn newest_dev_mailbox_code(app: &TestApp, to: &str) -> String {
    let page = get_with(&crate::helpers::new_browser(), &app.url(&format!("/dev/mailbox?to={to}"))).await.text().await.unwrap();
    let marker = "data-code=\"";
    let start = page.find(marker).unwrap_or_else(|| panic!("a code for {to} at /dev/mailbox")) + marker.len();
    page[start..start + 6].to_owned()
}

/// Turns 2FA on for `email` (2FA off, password [`PASSWORD`]) on the default
/// `mailbox` transport, in a browser of its own that then logs out.
pub async fn agent_with_two_factor_on_dev_mailbox(app: &TestApp, email: &str) {
    let browser = crate::helpers::new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, email, PASSWORD).await), "/");
    let response = set_two_factor_box(&browser, &app.address, "Ada Admin", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    let code = newest_dev_mailbox_code(app, email).await;
    assert_eq!(location(&confirm_code(&browser, &app.address, &code).await), "/account/settings?notice=two_factor_enabled");
    assert_eq!(submit_form_with(&browser, &app.address, "/", "/logout", &[]).await.status(), 303);
}

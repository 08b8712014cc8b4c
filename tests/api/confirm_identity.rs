//! Step-up re-authentication (issue 8): turning 2FA off, changing the email
//! address and changing the password need the current password — and, with
//! 2FA on, a code — within the last 10 minutes; `/account/confirm-identity`
//! provides them and sends the browser back.

use agentgate::db::schema::{agents, audit_events, code_lockouts};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Client, Response};

use crate::helpers::{PASSWORD, TestApp, change_password_with, get_with, location, login_with, new_browser, submit_form_with};
use crate::mail_server::TestSmtp;
use crate::two_factor_steps::{agent_with_two_factor, other_code, password_step, set_two_factor_box, spawn_app_with_smtp, spawn_app_with_smtp_and, submit_code};

const NEW_PASSWORD: &str = "another long passphrase indeed";
const TO_SETTINGS: &str = "/account/confirm-identity?next=%2Faccount%2Fsettings";

/// An app whose admin (`ada@acme.test`) has 2FA on and is signed in with a
/// code on the returned browser.
async fn signed_in_with_two_factor() -> (TestApp, TestSmtp, String, Client) {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let browser = sign_in_with_code(&app, &smtp, &email).await;
    (app, smtp, email, browser)
}

async fn sign_in_with_code(app: &TestApp, smtp: &TestSmtp, email: &str) -> Client {
    // Out of the 15-minute window of the resend cap (the confirmation code).
    app.advance(Duration::minutes(15));
    let browser = new_browser();
    password_step(&browser, &app.address, email).await;
    let code = smtp.next_login_code(email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
    browser
}

async fn password_hash(app: &TestApp) -> Option<String> {
    app.db(|conn| agents::table.select(agents::password_hash).first::<Option<String>>(conn).unwrap()).await
}

async fn two_factor_state(app: &TestApp) -> String {
    app.db(|conn| agents::table.select(agents::two_factor).first::<String>(conn).unwrap()).await
}

/// Enters the password on the confirm-identity page.
async fn confirm_password(browser: &Client, app: &TestApp, next: &str, password: &str) -> Response {
    let page = format!("/account/confirm-identity?next={next}");
    submit_form_with(browser, &app.address, &page, "/account/confirm-identity", &[("current_password", password), ("next", next)]).await
}

/// Enters a code on the confirm-identity code step (the form's token read
/// from Account Setting: the code page itself may send the browser away).
async fn confirm_code(browser: &Client, app: &TestApp, next: &str, code: &str) -> Response {
    submit_form_with(browser, &app.address, "/account/settings", "/account/confirm-identity/code", &[("code", code), ("next", next)]).await
}

/// The whole confirm-identity page with 2FA on: password, then the emailed code.
async fn confirm_identity(browser: &Client, app: &TestApp, smtp: &TestSmtp, email: &str, next: &str) {
    let response = confirm_password(browser, app, next, PASSWORD).await;
    assert_eq!(location(&response), format!("/account/confirm-identity/code?next={}", next.replace('/', "%2F")));
    let code = smtp.expect_email(email, "AgentGate security code").await.code();
    assert_eq!(location(&confirm_code(browser, app, next, &code).await), next);
    // (The test clock stands still unless moved; the log sorts by time.)
    app.advance(chrono::Duration::seconds(1));
}

#[tokio::test]
async fn within_ten_minutes_of_a_login_with_a_code_the_password_changes_at_once() {
    let (app, smtp, email, browser) = signed_in_with_two_factor().await;
    app.advance(Duration::minutes(9));
    let response = change_password_with(&browser, &app.address, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");
    smtp.expect_email(&email, "your password was changed").await;
}

#[tokio::test]
async fn eleven_minutes_after_the_code_a_password_change_first_asks_to_confirm_identity() {
    let (app, smtp, email, browser) = signed_in_with_two_factor().await;
    app.advance(Duration::minutes(11));
    let settings = get_with(&browser, &app.url("/account/settings")).await.text().await.unwrap();
    assert!(settings.contains("confirm it is you</a> first"), "the page says a code will be asked for");

    let before = password_hash(&app).await;
    let response = change_password_with(&browser, &app.address, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), TO_SETTINGS);
    assert_eq!(password_hash(&app).await, before, "nothing changed");

    // The confirm-identity page: password first (a wrong one is refused), then a code.
    let page = get_with(&browser, &app.url(TO_SETTINGS)).await.text().await.unwrap();
    assert!(page.contains("Confirm it is you") && page.contains("a***@acme.test"), "{page}");
    let wrong = confirm_password(&browser, &app, "/account/settings", "not my password at all").await;
    app.advance(Duration::seconds(1));
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("That is not your current password."));
    assert_eq!(smtp.unread(&email, "security code"), 0, "no code for a wrong password");
    confirm_identity(&browser, &app, &smtp, &email, "/account/settings").await;

    let settings = get_with(&browser, &app.url("/account/settings")).await.text().await.unwrap();
    assert!(!settings.contains("confirm it is you</a> first"));
    let response = change_password_with(&browser, &app.address, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");
    assert_ne!(password_hash(&app).await, before);

    let story: Vec<(String, String, Option<String>)> = app
        .db(|conn| {
            audit_events::table
                .filter(audit_events::event.eq_any(["reauthentication", "password_changed"]))
                .order((audit_events::occurred_at.asc(), audit_events::id.asc()))
                .select((audit_events::event, audit_events::outcome, audit_events::detail))
                .load(conn)
                .unwrap()
        })
        .await;
    let story: Vec<String> = story.into_iter().map(|(e, o, d)| format!("{e}:{o}:{}", d.unwrap_or_default())).collect();
    assert_eq!(
        story,
        [
            "reauthentication:failure:wrong current password on the confirm-identity page",
            "reauthentication:success:password and code",
            "password_changed:success:",
        ]
    );
}

#[tokio::test]
async fn turning_two_factor_off_after_the_window_needs_a_code_too() {
    let (app, smtp, email, browser) = signed_in_with_two_factor().await;
    app.advance(Duration::minutes(10));
    let response = set_two_factor_box(&browser, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), TO_SETTINGS);
    assert_eq!(two_factor_state(&app).await, "enabled");

    confirm_identity(&browser, &app, &smtp, &email, "/account/settings").await;
    let response = set_two_factor_box(&browser, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_disabled");
    assert_eq!(two_factor_state(&app).await, "disabled");

    // The confirmation lasts the window, then it is needed again.
    app.advance(Duration::minutes(11));
    let response = set_two_factor_box(&browser, &app.address, "Ada Admin", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent", "turning it on needs no step-up");
}

#[tokio::test]
async fn without_two_factor_the_forms_current_password_is_the_step_up() {
    let app = spawn_app_with_smtp().await.0;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    app.advance(Duration::minutes(30));
    let settings = app.get("/account/settings").await.text().await.unwrap();
    assert!(!settings.contains("confirm it is you</a> first"));

    // The current password typed now is the proof: no detour, and a wrong one is refused.
    let wrong = change_password_with(&app.client, &app.address, "not my password at all", NEW_PASSWORD).await;
    assert_eq!(wrong.status(), 422);
    let response = change_password_with(&app.client, &app.address, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");

    // The confirm-identity page alone asks only the password.
    let page = app.get("/account/confirm-identity?next=/agents").await.text().await.unwrap();
    assert!(!page.contains("Step 1 of 2"));
    let response = confirm_password(&app.client, &app, "/agents", NEW_PASSWORD).await;
    assert_eq!(location(&response), "/agents");
}

#[tokio::test]
async fn turning_two_factor_on_then_off_right_away_needs_no_second_code() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    crate::two_factor_steps::enable_two_factor(&app.client, &app, &smtp, &email, "Ada Admin").await;
    // The confirmation code just entered proves the mailbox in this browser.
    let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_disabled");
}

#[tokio::test]
async fn a_wrong_code_counts_towards_the_lock_out_and_five_kill_the_code() {
    let (app, smtp, email, browser) = signed_in_with_two_factor().await;
    app.advance(Duration::minutes(11));
    let response = confirm_password(&browser, &app, "/account/settings", PASSWORD).await;
    assert_eq!(response.status(), 303);
    let code = smtp.expect_email(&email, "security code").await.code();
    for attempt in 1..=5 {
        let response = confirm_code(&browser, &app, "/account/settings", &other_code(&code)).await;
        assert_eq!(response.status(), 422, "attempt {attempt}");
    }
    let consecutive: i32 = app.db(|conn| code_lockouts::table.select(code_lockouts::consecutive_wrong).first(conn).unwrap()).await;
    assert_eq!(consecutive, 5, "step-up codes count like login codes");
    let dead = confirm_code(&browser, &app, "/account/settings", &code).await;
    assert_eq!(dead.status(), 422);
    assert!(dead.text().await.unwrap().contains("Choose Send a new code"));

    // A new code works, and resets the count.
    app.advance(Duration::seconds(30));
    let resent = submit_form_with(&browser, &app.address, "/account/confirm-identity/code?next=/account/settings", "/account/confirm-identity/resend", &[("next", "/account/settings")]).await;
    assert_eq!(location(&resent), "/account/confirm-identity/code?next=%2Faccount%2Fsettings&notice=code_resent");
    let fresh = smtp.expect_email(&email, "security code").await.code();
    assert_eq!(location(&confirm_code(&browser, &app, "/account/settings", &fresh).await), "/account/settings");
    let consecutive: i32 = app.db(|conn| code_lockouts::table.select(code_lockouts::consecutive_wrong).first(conn).unwrap()).await;
    assert_eq!(consecutive, 0);
}

#[tokio::test]
async fn a_code_asked_for_in_one_browser_does_not_confirm_another() {
    let (app, smtp, email, first) = signed_in_with_two_factor().await;
    let second = sign_in_with_code(&app, &smtp, &email).await;
    app.advance(Duration::minutes(11));
    assert_eq!(confirm_password(&first, &app, "/account/settings", PASSWORD).await.status(), 303);
    let code = smtp.expect_email(&email, "security code").await.code();

    // The second browser has no code step of its own: it is sent to the password.
    let response = confirm_code(&second, &app, "/account/settings", &code).await;
    assert_eq!(location(&response), "/account/confirm-identity?next=%2Faccount%2Fsettings&notice=step_up_expired");
    assert_eq!(location(&change_password_with(&second, &app.address, PASSWORD, NEW_PASSWORD).await), TO_SETTINGS);
    assert_eq!(location(&confirm_code(&first, &app, "/account/settings", &code).await), "/account/settings");
}

#[tokio::test]
async fn the_code_step_is_forgotten_after_its_lifetime() {
    let (app, smtp, email, browser) = signed_in_with_two_factor().await;
    app.advance(Duration::minutes(11));
    confirm_password(&browser, &app, "/account/settings", PASSWORD).await;
    let code = smtp.expect_email(&email, "security code").await.code();
    app.advance(Duration::minutes(10) + Duration::seconds(1));
    let response = confirm_code(&browser, &app, "/account/settings", &code).await;
    assert_eq!(location(&response), "/account/confirm-identity?next=%2Faccount%2Fsettings&notice=step_up_expired");
    assert_eq!(location(&change_password_with(&browser, &app.address, PASSWORD, NEW_PASSWORD).await), TO_SETTINGS);
}

#[tokio::test]
async fn next_never_leaves_the_site() {
    let app = spawn_app_with_smtp().await.0;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    for next in ["https://evil.example/", "//evil.example", "/\\evil.example", ""] {
        let response = confirm_password(&app.client, &app, next, PASSWORD).await;
        assert_eq!(location(&response), "/account/settings", "{next:?}");
    }
    let page = app.get("/account/confirm-identity?next=https%3A%2F%2Fevil.example").await.text().await.unwrap();
    assert!(page.contains("name=\"next\" value=\"/account/settings\""));
}

#[tokio::test]
async fn wrong_passwords_on_the_confirm_identity_page_are_throttled_like_logins() {
    let (app, _smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_LOGIN_MAX_FAILURES", "3".to_owned())]).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(confirm_password(&app.client, &app, "/account/settings", "a guess at the password").await.status(), 422);
    }
    let response = confirm_password(&app.client, &app, "/account/settings", PASSWORD).await;
    assert_eq!(response.status(), 429, "even the right password, as at login");
    assert!(response.headers().contains_key("retry-after"));
    // This is the agent's own browser (it holds their device cookie): it
    // counted on its own, as at login, and new browsers are not paused.
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 303);
    let throttled: i64 =
        app.db(|conn| audit_events::table.filter(audit_events::event.eq("login_throttled")).count().get_result(conn).unwrap()).await;
    assert_eq!(throttled, 1);
    app.advance(Duration::minutes(15));
    assert_eq!(location(&confirm_password(&app.client, &app, "/account/settings", PASSWORD).await), "/account/settings");
}

#[tokio::test]
async fn a_stolen_session_cookie_guesses_in_the_same_bucket_as_new_browsers() {
    let (app, _smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_LOGIN_MAX_FAILURES", "3".to_owned())]).await;
    let email = app.complete_setup().await;
    let login = login_with(&new_browser(), &app.address, &email, PASSWORD).await;
    let session = crate::helpers::cookie_value(&login, "agentgate_session").unwrap();
    // The session cookie alone, in another browser (no device cookie).
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("agentgate_session={session}; Path=/"), &app.address.parse().unwrap());
    let thief = reqwest::Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for _ in 0..3 {
        assert_eq!(confirm_password(&thief, &app, "/account/settings", "a guess at the password").await.status(), 422);
    }
    assert_eq!(confirm_password(&thief, &app, "/account/settings", PASSWORD).await.status(), 429);
    // The account's bucket for new browsers: guessing here is no way around the login page's limit.
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 429);
}

#[tokio::test]
async fn the_confirm_identity_pages_need_a_signed_in_agent() {
    let app = spawn_app_with_smtp().await.0;
    app.complete_setup().await;
    let response = app.get("/account/confirm-identity?next=/account/settings").await;
    assert!(location(&response).starts_with("/login?next=%2Faccount%2Fconfirm"), "{}", location(&response));
    assert_eq!(app.get("/account/confirm-identity/code").await.status(), 303);
}

#[tokio::test]
async fn the_reauthentication_window_is_configurable() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_REAUTH_MINUTES", "2".to_owned())]).await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let browser = sign_in_with_code(&app, &smtp, &email).await;
    app.advance(Duration::minutes(2));
    assert_eq!(location(&change_password_with(&browser, &app.address, PASSWORD, NEW_PASSWORD).await), TO_SETTINGS);
}

//! The audit log tells the complete, secret-free story of an agent's
//! journey with 2FA (issue 8): turning it on, a login with a wrong password,
//! a wrong code and the right one (trusted box ticked), a step-up, a new
//! password, a new address, logout — in order, with no password, code,
//! token or session id in any column.

use agentgate::audit::AuditEvent;
use agentgate::db::schema::{agents, audit_events, sessions, trusted_computers};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Client, Response};

use crate::helpers::{PASSWORD, TestApp, cookie_value, csrf_token_in, get_with, location, login_with, new_browser, submit_form_with};
use crate::two_factor_steps::{confirm_code, other_code, set_two_factor_box, spawn_app_with_smtp};

const NEW_PASSWORD: &str = "a completely new passphrase";
const WRONG_PASSWORD: &str = "a wrong password here";
const NEW_EMAIL: &str = "ada@lovelace.test";

/// Everything secret the journey handled, to look for in the log.
#[derive(Default)]
struct Secrets(Vec<String>);

impl Secrets {
    fn keep(&mut self, secret: impl Into<String>) {
        let secret = secret.into();
        if !secret.is_empty() {
            self.0.push(secret);
        }
    }

    /// The session cookie a response set, if any.
    fn keep_session_of(&mut self, response: &Response) {
        if let Some(id) = cookie_value(response, "agentgate_session") {
            self.keep(id);
        }
    }

    /// The CSRF token of a page.
    async fn keep_token_of(&mut self, browser: &Client, app: &TestApp, path: &str) {
        let page = get_with(browser, &app.url(path)).await.text().await.unwrap();
        if let Some(token) = csrf_token_in(&page) {
            self.keep(token);
        }
    }
}

/// The log as groups of events that happened at the same moment (the test
/// clock moves a second between steps), each group sorted: within one
/// request the order of rows written at the same time is not defined.
async fn story(app: &TestApp) -> Vec<Vec<String>> {
    let rows: Vec<(chrono::NaiveDateTime, String, String)> = app
        .db(|conn| {
            audit_events::table
                .order(audit_events::occurred_at.asc())
                .select((audit_events::occurred_at, audit_events::event, audit_events::outcome))
                .load(conn)
                .unwrap()
        })
        .await;
    let mut groups: Vec<(chrono::NaiveDateTime, Vec<String>)> = Vec::new();
    for (at, event, outcome) in rows {
        // Trusted computers are issue 4's; their events are checked apart.
        if event.starts_with("trusted_computer") {
            continue;
        }
        match groups.last_mut() {
            Some((last, events)) if *last == at => events.push(format!("{event}:{outcome}")),
            _ => groups.push((at, vec![format!("{event}:{outcome}")])),
        }
    }
    groups.into_iter().map(|(_, mut events)| {
        events.sort();
        events
    }).collect()
}

#[tokio::test]
async fn the_audit_log_tells_the_complete_secret_free_story_of_a_journey_with_two_factor() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    let mut secrets = Secrets::default();
    secrets.keep(app.setup_link.clone().unwrap().rsplit('=').next().unwrap());
    let step = |app: &TestApp| app.advance(Duration::seconds(1));

    // Turning 2FA on.
    step(&app);
    let first = new_browser();
    let response = login_with(&first, &app.address, &email, PASSWORD).await;
    secrets.keep_session_of(&response);
    step(&app);
    secrets.keep_token_of(&first, &app, "/account/settings").await;
    set_two_factor_box(&first, &app.address, "Ada Admin", true, "").await;
    let code = smtp.expect_email(&email, "confirmation code").await.code();
    secrets.keep(code.clone());
    step(&app);
    assert_eq!(location(&confirm_code(&first, &app.address, &code).await), "/account/settings?notice=two_factor_enabled");
    step(&app);
    assert_eq!(submit_form_with(&first, &app.address, "/", "/logout", &[]).await.status(), 303);

    // A login: a wrong password, the password, a wrong code, the code with the trusted box.
    app.advance(Duration::minutes(15));
    let browser = new_browser();
    assert_eq!(login_with(&browser, &app.address, &email, WRONG_PASSWORD).await.status(), 401);
    step(&app);
    let response = login_with(&browser, &app.address, &email, PASSWORD).await;
    assert_eq!(location(&response), "/login/verify");
    secrets.keep_session_of(&response);
    let code = smtp.next_login_code(&email).await;
    secrets.keep(code.clone());
    step(&app);
    secrets.keep_token_of(&browser, &app, "/login/verify").await;
    let wrong = submit_form_with(&browser, &app.address, "/login/verify", "/login/verify", &[("code", &other_code(&code))]).await;
    assert_eq!(wrong.status(), 422);
    secrets.keep(other_code(&code));
    step(&app);
    let response = submit_form_with(&browser, &app.address, "/login/verify", "/login/verify", &[("code", &code), ("trusted", "on")]).await;
    assert_eq!(location(&response), "/");
    secrets.keep_session_of(&response);
    for cookie in response.cookies().filter(|c| c.name().contains("agentgate_trusted")) {
        secrets.keep(cookie.value().to_owned());
    }

    // Eleven minutes later, a new password: confirm it is you first.
    app.advance(Duration::minutes(11));
    secrets.keep_token_of(&browser, &app, "/account/settings").await;
    let fields = [("name", "Ada Admin"), ("current_password", PASSWORD), ("new_password", NEW_PASSWORD), ("confirm_password", NEW_PASSWORD)];
    let response = submit_form_with(&browser, &app.address, "/account/settings", "/account/settings", &fields).await;
    assert_eq!(location(&response), "/account/confirm-identity?next=%2Faccount%2Fsettings");
    step(&app);
    let identity = [("current_password", PASSWORD), ("next", "/account/settings")];
    let response = submit_form_with(&browser, &app.address, "/account/confirm-identity", "/account/confirm-identity", &identity).await;
    assert_eq!(response.status(), 303);
    let code = smtp.expect_email(&email, "security code").await.code();
    secrets.keep(code.clone());
    step(&app);
    let response = submit_form_with(&browser, &app.address, "/account/confirm-identity/code", "/account/confirm-identity/code", &[
        ("code", &code),
        ("next", "/account/settings"),
    ])
    .await;
    assert_eq!(location(&response), "/account/settings");
    step(&app);
    let response = submit_form_with(&browser, &app.address, "/account/settings", "/account/settings", &fields).await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");
    secrets.keep_session_of(&response);

    // A new address.
    step(&app);
    let change = [("new_email", NEW_EMAIL), ("current_password", NEW_PASSWORD)];
    assert_eq!(submit_form_with(&browser, &app.address, "/account/email", "/account/email", &change).await.status(), 303);
    let code = smtp.expect_email(NEW_EMAIL, "email change code").await.code();
    secrets.keep(code.clone());
    step(&app);
    let response = submit_form_with(&browser, &app.address, "/account/email/confirm", "/account/email/confirm", &[("code", &code)]).await;
    assert_eq!(location(&response), "/account/settings?notice=email_changed");
    secrets.keep_session_of(&response);

    // Logout.
    step(&app);
    secrets.keep_token_of(&browser, &app, "/").await;
    assert_eq!(submit_form_with(&browser, &app.address, "/", "/logout", &[]).await.status(), 303);

    let expected: Vec<Vec<&str>> = vec![
        vec!["agent_added:success"],
        vec!["login_succeeded:success"],
        vec!["code_sent:success"],
        vec!["code_accepted:success", "two_factor_enabled:success"],
        vec!["session_ended:success"],
        vec!["login_failed:failure"],
        vec!["code_sent:success"],
        vec!["code_rejected:failure"],
        vec!["code_accepted:success", "login_succeeded:success"],
        vec!["code_sent:success"],
        vec!["code_accepted:success", "reauthentication:success"],
        vec!["password_changed:success"],
        vec!["code_sent:success"],
        vec!["code_accepted:success", "email_changed:success"],
        vec!["session_ended:success"],
    ];
    assert_eq!(story(&app).await, expected);

    // The trusted box (issue 4): when the browser was trusted, the log says so.
    let trusted: i64 = app.db(|conn| trusted_computers::table.count().get_result(conn).unwrap()).await;
    let trusted_events: i64 = app
        .db(|conn| audit_events::table.filter(audit_events::event.eq("trusted_computer_added")).count().get_result(conn).unwrap())
        .await;
    assert!(trusted_events >= trusted.min(1), "a trusted computer is in the log");

    // Nothing secret anywhere in it.
    secrets.keep(PASSWORD);
    secrets.keep(NEW_PASSWORD);
    secrets.keep(WRONG_PASSWORD);
    secrets.keep("$argon2");
    let (hash, session_hashes) = app
        .db(|conn| {
            let hash: Option<String> = agents::table.select(agents::password_hash).first(conn).unwrap();
            (hash.unwrap(), sessions::table.select(sessions::key_hash).load::<String>(conn).unwrap())
        })
        .await;
    secrets.keep(hash);
    for key_hash in session_hashes {
        secrets.keep(key_hash);
    }
    let rows: Vec<String> = app
        .db(|conn| audit_events::table.select(AuditEvent::as_select()).load::<AuditEvent>(conn).unwrap().into_iter().map(|row| format!("{row:?}")).collect())
        .await;
    assert!(rows.len() >= expected.iter().map(Vec::len).sum::<usize>());
    for row in &rows {
        for secret in &secrets.0 {
            assert!(!row.contains(secret.as_str()), "an audit entry holds a secret ({secret}): {row}");
        }
    }
    // Every entry names its company, and every entry about Ada names her.
    assert!(rows.iter().all(|row| row.contains("company_id: Some(")), "{rows:#?}");
}

//! Changing the email address (SPEC §2.2 step 6): the current password, a
//! code to the new address before anything changes, an address no account
//! uses; then the old address is told, trusted computers are forgotten, other
//! sessions end, and what was sent to the old address stops working.

use agentgate::db::schema::{agents, audit_events, password_reset_tokens, sessions, trusted_computers};
use agentgate::domain::{Role, new_public_id};
use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Client, Response};

use crate::helpers::{PASSWORD, TestApp, cookie_value, get_with, location, login_with, new_browser, submit_form_with};
use crate::two_factor_steps::{agent_with_two_factor, code_page_token, is_signed_in, other_code, password_step, post_code, spawn_app_with_smtp, submit_code};

const NEW_EMAIL: &str = "ada.lovelace@example.org";

/// Posts the email change form (its token read from Account Setting: the
/// form page itself may send the browser to confirm its identity first).
async fn request_change(browser: &Client, app: &TestApp, new_email: &str, password: &str) -> Response {
    submit_form_with(browser, &app.address, "/account/settings", "/account/email", &[("new_email", new_email), ("current_password", password)]).await
}

async fn enter_code(browser: &Client, app: &TestApp, code: &str) -> Response {
    submit_form_with(browser, &app.address, "/account/email/confirm", "/account/email/confirm", &[("code", code)]).await
}

async fn stored_email(app: &TestApp) -> String {
    app.db(|conn| agents::table.filter(agents::role.eq("admin")).select(agents::email).first::<String>(conn).unwrap()).await
}

/// A trusted computer row for the admin, as issue 4's code would write it.
async fn trust_a_computer(app: &TestApp) {
    let now = app.clock_now();
    app.db(move |conn| {
        let agent_id: String = agents::table.filter(agents::role.eq("admin")).select(agents::id).first(conn).unwrap();
        diesel::insert_into(trusted_computers::table)
            .values((
                trusted_computers::id.eq(new_public_id()),
                trusted_computers::agent_id.eq(agent_id),
                trusted_computers::token_hash.eq("0".repeat(64)),
                trusted_computers::label.eq("Firefox on Linux"),
                trusted_computers::ip.eq("127.0.0.1"),
                trusted_computers::created_at.eq(now),
                trusted_computers::last_used_at.eq(now),
                trusted_computers::expires_at.eq(now + Duration::days(30)),
            ))
            .execute(conn)
            .unwrap();
    })
    .await;
}

#[tokio::test]
async fn an_agent_changes_their_email_once_the_code_sent_to_the_new_address_is_entered() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    let other_session = new_browser();
    assert_eq!(location(&login_with(&other_session, &app.address, &email, PASSWORD).await), "/");
    let login = app.login(&email, PASSWORD).await;
    let before = cookie_value(&login, "agentgate_session").expect("a session at login");
    trust_a_computer(&app).await;
    let settings = app.get("/account/settings").await.text().await.unwrap();
    assert!(settings.contains("<a href=\"/account/email\">Change email address</a>"), "linked from the Profile section");

    let form = app.get("/account/email").await.text().await.unwrap();
    assert!(form.contains("name=\"new_email\"") && form.contains("name=\"current_password\""));
    let response = request_change(&app.client, &app, "  Ada.Lovelace@Example.ORG ", PASSWORD).await;
    assert_eq!(location(&response), "/account/email/confirm?notice=email_code_sent");
    assert_eq!(stored_email(&app).await, email, "nothing changes before the code");
    let page = app.get("/account/email/confirm").await.text().await.unwrap();
    assert!(page.contains("a***@example.org"), "where the code went, masked");
    let settings = app.get("/account/settings").await.text().await.unwrap();
    assert!(settings.contains("waits for the code we emailed there"));

    // The code goes to the new address only.
    let message = smtp.expect_email(NEW_EMAIL, "AgentGate email change code").await;
    let code = message.code();
    assert!(message.text.contains("nothing changes unless the code is entered"));
    app.outbox_settled().await;
    assert_eq!(smtp.unread(&email, ""), 0, "nothing to the old address yet");

    let wrong = enter_code(&app.client, &app, &other_code(&code)).await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("That code is not right. 4 attempts left."));
    assert_eq!(stored_email(&app).await, email);

    let response = enter_code(&app.client, &app, &code).await;
    assert_eq!(location(&response), "/account/settings?notice=email_changed");
    let after = cookie_value(&response, "agentgate_session").expect("a new session cookie");
    assert_ne!(after, before, "this browser carries on with a new session id");
    assert_eq!(stored_email(&app).await, NEW_EMAIL);
    let settings = app.get("/account/settings?notice=email_changed").await.text().await.unwrap();
    assert!(settings.contains("Your email address was changed") && settings.contains(&format!("value=\"{NEW_EMAIL}\"")));

    // The old address is told; other sessions ended; trusted computers forgotten.
    let notice = smtp.expect_email(&email, "your email address was changed").await;
    assert!(notice.text.contains("a***@example.org") && notice.text.contains("tell your admin"));
    assert!(!is_signed_in(&other_session, &app.address).await);
    assert!(is_signed_in(&app.client, &app.address).await);
    let (trusted, signed_in_sessions): (i64, i64) = app
        .db(|conn| {
            let trusted = trusted_computers::table.count().get_result(conn).unwrap();
            let sessions = sessions::table.filter(sessions::agent_id.is_not_null()).count().get_result(conn).unwrap();
            (trusted, sessions)
        })
        .await;
    assert_eq!((trusted, signed_in_sessions), (0, 1));

    // The login name is the new address now.
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 401);
    assert_eq!(location(&login_with(&new_browser(), &app.address, NEW_EMAIL, PASSWORD).await), "/");
    let changed: Vec<(String, Option<String>)> = app
        .db(|conn| {
            audit_events::table
                .filter(audit_events::event.eq("email_changed"))
                .select((audit_events::outcome, audit_events::detail))
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, "success");
    assert!(changed[0].1.as_deref().unwrap().contains(&format!("from {email} to {NEW_EMAIL}")));
}

#[tokio::test]
async fn the_new_address_must_be_valid_unused_and_confirmed_by_the_current_password() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.add_agent(&email, "Bob Agent", "bob@acme.test", Role::Agent).await;
    app.login(&email, PASSWORD).await;

    let cases = [
        ("BOB@acme.test", PASSWORD, "Another account already uses that email address."),
        ("ada@acme.test", PASSWORD, "That is already your email address."),
        ("not an address", PASSWORD, "Enter a valid email address"),
        ("ada\r\nBcc: x@evil.test", PASSWORD, "Enter a valid email address"),
        (NEW_EMAIL, "not my password at all", "that is not your current password"),
        (NEW_EMAIL, "", "enter it to change your email address"),
    ];
    for (new_email, password, message) in cases {
        let response = request_change(&app.client, &app, new_email, password).await;
        assert_eq!(response.status(), 422, "{new_email:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{new_email:?}: {message}");
        assert!(!page.contains("\r\nBcc"));
    }
    assert_eq!(stored_email(&app).await, email);
    app.outbox_settled().await;
    assert_eq!(smtp.count(), 0, "no code was sent for any of them");
    let page = app.get("/account/email/confirm").await.text().await.unwrap();
    assert!(page.contains("No change of address is waiting for a code."));
}

#[tokio::test]
async fn an_address_taken_meanwhile_is_not_given_to_a_second_account() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    assert_eq!(request_change(&app.client, &app, NEW_EMAIL, PASSWORD).await.status(), 303);
    let code = smtp.expect_email(NEW_EMAIL, "email change code").await.code();
    app.add_agent(&email, "Lovelace Twin", NEW_EMAIL, Role::Agent).await;

    let response = enter_code(&app.client, &app, &code).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Another account started using that address meanwhile"));
    assert_eq!(stored_email(&app).await, email);
    assert!(is_signed_in(&app.client, &app.address).await);
}

#[tokio::test]
async fn keeping_the_address_ends_the_change_and_its_code() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    request_change(&app.client, &app, NEW_EMAIL, PASSWORD).await;
    let code = smtp.expect_email(NEW_EMAIL, "email change code").await.code();
    let response = submit_form_with(&app.client, &app.address, "/account/email/confirm", "/account/email/cancel", &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=email_change_cancelled");
    assert_eq!(enter_code(&app.client, &app, &code).await.status(), 422);
    assert_eq!(stored_email(&app).await, email);

    // A second request replaces the first: only the newest code works.
    request_change(&app.client, &app, "first@example.org", PASSWORD).await;
    let first = smtp.expect_email("first@example.org", "email change code").await.code();
    app.advance(Duration::seconds(1));
    request_change(&app.client, &app, "second@example.org", PASSWORD).await;
    let second = smtp.expect_email("second@example.org", "email change code").await.code();
    if first != second {
        assert_eq!(enter_code(&app.client, &app, &first).await.status(), 422);
    }
    assert_eq!(location(&enter_code(&app.client, &app, &second).await), "/account/settings?notice=email_changed");
    assert_eq!(stored_email(&app).await, "second@example.org");
}

#[tokio::test]
async fn the_code_to_the_new_address_expires_and_can_be_sent_again() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    request_change(&app.client, &app, NEW_EMAIL, PASSWORD).await;
    smtp.expect_email(NEW_EMAIL, "email change code").await;
    let resend = || submit_form_with(&app.client, &app.address, "/account/email/confirm", "/account/email/resend", &[]);
    let too_soon = resend().await;
    assert_eq!(too_soon.status(), 429);
    assert_eq!(too_soon.headers()["retry-after"], "30");
    app.advance(Duration::seconds(30));
    assert_eq!(location(&resend().await), "/account/email/confirm?notice=code_resent");
    let code = smtp.expect_email(NEW_EMAIL, "email change code").await.code();

    app.advance(Duration::minutes(11));
    let response = enter_code(&app.client, &app, &code).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("No change of address is waiting for a code any more"));
    assert_eq!(location(&resend().await), "/account/email", "start again");
    assert_eq!(stored_email(&app).await, email);
}

#[tokio::test]
async fn with_two_factor_on_a_recent_code_is_needed_and_later_codes_go_to_the_new_address() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    app.advance(Duration::minutes(15));
    let browser = new_browser();
    password_step(&browser, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");

    // A pending login elsewhere, and a reset link, both sent to the old address.
    let pending = new_browser();
    password_step(&pending, &app.address, &email).await;
    let pending_code = smtp.next_login_code(&email).await;
    let pending_token = code_page_token(&pending, &app.address).await;
    submit_form_with(&new_browser(), &app.address, "/password/forgot", "/password/forgot", &[("email", &email)]).await;
    smtp.expect_email(&email, "reset your password").await;

    app.advance(Duration::minutes(11));
    let response = get_with(&browser, &app.url("/account/email")).await;
    assert_eq!(location(&response), "/account/confirm-identity?next=%2Faccount%2Femail", "confirm it is you first");
    let response = request_change(&browser, &app, NEW_EMAIL, PASSWORD).await;
    assert_eq!(location(&response), "/account/confirm-identity?next=%2Faccount%2Femail");

    let step = submit_form_with(&browser, &app.address, "/account/confirm-identity?next=/account/email", "/account/confirm-identity", &[
        ("current_password", PASSWORD),
        ("next", "/account/email"),
    ])
    .await;
    assert_eq!(step.status(), 303);
    let security = smtp.expect_email(&email, "security code").await.code();
    let back = submit_form_with(&browser, &app.address, "/account/confirm-identity/code?next=/account/email", "/account/confirm-identity/code", &[
        ("code", &security),
        ("next", "/account/email"),
    ])
    .await;
    assert_eq!(location(&back), "/account/email");
    assert_eq!(location(&request_change(&browser, &app, NEW_EMAIL, PASSWORD).await), "/account/email/confirm?notice=email_code_sent");
    let code = smtp.expect_email(NEW_EMAIL, "email change code").await.code();
    assert_eq!(location(&enter_code(&browser, &app, &code).await), "/account/settings?notice=email_changed");

    // What went to the old address no longer works.
    let response = post_code(&pending, &app.address, &pending_token, &pending_code).await;
    assert_ne!(location(&response), "/");
    assert!(!is_signed_in(&pending, &app.address).await);
    let links: i64 = app.db(|conn| password_reset_tokens::table.count().get_result(conn).unwrap()).await;
    assert_eq!(links, 0, "reset links sent to the old address are gone");

    // The next login's code goes to the new address.
    app.advance(Duration::minutes(15));
    let later = new_browser();
    password_step(&later, &app.address, NEW_EMAIL).await;
    let code = smtp.next_login_code(NEW_EMAIL).await;
    assert_eq!(location(&submit_code(&later, &app.address, &code).await), "/");
}

#[tokio::test]
async fn a_change_left_waiting_is_swept_away_minutes_after_it_ran_out() {
    use agentgate::db::schema::{code_challenges, email_changes};
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    request_change(&app.client, &app, NEW_EMAIL, PASSWORD).await;
    smtp.expect_email(NEW_EMAIL, "email change code").await;
    let rows = || app.db(|conn| (code_challenges::table.count().get_result::<i64>(conn).unwrap(), email_changes::table.count().get_result::<i64>(conn).unwrap()));
    assert_eq!(rows().await, (1, 1));
    // It runs out at 10 minutes and is kept the 15-minute code window (its
    // code still counts) and two rounds more.
    app.advance(Duration::minutes(26));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    assert_eq!(rows().await, (1, 1), "kept while its code counts");
    app.advance(Duration::minutes(2));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    assert_eq!(rows().await, (0, 0));
}

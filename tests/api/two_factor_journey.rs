//! SPEC §2.2 and §2.3: turning 2FA on in Account Setting, then logging in
//! with the emailed code; through a real SMTP server, and on the default
//! `mailbox` transport as a newcomer would.

use agentgate::db::schema::{agents, audit_events, one_time_codes, outbox};
use agentgate::domain::Role;
use chrono::Duration;
use diesel::prelude::*;

use crate::helpers::{PASSWORD, cookie_value, get_with, location, login_with, new_browser, spawn_app, submit_form_with};
use crate::two_factor_steps::{
    agent_with_two_factor, newest_dev_mailbox_code, code_page_token, confirm_code, post_code, enable_two_factor, is_signed_in, password_step, set_two_factor_box, spawn_app_with_smtp, submit_code,
};

async fn two_factor_of(app: &crate::helpers::TestApp, email: &str) -> String {
    let email = email.to_owned();
    app.db(move |conn| agents::table.filter(agents::email.eq(email)).select(agents::two_factor).first::<String>(conn).unwrap()).await
}

#[tokio::test]
async fn an_agent_turns_two_factor_on_and_then_logs_in_with_the_emailed_code() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    assert_eq!(location(&app.login(&email, PASSWORD).await), "/");

    // Account Setting: Other Settings, the checkbox, and Update at the bottom.
    let page = app.get("/account/settings").await.text().await.unwrap();
    let other = page.find("<h2 id=\"other-heading\">Other Settings</h2>").expect("an Other Settings section");
    let checkbox = page.find("name=\"two_factor_enabled\"").expect("the checkbox");
    let update = page.find(">Update</button>").expect("the Update button");
    assert!(other < checkbox && checkbox < update, "Update stays at the bottom, after the checkbox");
    assert!(page.contains("Two factor authentication</label>"));

    // Ticking it sends a confirmation code; until it is entered 2FA is pending.
    let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    assert_eq!(two_factor_of(&app, &email).await, "pending");
    let settings = app.get("/account/settings").await.text().await.unwrap();
    assert!(settings.contains("pending confirmation"), "the page says 2FA is pending");
    let confirmation = smtp.expect_email(&email, "AgentGate confirmation code").await;
    let response = confirm_code(&app.client, &app.address, &confirmation.code()).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_enabled");
    assert_eq!(two_factor_of(&app, &email).await, "enabled");
    let settings = app.get("/account/settings?notice=two_factor_enabled").await.text().await.unwrap();
    assert!(settings.contains("Two-factor authentication is on."));
    assert!(settings.contains("id=\"two_factor_enabled\" type=\"checkbox\" name=\"two_factor_enabled\" value=\"on\" checked"));
    smtp.expect_email(&email, "two-factor authentication is on").await;
    assert_eq!(app.submit_form("/", "/logout", &[]).await.status(), 303);

    // The password step: a new session id, a pending login, not signed in.
    let browser = new_browser();
    let before = login_with(&browser, &app.address, &email, "a wrong password, surely").await;
    assert_eq!(before.status(), 401);
    let password_step = login_with(&browser, &app.address, &email, PASSWORD).await;
    assert_eq!(location(&password_step), "/login/verify");
    let pending_id = cookie_value(&password_step, "agentgate_session").expect("a pending session");
    assert_eq!(location(&get_with(&browser, &app.url("/")).await), "/login");
    assert_eq!(location(&get_with(&browser, &app.url("/account/settings")).await), "/login?next=%2Faccount%2Fsettings");

    // The code page.
    let page = get_with(&browser, &app.url("/login/verify")).await.text().await.unwrap();
    assert!(page.contains("<strong>a***@acme.test</strong>"), "where the code went, masked");
    assert!(page.contains("autocomplete=\"one-time-code\"") && page.contains("inputmode=\"numeric\""));
    assert!(page.contains("name=\"trusted\" value=\"on\"") && page.contains("I am on a trusted computer"));
    assert!(page.contains(">Log In</button>") && page.contains(">Resend code</button>"));

    // The email: code in subject and body, lifetime, time and browser, the warning.
    let message = smtp.expect_email(&email, "AgentGate sign-in code").await;
    let code = message.code();
    for body in [&message.text, &message.html] {
        assert!(body.contains(&code));
        assert!(body.contains("10 minutes"));
        assert!(body.contains("UTC"));
        assert!(body.contains("an unknown browser") || body.contains(" on "), "the browser of the request");
        assert!(body.contains("change your password"));
    }
    assert!(message.raw.contains("Content-Type: multipart/alternative"));

    // A pasted code with a space works, on a new session id again.
    let pasted = format!("{} {}", &code[..3], &code[3..]);
    let response = submit_code(&browser, &app.address, &pasted).await;
    assert_eq!(location(&response), "/");
    let signed_in_id = cookie_value(&response, "agentgate_session").expect("a new session id at the code step");
    assert_ne!(pending_id, signed_in_id);
    assert!(is_signed_in(&browser, &app.address).await);

    // Only a keyed hash is stored; the audit log tells the story without secrets.
    let stored: Vec<String> = app.db(|conn| one_time_codes::table.select(one_time_codes::code_hash).load(conn).unwrap()).await;
    assert!(stored.iter().all(|hash| hash.len() == 64 && !hash.contains(&code)));
    let events: Vec<(String, Option<String>)> =
        app.db(|conn| audit_events::table.order(audit_events::occurred_at.asc()).select((audit_events::event, audit_events::detail)).load(conn).unwrap()).await;
    let names: Vec<&str> = events.iter().map(|(e, _)| e.as_str()).collect();
    for expected in ["code_sent", "two_factor_enabled", "code_accepted", "login_succeeded"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    assert!(events.iter().all(|(_, detail)| !detail.as_deref().unwrap_or("").contains(&code)));

    // Delivered email is blanked in the outbox: the code does not stay in the database.
    app.outbox_settled().await;
    let subjects: Vec<String> = app.db(|conn| outbox::table.select(outbox::subject).load(conn).unwrap()).await;
    assert!(subjects.iter().all(String::is_empty), "{subjects:?}");
}

#[tokio::test]
async fn a_newcomer_on_the_default_configuration_reads_the_codes_at_dev_mailbox() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");

    let mailbox = app.get("/dev/mailbox").await;
    assert_eq!(mailbox.status(), 200);
    let mailbox = mailbox.text().await.unwrap();
    assert!(mailbox.contains("AgentGate confirmation code"));
    let code = newest_dev_mailbox_code(&app, &email).await;
    assert_eq!(location(&confirm_code(&app.client, &app.address, &code).await), "/account/settings?notice=two_factor_enabled");
    app.submit_form("/", "/logout", &[]).await;

    // (The test clock stands still unless moved; the mailbox sorts by time.)
    app.advance(Duration::seconds(1));
    password_step(&app.client, &app.address, &email).await;
    let code = newest_dev_mailbox_code(&app, &email).await;
    let page = app.get(&format!("/dev/mailbox?to={email}")).await.text().await.unwrap();
    let newest = page.find("AgentGate sign-in code").unwrap();
    let older = page.find("AgentGate confirmation code").unwrap();
    assert!(newest < older, "newest first");
    assert_eq!(location(&submit_code(&app.client, &app.address, &code).await), "/");
    assert!(is_signed_in(&app.client, &app.address).await);
}

#[tokio::test]
async fn dev_mailbox_exists_only_with_the_mailbox_transport() {
    let (app, _smtp) = spawn_app_with_smtp().await;
    assert_eq!(app.get("/dev/mailbox").await.status(), 404);
    let default = spawn_app().await;
    assert_eq!(default.get("/dev/mailbox").await.status(), 200);
}

#[tokio::test]
async fn turning_two_factor_off_needs_the_current_password_and_is_announced() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    enable_two_factor(&app.client, &app, &smtp, &email, "Ada Admin").await;

    for password in ["", "not my password at all"] {
        let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", false, password).await;
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("to turn it off, enter your current password"));
        assert_eq!(two_factor_of(&app, &email).await, "enabled");
    }
    // A form that did not show the box (a script changing the name) leaves 2FA alone.
    let response = app.submit_form("/account/settings", "/account/settings", &[("name", "Ada Renamed")]).await;
    assert_eq!(location(&response), "/account/settings?notice=saved");
    assert_eq!(two_factor_of(&app, &email).await, "enabled");

    let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", false, PASSWORD).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_disabled");
    assert_eq!(two_factor_of(&app, &email).await, "disabled");
    let notice = smtp.expect_email(&email, "two-factor authentication was turned off").await;
    assert!(notice.text.contains("If this was not you, change your password"));

    app.submit_form("/", "/logout", &[]).await;
    assert_eq!(location(&app.login(&email, PASSWORD).await), "/", "no code any more");
}

#[tokio::test]
async fn unticking_while_pending_cancels_and_the_confirmation_code_dies() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    let code = smtp.expect_email(&email, "confirmation code").await.code();

    let response = set_two_factor_box(&app.client, &app.address, "Ada Admin", false, "").await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_cancelled");
    assert_eq!(two_factor_of(&app, &email).await, "disabled");
    assert_eq!(location(&app.get("/account/two-factor/confirm").await), "/account/settings");
    let response = submit_form_with(&app.client, &app.address, "/account/settings", "/account/two-factor/confirm", &[("code", &code)]).await;
    assert_eq!(location(&response), "/account/settings");
    assert_eq!(two_factor_of(&app, &email).await, "disabled");
}

#[tokio::test]
async fn a_wrong_confirmation_code_keeps_two_factor_pending_until_a_new_code_is_right() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    let code = smtp.expect_email(&email, "confirmation code").await.code();
    let wrong = crate::two_factor_steps::other_code(&code);

    for attempt in 1..=5 {
        let response = confirm_code(&app.client, &app.address, &wrong).await;
        assert_eq!(response.status(), 422, "attempt {attempt}");
    }
    // After five wrong codes the right one is dead too.
    let response = confirm_code(&app.client, &app.address, &code).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Send a new code"));
    assert_eq!(two_factor_of(&app, &email).await, "pending");

    app.advance(Duration::seconds(31));
    let response = submit_form_with(&app.client, &app.address, "/account/two-factor/confirm", "/account/two-factor/resend", &[]).await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=code_resent");
    let fresh = smtp.expect_email(&email, "confirmation code").await.code();
    assert_eq!(location(&confirm_code(&app.client, &app.address, &fresh).await), "/account/settings?notice=two_factor_enabled");
}

#[tokio::test]
async fn each_agents_setting_is_their_own() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    agent_with_two_factor(&app, &smtp, &admin, "Ada Admin").await;

    let bob = new_browser();
    assert_eq!(location(&login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await), "/", "Bob has no 2FA");
    let ada = new_browser();
    password_step(&ada, &app.address, &admin).await;
}

#[tokio::test]
async fn a_pending_login_is_forgotten_after_ten_minutes_and_the_agent_is_told() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;

    let browser = new_browser();
    password_step(&browser, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    let token = code_page_token(&browser, &app.address).await;
    app.advance(Duration::minutes(10) + Duration::seconds(1));
    let response = post_code(&browser, &app.address, &token, &code).await;
    assert_eq!(location(&response), "/login?notice=login_expired", "the browser has to start again");
    assert!(!is_signed_in(&browser, &app.address).await);
    assert_eq!(location(&get_with(&browser, &app.url("/login/verify")).await), "/login");

    // The sweep tells the agent once that their password was used without a code.
    assert_eq!(agentgate::startup::run_maintenance(&app.state).await.unwrap(), 1);
    assert_eq!(agentgate::startup::run_maintenance(&app.state).await.unwrap(), 0);
    let notice = smtp.expect_email(&email, "your password was used but no code followed").await;
    assert!(notice.text.contains("If this was not you, change your password"));

    // Starting over and finishing is not reported.
    let other = new_browser();
    password_step(&other, &app.address, &email).await;
    app.advance(Duration::minutes(1));
    password_step(&other, &app.address, &email).await;
    smtp.next_login_code(&email).await;
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&other, &app.address, &code).await), "/");
    app.advance(Duration::minutes(30));
    assert_eq!(agentgate::startup::run_maintenance(&app.state).await.unwrap(), 0);
}

#[tokio::test]
async fn a_password_change_is_announced_by_email() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let new_password = "another long passphrase indeed";
    let response = app
        .submit_form("/account/settings", "/account/settings", &[
            ("name", "Ada Admin"), ("current_password", PASSWORD), ("new_password", new_password), ("confirm_password", new_password),
        ])
        .await;
    assert_eq!(location(&response), "/account/settings?notice=password_changed");
    let notice = smtp.expect_email(&email, "your password was changed").await;
    assert!(notice.text.contains("If this was not you"));
    assert!(notice.html.contains("Your password was changed"));
}

#[tokio::test]
async fn the_code_step_moves_the_pending_login_to_a_new_session_id_and_the_old_one_is_dead() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    crate::two_factor_steps::agent_with_two_factor_on_dev_mailbox(&app, &email).await;
    // (The test clock stands still unless moved; the mailbox sorts by time.)
    app.advance(Duration::seconds(1));
    let browser = new_browser();
    let pending = login_with(&browser, &app.address, &email, PASSWORD).await;
    assert_eq!(location(&pending), "/login/verify");
    let pending_id = cookie_value(&pending, "agentgate_session").expect("the password step sets a session cookie");
    let sessions_while_pending = app.session_count().await;

    let code = newest_dev_mailbox_code(&app, &email).await;
    let signed_in = submit_code(&browser, &app.address, &code).await;
    assert_eq!(location(&signed_in), "/");
    let signed_in_id = cookie_value(&signed_in, "agentgate_session").expect("the code step sets a new session cookie");
    assert_ne!(pending_id, signed_in_id);
    assert!(is_signed_in(&browser, &app.address).await);
    assert_eq!(app.session_count().await, sessions_while_pending, "the pending session became the signed-in one, no row left behind");

    // Whoever still holds the pending session's cookie holds nothing.
    let stale = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let with_pending_cookie = |path: &str| stale.get(app.url(path)).header("cookie", format!("agentgate_session={pending_id}")).send();
    assert_eq!(location(&with_pending_cookie("/").await.unwrap()), "/login");
    assert_eq!(location(&with_pending_cookie("/login/verify").await.unwrap()), "/login");
}

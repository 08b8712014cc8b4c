//! SPEC §3, the code rows, to the number: wrong, expired, reused, concurrent,
//! malformed and another login's codes; five attempts per login; resend
//! cooldown and cap; the agent lock-outs after 10 and 100 wrong codes.

use agentgate::db::schema::{audit_events, code_lockouts, one_time_codes, sessions};
use chrono::Duration;
use diesel::prelude::*;
use futures_util::future::join_all;
use reqwest::Client;

use crate::helpers::{TestApp, get_with, location, new_browser};
use crate::mail_server::TestSmtp;
use crate::two_factor_steps::{
    agent_with_two_factor, code_page_token, is_signed_in, other_code, password_step, post_code, resend_code, spawn_app_with_smtp,
    spawn_app_with_smtp_and, submit_code,
};

/// An app whose admin (`ada@acme.test`) has 2FA on.
async fn app_with_two_factor_admin() -> (TestApp, TestSmtp, String) {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    // Let the confirmation code leave the 15-minute window of the resend cap.
    app.advance(Duration::minutes(15));
    (app, smtp, email)
}

/// A browser on the code page, and the code its email carried.
async fn pending_browser(app: &TestApp, smtp: &TestSmtp, email: &str) -> (Client, String) {
    let browser = new_browser();
    password_step(&browser, &app.address, email).await;
    let code = smtp.next_login_code(email).await;
    (browser, code)
}

async fn consecutive_wrong(app: &TestApp) -> i32 {
    app.db(|conn| code_lockouts::table.select(code_lockouts::consecutive_wrong).first::<i32>(conn).unwrap()).await
}

async fn count_events(app: &TestApp, event: &'static str) -> i64 {
    app.db(move |conn| audit_events::table.filter(audit_events::event.eq(event)).count().get_result(conn).unwrap()).await
}

#[tokio::test]
async fn a_wrong_code_is_refused_and_says_how_many_attempts_are_left() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, code) = pending_browser(&app, &smtp, &email).await;

    let response = submit_code(&browser, &app.address, &other_code(&code)).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("That code is not right. 4 attempts left"));
    assert!(!is_signed_in(&browser, &app.address).await);
    assert_eq!(consecutive_wrong(&app).await, 1);

    // A right code resets the agent's count of wrong codes.
    let dashed = format!("{}-{}", &code[..3], &code[3..]);
    assert_eq!(location(&submit_code(&browser, &app.address, &dashed).await), "/");
    assert_eq!(consecutive_wrong(&app).await, 0);
}

#[tokio::test]
async fn malformed_codes_count_as_wrong_and_five_wrong_codes_kill_the_logins_codes() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, code) = pending_browser(&app, &smtp, &email).await;

    let cases = [
        ("12345", "The code has 6 digits"),
        ("1234567", "The code has 6 digits"),
        ("١٢٣٤٥٦", "The code has 6 digits"),
        ("", "Enter the 6-digit code"),
    ];
    for (attempt, (typed, message)) in cases.iter().enumerate() {
        let response = browser
            .post(app.url("/login/verify"))
            .form(&[("csrf_token", code_page_token(&browser, &app.address).await.as_str()), ("code", typed)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422, "{typed:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains(message), "{typed:?}: {message}");
        assert!(page.contains(&format!("{} attempt", 4 - attempt)), "{typed:?} counts as a wrong code");
    }
    let response = submit_code(&browser, &app.address, &other_code(&code)).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Choose Resend code to get a new one"));

    // The right code is dead now too, and trying it is not counted again.
    let response = submit_code(&browser, &app.address, &code).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("its codes no longer work"));
    assert_eq!(consecutive_wrong(&app).await, 5);

    // A new code starts a fresh count.
    app.advance(Duration::seconds(30));
    assert_eq!(location(&resend_code(&browser, &app.address).await), "/login/verify?notice=code_resent");
    let fresh = smtp.next_login_code(&email).await;
    let response = submit_code(&browser, &app.address, &other_code(&fresh)).await;
    assert!(response.text().await.unwrap().contains("4 attempts left"));
    assert_eq!(location(&submit_code(&browser, &app.address, &fresh).await), "/");
}

#[tokio::test]
async fn an_expired_code_is_refused_while_a_newer_one_works() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_CODE_LIFETIME_MINUTES", "2".to_owned())]).await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let (browser, first) = pending_browser(&app, &smtp, &email).await;

    app.advance(Duration::minutes(2) + Duration::seconds(1));
    let response = submit_code(&browser, &app.address, &first).await;
    assert_eq!(response.status(), 422, "an expired code is a wrong code");
    assert_eq!(location(&resend_code(&browser, &app.address).await), "/login/verify?notice=code_resent");
    let second = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &second).await), "/");
}

#[tokio::test]
async fn a_used_code_ends_every_code_of_its_login_and_never_works_again() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, first) = pending_browser(&app, &smtp, &email).await;
    app.advance(Duration::seconds(30));
    resend_code(&browser, &app.address).await;
    let second = smtp.next_login_code(&email).await;

    assert_eq!(location(&submit_code(&browser, &app.address, &second).await), "/");
    let live: i64 = app.db(|conn| one_time_codes::table.filter(one_time_codes::ended_at.is_null()).count().get_result(conn).unwrap()).await;
    assert_eq!(live, 0, "using one code ended the other code of the login as well");

    // Neither code opens another login.
    let (other, own) = pending_browser(&app, &smtp, &email).await;
    for used in [&first, &second] {
        if used != &own {
            assert_eq!(submit_code(&other, &app.address, used).await.status(), 422);
        }
    }
    assert_eq!(location(&submit_code(&other, &app.address, &own).await), "/");
}

#[tokio::test]
async fn two_simultaneous_submissions_of_one_code_sign_in_once() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, code) = pending_browser(&app, &smtp, &email).await;
    let token = code_page_token(&browser, &app.address).await;

    let attempts = (0..4).map(|_| post_code(&browser, &app.address, &token, &code));
    let responses = join_all(attempts).await;
    let signed_in = responses.iter().filter(|r| r.status() == 303 && location(r) == "/").count();
    assert_eq!(signed_in, 1, "{:?}", responses.iter().map(|r| (r.status(), location(r))).collect::<Vec<_>>());
    assert_eq!(count_events(&app, "code_accepted").await, 2, "the confirmation and this one code");
    let signed_in_sessions: i64 =
        app.db(|conn| sessions::table.filter(sessions::agent_id.is_not_null()).count().get_result(conn).unwrap()).await;
    assert_eq!(signed_in_sessions, 1);
}

#[tokio::test]
async fn another_logins_code_does_not_open_this_one() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (first, first_code) = pending_browser(&app, &smtp, &email).await;
    let (second, second_code) = pending_browser(&app, &smtp, &email).await;

    if first_code != second_code {
        assert_eq!(submit_code(&first, &app.address, &second_code).await.status(), 422);
    }
    assert_eq!(location(&submit_code(&first, &app.address, &first_code).await), "/");
    assert_eq!(location(&submit_code(&second, &app.address, &second_code).await), "/", "each login keeps its own code");
}

#[tokio::test]
async fn resend_waits_thirty_seconds_and_sends_at_most_five_codes_in_fifteen_minutes() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, _) = pending_browser(&app, &smtp, &email).await;

    let response = resend_code(&browser, &app.address).await;
    assert_eq!(response.status(), 429);
    assert_eq!(response.headers()["retry-after"], "30");
    // Waiting is said as a wait, not an error: the code field is not marked invalid.
    let page = response.text().await.unwrap();
    assert!(page.contains("A code was sent moments ago: you can ask for another in 30 seconds."), "{page}");
    assert!(page.contains("class=\"wait\"") && !page.contains("aria-invalid"), "{page}");

    for _ in 0..4 {
        app.advance(Duration::seconds(30));
        assert_eq!(location(&resend_code(&browser, &app.address).await), "/login/verify?notice=code_resent");
        smtp.next_login_code(&email).await;
    }
    app.advance(Duration::seconds(30));
    let response = resend_code(&browser, &app.address).await;
    assert_eq!(response.status(), 429, "a sixth code within 15 minutes");
    let free_at = (app.clock_now() - Duration::seconds(150) + Duration::minutes(15)).format("%H:%M UTC").to_string();
    let page = response.text().await.unwrap();
    assert!(page.contains(&format!("No new code was sent: too many codes went to your address lately. You can ask for one at {free_at}.")), "{page}");
    assert!(page.contains("class=\"warning\"") && page.contains("We emailed a 6-digit code"), "earlier codes were sent and still work");

    // A new login within the window gets no code either, and says so.
    let other = new_browser();
    let response = crate::helpers::login_with(&other, &app.address, &email, crate::helpers::PASSWORD).await;
    assert_eq!(location(&response), "/login/verify?notice=code_not_sent");
    // The page agrees with itself: no code, when one can come, in warning style.
    let page = get_with(&other, &app.url("/login/verify?notice=code_not_sent")).await.text().await.unwrap();
    assert!(page.contains(&format!("You can ask for one at {free_at}.")) && page.contains("class=\"warning\""), "{page}");
    assert!(page.contains("We can email a 6-digit code") && !page.contains("We emailed"), "{page}");
    assert!(!page.contains("class=\"notice\""), "no success-styled notice");

    // Once the first code of the window is 15 minutes old, one more may go.
    app.advance(Duration::minutes(13));
    let (browser, code) = pending_browser(&app, &smtp, &email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
    app.outbox_settled().await;
    assert_eq!(smtp.unread(&email, "sign-in code"), 0, "exactly the codes counted above were sent");
}

#[tokio::test]
async fn a_late_first_code_still_works_after_a_resend() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, first) = pending_browser(&app, &smtp, &email).await;
    app.advance(Duration::seconds(45));
    assert_eq!(location(&resend_code(&browser, &app.address).await), "/login/verify?notice=code_resent");
    smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &first).await), "/");
}

/// Five wrong codes on a fresh login of `email` (reading its real code so the
/// guesses are surely wrong); the response to the last one.
async fn five_wrong_codes(app: &TestApp, smtp: &TestSmtp, email: &str) -> reqwest::Response {
    let (browser, code) = pending_browser(app, smtp, email).await;
    let token = code_page_token(&browser, &app.address).await;
    for _ in 0..4 {
        assert_eq!(post_code(&browser, &app.address, &token, &other_code(&code)).await.status(), 422);
    }
    post_code(&browser, &app.address, &token, &other_code(&code)).await
}

#[tokio::test]
async fn ten_wrong_codes_in_a_row_lock_the_agents_codes_for_fifteen_minutes() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    assert_eq!(five_wrong_codes(&app, &smtp, &email).await.status(), 422);
    let response = five_wrong_codes(&app, &smtp, &email).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    assert!(response.text().await.unwrap().contains("sign-in codes are locked until"));
    assert_eq!(count_events(&app, "code_lockout").await, 1);
    let warning = smtp.expect_email(&email, "sign-in codes locked for your account").await;
    assert!(warning.text.contains("10 wrong sign-in codes in a row"));
    assert!(warning.text.contains("Change your password now"));

    // Even the right password gets no code now, and the right code is refused.
    let browser = new_browser();
    let response = crate::helpers::login_with(&browser, &app.address, &email, crate::helpers::PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(!is_signed_in(&browser, &app.address).await);

    app.advance(Duration::minutes(15));
    let (browser, code) = pending_browser(&app, &smtp, &email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
    assert_eq!(consecutive_wrong(&app).await, 0);
}

#[tokio::test]
async fn ten_parallel_wrong_codes_add_exactly_ten() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let mut guesses = Vec::new();
    for _ in 0..2 {
        let (browser, code) = pending_browser(&app, &smtp, &email).await;
        let token = code_page_token(&browser, &app.address).await;
        guesses.push((browser, token, other_code(&code)));
    }
    let address = app.address.as_str();
    let attempts = guesses.iter().flat_map(|(browser, token, wrong)| (0..5).map(move |_| post_code(browser, address, token, wrong)));
    let responses = join_all(attempts).await;
    assert!(responses.iter().all(|r| r.status() == 422 || r.status() == 429));
    assert_eq!(consecutive_wrong(&app).await, 10);
    let locked: Option<chrono::NaiveDateTime> =
        app.db(|conn| code_lockouts::table.select(code_lockouts::locked_until).first(conn).unwrap()).await;
    assert!(locked.is_some(), "the tenth wrong code locked the agent");
    assert_eq!(count_events(&app, "code_lockout").await, 1);
    smtp.expect_email(&email, "sign-in codes locked").await;
}

#[tokio::test]
async fn a_hundred_wrong_codes_lock_the_codes_until_the_password_is_reset() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    for round in 1..=10 {
        five_wrong_codes(&app, &smtp, &email).await;
        let response = five_wrong_codes(&app, &smtp, &email).await;
        assert_eq!(response.status(), 429, "round {round}");
        if round < 10 {
            smtp.expect_email(&email, "sign-in codes locked for your account").await;
            app.advance(Duration::minutes(15));
        }
    }
    assert_eq!(consecutive_wrong(&app).await, 100);
    let warning = smtp.expect_email(&email, "locked until your password is reset").await;
    assert!(warning.text.contains("/password/forgot"));

    // A day later it is still locked.
    app.advance(Duration::days(1));
    let response = crate::helpers::login_with(&new_browser(), &app.address, &email, crate::helpers::PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(response.text().await.unwrap().contains("until the password is reset"));

    // A password reset lifts it; logging in still needs a code.
    let new_password = crate::password_reset::reset_password_by_email(&app, &smtp, &email).await;
    let browser = new_browser();
    let response = crate::helpers::login_with(&browser, &app.address, &email, &new_password).await;
    assert_eq!(location(&response), "/login/verify");
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
}

#[tokio::test]
async fn a_resend_does_not_reset_the_agents_count_of_wrong_codes() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    let (browser, code) = pending_browser(&app, &smtp, &email).await;
    for _ in 0..3 {
        assert_eq!(submit_code(&browser, &app.address, &other_code(&code)).await.status(), 422);
    }
    app.advance(Duration::seconds(30));
    assert_eq!(location(&resend_code(&browser, &app.address).await), "/login/verify?notice=code_resent");
    let fresh = smtp.next_login_code(&email).await;
    assert_eq!(consecutive_wrong(&app).await, 3, "a new code starts the login's count afresh, not the agent's");
    assert_eq!(submit_code(&browser, &app.address, &other_code(&fresh)).await.status(), 422);
    assert_eq!(consecutive_wrong(&app).await, 4);
    assert_eq!(location(&submit_code(&browser, &app.address, &fresh).await), "/");
    assert_eq!(consecutive_wrong(&app).await, 0, "a successful code does");
}

#[tokio::test]
async fn an_admins_two_factor_reset_lifts_the_lock_until_reset() {
    let (app, smtp, email) = app_with_two_factor_admin().await;
    // The state a hundred wrong codes leave (proven above), written directly.
    app.db(|conn| {
        diesel::update(code_lockouts::table)
            .set((code_lockouts::consecutive_wrong.eq(100), code_lockouts::locked_until_reset.eq(true)))
            .execute(conn)
            .unwrap()
    })
    .await;
    let response = crate::helpers::login_with(&new_browser(), &app.address, &email, crate::helpers::PASSWORD).await;
    assert_eq!(response.status(), 429);

    // What the Agents tab's reset and `agentgate reset-two-factor` both call.
    let (config, now, address) = (app.state.config.clone(), app.clock_now(), agentgate::domain::EmailAddress::parse(&email).unwrap());
    app.db(move |conn| agentgate::auth::two_factor::reset_by_email(conn, &config, &address, now).unwrap()).await;
    let (wrong, until_reset): (i32, bool) =
        app.db(|conn| code_lockouts::table.select((code_lockouts::consecutive_wrong, code_lockouts::locked_until_reset)).first(conn).unwrap()).await;
    assert_eq!((wrong, until_reset), (0, false));

    // With 2FA on again, codes are sent and accepted.
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    app.advance(Duration::minutes(15));
    let (browser, code) = pending_browser(&app, &smtp, &email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
}

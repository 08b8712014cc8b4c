//! Limits against mail bombing (issue 8): code resends, forgot-password,
//! email changes and invitations are counted per agent (or address) and per
//! client IP in the database, and refused with a clear 429 and `Retry-After`.

use agentgate::auth::mail_limits;
use agentgate::config::MailLimits;
use agentgate::config::Limit;
use agentgate::domain::{EmailAddress, Role};
use agentgate::auth::AuthError;
use agentgate::domain::ClientInfo;
use chrono::Duration;
use reqwest::Response;

use crate::helpers::{PASSWORD, TestApp, csrf_token_in, location, login_with, new_browser, submit_form_with};
use crate::two_factor_steps::{agent_with_two_factor, password_step, resend_code, set_two_factor_box, spawn_app_with_smtp_and};

async fn forgot(app: &TestApp, email: &str) -> Response {
    submit_form_with(&new_browser(), &app.address, "/password/forgot", "/password/forgot", &[("email", email)]).await
}

#[tokio::test]
async fn forgot_password_is_limited_per_address_alike_whether_it_has_an_account_or_not() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_RESETS_PER_ADDRESS_PER_HOUR", "2".to_owned())]).await;
    let email = app.complete_setup().await;
    let mut refusals = Vec::new();
    for address in [email.as_str(), "nobody@acme.test"] {
        for _ in 0..2 {
            assert_eq!(forgot(&app, address).await.status(), 200, "{address}");
        }
        let refused = forgot(&app, address).await;
        assert_eq!(refused.status(), 429, "{address}");
        assert_eq!(refused.headers()["retry-after"], "3600");
        let page = refused.text().await.unwrap();
        assert!(page.contains("Too many password reset emails were asked for lately") && page.contains("60 minutes"), "{page}");
        refusals.push(page);
    }
    assert_eq!(refusals[0], refusals[1], "the refusal says nothing about who has an account");
    app.outbox_settled().await;
    assert_eq!(smtp.unread(&email, "reset your password"), 2);

    // The window slides: an hour after the first request, one more is admitted.
    app.advance(Duration::minutes(60));
    assert_eq!(forgot(&app, &email).await.status(), 200);
}

#[tokio::test]
async fn forgot_password_is_limited_per_client_ip() {
    let (app, _smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_RESETS_PER_IP_PER_HOUR", "3".to_owned())]).await;
    app.complete_setup().await;
    for i in 0..3 {
        assert_eq!(forgot(&app, &format!("someone{i}@acme.test")).await.status(), 200);
    }
    let refused = forgot(&app, "someone.else@acme.test").await;
    assert_eq!(refused.status(), 429, "a fourth address from the same IP");
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn forgot_password_keeps_working_while_logins_are_paused() {
    let (app, smtp) = spawn_app_with_smtp_and(Vec::new()).await;
    let email = app.complete_setup().await;
    for _ in 0..10 {
        assert_eq!(login_with(&new_browser(), &app.address, &email, "a wrong guess at it").await.status(), 401);
    }
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 429, "logins are paused");
    let response = forgot(&app, &email).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("If an account uses that address"));
    smtp.expect_email(&email, "reset your password").await;
}

#[tokio::test]
async fn code_emails_asked_for_with_a_button_are_limited_per_client_ip() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_CODE_EMAILS_PER_IP", "3".to_owned())]).await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    // Two confirmation codes from this IP (Ada's and Bob's): 2 of 3.
    agent_with_two_factor(&app, &smtp, &admin, "Ada Admin").await;
    agent_with_two_factor(&app, &smtp, "bob@acme.test", "Bob Agent").await;
    app.advance(Duration::minutes(1));

    // A password step's code is not counted per IP; its resend is: 3 of 3.
    let ada = new_browser();
    password_step(&ada, &app.address, &admin).await;
    smtp.next_login_code(&admin).await;
    app.advance(Duration::seconds(30));
    assert_eq!(location(&resend_code(&ada, &app.address).await), "/login/verify?notice=code_resent");
    smtp.next_login_code(&admin).await;

    // Bob is another agent, well within his own limit, but on the same network.
    let bob = new_browser();
    password_step(&bob, &app.address, "bob@acme.test").await;
    smtp.next_login_code("bob@acme.test").await;
    app.advance(Duration::seconds(30));
    let refused = resend_code(&bob, &app.address).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 12 * 60 && wait <= 15 * 60, "until the oldest counted code is 15 minutes old: {wait}");
    assert!(refused.text().await.unwrap().contains("Too many codes were asked for from your network lately"));
    app.outbox_settled().await;
    assert_eq!(smtp.unread("bob@acme.test", "sign-in code"), 0);

    // The 2FA confirmation's "Send a new code" counts the same way.
    app.add_agent(&admin, "Carol Agent", "carol@acme.test", Role::Agent).await;
    let browser = new_browser();
    login_with(&browser, &app.address, "carol@acme.test", PASSWORD).await;
    let response = set_two_factor_box(&browser, &app.address, "Carol Agent", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=code_not_sent", "no confirmation code either");
    let resend = submit_form_with(&browser, &app.address, "/account/two-factor/confirm", "/account/two-factor/resend", &[]).await;
    assert_eq!(resend.status(), 429);

    // Once the window has moved on, Bob's resend goes out (on a new login:
    // the first one was forgotten meanwhile).
    app.advance(Duration::minutes(15));
    password_step(&bob, &app.address, "bob@acme.test").await;
    smtp.next_login_code("bob@acme.test").await;
    app.advance(Duration::seconds(30));
    assert_eq!(location(&resend_code(&bob, &app.address).await), "/login/verify?notice=code_resent");
}

#[tokio::test]
async fn confirmation_codes_are_capped_per_agent() {
    let (app, smtp) = spawn_app_with_smtp_and(Vec::new()).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    smtp.expect_email(&email, "confirmation code").await;
    for _ in 0..4 {
        app.advance(Duration::seconds(30));
        let response = submit_form_with(&app.client, &app.address, "/account/two-factor/confirm", "/account/two-factor/resend", &[]).await;
        assert_eq!(location(&response), "/account/two-factor/confirm?notice=code_resent");
        smtp.expect_email(&email, "confirmation code").await;
    }
    app.advance(Duration::seconds(30));
    let refused = submit_form_with(&app.client, &app.address, "/account/two-factor/confirm", "/account/two-factor/resend", &[]).await;
    assert_eq!(refused.status(), 429, "a sixth code within 15 minutes");
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.text().await.unwrap().contains("No new code was sent: too many codes went to your address lately."));
}

async fn change_email(app: &TestApp, to: &str) -> Response {
    submit_form_with(&app.client, &app.address, "/account/email", "/account/email", &[("new_email", to), ("current_password", PASSWORD)]).await
}

#[tokio::test]
async fn email_changes_are_limited_per_agent_even_to_addresses_in_use() {
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_EMAIL_CHANGES_PER_HOUR", "2".to_owned())]).await;
    let email = app.complete_setup().await;
    app.add_agent(&email, "Bob Agent", "bob@acme.test", Role::Agent).await;
    app.login(&email, PASSWORD).await;
    assert_eq!(change_email(&app, "bob@acme.test").await.status(), 422, "in use: counted, so probing for accounts is bounded too");
    assert_eq!(location(&change_email(&app, "new@example.org").await), "/account/email/confirm?notice=email_code_sent");
    let refused = change_email(&app, "other@example.org").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.text().await.unwrap().contains("You asked to change your email address too many times lately"));
    app.outbox_settled().await;
    assert_eq!(smtp.unread("other@example.org", ""), 0);
}

/// The helper issue 5's invitations call, on the database directly.
#[tokio::test]
async fn invitations_are_limited_per_admin_per_address_and_per_ip() {
    let app = crate::helpers::spawn_app().await;
    let limits = MailLimits {
        invitations_per_admin: Limit::per_minutes(4, 60),
        invitations_per_address: Limit::per_minutes(2, 60),
        invitations_per_ip: Limit::per_minutes(5, 60),
        ..MailLimits::default()
    };
    let now = app.clock_now();
    let outcomes = app
        .db(move |conn| {
            let office = ClientInfo { ip: "203.0.113.7".to_owned(), user_agent: String::new() };
            let home = ClientInfo { ip: "198.51.100.9".to_owned(), user_agent: String::new() };
            let invitee = |n: u32| EmailAddress::parse(&format!("invitee{n}@acme.test")).unwrap();
            let mut invite = |admin: &str, to: &EmailAddress, from: &ClientInfo| match mail_limits::allow_invitation(conn, &limits, admin, to, from, now) {
                Ok(()) => "sent".to_owned(),
                Err(AuthError::Limited { message, retry_after_secs }) => {
                    assert!(message.contains("Too many invitation emails were sent lately"), "{message}");
                    format!("429 after {retry_after_secs}s")
                }
                Err(other) => panic!("{other}"),
            };
            vec![
                invite("admin-a", &invitee(1), &office),
                invite("admin-a", &invitee(1), &office),
                invite("admin-a", &invitee(1), &office), // a third to one address
                invite("admin-a", &invitee(2), &office),
                invite("admin-a", &invitee(3), &office),
                invite("admin-a", &invitee(4), &home), // a fifth by one admin
                invite("admin-b", &invitee(5), &office),
                invite("admin-c", &invitee(6), &office), // a sixth from one IP
                invite("admin-c", &invitee(7), &home),
            ]
        })
        .await;
    assert_eq!(
        outcomes,
        ["sent", "sent", "429 after 3600s", "sent", "sent", "429 after 3600s", "sent", "429 after 3600s", "sent"]
    );
}

#[tokio::test]
async fn a_refused_request_is_a_clear_page_with_a_form_token_left_alone() {
    let (app, _smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_RESETS_PER_IP_PER_HOUR", "1".to_owned())]).await;
    app.complete_setup().await;
    assert_eq!(forgot(&app, "one@acme.test").await.status(), 200);
    let refused = forgot(&app, "two@acme.test").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["content-type"], "text/html; charset=utf-8");
    let page = refused.text().await.unwrap();
    assert!(page.contains("Too many attempts"), "the error page's title");
    assert!(csrf_token_in(&page).is_none(), "an error page carries no form");
}

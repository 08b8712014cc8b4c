//! `/password/forgot` and `/password/reset`: an emailed single-use link
//! valid for an hour; the same answer whether the address has an account;
//! a reset ends every session and never bypasses 2FA.

use agentgate::db::schema::{outbox, password_reset_tokens};
use chrono::Duration;
use diesel::prelude::*;

use crate::helpers::{PASSWORD, TestApp, csrf_token_in, get_with, location, login_with, new_browser, submit_form_with};
use crate::mail_server::TestSmtp;
use crate::two_factor_steps::{agent_with_two_factor, is_signed_in, password_step, spawn_app_with_smtp, submit_code};

const NEW_PASSWORD: &str = "a completely new passphrase";

/// Asks for a link for `email` and returns the forgot page's answer.
async fn ask_for_link(client: &reqwest::Client, app: &TestApp, email: &str) -> reqwest::Response {
    submit_form_with(client, &app.address, "/password/forgot", "/password/forgot", &[("email", email)]).await
}

/// The link path (`/password/reset?token=…`) from the reset email.
async fn reset_link(smtp: &TestSmtp, email: &str) -> String {
    let message = smtp.expect_email(email, "reset your password").await;
    let link = message.link_containing("/password/reset?token=");
    assert!(message.text.contains("60 minutes"));
    link[link.find("/password/reset").unwrap()..].to_owned()
}

async fn choose_password(client: &reqwest::Client, app: &TestApp, path: &str, password: &str) -> reqwest::Response {
    let token = path.split("token=").nth(1).unwrap().to_owned();
    submit_form_with(client, &app.address, path, "/password/reset", &[("token", &token), ("password", password), ("password_confirm", password)]).await
}

/// Resets `email`'s password through the emailed link; returns the new password.
pub async fn reset_password_by_email(app: &TestApp, smtp: &TestSmtp, email: &str) -> String {
    let browser = new_browser();
    assert_eq!(ask_for_link(&browser, app, email).await.status(), 200);
    let path = reset_link(smtp, email).await;
    let encoded = percent_encoding::utf8_percent_encode(email, percent_encoding::NON_ALPHANUMERIC).to_string();
    assert_eq!(location(&choose_password(&browser, app, &path, NEW_PASSWORD).await), format!("/login?notice=password_reset&email={encoded}"));
    NEW_PASSWORD.to_owned()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_the_emailed_link_and_two_factor_still_applies() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    // A browser signed in before the reset.
    let earlier = new_browser();
    password_step(&earlier, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&earlier, &app.address, &code).await), "/");

    let login = get_with(&new_browser(), &app.url("/login")).await.text().await.unwrap();
    assert!(login.contains("<a href=\"/password/forgot\">Forgot your password?</a>"));

    let browser = new_browser();
    let answer = ask_for_link(&browser, &app, &email).await.text().await.unwrap();
    assert!(answer.contains("If an account uses that address, we have emailed it a link"));
    let path = reset_link(&smtp, &email).await;
    let form = get_with(&browser, &app.url(&path)).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Choose a new password"));

    // The rules for a new password apply.
    let weak = choose_password(&browser, &app, &path, "too short").await;
    assert_eq!(weak.status(), 422);
    assert_eq!(location(&choose_password(&browser, &app, &path, NEW_PASSWORD).await), "/login?notice=password_reset&email=ada%40acme%2Etest");

    // Sessions ended; only the new password works; a code is still needed.
    assert!(!is_signed_in(&earlier, &app.address).await);
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 401);
    let browser = new_browser();
    let response = login_with(&browser, &app.address, &email, NEW_PASSWORD).await;
    assert_eq!(location(&response), "/login/verify", "a reset never bypasses 2FA");
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
    smtp.expect_email(&email, "your password was changed").await;

    // The link worked once.
    let again = get_with(&new_browser(), &app.url(&path)).await;
    assert_eq!(again.status(), 400);
    // The page offers the next step, not a bare "Bad request".
    let page = again.text().await.unwrap();
    assert!(page.contains("expired or was already used") && page.contains("This link no longer works"), "{page}");
    assert!(page.contains("href=\"/password/forgot\">Request a new link</a>"), "{page}");
}

#[tokio::test]
async fn the_answer_is_the_same_whether_the_address_has_an_account_or_not() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    let mut pages = Vec::new();
    for address in [email.as_str(), "nobody@acme.test"] {
        let browser = new_browser();
        let response = ask_for_link(&browser, &app, address).await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        let token = csrf_token_in(&page).unwrap_or_default();
        pages.push(page.replace(address, "EMAIL").replace(&token, "TOKEN"));
    }
    assert_eq!(pages[0], pages[1]);
    app.outbox_settled().await;
    assert_eq!(smtp.unread("nobody@acme.test", ""), 0);
    assert_eq!(smtp.unread(&email, "reset your password"), 1);
}

#[tokio::test]
async fn a_link_works_for_an_hour_and_only_its_hash_is_stored() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    ask_for_link(&new_browser(), &app, &email).await;
    let path = reset_link(&smtp, &email).await;
    let token = path.split("token=").nth(1).unwrap().to_owned();
    let stored: Vec<String> = app.db(|conn| password_reset_tokens::table.select(password_reset_tokens::token_hash).load(conn).unwrap()).await;
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);

    app.advance(Duration::minutes(59));
    assert_eq!(get_with(&new_browser(), &app.url(&path)).await.status(), 200);
    app.advance(Duration::minutes(2));
    assert_eq!(get_with(&new_browser(), &app.url(&path)).await.status(), 400);
    assert_eq!(choose_password(&new_browser(), &app, "/password/forgot?token=x", NEW_PASSWORD).await.status(), 400);
}

#[tokio::test]
async fn a_reset_ends_pending_logins_and_bounds_the_links_per_hour() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let pending = new_browser();
    password_step(&pending, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    let token = crate::two_factor_steps::code_page_token(&pending, &app.address).await;

    reset_password_by_email(&app, &smtp, &email).await;
    let response = crate::two_factor_steps::post_code(&pending, &app.address, &token, &code).await;
    assert_ne!(location(&response), "/", "whoever knew the old password cannot finish the login");
    assert!(!is_signed_in(&pending, &app.address).await);

    for _ in 0..5 {
        ask_for_link(&new_browser(), &app, &email).await;
    }
    app.outbox_settled().await;
    let resets: i64 = app.db(|conn| outbox::table.filter(outbox::kind.eq("password_reset")).count().get_result(conn).unwrap()).await;
    assert_eq!(resets, 1 + 3, "the link used above, then at most three an hour");
}

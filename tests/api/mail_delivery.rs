//! SPEC §6: every email goes through the outbox and a worker that delivers it
//! at once, retries while the SMTP server is down, never sends one twice
//! across instances, and gives up after a day; no user input reaches a header.

use std::collections::HashSet;
use std::time::{Duration as StdDuration, Instant};

use agentgate::db::schema::agents;
use chrono::Duration;
use diesel::prelude::*;

use crate::helpers::{PASSWORD, location, login_with, new_browser, spawn_app_sharing, spawn_app_with, submit_form_with};
use crate::mail_server::{TestSmtp, free_port, smtp_env};
use crate::two_factor_steps::{confirm_code, password_step, set_two_factor_box, spawn_app_with_smtp, submit_code};

#[tokio::test]
async fn a_code_email_arrives_well_under_a_second() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let started = Instant::now();
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    smtp.expect_email(&email, "confirmation code").await;
    // The worker polls only every 5 s: this is the wake-up on enqueue at work.
    assert!(started.elapsed() < StdDuration::from_secs(1), "took {:?}", started.elapsed());
}

#[tokio::test]
async fn while_smtp_is_down_email_waits_and_retries_then_arrives_with_nothing_lost() {
    let port = free_port();
    let app = spawn_app_with(smtp_env(port)).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    submit_form_with(&new_browser(), &app.address, "/password/forgot", "/password/forgot", &[("email", &email)]).await;

    // Both emails were tried at once and failed; the first retry is due within 5 s.
    let rows = app.wait_for_outbox("two failed first attempts", |rows| rows.len() == 2 && rows.iter().all(|r| r.attempts == 1 && r.status == "pending")).await;
    for row in &rows {
        assert!(row.last_error.is_some());
        assert!(row.next_attempt_at - row.created_at <= Duration::seconds(5), "{row:?}");
    }
    // The next retry waits twice as long.
    app.advance(Duration::seconds(5));
    let rows = app.wait_for_outbox("second attempts", |rows| rows.iter().all(|r| r.attempts == 2 && r.status == "pending")).await;
    assert!(rows.iter().all(|r| r.next_attempt_at - app.clock_now() == Duration::seconds(10)));

    // The server comes up; at the next retry everything is delivered.
    let smtp = TestSmtp::start_on(port);
    app.advance(Duration::seconds(10));
    let code = smtp.expect_email(&email, "confirmation code").await.code();
    smtp.expect_email(&email, "reset your password").await;
    app.outbox_settled().await;
    assert_eq!(app.outbox_statuses().await, vec!["sent", "sent"]);
    assert_eq!(location(&confirm_code(&app.client, &app.address, &code).await), "/account/settings?notice=two_factor_enabled");
}

#[tokio::test]
async fn mail_left_in_the_outbox_is_delivered_by_another_instance_and_the_login_finishes() {
    // The first instance cannot reach its SMTP server (it is as good as stopped).
    let first = spawn_app_with(smtp_env(free_port())).await;
    let email = first.complete_setup().await;
    first.login(&email, PASSWORD).await;
    set_two_factor_box(&first.client, &first.address, "Ada Admin", true, "").await;
    first.wait_for_outbox("a failed attempt", |rows| rows.iter().any(|r| r.attempts >= 1 && r.status == "pending")).await;

    // A second instance on the same database, with a working SMTP server, delivers it.
    let smtp = TestSmtp::start();
    let second = spawn_app_sharing(&first, smtp.env()).await;
    second.advance(Duration::seconds(10));
    let code = smtp.expect_email(&email, "confirmation code").await.code();
    assert_eq!(location(&confirm_code(&first.client, &first.address, &code).await), "/account/settings?notice=two_factor_enabled");

    // A login begun on the first instance finishes on the second (the cookies
    // of 127.0.0.1 go to both, as behind a load balancer).
    let browser = new_browser();
    password_step(&browser, &first.address, &email).await;
    second.advance(Duration::seconds(10));
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &second.address, &code).await), "/");
}

#[tokio::test]
async fn two_instances_on_one_database_send_each_email_exactly_once() {
    let smtp = TestSmtp::start();
    let first = spawn_app_with(smtp.env()).await;
    let second = spawn_app_sharing(&first, smtp.env()).await;
    first.queue_notices(0, 40).await;
    first.state.wake_mailer();
    second.state.wake_mailer();
    first.wait_for_outbox("everything sent", |rows| rows.len() == 40 && rows.iter().all(|r| r.status == "sent")).await;
    assert_eq!(smtp.count(), 40, "each email exactly once");
    let received = smtp.all();
    let ids: HashSet<String> = received
        .iter()
        .map(|e| e.raw.lines().find(|l| l.starts_with("Message-ID:")).unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 40);
}

#[tokio::test]
async fn an_email_that_cannot_be_delivered_for_a_day_is_marked_failed() {
    let app = spawn_app_with(smtp_env(free_port())).await;
    // A security notice: it stays useful however late (a code would be dropped).
    app.queue_notices(0, 1).await;
    // (Wait for the failure to be recorded, not just for the attempt to start.)
    app.wait_for_outbox("a failed attempt", |rows| rows.iter().any(|r| r.attempts == 1 && r.status == "pending")).await;

    app.advance(Duration::hours(23) + Duration::minutes(50));
    app.wait_for_outbox("a second failed attempt, still retrying within the day", |rows| {
        rows.iter().any(|r| r.attempts == 2 && r.status == "pending")
    })
    .await;
    app.advance(Duration::minutes(15));
    let rows = app.wait_for_outbox("failed for good", |rows| rows.iter().any(|r| r.status == "failed")).await;
    let failed = rows.iter().find(|r| r.status == "failed").expect("a failed row");
    assert!(failed.body_text.is_empty() && failed.subject.is_empty(), "the content does not stay in the database");
    assert!(failed.last_error.is_some());
}

#[tokio::test]
async fn the_file_transport_writes_eml_files() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_app_with(vec![("AGENTGATE_MAIL", format!("file:{}", dir.path().display()))]).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    app.wait_for_outbox("delivery", |rows| !rows.is_empty() && rows.iter().all(|r| r.status == "sent")).await;
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().unwrap(), "eml");
    let content = std::fs::read_to_string(&files[0]).unwrap();
    assert!(content.contains("Subject: AgentGate confirmation code:"));
    assert_eq!(app.get("/dev/mailbox").await.status(), 404);
}

#[tokio::test]
async fn no_user_input_can_add_a_header() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;

    // At the edge: a name with CR/LF is refused and nothing changes.
    let response = app.submit_form("/account/settings", "/account/settings", &[("name", "Ada\r\nBcc: mallory@evil.test")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("control characters"));
    // So is an address with one, on the forgot-password form.
    let response = submit_form_with(&new_browser(), &app.address, "/password/forgot", "/password/forgot", &[("email", "ada@acme.test\r\nBcc: mallory@evil.test")]).await;
    assert_eq!(response.status(), 422);

    // Even a name that got into the database with CR/LF stays in the body.
    app.db(|conn| diesel::update(agents::table).set(agents::name.eq("Ada\r\nBcc: mallory@evil.test\r\nSubject: hacked")).execute(conn).unwrap()).await;
    let browser = new_browser();
    assert_eq!(location(&login_with(&browser, &app.address, &email, PASSWORD).await), "/");
    let response = set_two_factor_box(&browser, &app.address, "Ada Admin", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    let message = smtp.expect_email(&email, "confirmation code").await;
    assert_eq!(message.to, vec![email.clone()], "one recipient");
    let headers = message.header_names();
    assert!(!headers.contains(&"bcc".to_owned()), "{headers:?}");
    assert_eq!(headers.iter().filter(|h| *h == "subject").count(), 1);
    assert!(message.subject.starts_with("AgentGate confirmation code"));
    app.outbox_settled().await;
    assert_eq!(smtp.all().len(), 1, "mallory got nothing");
}

#[tokio::test]
async fn with_starttls_required_nothing_is_sent_in_the_clear() {
    let smtp = TestSmtp::start(); // offers no STARTTLS
    let app = spawn_app_with(vec![
        ("AGENTGATE_MAIL", "smtp".to_owned()),
        ("SMTP_URL", format!("smtp://127.0.0.1:{}?tls=required", smtp.port)),
        ("MAIL_FROM", "AgentGate <no-reply@agentgate.test>".to_owned()),
    ])
    .await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    set_two_factor_box(&app.client, &app.address, "Ada Admin", true, "").await;
    let rows = app.wait_for_outbox("a failed attempt", |rows| rows.iter().any(|r| r.attempts == 1 && r.status == "pending")).await;
    assert!(rows[0].last_error.is_some());
    assert_eq!(smtp.count(), 0, "the message was not sent without TLS");
}

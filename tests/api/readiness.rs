//! `/readyz` (issue 19): 503 with the failed check named when the database
//! cannot be written or the outbox is not worked off, and every write path
//! then answers 503 with Retry-After, never 500, until the database recovers.

use chrono::Duration;
use diesel::RunQueryDsl;

use crate::helpers::{PASSWORD, TestApp, on_postgres, spawn_app, spawn_app_with};

async fn readyz(app: &TestApp) -> (u16, serde_json::Value) {
    let response = app.get("/readyz").await;
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.text().await.unwrap()).unwrap())
}

#[tokio::test]
async fn a_database_that_cannot_be_written_is_not_ready_and_writes_get_503_until_it_recovers() {
    if on_postgres() {
        // The writer connection made read-only below is SQLite's one writer.
        return;
    }
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    assert_eq!(readyz(&app).await, (200, serde_json::json!({ "status": "ready" })));

    // As a full disk or a read-only file does: every write fails.
    app.db(|conn| diesel::sql_query("PRAGMA query_only = ON").execute(conn).unwrap()).await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, 503);
    assert!(body["failed"]["database"].as_str().unwrap().contains("cannot be written"), "{body}");
    let login = app.login(&email, PASSWORD).await;
    assert_eq!(login.status(), 503, "a write path answers 503, not 500");
    assert_eq!(login.headers()["retry-after"], "5");

    // Space is back: no restart needed.
    app.db(|conn| diesel::sql_query("PRAGMA query_only = OFF").execute(conn).unwrap()).await;
    assert_eq!(readyz(&app).await.0, 200);
    assert_eq!(app.login(&email, PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn an_outbox_nobody_works_off_is_not_ready() {
    // The worker looks only once a minute unless woken.
    let app = spawn_app_with(vec![("AGENTGATE_MAIL_POLL_MS", "60000".to_owned())]).await;
    let email = app.complete_setup().await;
    let long_ago = app.clock_now() - Duration::minutes(20);
    app.db(move |conn| {
        let notice = agentgate::mail::Email {
            kind: agentgate::mail::EmailKind::SecurityNotice,
            to: agentgate::domain::EmailAddress::parse(&email).unwrap(),
            subject: "A notice".to_owned(),
            text: "A notice.".to_owned(),
            html: "<p>A notice.</p>".to_owned(),
            useful_until: None,
            challenge_id: None,
        };
        agentgate::mail::outbox::enqueue(conn, &notice, long_ago).unwrap();
    })
    .await;
    let (status, body) = readyz(&app).await;
    assert_eq!(status, 503);
    assert!(body["failed"]["outbox"].as_str().unwrap().contains("has waited 20 minutes"), "{body}");
    assert!(body["failed"].get("database").is_none(), "{body}");

    app.state.wake_mailer();
    app.outbox_settled().await;
    assert_eq!(readyz(&app).await.0, 200);
}

//! The housekeeping round (`startup::run_maintenance`) over a long idle
//! stretch, with the injected clock: everything a day of use leaves behind
//! (sessions, rate buckets, pending logins and their codes, reset tokens,
//! invitations, passkey ceremonies, delivered email) is gone once it has
//! expired, and audit entries once they are past the retention; the agents
//! and their company stay.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use diesel::prelude::*;

use agentgate::db::DbConnection;
use agentgate::db::schema::{
    agents, audit_events, code_challenges, companies, invitations, one_time_codes, outbox, password_reset_tokens, rate_buckets, sessions,
    webauthn_ceremonies,
};

use crate::helpers::{PASSWORD, TestApp, csrf_token_in, get_with, login_with, new_browser, spawn_app, spawn_app_with, submit_form_with};

/// Rows of every table the sweep keeps small, by name.
async fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    app.db(|conn: &mut DbConnection| {
        vec![
            ("sessions", sessions::table.count().get_result(conn).unwrap()),
            ("rate_buckets", rate_buckets::table.count().get_result(conn).unwrap()),
            ("code_challenges", code_challenges::table.count().get_result(conn).unwrap()),
            ("one_time_codes", one_time_codes::table.count().get_result(conn).unwrap()),
            ("password_reset_tokens", password_reset_tokens::table.count().get_result(conn).unwrap()),
            ("invitations", invitations::table.count().get_result(conn).unwrap()),
            ("webauthn_ceremonies", webauthn_ceremonies::table.count().get_result(conn).unwrap()),
            ("outbox", outbox::table.count().get_result(conn).unwrap()),
            ("audit_events", audit_events::table.count().get_result(conn).unwrap()),
        ]
    })
    .await
}

/// Waits until the outbox worker has delivered (here: to the mailbox) every email.
async fn mail_delivered(app: &TestApp) {
    let started = Instant::now();
    loop {
        let waiting: i64 = app.db(|conn| outbox::table.filter(outbox::status.ne("sent")).count().get_result(conn).unwrap()).await;
        if waiting == 0 {
            return;
        }
        assert!(started.elapsed() < StdDuration::from_secs(10), "{waiting} emails never went out");
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

/// A day of use: sign-ins and a wrong password, a login waiting for its
/// code, a password reset asked for, an invitation, a passkey ceremony.
async fn a_day_of_use(app: &TestApp) {
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    login_with(&new_browser(), &app.address, &admin, "a wrong password, long enough").await;
    // Bo with emailed codes on: his login waits for its code.
    let bo = app.add_agent(&admin, "Bo Agent", "bo@acme.test", agentgate::domain::Role::Agent).await;
    app.db(move |conn| {
        diesel::update(agents::table.find(&bo)).set((agents::email_two_factor.eq("enabled"), agents::two_factor.eq("enabled"))).execute(conn).unwrap()
    })
    .await;
    assert_eq!(crate::helpers::location(&login_with(&new_browser(), &app.address, "bo@acme.test", PASSWORD).await), "/login/verify");
    let stranger = new_browser();
    submit_form_with(&stranger, &app.address, "/password/forgot", "/password/forgot", &[("email", "bo@acme.test")]).await;
    app.submit_form("/agents/new", "/agents/new", &[("name", "Cy Invited"), ("email", "cy@acme.test"), ("role", "agent")]).await;
    let visitor = new_browser();
    let token = csrf_token_in(&get_with(&visitor, &app.url("/login")).await.text().await.unwrap()).unwrap();
    visitor.post(app.url("/login/passkey/options")).form(&[("csrf_token", token.as_str())]).send().await.unwrap();
    mail_delivered(app).await;
}

#[tokio::test]
async fn a_year_later_only_the_agents_remain() {
    let app = spawn_app().await;
    a_day_of_use(&app).await;
    let before = counts(&app).await;
    for table in ["sessions", "rate_buckets", "code_challenges", "one_time_codes", "password_reset_tokens", "invitations", "webauthn_ceremonies", "outbox"] {
        assert!(before.iter().any(|(name, n)| *name == table && *n > 0), "the day of use wrote no {table}: {before:?}");
    }
    let agents_before: i64 = app.db(|conn| agents::table.count().get_result(conn).unwrap()).await;

    // An hour on, the waiting login is reported abandoned (its email goes out).
    app.clock.advance(Duration::hours(1));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    mail_delivered(&app).await;
    // Past every lifetime, and the audit log's 365 days.
    app.clock.advance(Duration::days(366));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();

    let after = counts(&app).await;
    assert!(after.iter().all(|(_, n)| *n == 0), "left behind: {after:?}");
    let agents_after: i64 = app.db(|conn| agents::table.count().get_result(conn).unwrap()).await;
    let companies: i64 = app.db(|conn| companies::table.count().get_result(conn).unwrap()).await;
    assert_eq!((agents_after, companies), (agents_before, 1), "agents and their company stay");
}

#[tokio::test]
async fn audit_entries_stay_for_the_retention_and_forever_with_zero() {
    let app = spawn_app_with(vec![("AGENTGATE_AUDIT_RETENTION_DAYS", "90".to_owned())]).await;
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    let entries = |app: &TestApp| {
        let pool = app.state.pool.clone();
        async move { tokio::task::spawn_blocking(move || audit_events::table.count().get_result::<i64>(&mut pool.get().unwrap()).unwrap()).await.unwrap() }
    };
    let written = entries(&app).await;
    assert!(written > 0);
    app.clock.advance(Duration::days(89));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    assert_eq!(entries(&app).await, written, "within the 90 days nothing goes");
    app.clock.advance(Duration::days(2));
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    assert_eq!(entries(&app).await, 0, "past them, the entries are forgotten");

    let forever = spawn_app_with(vec![("AGENTGATE_AUDIT_RETENTION_DAYS", "0".to_owned())]).await;
    let admin = forever.complete_setup().await;
    forever.login(&admin, PASSWORD).await;
    let written = entries(&forever).await;
    forever.clock.advance(Duration::days(3650));
    agentgate::startup::run_maintenance(&forever.state).await.unwrap();
    assert_eq!(entries(&forever).await, written, "0 keeps the log forever");
}

//! The housekeeping round (`startup::run_maintenance`) over a long idle
//! stretch, with the injected clock: everything a day of use leaves behind
//! (sessions, rate buckets, pending logins and their codes, reset tokens,
//! invitations, passkey ceremonies, delivered email) is gone once it has
//! expired, and audit entries once they are past the retention; the agents
//! and their company stay. Ended code challenges, rate buckets and sent email
//! go as soon as nothing reads them any more: minutes, not days.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use diesel::prelude::*;

use agentgate::db::DbConnection;
use agentgate::db::schema::{
    agents, audit_events, code_challenges, companies, invitations, one_time_codes, outbox, password_reset_tokens, rate_buckets, sessions,
    webauthn_ceremonies,
};

use crate::helpers::{
    PASSWORD, TestApp, csrf_token_in, get_with, location, login_with, new_browser, spawn_app, spawn_app_with, submit_form_with,
};
use crate::two_factor_steps::{agent_with_two_factor, password_step, spawn_app_with_smtp, spawn_app_with_smtp_and, submit_code};

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
        async move { tokio::task::spawn_blocking(move || audit_events::table.count().get_result::<i64>(&mut pool.get().unwrap() as &mut agentgate::db::DbConnection).unwrap()).await.unwrap() }
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

/// One housekeeping round, as the server runs it every minute.
async fn housekeeping(app: &TestApp) -> usize {
    agentgate::startup::run_maintenance(&app.state).await.unwrap()
}

/// The login challenges left (how each was closed) and how many codes they hold.
async fn logins_and_their_codes(app: &TestApp) -> (Vec<Option<String>>, i64) {
    app.db(|conn| {
        let logins = code_challenges::table.filter(code_challenges::purpose.eq("login"));
        let closed = logins.order(code_challenges::created_at.asc()).select(code_challenges::closed_reason).load(conn).unwrap();
        let codes =
            one_time_codes::table.inner_join(code_challenges::table).filter(code_challenges::purpose.eq("login")).count().get_result(conn).unwrap();
        (closed, codes)
    })
    .await
}

#[tokio::test]
async fn a_finished_login_stays_while_the_code_window_counts_its_code_and_minutes_after() {
    let (app, smtp) = spawn_app_with_smtp().await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let browser = new_browser();
    password_step(&browser, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&browser, &app.address, &code).await), "/");
    let finished = (vec![Some("completed".to_owned())], 1);
    assert_eq!(logins_and_their_codes(&app).await, finished);

    // Within the 15-minute code window its code still counts towards the 5.
    app.clock.advance(Duration::minutes(14));
    housekeeping(&app).await;
    assert_eq!(logins_and_their_codes(&app).await, finished);
    // The login expired at 10 minutes; it is kept the code window and two
    // rounds more (27 minutes in all), not a day.
    app.clock.advance(Duration::minutes(12));
    housekeeping(&app).await;
    assert_eq!(logins_and_their_codes(&app).await, finished, "26 minutes in");
    app.clock.advance(Duration::minutes(2));
    housekeeping(&app).await;
    assert_eq!(logins_and_their_codes(&app).await, (vec![], 0), "28 minutes in");
}

#[tokio::test]
async fn a_login_reported_abandoned_stays_while_it_spaces_the_next_notice() {
    // A one-minute code window: finished logins go 3 minutes after they expire.
    let (app, smtp) = spawn_app_with_smtp_and(vec![("AGENTGATE_CODE_WINDOW_MINUTES", "1".to_owned())]).await;
    let email = app.complete_setup().await;
    agent_with_two_factor(&app, &smtp, &email, "Ada Admin").await;
    let finished = new_browser();
    password_step(&finished, &app.address, &email).await;
    let code = smtp.next_login_code(&email).await;
    assert_eq!(location(&submit_code(&finished, &app.address, &code).await), "/");
    app.clock.advance(Duration::seconds(1));
    password_step(&new_browser(), &app.address, &email).await;

    // Both expire at 10 minutes; the second, never finished, is reported.
    app.clock.advance(Duration::minutes(10));
    assert_eq!(housekeeping(&app).await, 1, "the abandoned login is reported");
    assert_eq!(logins_and_their_codes(&app).await, (vec![Some("completed".to_owned()), Some("reported_abandoned".to_owned())], 2));

    // The finished one goes 3 minutes after it expired; the reported one
    // stays the quarter hour that spaces abandoned-login notices, and two rounds.
    app.clock.advance(Duration::minutes(16));
    housekeeping(&app).await;
    assert_eq!(logins_and_their_codes(&app).await, (vec![Some("reported_abandoned".to_owned())], 1));
    app.clock.advance(Duration::minutes(2));
    housekeeping(&app).await;
    assert_eq!(logins_and_their_codes(&app).await, (vec![], 0));
}

/// The purposes of the rate buckets left, in order.
async fn purposes(app: &TestApp) -> Vec<String> {
    app.db(|conn| rate_buckets::table.order(rate_buckets::purpose.asc()).select(rate_buckets::purpose).load(conn).unwrap()).await
}

#[tokio::test]
async fn rate_buckets_go_once_idle_for_longer_than_their_limits_window() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    // Ten wrong passwords from a new browser pause the account (15-minute
    // window) and email the agent, at most once a day.
    let guesser = new_browser();
    for _ in 0..10 {
        assert_eq!(login_with(&guesser, &app.address, &admin, "a wrong password, long enough").await.status(), 401);
    }
    assert_eq!(purposes(&app).await, ["attack_notice", "login_account", "login_ip"]);

    app.clock.advance(Duration::minutes(14));
    housekeeping(&app).await;
    assert_eq!(purposes(&app).await, ["attack_notice", "login_account", "login_ip"], "inside the window");
    app.clock.advance(Duration::minutes(2));
    housekeeping(&app).await;
    assert_eq!(purposes(&app).await, ["attack_notice"], "past the login window; the notice's is a day");
    app.clock.advance(Duration::days(1));
    housekeeping(&app).await;
    assert_eq!(purposes(&app).await, Vec::<String>::new());
}

/// Asks for a password reset for the admin: one email.
async fn ask_for_a_reset(app: &TestApp) {
    submit_form_with(&new_browser(), &app.address, "/password/forgot", "/password/forgot", &[("email", "ada@acme.test")]).await;
    mail_delivered(app).await;
}

async fn outbox_rows(app: &TestApp) -> i64 {
    app.db(|conn| outbox::table.count().get_result(conn).unwrap()).await
}

#[tokio::test]
async fn sent_email_stays_for_its_retention_and_with_zero_until_the_next_round() {
    let app = spawn_app_with(vec![("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "2".to_owned())]).await;
    app.complete_setup().await;
    ask_for_a_reset(&app).await;
    let sent = outbox_rows(&app).await;
    assert!(sent > 0);
    app.clock.advance(Duration::minutes(119));
    housekeeping(&app).await;
    assert_eq!(outbox_rows(&app).await, sent, "within the 2 hours it stays (and /dev/mailbox shows it)");
    app.clock.advance(Duration::minutes(2));
    housekeeping(&app).await;
    assert_eq!(outbox_rows(&app).await, 0, "past them it is forgotten");

    let zero = spawn_app_with(vec![("AGENTGATE_SENT_EMAIL_RETENTION_HOURS", "0".to_owned())]).await;
    zero.complete_setup().await;
    ask_for_a_reset(&zero).await;
    assert!(outbox_rows(&zero).await > 0);
    zero.clock.advance(Duration::minutes(1));
    housekeeping(&zero).await;
    assert_eq!(outbox_rows(&zero).await, 0, "0 forgets sent email at the next round");
}

/// How often each busy table has been vacuumed, by name.
async fn vacuum_counts(app: &TestApp) -> Vec<(String, i64)> {
    #[derive(QueryableByName)]
    struct Vacuums {
        #[diesel(sql_type = diesel::sql_types::Text)]
        relname: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        vacuums: i64,
    }
    app.db(|conn: &mut DbConnection| {
        diesel::sql_query(
            "SELECT relname::text AS relname, vacuum_count + autovacuum_count AS vacuums FROM pg_stat_user_tables \
             WHERE relname IN ('sessions', 'rate_buckets', 'code_lockouts', 'code_challenges', 'one_time_codes', 'outbox') ORDER BY relname",
        )
        .load::<Vacuums>(conn)
        .unwrap()
        .into_iter()
        .map(|row| (row.relname, row.vacuums))
        .collect()
    })
    .await
}

/// On PostgreSQL each round vacuums the tables rewritten all day, so their
/// dead row versions are reclaimed even where the server's autovacuum is off.
#[tokio::test]
async fn each_round_vacuums_the_busy_tables_on_postgresql() {
    if !crate::helpers::on_postgres() {
        eprintln!("runs in the PostgreSQL pass of the suite (TEST_BACKEND=postgres)");
        return;
    }
    let app = spawn_app().await;
    let before = vacuum_counts(&app).await;
    assert_eq!(before.len(), 6, "{before:?}");
    agentgate::startup::run_maintenance(&app.state).await.unwrap();
    // The statistics show a vacuum once it has finished.
    let started = Instant::now();
    loop {
        let after = vacuum_counts(&app).await;
        if after.iter().zip(&before).all(|((_, now), (_, then))| now > then) {
            break;
        }
        assert!(started.elapsed() < StdDuration::from_secs(10), "not vacuumed: {before:?} -> {after:?}");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

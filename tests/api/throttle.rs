//! SPEC §3 login throttling: per account and per client IP, in the database,
//! 10 failures in 15 minutes, 429 with Retry-After, the right password refused
//! too, no hint whether the account exists, locks not extended by attempts,
//! a success resetting the account's count. Plus the generic bucket API that
//! other features (resend, forgot-password, invitations) build on.

use agentgate::auth::throttle::{self, Bucket, Decision};
use agentgate::config::Limit;
use agentgate::db::schema::audit_events;
use agentgate::domain::Role;
use chrono::Duration;
use diesel::prelude::*;
use reqwest::{Client, Response};

use crate::helpers::{PASSWORD, TestApp, csrf_token_in, location, new_browser, spawn_app, spawn_app_sharing, spawn_app_with};

const WRONG: &str = "not the password at all";

/// An app that believes `X-Forwarded-For` from 127.0.0.1, so a test can play
/// clients at different addresses.
async fn app_behind_proxy() -> TestApp {
    spawn_app_with(vec![("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned())]).await
}

/// One login from a fresh browser at `ip`.
async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> Response {
    login_from_with(&new_browser(), &app.address, ip, email, password).await
}

async fn login_from_with(browser: &Client, address: &str, ip: &str, email: &str, password: &str) -> Response {
    let page = browser.get(format!("{address}/login")).send().await.unwrap().text().await.unwrap();
    let token = csrf_token_in(&page).expect("the login page has a CSRF token");
    browser
        .post(format!("{address}/login"))
        .header("X-Forwarded-For", ip)
        .form(&[("csrf_token", token.as_str()), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

fn retry_after(response: &Response) -> u64 {
    response.headers().get("retry-after").expect("a Retry-After header").to_str().unwrap().parse().unwrap()
}

async fn audit_count(app: &TestApp, event: &'static str) -> i64 {
    app.db(move |conn| audit_events::table.filter(audit_events::event.eq(event)).count().get_result(conn).unwrap()).await
}

/// Ten failures for `email`, each from its own address (so only the account counts).
async fn fail_ten_times_from_many_ips(app: &TestApp, email: &str) {
    for i in 0..10 {
        let response = login_from(app, &format!("198.51.100.{i}"), email, WRONG).await;
        assert_eq!(response.status(), 401, "failure {} is an ordinary failed login", i + 1);
    }
}

#[tokio::test]
async fn ten_failures_lock_the_account_even_for_the_right_password() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    fail_ten_times_from_many_ips(&app, &email).await;

    let response = login_from(&app, "203.0.113.99", &email, PASSWORD).await;
    assert_eq!(response.status(), 429);
    let wait = retry_after(&response);
    assert!((890..=900).contains(&wait), "about 15 minutes, got {wait}");
    let page = response.text().await.unwrap();
    assert!(page.contains("Too many failed login attempts"), "{page}");
    assert!(page.contains("try again in 15 minutes"), "{page}");
    assert_eq!(app.session_count().await, 0, "the right password did not sign in");
    assert_eq!(audit_count(&app, "login_throttled").await, 1, "the lock-out is in the audit log");
}

#[tokio::test]
async fn an_unknown_email_is_throttled_exactly_like_a_known_one() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    let mut answers = Vec::new();
    for address in [email.as_str(), "nobody@acme.test"] {
        fail_ten_times_from_many_ips(&app, address).await;
        let response = login_from(&app, "203.0.113.99", address, PASSWORD).await;
        assert_eq!(response.status(), 429, "{address}");
        let wait = retry_after(&response);
        answers.push((wait, response.text().await.unwrap()));
    }
    let (known, unknown) = (&answers[0], &answers[1]);
    assert!(known.0.abs_diff(unknown.0) <= 2, "same wait: {} vs {}", known.0, unknown.0);
    assert_eq!(known.1, unknown.1, "the same page whether or not the account exists");
    // Spelling the address differently does not open a fresh count.
    let response = login_from(&app, "203.0.113.98", "  NOBODY@Acme.Test ", PASSWORD).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn ten_failures_from_one_ip_lock_that_ip_for_every_account() {
    let app = app_behind_proxy().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let attacker = "192.0.2.66";
    for i in 0..10 {
        // Spread over many accounts: the per-account counts stay low.
        let response = login_from(&app, attacker, &format!("guess{i}@acme.test"), WRONG).await;
        assert_eq!(response.status(), 401);
    }
    let response = login_from(&app, attacker, "bob@acme.test", PASSWORD).await;
    assert_eq!(response.status(), 429, "even a right password from that IP");
    assert!(retry_after(&response) > 0);
    // Bob, from his own address, is not affected.
    let response = login_from(&app, "203.0.113.5", "bob@acme.test", PASSWORD).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn attempts_during_a_lock_do_not_extend_it() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    fail_ten_times_from_many_ips(&app, &email).await;

    for _ in 0..3 {
        app.clock.advance(Duration::minutes(4));
        let response = login_from(&app, "203.0.113.99", &email, WRONG).await;
        assert_eq!(response.status(), 429);
    }
    // 12 minutes in: the wait counts down from the lock, not from the last try.
    let response = login_from(&app, "203.0.113.99", &email, PASSWORD).await;
    let wait = retry_after(&response);
    assert!((170..=180).contains(&wait), "about 3 minutes left, got {wait}");

    app.clock.advance(Duration::seconds(wait as i64));
    let response = login_from(&app, "203.0.113.99", &email, PASSWORD).await;
    assert_eq!(response.status(), 303, "the lock ended when it said it would");
    assert_eq!(audit_count(&app, "login_failed").await, 10, "refused attempts are not counted as failures");
}

#[tokio::test]
async fn a_success_resets_the_accounts_count() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    for i in 0..9 {
        assert_eq!(login_from(&app, &format!("198.51.100.{i}"), &email, WRONG).await.status(), 401);
    }
    assert_eq!(login_from(&app, "203.0.113.1", &email, PASSWORD).await.status(), 303);
    for i in 0..9 {
        assert_eq!(login_from(&app, &format!("198.51.100.{}", 20 + i), &email, WRONG).await.status(), 401);
    }
    assert_eq!(login_from(&app, "203.0.113.2", &email, PASSWORD).await.status(), 303, "the count started again after the success");
}

#[tokio::test]
async fn the_window_slides_failures_older_than_15_minutes_stop_counting() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    for i in 0..5 {
        assert_eq!(login_from(&app, &format!("198.51.100.{i}"), &email, WRONG).await.status(), 401);
    }
    app.clock.advance(Duration::minutes(10));
    for i in 5..10 {
        assert_eq!(login_from(&app, &format!("198.51.100.{i}"), &email, WRONG).await.status(), 401);
    }
    let response = login_from(&app, "203.0.113.1", &email, PASSWORD).await;
    assert_eq!(response.status(), 429, "ten failures within 15 minutes");
    let wait = retry_after(&response);
    assert!((290..=300).contains(&wait), "until the first five leave the window, got {wait}");
    app.clock.advance(Duration::minutes(5));
    assert_eq!(login_from(&app, "203.0.113.1", &email, PASSWORD).await.status(), 303);
}

#[tokio::test]
async fn every_instance_shares_the_counts() {
    let first = app_behind_proxy().await;
    let email = first.complete_setup().await;
    let second = spawn_app_sharing(&first, vec![("AGENTGATE_TRUSTED_PROXIES", "127.0.0.1".to_owned())]).await;
    for i in 0..10 {
        let app = if i % 2 == 0 { &first } else { &second };
        assert_eq!(login_from(app, &format!("198.51.100.{i}"), &email, WRONG).await.status(), 401);
    }
    for app in [&first, &second] {
        assert_eq!(login_from(app, "203.0.113.1", &email, PASSWORD).await.status(), 429);
    }
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_than_ten_tries() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    let attempts = (0..25).map(|i| {
        let (address, email) = (app.address.clone(), email.clone());
        tokio::spawn(async move {
            login_from_with(&new_browser(), &address, &format!("198.51.100.{i}"), &email, WRONG).await.status().as_u16()
        })
    });
    let mut statuses = Vec::new();
    for attempt in attempts.collect::<Vec<_>>() {
        statuses.push(attempt.await.unwrap());
    }
    assert_eq!(statuses.iter().filter(|&&s| s == 401).count(), 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 15, "{statuses:?}");
}

#[tokio::test]
async fn limits_are_configurable() {
    let app = spawn_app_with(vec![
        ("AGENTGATE_LOGIN_MAX_FAILURES", "2".to_owned()),
        ("AGENTGATE_LOGIN_WINDOW_MINUTES", "1".to_owned()),
    ])
    .await;
    let email = app.complete_setup().await;
    for _ in 0..2 {
        assert_eq!(app.login(&email, WRONG).await.status(), 401);
    }
    let response = app.login(&email, PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(retry_after(&response) <= 60);
    app.clock.advance(Duration::minutes(1));
    let response = app.login(&email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/");
}

// ---------------------------------------------------------------------------
// The generic bucket API (for resend, forgot-password and invitation limits)
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_bucket_counts_refuses_takes_back_and_resets() {
    let app = spawn_app().await;
    let now = app.clock_now();
    app.db(move |conn| {
        let limit = Limit::per_seconds(2, 30);
        let bucket = Bucket::new("test_purpose", "agent:x");
        let first = match throttle::hit(conn, &bucket, limit, now).unwrap() {
            Decision::Allowed(hit) => hit,
            refused => panic!("{refused:?}"),
        };
        assert_eq!(first.remaining, 1);
        let second = match throttle::hit(conn, &bucket, limit, now + Duration::seconds(10)).unwrap() {
            Decision::Allowed(hit) => hit,
            refused => panic!("{refused:?}"),
        };
        assert!(second.filled_the_window());
        assert_eq!(
            throttle::hit(conn, &bucket, limit, now + Duration::seconds(10)).unwrap(),
            Decision::Refused { retry_after: Duration::seconds(20) }
        );
        assert_eq!(throttle::retry_after(conn, &bucket, limit, now + Duration::seconds(25)).unwrap(), Some(Duration::seconds(5)));
        // Another purpose or key is another bucket.
        assert!(matches!(throttle::hit(conn, &Bucket::new("other", "agent:x"), limit, now).unwrap(), Decision::Allowed(_)));

        throttle::take_back(conn, &bucket, &second, now).unwrap();
        assert_eq!(throttle::retry_after(conn, &bucket, limit, now + Duration::seconds(11)).unwrap(), None);
        assert!(matches!(throttle::hit(conn, &bucket, limit, now + Duration::seconds(11)).unwrap(), Decision::Allowed(_)));
        throttle::reset(conn, &bucket).unwrap();
        assert_eq!(throttle::retry_after(conn, &bucket, limit, now + Duration::seconds(11)).unwrap(), None);

        // The window slides: 30 s after the first hit it has room again.
        throttle::hit(conn, &bucket, limit, now).unwrap();
        throttle::hit(conn, &bucket, limit, now).unwrap();
        assert!(matches!(throttle::hit(conn, &bucket, limit, now + Duration::seconds(30)).unwrap(), Decision::Allowed(_)));

        // Idle buckets are swept: after their purpose's window, or a day for a purpose not listed.
        assert_eq!(throttle::sweep(conn, now + Duration::seconds(61), &[(bucket.purpose(), limit.window)]).unwrap(), 1);
        assert!(throttle::sweep(conn, now + Duration::days(2), &[]).unwrap() >= 1);
        assert_eq!(throttle::retry_after(conn, &bucket, limit, now + Duration::seconds(31)).unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn concurrent_hits_on_one_bucket_never_exceed_the_limit() {
    let app = spawn_app().await;
    let now = app.clock_now();
    let limit = Limit::per_minutes(10, 15);
    // Connections of their own: on SQLite the app's request path has one.
    let settings = agentgate::db::PoolSettings { max_size: 6, connect_timeout: std::time::Duration::from_secs(10) };
    let pool = agentgate::db::connect(&app.state.config.database_url, &settings).unwrap();
    let workers = (0..6).map(|_| {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let mut conn = pool.get().unwrap();
            let bucket = Bucket::new("test_concurrency", "shared");
            (0..5)
                .filter(|_| matches!(throttle::hit(&mut conn, &bucket, limit, now).unwrap(), Decision::Allowed(_)))
                .count()
        })
    });
    let allowed: usize = workers.collect::<Vec<_>>().into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(allowed, 10);
}

#[tokio::test]
async fn an_attacker_from_elsewhere_cannot_lock_the_agent_out_of_their_own_browser() {
    let app = app_behind_proxy().await;
    let email = app.complete_setup().await;
    // The agent's usual browser: signed in there before, so it holds a device cookie.
    let own = new_browser();
    assert_eq!(login_from_with(&own, &app.address, "192.0.2.10", &email, PASSWORD).await.status(), 303);
    log_out(&own, &app.address).await;

    // Fifty wrong passwords from other addresses: the first ten count, then 429.
    for i in 0..50 {
        let status = login_from(&app, &format!("198.51.100.{i}"), &email, WRONG).await.status();
        assert_eq!(status, if i < 10 { 401 } else { 429 }, "attempt {}", i + 1);
    }
    assert_eq!(login_from(&app, "203.0.113.99", &email, PASSWORD).await.status(), 429, "a new browser stays refused");
    // The agent is told once, even when the guessing goes on past the lock.
    let notices = || {
        app.db(|conn| {
            agentgate::db::schema::outbox::table
                .filter(agentgate::db::schema::outbox::subject.like("%failed sign-ins to your account from new browsers%"))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
    };
    assert_eq!(notices().await, 1);
    app.clock.advance(chrono::Duration::minutes(16));
    for i in 0..11 {
        let status = login_from(&app, &format!("198.51.100.{i}"), &email, WRONG).await.status();
        assert_eq!(status, if i < 10 { 401 } else { 429 }, "attempt {} after the first lock", i + 1);
    }
    assert_eq!(notices().await, 1, "one email for one guessing run, not one per lock");

    // The agent's own browser signs in, even from the attacker's address.
    assert_eq!(login_from_with(&own, &app.address, "198.51.100.1", &email, PASSWORD).await.status(), 303);
    assert_eq!(app.session_count().await, 1);
    // Signed in there, the agent can still confirm a change with the password.
    let confirm = crate::helpers::submit_form_with(&own, &app.address, "/account/confirm-identity", "/account/confirm-identity", &[("current_password", PASSWORD)]).await;
    assert_eq!(confirm.status(), 303, "the current-password check counts the agent's own browser on its own");
}

#[tokio::test]
async fn a_device_cookie_is_bound_to_its_agent_and_never_skips_the_code() {
    let app = app_behind_proxy().await;
    let admin = app.complete_setup().await;
    app.add_agent(&admin, "Bo Agent", "bo@acme.test", agentgate::domain::Role::Agent).await;
    let shared = new_browser();
    assert_eq!(login_from_with(&shared, &app.address, "192.0.2.10", &admin, PASSWORD).await.status(), 303);
    log_out(&shared, &app.address).await;

    // Ada's device cookie gives Bo nothing: Bo's new-browser count locks as usual.
    for i in 0..10 {
        login_from(&app, &format!("198.51.100.{i}"), "bo@acme.test", WRONG).await;
    }
    assert_eq!(login_from_with(&shared, &app.address, "192.0.2.10", "bo@acme.test", PASSWORD).await.status(), 429);

    // With 2FA on, the known device still gets the code step.
    app.db(|conn| {
        diesel::update(agentgate::db::schema::agents::table.filter(agentgate::db::schema::agents::email.eq("ada@acme.test")))
            .set(agentgate::db::schema::agents::two_factor.eq("enabled"))
            .execute(conn)
            .unwrap()
    })
    .await;
    let response = login_from_with(&shared, &app.address, "192.0.2.10", &admin, PASSWORD).await;
    assert_eq!(location(&response), "/login/verify", "the device cookie is not a trusted computer");
}

/// Logs the browser out with the Log out button's form.
async fn log_out(browser: &Client, address: &str) {
    let page = browser.get(format!("{address}/")).send().await.unwrap().text().await.unwrap();
    let token = csrf_token_in(&page).expect("a signed-in page has the Log out form");
    let response = browser.post(format!("{address}/logout")).form(&[("csrf_token", token.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), 303);
}


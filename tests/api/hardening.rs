//! SPEC §3 rows that had no test of their own: cookies under https, the CSRF
//! token's rotation at login, no state change over GET, trusted computers
//! forgotten on password change and deactivation, and password hashing that
//! never blocks the web workers.

use std::time::{Duration, Instant};

use agentgate::db::schema::trusted_computers;
use agentgate::domain::{Role, new_public_id};
use diesel::prelude::*;

use crate::helpers::{PASSWORD, TestApp, change_password_with, csrf_token_in, get_with, login_with, new_browser, spawn_app, spawn_app_with};

fn set_cookie_named<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

/// The first-run page needs the anonymous CSRF cookie, which is Secure here.
async fn create_admin_directly(app: &TestApp) -> String {
    let now = app.clock_now();
    app.db(move |conn| {
        let admin = agentgate::auth::accounts::NewAdmin {
            company: agentgate::domain::CompanyName::parse("Acme Support").unwrap(),
            name: agentgate::domain::PersonName::parse("Ada Admin").unwrap(),
            email: agentgate::domain::EmailAddress::parse("ada@acme.test").unwrap(),
            password_hash: agentgate::auth::password::hash_blocking(PASSWORD).unwrap(),
            language: agentgate::i18n::Language::English,
        };
        agentgate::auth::accounts::create_admin(conn, &admin, now).unwrap();
    })
    .await;
    "ada@acme.test".to_owned()
}

#[tokio::test]
async fn cookies_are_host_prefixed_and_secure_under_https() {
    let app = spawn_app_with(vec![("AGENTGATE_PUBLIC_URL", "https://127.0.0.1:0".to_owned())]).await;
    let email = create_admin_directly(&app).await;
    // The browser here speaks plain http to the test server, so it would not
    // send Secure cookies back: carry them by hand.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(app.url("/login")).send().await.unwrap();
    assert!(page.headers().contains_key("strict-transport-security"), "HSTS under https");
    let csrf_cookie = set_cookie_named(&page, "__Host-agentgate_csrf").expect("a __Host- CSRF cookie").to_owned();
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(csrf_cookie.contains(attribute), "{attribute}: {csrf_cookie}");
    }
    assert!(!csrf_cookie.contains("Domain="), "__Host- cookies have no Domain");
    let token = csrf_token_in(&page.text().await.unwrap()).unwrap();
    let cookie_pair = csrf_cookie.split(';').next().unwrap().to_owned();
    let login = client
        .post(app.url("/login"))
        .header("cookie", cookie_pair)
        .form(&[("csrf_token", token.as_str()), ("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303);
    let session = set_cookie_named(&login, "__Host-agentgate_session").expect("a __Host- session cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{attribute}: {session}");
    }
    assert!(!session.contains("Domain="));
}

#[tokio::test]
async fn the_csrf_token_rotates_at_login() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let before = csrf_token_in(&app.get("/login").await.text().await.unwrap()).unwrap();
    assert_eq!(app.login(&email, PASSWORD).await.status(), 303);
    let after = csrf_token_in(&app.get("/").await.text().await.unwrap()).unwrap();
    assert_ne!(before, after);
    let stale = app.post_raw("/logout", &[("csrf_token", before.as_str())]).await;
    assert_eq!(stale.status(), 403, "the pre-login token is dead");
    assert_eq!(app.get("/").await.status(), 200);
}

#[tokio::test]
async fn no_state_changes_over_get() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().unwrap();
    let token = link.rsplit('=').next().unwrap().to_owned();
    let setup_by_get = format!("/setup?token={token}&company=Evil&name=Eve&email=eve%40evil.test&password=x&password_confirm=x");
    assert_eq!(app.get(&setup_by_get).await.status(), 200, "just the form");
    let email = app.complete_setup().await;
    let signed_in = new_browser();
    login_with(&signed_in, &app.address, &email, PASSWORD).await;

    let login_by_get = get_with(&new_browser(), &app.url(&format!("/login?email={email}&password={PASSWORD}"))).await;
    assert_eq!(login_by_get.status(), 200, "the form, not a login");
    let logout_by_get = get_with(&signed_in, &app.url("/logout")).await;
    assert_eq!(logout_by_get.status(), 404);
    let rename_by_get = get_with(&signed_in, &app.url("/account/settings?name=Mallory&new_password=x")).await;
    assert_eq!(rename_by_get.status(), 200);
    assert!(rename_by_get.text().await.unwrap().contains("value=\"Ada Admin\""));
    assert_eq!(get_with(&signed_in, &app.url("/")).await.status(), 200, "still signed in");
    assert_eq!(app.session_count().await, 1, "no session was made by a GET");
}

async fn add_trusted_computer(app: &TestApp, agent_id: &str) {
    let (agent_id, now) = (agent_id.to_owned(), app.clock_now());
    app.db(move |conn| {
        diesel::insert_into(trusted_computers::table)
            .values((
                trusted_computers::id.eq(new_public_id()),
                trusted_computers::agent_id.eq(&agent_id),
                trusted_computers::token_hash.eq(new_public_id()),
                trusted_computers::label.eq("Firefox on Linux"),
                trusted_computers::ip.eq("127.0.0.1"),
                trusted_computers::created_at.eq(now),
                trusted_computers::last_used_at.eq(now),
                trusted_computers::expires_at.eq(now + chrono::Duration::days(30)),
            ))
            .execute(conn)
            .unwrap();
    })
    .await;
}

async fn trusted_count(app: &TestApp, agent_id: &str) -> i64 {
    let agent_id = agent_id.to_owned();
    app.db(move |conn| trusted_computers::table.filter(trusted_computers::agent_id.eq(agent_id)).count().get_result(conn).unwrap()).await
}

#[tokio::test]
async fn a_password_change_and_a_deactivation_forget_trusted_computers() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let ada_id = app.db(|conn| agentgate::db::schema::agents::table.select(agentgate::db::schema::agents::id).first::<String>(conn).unwrap()).await;
    let bob_id = app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    add_trusted_computer(&app, &ada_id).await;
    add_trusted_computer(&app, &bob_id).await;

    app.login(&admin, PASSWORD).await;
    let new_password = "a brand new passphrase for ada";
    let response = change_password_with(&app.client, &app.address, PASSWORD, new_password).await;
    assert_eq!(response.status(), 303);
    assert_eq!(trusted_count(&app, &ada_id).await, 0, "password change forgets them");
    assert_eq!(trusted_count(&app, &bob_id).await, 1, "only the agent's own");

    let now = app.clock_now();
    let bob = bob_id.clone();
    app.db(move |conn| {
        let agent = agentgate::db::models::Agent::find_active(conn, &bob).unwrap().unwrap();
        agentgate::auth::accounts::deactivate(conn, &agent, &Default::default(), now).unwrap();
    })
    .await;
    assert_eq!(trusted_count(&app, &bob_id).await, 0, "deactivation forgets them");
    assert_eq!(app.get("/").await.status(), 200, "the admin is still signed in");
}

#[tokio::test]
async fn password_hashing_never_blocks_the_web_workers() {
    // One HTTP worker, one hash at a time: if a hash ran on the worker, every
    // other request would wait for the queue of hashes in front of it.
    let app = spawn_app_with(vec![
        ("AGENTGATE_WORKERS", "1".to_owned()),
        ("AGENTGATE_HASH_CONCURRENCY", "1".to_owned()),
        ("AGENTGATE_LOGIN_IP_MAX_FAILURES", "1000".to_owned()),
    ])
    .await;
    let email = app.complete_setup().await;
    let started = Instant::now();
    let logins: Vec<_> = (0..8)
        .map(|_| {
            let (address, email) = (app.address.clone(), email.clone());
            tokio::spawn(async move { login_with(&new_browser(), &address, &email, "wrong password, many times").await.status() })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(30)).await;
    let health_started = Instant::now();
    assert_eq!(app.get("/healthz").await.status(), 200);
    let health = health_started.elapsed();
    for login in logins {
        assert!(login.await.unwrap().is_client_error());
    }
    let all = started.elapsed();
    eprintln!("healthz {health:?} during eight logins taking {all:?}");
    assert!(health * 3 < all, "/healthz took {health:?} while eight logins took {all:?}");
}

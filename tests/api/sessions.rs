use agentgate::domain::Role;
use chrono::Duration;

use crate::helpers::{PASSWORD, TestApp, change_password_with, get_with, location, login_with, new_browser, spawn_app};

#[tokio::test]
async fn a_session_ends_after_an_idle_hour() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;

    app.clock.advance(Duration::minutes(59));
    assert_eq!(app.get("/").await.status(), 200, "still signed in after 59 idle minutes");
    app.clock.advance(Duration::minutes(59));
    assert_eq!(app.get("/").await.status(), 200, "each request extends the idle deadline");
    app.clock.advance(Duration::minutes(61));
    assert_eq!(location(&app.get("/").await), "/login");
}

/// A page view every half hour, `half_hours` times: the session stays signed in.
async fn busy_for(app: &TestApp, half_hours: usize) {
    for _ in 0..half_hours {
        app.clock.advance(Duration::minutes(30));
        assert_eq!(app.get("/").await.status(), 200);
    }
}

#[tokio::test]
async fn a_session_ends_after_twelve_hours_however_busy() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    busy_for(&app, 23).await;
    app.clock.advance(Duration::minutes(31));
    assert_eq!(location(&app.get("/").await), "/login");
}

#[tokio::test]
async fn a_password_change_keeps_the_twelve_hours_counted_from_the_login() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    busy_for(&app, 12).await;
    // Six hours in: a new password, and a new session id for this browser.
    let new_password = "a brand new passphrase for ada";
    assert_eq!(change_password_with(&app.client, &app.address, PASSWORD, new_password).await.status(), 303);
    busy_for(&app, 11).await;
    app.clock.advance(Duration::minutes(31));
    assert_eq!(location(&app.get("/").await), "/login", "twelve hours after the login, not after the change");

    // A new login starts a new twelve hours.
    assert_eq!(location(&app.login(&email, new_password).await), "/");
    busy_for(&app, 23).await;
}

#[tokio::test]
async fn timeouts_are_configurable() {
    let app = crate::helpers::spawn_app_with(vec![("AGENTGATE_SESSION_IDLE_MINUTES", "5".to_owned())]).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    app.clock.advance(Duration::minutes(6));
    assert_eq!(location(&app.get("/").await), "/login");
}

#[tokio::test]
async fn a_password_change_ends_the_agents_other_sessions() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    let other_browser = new_browser();
    login_with(&other_browser, &app.address, &email, PASSWORD).await;
    app.login(&email, PASSWORD).await;
    assert_eq!(app.session_count().await, 2);

    let new_password = "a brand new passphrase for ada";
    let response = change_password_with(&app.client, &app.address, PASSWORD, new_password).await;
    assert_eq!(response.status(), 303);

    // This browser stays signed in; the other one is signed out.
    assert_eq!(app.get("/").await.status(), 200);
    let other = get_with(&other_browser, &app.url("/")).await;
    assert_eq!(location(&other), "/login");
    assert_eq!(app.session_count().await, 1);

    // Only the new password works now.
    assert_eq!(login_with(&new_browser(), &app.address, &email, PASSWORD).await.status(), 401);
    assert_eq!(login_with(&new_browser(), &app.address, &email, new_password).await.status(), 303);
}

#[tokio::test]
async fn deactivation_ends_every_session_at_once() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    let agent_id = app.add_agent(&admin, "Bob Agent", "bob@acme.test", Role::Agent).await;
    let bob = new_browser();
    login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await;
    assert_eq!(get_with(&bob, &app.url("/")).await.status(), 200);

    let now = app.clock_now();
    app.db(move |conn| {
        let agent = agentgate::db::models::Agent::find_active(conn, &agent_id).unwrap().unwrap();
        agentgate::auth::accounts::deactivate(conn, &agent, &Default::default(), now).unwrap()
    }).await;
    assert_eq!(location(&get_with(&bob, &app.url("/")).await), "/login");
    assert_eq!(login_with(&bob, &app.address, "bob@acme.test", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn the_role_is_read_from_the_database_on_every_request() {
    let app = spawn_app().await;
    let admin = app.complete_setup().await;
    app.login(&admin, PASSWORD).await;
    assert!(app.get("/").await.text().await.unwrap().contains("href=\"/agents\""));
    app.db(|conn| {
        use diesel::prelude::*;
        use agentgate::db::schema::agents;
        diesel::update(agents::table).set(agents::role.eq("agent")).execute(conn).unwrap();
    }).await;
    assert!(!app.get("/").await.text().await.unwrap().contains("href=\"/agents\""));
}

use agentgate::domain::Role;
use chrono::Duration;

use crate::helpers::{PASSWORD, TestApp, change_password_with, get_with, location, login_with, new_browser, spawn_app, spawn_app_with};

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

#[tokio::test]
async fn the_shortest_idle_lifetime_still_moves_with_every_page() {
    let app = spawn_app_with(vec![("AGENTGATE_SESSION_IDLE_MINUTES", "1".to_owned())]).await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    // A page every 40 seconds for five minutes: never idle for a minute.
    for _ in 0..8 {
        app.clock.advance(Duration::seconds(40));
        assert_eq!(app.get("/").await.status(), 200, "a busy agent stays signed in");
    }
    app.clock.advance(Duration::seconds(61));
    assert_eq!(location(&app.get("/").await), "/login", "a minute without a page ends it");
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

/// A browser that says it is Firefox on Linux.
fn firefox() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .build()
        .unwrap()
}

/// The session ids of the Sign out forms on a page, in order.
fn session_ids(page: &str) -> Vec<String> {
    page.split("/account/sessions/")
        .skip(1)
        .filter_map(|rest| rest.split_once("/sign-out").map(|(id, _)| id.to_owned()))
        .collect()
}

#[tokio::test]
async fn an_agent_sees_their_sessions_and_signs_one_or_all_others_out() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let laptop = firefox();
    assert_eq!(login_with(&laptop, &app.address, &email, PASSWORD).await.status(), 303);

    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains("Signed-in sessions"), "{page}");
    assert!(page.contains("Firefox on Linux"), "the other browser is named");
    assert_eq!(page.matches("This session").count(), 1);
    let ids = session_ids(&page);
    assert_eq!(ids.len(), 2, "{ids:?}");
    // The laptop's row is the one not marked "This session".
    let laptop_session = page
        .split("<tr>")
        .find(|row| row.contains("/account/sessions/") && !row.contains("This session"))
        .and_then(|row| session_ids(&format!(" {row}")).pop())
        .expect("the laptop's row");

    let response = app.submit_form("/account/settings", &format!("/account/sessions/{laptop_session}/sign-out"), &[]).await;
    assert_eq!(location(&response), "/account/settings?notice=session_signed_out#sessions");
    assert_eq!(location(&get_with(&laptop, &app.url("/")).await), "/login", "the laptop is signed out");
    assert_eq!(app.get("/").await.status(), 200, "this browser is not");

    // Two more browsers, then "Sign out all other sessions".
    let (phone, tablet) = (new_browser(), new_browser());
    login_with(&phone, &app.address, &email, PASSWORD).await;
    login_with(&tablet, &app.address, &email, PASSWORD).await;
    let response = app.submit_form("/account/settings", "/account/sessions/sign-out-others", &[]).await;
    assert_eq!(response.status(), 303);
    for other in [&phone, &tablet] {
        assert_eq!(location(&get_with(other, &app.url("/")).await), "/login");
    }
    let page = app.get("/account/settings").await.text().await.unwrap();
    assert_eq!(session_ids(&page).len(), 1, "only this session is left");
    assert!(!page.contains("Sign out all other sessions"));

    // Another agent cannot name this agent's session.
    app.add_agent(&email, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let bo = new_browser();
    login_with(&bo, &app.address, "bo@acme.test", PASSWORD).await;
    let mine = session_ids(&page).remove(0);
    let response = crate::helpers::submit_form_with(&bo, &app.address, "/account/settings", &format!("/account/sessions/{mine}/sign-out"), &[]).await;
    assert_eq!(response.status(), 404);
    assert_eq!(app.get("/").await.status(), 200, "Ada is still signed in");
}

#[tokio::test]
async fn an_admin_signs_an_agent_out_everywhere_without_deactivating_them() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let bo_id = app.add_agent(&email, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let bo = firefox();
    login_with(&bo, &app.address, "bo@acme.test", PASSWORD).await;

    let page = app.get(&format!("/agents/{bo_id}")).await.text().await.unwrap();
    assert!(page.contains("Firefox on Linux") && page.contains("Sign out everywhere"), "{page}");
    let confirm = app.get(&format!("/agents/{bo_id}/sign-out-everywhere")).await;
    assert_eq!(confirm.status(), 200);
    assert!(confirm.text().await.unwrap().contains("Sign Bo Agent out everywhere?"));

    let path = format!("/agents/{bo_id}/sign-out-everywhere");
    let response = app.submit_form(&path, &path, &[]).await;
    assert_eq!(location(&response), format!("/agents/{bo_id}?notice=signed_out_everywhere"));
    assert_eq!(location(&get_with(&bo, &app.url("/")).await), "/login", "Bo's browser is signed out");
    let page = app.get(&format!("/agents/{bo_id}")).await.text().await.unwrap();
    assert!(page.contains("Not signed in anywhere now."), "{page}");
    assert!(page.contains("Active"), "Bo stays active");
    assert_eq!(login_with(&bo, &app.address, "bo@acme.test", PASSWORD).await.status(), 303, "and can log in again");

    // An hour later the admin must confirm it is them again first.
    app.clock.advance(Duration::minutes(61));
    app.login(&email, PASSWORD).await;
    app.clock.advance(Duration::minutes(11));
    let response = app.submit_form(&path, &path, &[]).await;
    assert!(location(&response).starts_with("/account/confirm-identity"), "{}", location(&response));
}

#[tokio::test]
async fn a_company_signs_its_agents_out_sooner_than_the_server() {
    let app = crate::agents_support::admin_app().await;
    let zed = new_browser();
    crate::agents_support::add_company(&app, "Other Co", "zed@other.test").await;
    assert_eq!(location(&login_with(&zed, &app.address, "zed@other.test", PASSWORD).await), "/");

    // Above the server's limits, or too short: refused, nothing changes.
    for (idle, absolute, message) in [
        ("61", "", "Sign out after inactivity must be a whole number of minutes from 5 to 60"),
        ("4", "", "Sign out after inactivity must be"),
        ("", "13", "Sign out after must be a whole number of hours from 1 to 12"),
        ("", "1.5", "Sign out after must be"),
    ] {
        let fields = [("trusted_days_max", "30"), ("session_idle_minutes", idle), ("session_absolute_hours", absolute)];
        let response = app.submit_form("/agents", "/agents/policy", &fields).await;
        assert_eq!(response.status(), 422, "{idle:?} {absolute:?}");
        assert!(response.text().await.unwrap().contains(message), "{idle:?} {absolute:?}");
    }

    // 15 idle minutes and 2 hours: Ada's own session, already signed in, follows at once.
    let fields = [("trusted_days_max", "30"), ("session_idle_minutes", "15"), ("session_absolute_hours", "2")];
    assert_eq!(location(&app.submit_form("/agents", "/agents/policy", &fields).await), "/agents?notice=policy_saved");
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("name=\"session_idle_minutes\"") && page.contains("value=\"15\""), "the form shows the saved values");
    app.clock.advance(Duration::minutes(14));
    assert_eq!(app.get("/").await.status(), 200, "still signed in after 14 idle minutes");
    app.clock.advance(Duration::minutes(16));
    assert_eq!(location(&app.get("/").await), "/login", "signed out after 16 idle minutes");
    // The other company keeps the server's hour.
    assert_eq!(get_with(&zed, &app.url("/")).await.status(), 200, "another company's agent stays signed in");

    // A new sign-in lives by the policy: busy, yet out two hours after signing in.
    assert_eq!(location(&app.login(crate::agents_support::ADMIN_EMAIL, PASSWORD).await), "/");
    for _ in 0..11 {
        app.clock.advance(Duration::minutes(10));
        assert_eq!(app.get("/").await.status(), 200);
    }
    app.clock.advance(Duration::minutes(11));
    assert_eq!(location(&app.get("/").await), "/login", "two hours after the sign-in");

    // Empty fields go back to the server's settings.
    assert_eq!(location(&app.login(crate::agents_support::ADMIN_EMAIL, PASSWORD).await), "/");
    let fields = [("trusted_days_max", "30"), ("session_idle_minutes", ""), ("session_absolute_hours", "")];
    assert_eq!(location(&app.submit_form("/agents", "/agents/policy", &fields).await), "/agents?notice=policy_saved");
    assert_eq!(app.get("/agents?notice=policy_saved").await.status(), 200);
    app.clock.advance(Duration::minutes(50));
    assert_eq!(app.get("/").await.status(), 200, "the server's hour again");
}

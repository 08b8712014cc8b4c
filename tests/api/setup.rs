use crate::helpers::{PASSWORD, spawn_app};

#[tokio::test]
async fn the_setup_link_creates_the_company_and_admin_once() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().expect("a fresh app prints a setup link");
    let path = link.trim_start_matches(&app.address).to_owned();

    let page = app.get(&path).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Set up AgentGate"));

    app.complete_setup().await;

    // The link is spent: the page is gone and a second post changes nothing.
    assert_eq!(app.get(&path).await.status(), 404);
    let token = path.split("token=").nth(1).unwrap();
    let again = app
        .submit_form(
            "/login",
            "/setup",
            &[("token", token), ("company", "Other"), ("name", "Eve"), ("email", "eve@other.test"),
              ("password", PASSWORD), ("password_confirm", PASSWORD)],
        )
        .await;
    assert_eq!(again.status(), 404);
    let agents: i64 = app.db(|conn| {
        use diesel::prelude::*;
        agentgate::db::schema::agents::table.count().get_result(conn).unwrap()
    }).await;
    assert_eq!(agents, 1);
}

#[tokio::test]
async fn setup_without_the_right_token_is_not_found() {
    let app = spawn_app().await;
    // Before the setup, the bare path says where its link is; the login page too.
    let bare = app.get("/setup").await;
    assert_eq!(bare.status(), 400);
    assert!(bare.text().await.unwrap().contains("printed a setup link"));
    let login = app.get("/login").await.text().await.unwrap();
    assert!(login.contains("id=\"setup-pending\"") && !login.contains("action=\"/login\""), "no login form that cannot work");
    assert_eq!(app.get("/setup?token=guessed").await.status(), 404);
    // After it, neither: the page does not exist, and the login form is back.
    app.complete_setup().await;
    assert_eq!(app.get("/setup").await.status(), 404);
    let login = app.get("/login").await.text().await.unwrap();
    assert!(!login.contains("setup-pending") && login.contains("action=\"/login\""));
}

#[tokio::test]
async fn setup_shows_every_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().unwrap();
    let path = link.trim_start_matches(&app.address).to_owned();
    let token = path.split("token=").nth(1).unwrap().to_owned();
    let response = app
        .submit_form(&path, "/setup", &[("token", &token), ("company", ""), ("name", "Ada"), ("email", "not-an-email"),
            ("password", "short"), ("password_confirm", "short")])
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(body.contains("Company name: Enter a name."), "{body}");
    assert!(body.contains("Email: Enter a valid email address"), "{body}");
    // The link still works after a failed attempt.
    assert_eq!(app.get(&path).await.status(), 200);
}

#[tokio::test]
async fn setup_refuses_a_common_password_with_the_reason() {
    let app = spawn_app().await;
    let link = app.setup_link.clone().unwrap();
    let path = link.trim_start_matches(&app.address).to_owned();
    let token = path.split("token=").nth(1).unwrap().to_owned();
    let response = app
        .submit_form(&path, "/setup", &[("token", &token), ("company", "Acme"), ("name", "Ada"), ("email", "ada@acme.test"),
            ("password", "1qaz2wsx3edc4rfv"), ("password_confirm", "1qaz2wsx3edc4rfv")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("one of the most common passwords"));
}

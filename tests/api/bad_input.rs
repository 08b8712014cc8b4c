use crate::helpers::{PASSWORD, csrf_token_in, spawn_app};

#[tokio::test]
async fn an_oversized_body_is_refused_with_413() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/account/settings").await.text().await.unwrap();
    let token = csrf_token_in(&page).unwrap();
    let huge = "x".repeat(2 * 1024 * 1024);
    let response = app.client.post(app.url("/account/settings"))
        .form(&[("csrf_token", token.as_str()), ("name", huge.as_str())]).send().await.unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("Request too large"));
    assert!(app.get("/account/settings").await.text().await.unwrap().contains("value=\"Ada Admin\""));
}

#[tokio::test]
async fn invalid_utf8_a_missing_field_and_duplicates_get_400() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let page = app.get("/account/settings").await.text().await.unwrap();
    let token = csrf_token_in(&page).unwrap();

    let bodies = [
        format!("csrf_token={token}&name=%FF%FEAda"),
        format!("csrf_token={token}"),
        format!("csrf_token={token}&name=A&name=B"),
    ];
    for body in bodies {
        let response = app.client.post(app.url("/account/settings"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone()).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
        assert!(response.text().await.unwrap().contains("Bad request"));
    }
    assert!(app.get("/account/settings").await.text().await.unwrap().contains("value=\"Ada Admin\""));
}

#[tokio::test]
async fn control_characters_in_a_name_are_refused() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let response = app.submit_form("/account/settings", "/account/settings", &[("name", "Ada\r\nBcc: evil@x.test")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("control characters"));
}

#[tokio::test]
async fn a_malformed_email_or_huge_password_at_login_is_just_a_failed_login() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let long = "p".repeat(10_000);
    for (email, password) in [("not an email", PASSWORD), ("ada@acme.test", long.as_str()), ("", "")] {
        let browser = crate::helpers::new_browser();
        let response = crate::helpers::login_with(&browser, &app.address, email, password).await;
        assert_eq!(response.status(), 401);
    }
}

#[tokio::test]
async fn a_malformed_query_string_is_a_400_page() {
    let app = spawn_app().await;
    let response = app.get("/login?next=%FF").await;
    assert!(response.status().is_client_error() || response.status() == 200);
    let response = app.get("/static/..%2Fsecret.key").await;
    assert_eq!(response.status(), 404);
}

use crate::helpers::{PASSWORD, location, spawn_app};

#[tokio::test]
async fn account_setting_changes_the_name() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;

    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains("<h1>Account Setting</h1>"));
    assert!(page.contains(">Update</button>"));

    let response = app.submit_form("/account/settings", "/account/settings", &[("name", "Ada Lovelace")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account/settings?notice=saved");
    let page = app.get("/account/settings?notice=saved").await.text().await.unwrap();
    assert!(page.contains("Your settings were updated."));
    assert!(page.contains("value=\"Ada Lovelace\""));
    assert!(page.contains(">AL</summary>"), "the round button shows the new initials");
}

#[tokio::test]
async fn a_password_change_needs_the_current_password_and_a_good_new_one() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    let new_password = "another long passphrase indeed";

    let cases: [(&str, &str, &str, &str); 4] = [
        ("wrong current password!!", new_password, new_password, "that is not your current password"),
        (PASSWORD, "too short", "too short", "Use at least 15 characters"),
        (PASSWORD, new_password, "a different confirmation", "do not match"),
        (PASSWORD, "my agentgate passphrase", "my agentgate passphrase", "product name"),
    ];
    for (current, new, confirm, message) in cases {
        let response = app
            .submit_form("/account/settings", "/account/settings", &[
                ("name", "Renamed Too"), ("current_password", current), ("new_password", new), ("confirm_password", confirm),
            ])
            .await;
        assert_eq!(response.status(), 422);
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "expected {message:?} in the page");
    }
    // Nothing was half-written: neither the name nor the password changed.
    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains("value=\"Ada Admin\""));
    let fresh = crate::helpers::new_browser();
    assert_eq!(crate::helpers::login_with(&fresh, &app.address, &email, PASSWORD).await.status(), 303);
}

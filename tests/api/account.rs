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

/// The agent's stored language and time zone.
async fn language_and_zone(app: &crate::helpers::TestApp, email: &str) -> (String, Option<String>) {
    use agentgate::db::schema::agents;
    use diesel::prelude::*;
    let email = email.to_owned();
    app.db(move |conn| agents::table.filter(agents::email.eq(&email)).select((agents::language, agents::time_zone)).first(conn).unwrap()).await
}

#[tokio::test]
async fn the_profile_saves_the_language_and_time_zone_and_the_next_page_speaks_them() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;

    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains(r#"<option value="en" lang="en" selected>English</option>"#), "the language list, in each language's own name");
    assert!(page.contains(r#"<option value="pl" lang="pl">Polski</option>"#));
    assert!(page.contains(r#"<option value="" selected>Company default (UTC)</option>"#), "no zone of her own: the company's");
    assert!(page.contains("<option>Europe/Warsaw</option>") && page.contains("<option>America/New_York</option>"));
    assert!(page.contains("data-browser-zone-hint=\"Your browser is set to {zone}.\""), "the script's words come from the catalogue");

    let response = app
        .submit_form("/account/settings", "/account/settings", &[("name", "Ada Admin"), ("language", "pl"), ("time_zone", "Europe/Warsaw")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account/settings?notice=saved");
    assert_eq!(language_and_zone(&app, &email).await, ("pl".to_owned(), Some("Europe/Warsaw".to_owned())));

    // The next page is Polish, its times in Warsaw's zone.
    let page = app.get("/account/settings?notice=saved").await.text().await.unwrap();
    assert!(page.contains(r#"<html lang="pl">"#));
    assert!(page.contains("<h1>Ustawienia konta</h1>") && page.contains(">Zapisz profil</button>") && page.contains(">Aktualizuj</button>"), "{page}");
    assert!(page.contains(r#"<option value="pl" lang="pl" selected>Polski</option>"#));
    assert!(page.contains("<option selected>Europe/Warsaw</option>"));
    assert!(page.contains("Domyślna strefa firmy (UTC)"));
    let cells: Vec<&str> = page.split("<td class=\"nowrap\">").skip(1).map(|cell| &cell[..cell.find("</td>").unwrap()]).collect();
    assert!(cells.len() >= 3, "a sign-in and the session's two times: {cells:?}");
    assert!(cells.iter().all(|cell| cell.ends_with(" CET") || cell.ends_with(" CEST")), "{cells:?}");
    assert!(!page.contains(" UTC<"), "no time is left in UTC");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"<html lang="pl">"#) && home.contains("Witaj, Ada Admin"));
}

#[tokio::test]
async fn an_unknown_language_or_time_zone_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;

    let cases: [(&str, &str, &str); 4] = [
        ("xx", "Europe/Warsaw", "Language: choose one of the languages in the list."),
        ("pl", "Mars/Olympus", "Time zone: choose one of the time zones in the list."),
        ("pl", "Europe/Warsaw<script>", "Time zone: choose one of the time zones in the list."),
        ("en-GB", "", "Language: choose one of the languages in the list."),
    ];
    for (language, zone, message) in cases {
        let response = app
            .submit_form("/account/settings", "/account/settings", &[("name", "Renamed Meanwhile"), ("language", language), ("time_zone", zone)])
            .await;
        assert_eq!(response.status(), 422, "{language} {zone}");
        let body = response.text().await.unwrap();
        assert!(body.contains("Nothing was changed.") && body.contains(message), "expected {message:?}");
        assert!(body.contains(r#"<html lang="en">"#), "the page stays in the stored language");
        assert_eq!(language_and_zone(&app, &email).await, ("en".to_owned(), None), "{language} {zone}");
    }
    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains("value=\"Ada Admin\""), "nor the name");
}

#[tokio::test]
async fn the_company_default_stores_no_zone_of_the_agents_own() {
    let app = spawn_app().await;
    let email = app.complete_setup().await;
    app.login(&email, PASSWORD).await;
    async fn save(app: &crate::helpers::TestApp, zone: &str) -> u16 {
        let fields = [("name", "Ada Admin"), ("language", "en"), ("time_zone", zone)];
        app.submit_form("/account/settings", "/account/settings", &fields).await.status().as_u16()
    }

    assert_eq!(save(&app, "Asia/Tokyo").await, 303);
    assert_eq!(language_and_zone(&app, &email).await, ("en".to_owned(), Some("Asia/Tokyo".to_owned())));
    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains("<option selected>Asia/Tokyo</option>") && page.contains(" JST</td>"));

    assert_eq!(save(&app, "").await, 303);
    assert_eq!(language_and_zone(&app, &email).await, ("en".to_owned(), None), "Company default is NULL");
    let page = app.get("/account/settings").await.text().await.unwrap();
    assert!(page.contains(r#"<option value="" selected>Company default (UTC)</option>"#));
    assert!(page.contains(" UTC</td>") && !page.contains(" JST</td>"));

    // The other sections leave both alone.
    assert_eq!(save(&app, "Asia/Tokyo").await, 303);
    let response = app.submit_form("/account/settings", "/account/settings", &[("two_factor_shown", "1")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(language_and_zone(&app, &email).await, ("en".to_owned(), Some("Asia/Tokyo".to_owned())));
}

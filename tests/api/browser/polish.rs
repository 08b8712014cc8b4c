//! The seed's journey in Polish, in a browser whose language is Polish, for
//! an agent of a Polish company: the login page (chosen by the browser's
//! `Accept-Language`), Ustawienia konta → Inne ustawienia →
//! Uwierzytelnianie dwuskładnikowe → Aktualizuj, the emailed code, then a
//! login with "Jestem na zaufanym komputerze". On every page: `<html
//! lang="pl">`, and none of the English catalogue's own words.
//!
//! The words the test clicks come from the Polish catalogue, so the test
//! reads what the agent reads and follows the catalogue when it changes.

use std::collections::BTreeSet;

use agentgate::domain::Role;
use chrono::Duration;
use diesel::prelude::*;

use crate::catalogue::{english_only_words, message};
use crate::helpers::{PASSWORD, TestApp, spawn_app};

use super::harness::{Browser, browser_test_in_language};

/// Words on the page that are data, not AgentGate's: the company's and
/// agent's names, the browser's name, the domain of the addresses.
const DATA_WORDS: [&str; 5] = ["acme", "support", "zofia", "nowak", "test"];

fn pl(key: &str) -> String {
    message("pl", key)
}

impl Browser {
    /// Asserts the page is in Polish: `<html lang="pl">` and no word of the
    /// English catalogue that the Polish one does not use too.
    async fn assert_in_polish(&self, english: &BTreeSet<String>) {
        let lang = self.client().execute("return document.documentElement.lang", vec![]).await.unwrap();
        assert_eq!(lang.as_str(), Some("pl"), "<html lang> on {}", self.path().await);
        // The page's words, less the menus of languages and time zones,
        // whose options are names ("English", "America/New_York").
        let script = "const body = document.body.cloneNode(true); body.querySelectorAll('select').forEach(s => s.remove()); return body.textContent";
        let text = self.client().execute(script, vec![]).await.unwrap().as_str().unwrap_or_default().to_owned();
        let found: BTreeSet<String> = text
            .split(|c: char| !c.is_alphabetic())
            .map(str::to_lowercase)
            .filter(|word| english.contains(word) && !DATA_WORDS.contains(&word.as_str()))
            .collect();
        assert!(found.is_empty(), "English words on {}: {found:?}\n{text}", self.path().await);
    }
}

/// A company whose language is Polish and whose agents live in Warsaw, with
/// Zofia Nowak, an agent.
async fn polish_company(app: &TestApp) -> &'static str {
    let admin = app.complete_setup().await;
    app.db(|conn| {
        use agentgate::db::schema::companies;
        diesel::update(companies::table).set((companies::language.eq("pl"), companies::time_zone.eq("Europe/Warsaw"))).execute(conn).unwrap();
    })
    .await;
    app.add_agent(&admin, "Zofia Nowak", "zofia@acme.test", Role::Agent).await;
    "zofia@acme.test"
}

#[tokio::test]
async fn a_polish_agent_turns_on_two_factor_and_trusts_a_computer_in_polish() {
    browser_test_in_language("polish_journey", "pl", |browser| async move {
        let english = english_only_words();
        assert!(english.len() > 300 && english.contains("your") && english.contains("about"), "the English words are read from the catalogue");
        let app = spawn_app().await;
        let email = polish_company(&app).await;

        // Before login the browser's language decides.
        browser.visit(&app, "/login").await;
        browser.wait_for_text("h1", &pl("login-heading")).await;
        browser.assert_in_polish(&english).await;
        browser.fill("#email", email).await;
        browser.fill("#password", PASSWORD).await;
        browser.click_and_load(&pl("login-submit")).await;
        browser.wait_for_path("/").await;
        browser.assert_in_polish(&english).await;

        // Ustawienia konta → Inne ustawienia → Uwierzytelnianie dwuskładnikowe → Aktualizuj.
        browser.open_account_menu().await;
        browser.click_and_load(&pl("nav-account-setting")).await;
        browser.wait_for_text("#other-heading", &pl("account-other-heading")).await;
        browser.assert_in_polish(&english).await;
        browser.click("#two_factor_enabled").await;
        browser.click_and_load(&pl("account-update")).await;
        browser.wait_for_path("/account/two-factor/confirm").await;
        browser.assert_in_polish(&english).await;

        // The code, as the development mailbox shows it (a developer's page of
        // raw messages: their kinds, statuses and links are data).
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.wait_for_text("h1", &pl("dev-mailbox-heading")).await;
        browser.visit(&app, "/account/two-factor/confirm").await;
        browser.fill("#code", &code).await;
        browser.click_and_load(&pl("account-confirm-submit")).await;
        browser.wait_for_path("/account/settings").await;
        browser.assert_in_polish(&english).await;
        assert!(browser.find("#two_factor_enabled").await.is_selected().await.unwrap());

        // Log out, log in: the code page, with "Jestem na zaufanym komputerze".
        browser.open_account_menu().await;
        browser.click_and_load(&pl("log-out")).await;
        browser.wait_for_path("/login").await;
        browser.assert_in_polish(&english).await;
        app.clock.advance(Duration::minutes(1));
        browser.fill("#email", email).await;
        browser.fill("#password", PASSWORD).await;
        browser.click_and_load(&pl("login-submit")).await;
        browser.wait_for_path("/login/verify").await;
        browser.wait_for_text("label[for=trusted]", "Jestem na zaufanym komputerze").await;
        browser.assert_in_polish(&english).await;
        browser.assert_accessible().await;
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.visit(&app, "/login/verify").await;
        browser.fill("#code", &code).await;
        browser.click("#trusted").await;
        browser.click_and_load(&pl("login-submit")).await;
        browser.wait_for_path("/").await;
        browser.assert_in_polish(&english).await;

        // The trusted computer is listed in Account Setting, its times in Warsaw's zone.
        browser.visit(&app, "/account/settings").await;
        let trusted = browser.text("#trusted-computers").await;
        assert!(trusted.contains("CET") || trusted.contains("CEST"), "{trusted}");
        browser.assert_in_polish(&english).await;
        super::screenshots::save_readme(&browser, "account-setting-pl", 1024).await;

        // The emails she got are Polish, with times in her zone.
        let bodies: Vec<String> = app
            .db(|conn| {
                use agentgate::db::schema::outbox;
                outbox::table.select(outbox::body_text).load::<String>(conn).unwrap()
            })
            .await;
        let codes: Vec<&String> = bodies.iter().filter(|body| body.contains("Cześć Zofia")).collect();
        assert!(codes.len() >= 3, "the confirmation, login and trusted-computer emails: {bodies:?}");
        assert!(codes.iter().all(|body| body.contains(" CET") || body.contains(" CEST")));
    })
    .await;
}

//! The company policy on the Agents tab: requiring 2FA (with a grace date),
//! the longest trusted-computer period, admins always entering a code; and
//! what the requirement does to an agent without 2FA.

use agentgate::domain::Role;
use chrono::Duration;

use crate::agents_support::*;
use crate::helpers::{PASSWORD, location, login_with, new_browser, spawn_app_with, submit_form_with};
use crate::two_factor_steps::{confirm_code, password_step, set_two_factor_box, spawn_app_with_smtp, submit_code};

#[tokio::test]
async fn the_policy_form_saves_every_setting() {
    let app = admin_app().await;
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("Require two-factor authentication for all agents"));
    assert!(page.contains("Admins always enter a code"));
    assert!(page.contains("name=\"grace_until\""));
    for days in ["0", "7", "30"] {
        assert!(page.contains(&format!("<option value=\"{days}\"")), "{days}");
    }
    assert!(!page.contains("<option value=\"90\""), "the server allows 30 days by default");

    let response = app
        .submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("grace_until", "2030-01-15"), ("trusted_days_max", "7"), ("admins_always_enter_code", "on")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/agents?notice=policy_saved");
    let company = company_row(&app).await;
    assert!(company.require_two_factor && company.admins_always_enter_code);
    assert_eq!(company.trusted_days_max, 7);
    assert_eq!(company.two_factor_grace_until.unwrap().to_string(), "2030-01-15 00:00:00");
    let page = app.get("/agents?notice=policy_saved").await.text().await.unwrap();
    assert!(page.contains("The company policy was saved."));
    assert!(page.contains("Two-factor authentication is required for all agents from 15 January 2030."));
    assert!(page.contains("value=\"2030-01-15\""));

    // Unticked boxes are off; without the requirement the grace date goes.
    app.submit_form("/agents", "/agents/policy", &[("grace_until", "2030-01-15"), ("trusted_days_max", "0")]).await;
    let company = company_row(&app).await;
    assert!(!company.require_two_factor && !company.admins_always_enter_code);
    assert_eq!(company.two_factor_grace_until, None);
    assert_eq!(company.trusted_days_max, 0);

    // Longer than the server allows, or not a choice, or a bad date: refused, unchanged.
    for (field, value, message) in [
        ("trusted_days_max", "90", "Choose a trusted-computer period of 0, 7 or 30 days."),
        ("trusted_days_max", "14", "Choose a trusted-computer period"),
        ("trusted_days_max", "-7", "Choose a trusted-computer period"),
        ("grace_until", "15/01/2030", "The grace date must be a date like 2026-12-31."),
    ] {
        let response = app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), (field, value)]).await;
        assert_eq!(response.status(), 422, "{field}={value}");
        assert!(response.text().await.unwrap().contains(message), "{field}={value}");
    }
    assert!(!company_row(&app).await.require_two_factor);

    // An agent cannot change it; a forged post is refused.
    assert_eq!(app.post_raw("/agents/policy", &[("require_two_factor", "on")]).await.status(), 403);
    app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let bo = new_browser();
    login_with(&bo, &app.address, "bo@acme.test", PASSWORD).await;
    let token_page = bo.get(app.url("/account/settings")).send().await.unwrap().text().await.unwrap();
    let token = crate::helpers::csrf_token_in(&token_page).unwrap();
    let response = bo.post(app.url("/agents/policy")).form(&[("csrf_token", token.as_str()), ("require_two_factor", "on")]).send().await.unwrap();
    assert_eq!(response.status(), 403);
    assert!(!company_row(&app).await.require_two_factor);
}

#[tokio::test]
async fn the_server_limit_caps_the_trusted_period() {
    let app = spawn_app_with(vec![("AGENTGATE_TRUSTED_DAYS", "90".to_owned())]).await;
    app.complete_setup().await;
    app.login(ADMIN_EMAIL, PASSWORD).await;
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("<option value=\"90\""));
    app.submit_form("/agents", "/agents/policy", &[("trusted_days_max", "90")]).await;
    assert_eq!(company_row(&app).await.trusted_days_max, 90);
}

#[tokio::test]
async fn with_the_requirement_on_an_agent_without_2fa_only_reaches_account_setting() {
    let (app, smtp) = spawn_app_with_smtp().await;
    app.complete_setup().await;
    assert_eq!(location(&app.login(ADMIN_EMAIL, PASSWORD).await), "/");
    let bo = app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let cy = app.add_agent(ADMIN_EMAIL, "Cy Compliant", "cy@acme.test", Role::Agent).await;
    set_two_factor(&app, &cy, "enabled").await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    set_two_factor(&app, &ada, "enabled").await;

    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "30")]).await;

    // The Agents tab marks who is not compliant.
    let table = text_of(&app.get("/agents").await.text().await.unwrap());
    assert!(table.contains("Bo Agent bo@acme.test Agent Disabled Not compliant"), "{table}");
    assert!(table.contains("Cy Compliant cy@acme.test Agent Enabled 0"), "{table}");
    assert!(app.get(&format!("/agents/{bo}")).await.text().await.unwrap().contains("Not compliant"));

    // Bo logs in: every page but the setup ones sends him to Account Setting.
    let browser = new_browser();
    let login = login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await;
    assert_eq!(login.status(), 303);
    let home = browser.get(app.url(&location(&login))).send().await.unwrap();
    assert_eq!(home.status(), 303);
    assert_eq!(location(&home), "/account/settings");
    for path in ["/", "/agents", "/agents/new", "/agents.csv", "/activity"] {
        let response = browser.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(location(&response), "/account/settings", "{path}");
    }
    let settings = browser.get(app.url("/account/settings")).send().await.unwrap();
    assert_eq!(settings.status(), 200);
    let settings = settings.text().await.unwrap();
    assert!(settings.contains("Acme Support requires two-factor authentication. Turn it on below"));

    // He ticks the box: 2FA is pending, which is not enough yet.
    let response = set_two_factor_box(&browser, &app.address, "Bo Agent", true, "").await;
    assert_eq!(location(&response), "/account/two-factor/confirm?notice=confirmation_sent");
    assert_eq!(browser.get(app.url("/account/two-factor/confirm")).send().await.unwrap().status(), 200, "the confirmation page stays open");
    assert_eq!(location(&browser.get(app.url("/")).send().await.unwrap()), "/account/settings");

    // He enters the emailed code: everything opens, at once.
    let code = smtp.expect_email("bo@acme.test", "confirmation code").await.code();
    let response = confirm_code(&browser, &app.address, &code).await;
    assert_eq!(location(&response), "/account/settings?notice=two_factor_enabled");
    let home = browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(!home.text().await.unwrap().contains("requires two-factor authentication"));
    let table = text_of(&app.get("/agents").await.text().await.unwrap());
    assert!(table.contains("Bo Agent bo@acme.test Agent Enabled Email 0"), "{table}");
    assert!(!table.contains("Not compliant"));

    // Logging out always works.
    let logout = submit_form_with(&browser, &app.address, "/", "/logout", &[]).await;
    assert_eq!(location(&logout), "/login?notice=logged_out");

    // Admins are agents too: after a reset, Ada must set it up again.
    set_two_factor(&app, &ada, "disabled").await;
    assert_eq!(location(&app.get("/agents").await), "/account/settings");
    let logout = submit_form_with(&app.client, &app.address, "/account/settings", "/logout", &[]).await;
    assert_eq!(location(&logout), "/login?notice=logged_out");
}

#[tokio::test]
async fn the_grace_date_postpones_the_requirement() {
    let (app, smtp) = spawn_app_with_smtp().await;
    app.complete_setup().await;
    app.login(ADMIN_EMAIL, PASSWORD).await;
    app.add_agent(ADMIN_EMAIL, "Bo Agent", "bo@acme.test", Role::Agent).await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    set_two_factor(&app, &ada, "enabled").await;
    let grace = (app.clock_now() + Duration::days(3)).date();
    let grace_text = grace.format("%Y-%m-%d").to_string();
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("grace_until", &grace_text), ("trusted_days_max", "30")]).await;

    let table = app.get("/agents").await.text().await.unwrap();
    let due = grace.format("%-d %B %Y").to_string();
    assert!(text_of(&table).contains(&format!("Bo Agent bo@acme.test Agent Disabled Due {due}")), "{}", text_of(&table));

    // Before the date: Bo is reminded, not stopped.
    let browser = new_browser();
    login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await;
    let home = browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    // The date in Bo's time zone (the company's, UTC) and language.
    let grace_words = grace.format("%-d %B %Y").to_string();
    assert!(home.text().await.unwrap().contains(&format!("Acme Support requires two-factor authentication from {grace_words}. Turn it on in Account Setting before then.")));

    // From the date on (the injected clock moves), he must turn it on first.
    app.clock.advance(Duration::days(4));
    let browser = new_browser();
    login_with(&browser, &app.address, "bo@acme.test", PASSWORD).await;
    let home = browser.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 303);
    assert_eq!(location(&home), "/account/settings");

    // Ada, with 2FA, logs in with her code and sees Bo marked.
    let admin = new_browser();
    password_step(&admin, &app.address, ADMIN_EMAIL).await;
    let code = smtp.next_login_code(ADMIN_EMAIL).await;
    assert_eq!(location(&submit_code(&admin, &app.address, &code).await), "/");
    let table = admin.get(app.url("/agents")).send().await.unwrap().text().await.unwrap();
    assert!(text_of(&table).contains("Bo Agent bo@acme.test Agent Disabled Not compliant"), "{}", text_of(&table));
}

#[tokio::test]
async fn turning_the_requirement_on_is_audited_and_warns_an_admin_without_2fa() {
    let app = admin_app().await;
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("That includes you: you have not turned it on yet."));
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "30")]).await;
    let detail = audit_details(&app, "policy_changed").await;
    assert_eq!(detail, [Some("require 2FA: on; trusted days: 30; admins always enter a code: off; sign out after 1 h idle, 12 h after sign-in; second factors: email codes, authenticator apps and passkeys; admins must use an authenticator app: off; admins must use a passkey: off".to_owned())]);
    // The admin, without 2FA, is now sent to set it up too.
    assert_eq!(location(&app.get("/agents").await), "/account/settings");
}

/// The company's defaults on the policy form: the language of new agents
/// and invitations, and the time zone of agents who chose none. Unknown
/// values are refused at the edge and change nothing.
#[tokio::test]
async fn the_policy_form_saves_the_company_language_and_time_zone() {
    let app = admin_app().await;
    let company_id = company_of(&app, ADMIN_EMAIL).await;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(14, 5, 0).unwrap();
    seed_agents(&app, &company_id, vec![Seed::new("Bo Agent", "bo@acme.test").last_login(at)]).await;

    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("<label for=\"language\">Default language</label>"));
    assert!(page.contains("<option value=\"en\" lang=\"en\" selected>English</option>"), "the company's language is chosen");
    assert!(page.contains("<option value=\"pl\" lang=\"pl\">Polski</option>"), "each language by its own name");
    assert!(page.contains("<label for=\"time_zone\">Time zone</label>"));
    assert!(page.contains("<option selected>UTC</option>") && page.contains("<option>Europe/Warsaw</option>"));
    assert!(text_of(&page).contains("Bo Agent bo@acme.test Agent Disabled 0 2 Nov 2026, 14:05 UTC Active"));

    // Saved with the rest of the policy, and audited.
    let response =
        app.submit_form("/agents", "/agents/policy", &[("trusted_days_max", "30"), ("language", "pl"), ("time_zone", "Europe/Warsaw")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/agents?notice=policy_saved");
    let company = company_row(&app).await;
    assert_eq!((company.language.as_str(), company.time_zone.as_str()), ("pl", "Europe/Warsaw"));
    let detail = audit_details(&app, "policy_changed").await.remove(0).unwrap();
    assert!(detail.ends_with("; language: pl; time zone: Europe/Warsaw"), "{detail}");

    // Ada chose no zone: she now reads the company's; her language is her own.
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(text_of(&page).contains("Bo Agent bo@acme.test Agent Disabled 0 2 Nov 2026, 15:05 CET Active"), "{}", text_of(&page));
    assert!(page.contains("<option value=\"pl\" lang=\"pl\" selected>Polski</option>") && page.contains("<option selected>Europe/Warsaw</option>"));
    // Unknown values: the form's error (422), and nothing changes, the rest of the form included.
    for (field, value, message) in [
        ("language", "de", "Choose a default language from the list."),
        ("language", "", "Choose a default language from the list."),
        ("time_zone", "Mars/Olympus", "Choose a time zone from the list, such as Europe/Warsaw."),
        ("time_zone", "EST5EDT", "Choose a time zone from the list"),
        ("time_zone", "", "Choose a time zone from the list"),
    ] {
        let response = app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("trusted_days_max", "7"), (field, value)]).await;
        assert_eq!(response.status(), 422, "{field}={value:?}");
        assert!(response.text().await.unwrap().contains(message), "{field}={value:?}");
        let company = company_row(&app).await;
        assert_eq!((company.language.as_str(), company.time_zone.as_str()), ("pl", "Europe/Warsaw"), "{field}={value:?}");
        assert!(!company.require_two_factor && company.trusted_days_max == 30, "{field}={value:?}");
    }
    assert_eq!(audit_details(&app, "policy_changed").await.len(), 1, "a refused form is not audited");

    // An admin who reads Polish is refused in Polish; saving the same defaults again adds no language to the audit.
    set_language(&app, &agent_id_of(&app, ADMIN_EMAIL).await, "pl", None).await;
    let response = app.submit_form("/agents", "/agents/policy", &[("time_zone", "Mars/Olympus")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("Wybierz strefę czasową z listy, np. Europe/Warsaw."), "{}", text_of(&page));
    assert!(page.contains("<label for=\"language\">Domyślny język</label>") && page.contains("<label for=\"time_zone\">Strefa czasowa</label>"));
    app.submit_form("/agents", "/agents/policy", &[("trusted_days_max", "30"), ("language", "pl"), ("time_zone", "Europe/Warsaw")]).await;
    let details = audit_details(&app, "policy_changed").await;
    assert_eq!(details.len(), 2);
    assert_eq!(details.iter().flatten().filter(|d| d.contains("language:")).count(), 1, "{details:?}");

    // A new agent takes the company's language.
    let response = app.submit_form("/agents/new", "/agents/new", &[("name", "Cy Nowy"), ("email", "cy@acme.test"), ("role", "agent")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(agent(&app, &agent_id_of(&app, "cy@acme.test").await).await.language, "pl");
}

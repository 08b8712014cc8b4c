//! The Agents tab and the second factors beyond email (SPEC §7): the methods
//! each agent has, the "Email only" and "Has an app" filters, the app line of
//! the summary, the CSV columns, and the company policy on which factors
//! count and whether admins must use an authenticator app.

use diesel::prelude::*;

use agentgate::db::schema::agents;

use crate::agents_support::*;
use crate::helpers::{TestApp, location};

/// The text of the table row that shows `name`.
fn row_text(html: &str, name: &str) -> String {
    let body = html.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    let row = body.split("<tr").find(|row| row.contains(&format!(">{name}</a>"))).unwrap_or_else(|| panic!("no row for {name}"));
    text_of(row.split_once('>').unwrap().1)
}

/// Gives the agent these factors directly, as the setup pages would leave them.
async fn set_factors(app: &TestApp, agent_id: &str, email: bool, app_on: bool, codes: i32) {
    let id = agent_id.to_owned();
    let overall = if email || app_on { "enabled" } else { "disabled" };
    let email_status = if email { "enabled" } else { "disabled" };
    app.db(move |conn| {
        diesel::update(agents::table.find(&id))
            .set((
                agents::two_factor.eq(overall),
                agents::email_two_factor.eq(email_status),
                agents::app_enabled.eq(app_on),
                agents::recovery_codes_left.eq(codes),
            ))
            .execute(conn)
            .unwrap()
    })
    .await;
}

/// Ada (the admin) with an app, so that no policy sends her away from the tab;
/// then agents with every combination of factors. Returns the agents' ids.
async fn seed_methods(app: &TestApp) -> Vec<String> {
    let company = company_of(app, ADMIN_EMAIL).await;
    let ada = agent_id_of(app, ADMIN_EMAIL).await;
    set_factors(app, &ada, false, true, 10).await;
    let ids = seed_agents(
        app,
        &company,
        vec![
            Seed::new("Al Both", "al@acme.test"),
            Seed::new("Em Mail", "em@acme.test"),
            Seed::new("No Factor", "no@acme.test"),
            Seed::new("Ap Only", "ap@acme.test"),
            Seed::new("Gone App", "gone@acme.test").deactivated(),
            Seed::new("Pat Pending", "pat@acme.test").two_factor("pending"),
        ],
    )
    .await;
    set_factors(app, &ids[0], true, true, 7).await;
    set_factors(app, &ids[1], true, false, 0).await;
    set_factors(app, &ids[3], false, true, 1).await;
    set_factors(app, &ids[4], false, true, 10).await;
    ids
}

#[tokio::test]
async fn the_two_factor_column_shows_each_agents_methods() {
    let app = admin_app().await;
    seed_methods(&app).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert_eq!(row_text(&html, "Al Both"), "Al Both al@acme.test Agent Enabled App · Email · 7 codes 0 Never Active");
    assert!(row_text(&html, "Em Mail").contains("Enabled Email 0"), "{}", row_text(&html, "Em Mail"));
    assert!(row_text(&html, "Ap Only").contains("Enabled App · 1 code 0"), "{}", row_text(&html, "Ap Only"));
    assert!(row_text(&html, "Ada Admin").contains("App · 10 codes"), "{}", row_text(&html, "Ada Admin"));
    // Without any method, only the badge.
    assert!(row_text(&html, "No Factor").contains("Disabled 0"), "{}", row_text(&html, "No Factor"));
    assert!(!row_text(&html, "No Factor").contains('·'));
    assert!(html.contains("<small class=\"methods\">App · Email · 7 codes</small>"));

    // The agent's own page says the same.
    let al = agent_id_of(&app, "al@acme.test").await;
    let page = app.get(&format!("/agents/{al}")).await.text().await.unwrap();
    assert!(page.contains("App · Email · 7 codes"));
}

#[tokio::test]
async fn the_filter_finds_email_only_agents_and_agents_with_an_app() {
    let app = admin_app().await;
    seed_methods(&app).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains(">Email only</option>"));
    assert!(html.contains(">Has an app</option>"));

    let html = app.get("/agents?two_factor=email_only").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Em Mail"]);
    assert!(html.contains("Showing the only agent."), "{}", text_of(&html));
    assert!(html.contains("<option value=\"email_only\" selected>"));

    // Deactivated agents are listed, as with every filter.
    let html = app.get("/agents?two_factor=app").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Ada Admin", "Al Both", "Ap Only", "Gone App"]);
    assert!(html.contains("Showing 1–4 of 4 agents."), "{}", text_of(&html));
    let html = app.get("/agents?two_factor=app&sort=-email").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Gone App", "Ap Only", "Al Both", "Ada Admin"]);

    // With a search: the narrow plan looks the matches up and filters them.
    let html = app.get("/agents?two_factor=app&q=al").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Al Both"]);
    let html = app.get("/agents?two_factor=email_only&q=em").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Em Mail"]);

    // The existing values still work; an unknown one is refused.
    let html = app.get("/agents?two_factor=enabled").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Ada Admin", "Al Both", "Ap Only", "Em Mail", "Gone App"]);
    let html = app.get("/agents?two_factor=pending").await.text().await.unwrap();
    assert_eq!(names_in_table(&html), ["Pat Pending"]);
    assert_eq!(app.get("/agents?two_factor=passkey").await.status(), 400);

    // The export follows the filter.
    let csv = app.get("/agents.csv?two_factor=email_only").await.text().await.unwrap();
    let rows: Vec<&str> = csv.split("\r\n").skip(1).filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with("Em Mail,"), "{csv}");
}

#[tokio::test]
async fn the_summary_counts_the_active_agents_with_an_app() {
    let app = admin_app().await;
    let ids = seed_methods(&app).await;
    // Ada, Al and Ap of the six active agents (Gone is deactivated).
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("3 of 6 agents use an authenticator app"), "{}", text_of(&html));
    assert!(html.contains("4 of 6 agents have two-factor authentication enabled"), "{}", text_of(&html));

    set_factors(&app, &ids[1], true, true, 10).await;
    let html = app.get("/agents").await.text().await.unwrap();
    assert!(html.contains("4 of 6 agents use an authenticator app"), "{}", text_of(&html));
    let company = company_of(&app, ADMIN_EMAIL).await;
    assert_counters_match(&app, &company).await;
}

#[tokio::test]
async fn the_csv_has_a_column_per_method() {
    let app = admin_app().await;
    seed_methods(&app).await;
    let body = app.get("/agents.csv").await.text().await.unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "Name,Email,Role,Two-factor authentication,Trusted computers,\"Last login (UTC, ISO 8601)\",Status,Email codes,Authenticator app,Recovery codes left,Passkeys"
    );
    assert!(lines.contains(&"Al Both,al@acme.test,Agent,Enabled,0,,Active,Enabled,Enabled,7,0"), "{body}");
    assert!(lines.contains(&"Em Mail,em@acme.test,Agent,Enabled,0,,Active,Enabled,Disabled,0,0"), "{body}");
    assert!(lines.contains(&"Ap Only,ap@acme.test,Agent,Enabled,0,,Active,Disabled,Enabled,1,0"), "{body}");
    assert!(lines.contains(&"No Factor,no@acme.test,Agent,Disabled,0,,Active,Disabled,Disabled,0,0"), "{body}");
}

#[tokio::test]
async fn the_policy_form_saves_which_factors_count_and_the_admins_app_rule() {
    let app = admin_app().await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    set_factors(&app, &ada, false, true, 10).await;
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("Second factors allowed"));
    assert!(page.contains("name=\"second_factors\" value=\"email_and_app\" aria-describedby=\"factors-help\" checked"));
    assert!(page.contains("Authenticator apps and passkeys"));
    assert!(page.contains("Admins must use an authenticator app"));
    let company = company_row(&app).await;
    assert!(company.email_factor_allowed && !company.admins_must_use_app);

    let response = app
        .submit_form("/agents", "/agents/policy", &[("second_factors", "app_only"), ("admins_must_use_app", "on"), ("trusted_days_max", "30")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/agents?notice=policy_saved");
    let company = company_row(&app).await;
    assert!(!company.email_factor_allowed && company.admins_must_use_app && !company.require_two_factor);
    let page = app.get("/agents").await.text().await.unwrap();
    assert!(page.contains("name=\"second_factors\" value=\"app_only\" aria-describedby=\"factors-help\" checked"));
    assert!(page.contains("id=\"admins_must_use_app\" name=\"admins_must_use_app\" value=\"on\" aria-describedby=\"admins-app-help\" checked"));
    assert!(page.contains("Admins must use an authenticator app or a passkey."));

    let detail = audit_details(&app, "policy_changed").await;
    let detail = detail[0].clone().unwrap();
    assert!(detail.ends_with("; second factors: authenticator apps and passkeys; admins must use an authenticator app: on; admins must use a passkey: off"), "{detail}");

    // Back to both; an unknown choice is refused and changes nothing.
    app.submit_form("/agents", "/agents/policy", &[("second_factors", "email_and_app")]).await;
    let company = company_row(&app).await;
    assert!(company.email_factor_allowed && !company.admins_must_use_app);
    let response = app.submit_form("/agents", "/agents/policy", &[("second_factors", "sms")]).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("Choose which second factors count"));
    assert!(company_row(&app).await.email_factor_allowed);
}

#[tokio::test]
async fn an_admin_with_only_email_is_sent_to_add_an_app() {
    let app = admin_app().await;
    let ada = agent_id_of(&app, ADMIN_EMAIL).await;
    set_factors(&app, &ada, true, false, 0).await;
    app.submit_form("/agents", "/agents/policy", &[("admins_must_use_app", "on")]).await;
    assert!(company_row(&app).await.admins_must_use_app);

    // 2FA is not required of everyone, but Ada is an admin without an app.
    let response = app.get("/agents").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/account/settings");
    let settings = app.get("/account/settings").await;
    assert_eq!(settings.status(), 200);
    let settings = settings.text().await.unwrap();
    assert!(settings.contains("Acme Support requires an authenticator app or a passkey. Add one below"), "the banner says what is missing");
    // The way to the setup page is open to her: confirming it is her first.
    let setup = app.get("/account/authenticator").await;
    assert!(location(&setup).starts_with("/account/confirm-identity"), "{}", location(&setup));
    assert_eq!(app.get(&location(&setup)).await.status(), 200);

    // With an app she is back.
    set_factors(&app, &ada, true, true, 10).await;
    assert_eq!(app.get("/agents").await.status(), 200);
}

#[tokio::test]
async fn under_app_only_an_email_only_agent_is_not_compliant() {
    let app = admin_app().await;
    seed_methods(&app).await;
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("second_factors", "app_only")]).await;
    let company = company_row(&app).await;
    assert!(company.require_two_factor && !company.email_factor_allowed);

    let html = app.get("/agents").await.text().await.unwrap();
    let em = row_text(&html, "Em Mail");
    assert!(em.contains("Not compliant"), "{em}");
    assert!(em.contains("Email (does not count)"), "{em}");
    let al = row_text(&html, "Al Both");
    assert!(!al.contains("Not compliant"), "{al}");
    assert!(!row_text(&html, "Ap Only").contains("Not compliant"));
    assert!(row_text(&html, "No Factor").contains("Not compliant"));
    assert!(html.contains("Only authenticator apps and passkeys count as second factors"));

    // With both allowed again, emailed codes count.
    app.submit_form("/agents", "/agents/policy", &[("require_two_factor", "on"), ("second_factors", "email_and_app")]).await;
    let html = app.get("/agents").await.text().await.unwrap();
    let em = row_text(&html, "Em Mail");
    assert!(!em.contains("Not compliant") && !em.contains("does not count"), "{em}");
}

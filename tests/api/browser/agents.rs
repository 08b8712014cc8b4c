//! The Agents tab in a browser (issue 5's "done when"): an admin sees which
//! agents have 2FA, invites a new agent who then logs in, resets one agent's
//! 2FA, and turns on the company-wide requirement that the next login of a
//! non-compliant agent enforces. Every page on the way is audited.

use agentgate::domain::Role;

use crate::agents_support::{Seed, agent_id_of, company_of, emails_to, link_path, seed_agents, set_two_factor};
use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

const EVE_PASSWORD: &str = "a long passphrase for eve";

#[tokio::test]
async fn an_admin_sees_who_has_2fa_invites_an_agent_resets_2fa_and_requires_it() {
    browser_test("agents_tab", |browser| async move {
        let app = spawn_app().await;
        let email = app.complete_setup().await;
        let company = company_of(&app, &email).await;
        let seeded = seed_agents(
            &app,
            &company,
            vec![Seed::new("Bo Enabled", "bo@acme.test").two_factor("enabled"), Seed::new("Cy Pending", "cy@acme.test").two_factor("pending")],
        )
        .await;
        app.add_agent(&email, "Di Disabled", "di@acme.test", Role::Agent).await;
        browser.log_in(&app, &email, PASSWORD).await;
        // Ada has 2FA (as if confirmed), so the requirement will not stop her.
        set_two_factor(&app, &agent_id_of(&app, &email).await, "enabled").await;

        // Who has 2FA.
        browser.click_and_load("Agents").await;
        browser.wait_for_path("/agents").await;
        browser.wait_for_text(".summary", "2 of 4 agents have two-factor authentication enabled").await;
        let table = browser.text("tbody").await;
        for expected in ["Bo Enabled", "Cy Pending", "Di Disabled", "Enabled", "Pending", "Disabled"] {
            assert!(table.contains(expected), "{expected} in {table}");
        }
        browser.assert_accessible().await;

        // Search and filter with the form.
        browser.fill("#q", "cy").await;
        browser.click_and_load("Show").await;
        let table = browser.wait_for_text("tbody", "Cy Pending").await;
        assert!(!table.contains("Bo Enabled"), "{table}");

        // Invite Eve; she chooses her password from the emailed link and logs in.
        browser.visit(&app, "/agents").await;
        browser.click_and_load("Add agent").await;
        browser.wait_for_path("/agents/new").await;
        browser.assert_accessible().await;
        browser.fill("#name", "Eve Newcomer").await;
        browser.fill("#email", "eve@acme.test").await;
        browser.click_and_load("Add agent and send invitation").await;
        browser.wait_for_text(".notice", "emailed an invitation link").await;
        browser.assert_accessible().await;
        let link = link_path(&emails_to(&app, "eve@acme.test").await[0].text, "/invitation?token=");
        let eve = browser.another_profile("eve").await;
        eve.visit(&app, &link).await;
        eve.wait_for_text("h1", "Welcome, Eve Newcomer").await;
        eve.assert_accessible().await;
        eve.fill("#password", EVE_PASSWORD).await;
        eve.fill("#password_confirm", EVE_PASSWORD).await;
        eve.click_and_load("Set password").await;
        eve.wait_for_text(".notice", "Your password is set.").await;
        eve.log_in(&app, "eve@acme.test", EVE_PASSWORD).await;
        eve.wait_for_text("h1", "Welcome").await;

        // Reset Bo's 2FA, after the confirmation page.
        browser.visit(&app, &format!("/agents/{}", seeded[0])).await;
        browser.assert_accessible().await;
        browser.click_and_load("Reset two-factor authentication").await;
        browser.wait_for_text("h1", "Reset two-factor authentication for Bo Enabled?").await;
        browser.assert_accessible().await;
        browser.click_and_load("Reset two-factor authentication").await;
        // Ada's 2FA was switched on without a code at this login: resetting
        // someone's 2FA first asks her to confirm it is her (password, then a code).
        browser.wait_for_text("h1", "Confirm it is you").await;
        browser.assert_accessible().await;
        browser.fill("#current_password", PASSWORD).await;
        browser.click_and_load("Continue").await;
        browser.wait_for_text("h1", "Confirm it is you").await;
        let code_page = browser.path().await;
        let code = browser.newest_code_in_dev_mailbox(&app).await;
        browser.visit(&app, &code_page).await;
        browser.fill("#code", &code).await;
        browser.click_and_load("Confirm").await;
        browser.wait_for_path("/agents").await;
        browser.visit(&app, &format!("/agents/{}", seeded[0])).await;
        browser.click_and_load("Reset two-factor authentication").await;
        browser.wait_for_text("h1", "Reset two-factor authentication for Bo Enabled?").await;
        browser.click_and_load("Reset two-factor authentication").await;
        browser.wait_for_text(".notice", "Two-factor authentication was reset").await;

        // Require 2FA for every agent.
        browser.visit(&app, "/agents").await;
        browser.click("#require_two_factor").await;
        browser.click_and_load("Save policy").await;
        browser.wait_for_text(".notice", "The company policy was saved.").await;
        assert!(browser.text("tbody").await.contains("Not compliant"));
        browser.wait_for_text(".summary", "1 of 5 agents have two-factor authentication enabled").await;
        browser.assert_accessible().await;

        // Di's next login ends on Account Setting, which says why.
        let di = browser.another_profile("di").await;
        di.submit_login(&app, "di@acme.test", PASSWORD).await;
        di.wait_for_path("/account/settings").await;
        di.wait_for_text(".warning", "Acme Support requires two-factor authentication").await;
        di.assert_accessible().await;
    })
    .await;
}

//! The Agents tab in a real browser: an admin reads who has 2FA; an agent is refused.

use agentgate::domain::{Role, TwoFactorStatus};

use crate::helpers::{PASSWORD, spawn_app};

use super::harness::browser_test;

#[tokio::test]
async fn an_admin_reads_the_two_factor_column_and_an_agent_is_refused() {
    browser_test("agents_tab", |browser| async move {
        let app = spawn_app().await;
        let admin = app.complete_setup().await;
        let bob = app.add_agent(&admin, "Bob Enabled", "bob@acme.test", Role::Agent).await;
        app.add_agent(&admin, "Carol Disabled", "carol@acme.test", Role::Agent).await;
        app.db(move |conn| agentgate::db::models::Agent::set_two_factor(conn, &bob, TwoFactorStatus::Enabled).unwrap()).await;

        browser.log_in(&app, &admin, PASSWORD).await;
        browser.click_and_load("Agents").await;
        browser.wait_for_path("/agents").await;
        browser.wait_for_text(".summary", "1 of 3 agents have two-factor authentication enabled").await;
        let table = browser.text("table").await;
        assert!(table.contains("Two-factor authentication"), "{table}");
        let bob_row = table.lines().find(|l| l.contains("Bob Enabled")).unwrap_or_default().to_owned();
        assert!(bob_row.contains("Enabled"), "{bob_row}");
        let carol_row = table.lines().find(|l| l.contains("Carol Disabled")).unwrap_or_default().to_owned();
        assert!(carol_row.contains("Disabled"), "{carol_row}");
        browser.assert_accessible().await;

        // Carol, on her own computer, has no Agents tab and is refused at its address.
        let carol = browser.another_profile("carol").await;
        carol.log_in(&app, "carol@acme.test", PASSWORD).await;
        assert!(!carol.exists("nav a[href='/agents']").await, "agents see no Agents tab");
        carol.visit(&app, "/agents").await;
        carol.wait_for_text("h1", "Access denied").await;
        carol.assert_accessible().await;
    })
    .await;
}
